// Meeting templates beyond the default: a phase card (Erätauko's ground rules) on the page
// and the projector, a board of its own (the systemic team's hypotheses) with only the boards
// its phases use in the tabs; and the join page listing the templates in the page's language.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, catalog, shot, addItem, itemText, T } from './support/harness.mjs';

const fi = catalog('fi');
const { keha, pages: harness, setUp } = story('templates');
let base = '';

setUp(async () => {
  base = keha.base;
});

test('other templates: a phase card (Erätauko ground rules) and the hypotheses board', async () => {
  const make = async (template) => (await fetch(`${base}/api/rooms`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: `Testi ${template}`, template, language: 'fi' }),
  })).json();
  const era = await make('eratauko');
  const sys = await make('systemic-team');
  const ctx = await harness.browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'fi-FI' });
  const p = await ctx.newPage();
  p.on('dialog', (d) => { harness.errors.push(`t: dialog ${d.message()}`); d.dismiss(); });
  p.on('pageerror', (e) => harness.errors.push(`t: ${e.message}`));
  p.setDefaultTimeout(T);
  const sp = await ctx.newPage();
  sp.on('pageerror', (e) => harness.errors.push(`ts: ${e.message}`));
  sp.setDefaultTimeout(T);
  await p.goto(`${base}/r/${era.code}#key=${era.facilitator_key}`);
  await sp.goto(`${base}/screen/${era.code}#key=${era.screen_key}`);
  await p.locator('#facil-phase').selectOption('ground-rules');
  await p.locator('#phase-card .card-lines li').first().waitFor();
  await sp.locator('#s-card .card-lines li').first().waitFor();
  await shot(sp, 'screen-card');
  await p.goto(`${base}/r/${sys.code}#key=${sys.facilitator_key}`);
  await p.locator('#facil-phase').selectOption('hypotheses');
  await p.locator('#panel-hypotheses').waitFor({ state: 'visible' });
  await addItem(p, 'hypotheses', 'hypothesis', 'Ehkä perhe kokee, ettei sitä kuulla');
  await itemText(p, 'Ehkä perhe kokee').waitFor();
  await p.locator('.tab', { hasText: fi['board.hypotheses'] }).waitFor();
  assert.equal(await p.locator('.tab', { hasText: fi['board.vision'] }).count(), 0, 'boards no phase uses stay out of the tabs');
  await ctx.close();
});

test('the join page lists the templates in the page\'s language', async () => {
  const ctx = await harness.browser.newContext({ locale: 'fi-FI' });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => harness.errors.push(`tpl: ${e.message}`));
  page.setDefaultTimeout(T);
  const titles = async (lang) => Object.fromEntries((await (await fetch(`${base}/api/templates?language=${lang}`)).json()).map((x) => [x.id, x.title]));
  const [tfi, tsv] = [await titles('fi'), await titles('sv')];
  assert.notEqual(tfi['monni-professionals'], tsv['monni-professionals']);
  await page.goto(`${base}/`);
  await page.locator('#create-template option[value=monni-professionals]', { hasText: tfi['monni-professionals'] }).waitFor({ state: 'attached' });
  await page.locator('#lang').selectOption('sv');
  await page.locator('#create-template option[value=monni-professionals]', { hasText: tsv['monni-professionals'] }).waitFor({ state: 'attached' });
  await ctx.close();
});

test('no script errors and no dialogs on any page', () => {
  assert.deepEqual(harness.errors, []);
});
