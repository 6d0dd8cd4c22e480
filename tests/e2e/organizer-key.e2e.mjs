// Starting a meeting on a server that has an organizer key (docs/deployment.md): the join
// page's "new meeting" form asks for the key when the server says it is needed, tells a
// wrong key apart from a missing one, and sends the key only in the Authorization header.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { story, shot, catalog } from './support/harness.mjs';

const fi = catalog('fi');
const en = catalog('en');
const ORGANIZER_KEY = 'kanta-hame-organizer-7f3a9c';
// The server starts with an organizer key (a file only it reads, as in keha.conf).
const { keha, pages } = story('organizer-key');
const keyFile = path.join(keha.tmp, 'organizer-key');
fs.writeFileSync(keyFile, `${ORGANIZER_KEY}\n`, { mode: 0o600 });
keha.args.push('--organizer-key-file', keyFile);

async function fillNewMeeting(page, base, title) {
  await page.goto(`${base}/`);
  await page.locator('#create summary').click();
  await page.locator('#create-title').fill(title);
}

test('the form asks for the organizer key, refuses a wrong one and creates the meeting with the right one', async () => {
  const k = keha;
  const page = await pages.open('with-key');
  const sent = [];
  page.on('request', (r) => { if (r.url().includes('/api/')) sent.push({ url: r.url(), auth: r.headers().authorization || '' }); });
  await fillNewMeeting(page, k.base, 'Kehittämisen tiimi');
  assert.equal(await page.locator('#create-organizer').isHidden(), true, 'no key field before the server asks');
  await page.locator('#create-form button[type=submit]').click();
  await page.locator('#create-msg', { hasText: fi['web.create.organizer_key_needed'] }).waitFor();
  assert.equal(await page.locator('#create-organizer').isVisible(), true);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'create-organizer-key', 'focus goes to the key field');
  assert.equal(await page.locator('#create-organizer-key').getAttribute('type'), 'password');
  await shot(page, 'organizer-key-asked');

  await page.locator('#create-organizer-key').fill('not-the-key');
  await page.locator('#create-form button[type=submit]').click();
  await page.locator('#create-msg', { hasText: fi['web.create.organizer_key_wrong'] }).waitFor();
  assert.match(page.url(), /\/$/, 'still on the join page');

  await page.locator('#create-organizer-key').fill(ORGANIZER_KEY);
  await page.locator('#create-form button[type=submit]').click();
  await page.waitForURL(/\/r\/[A-Z0-9]{8}#/);
  const code = page.url().match(/\/r\/([A-Z0-9]{8})#/)[1];
  assert.ok(!page.url().includes(ORGANIZER_KEY), 'the organizer key is in no URL');
  assert.ok(sent.every((r) => !r.url.includes(ORGANIZER_KEY)), 'nor in any request URL');
  assert.ok(sent.some((r) => r.url.endsWith('/api/rooms') && r.auth === `Bearer ${ORGANIZER_KEY}`), 'it went in the Authorization header');
  const info = await (await fetch(`${k.base}/api/rooms/${code}`)).json();
  assert.equal(info.title, 'Kehittämisen tiimi');
});

test('a new process and its first meeting are made with the key, in the language the page shows', async () => {
  const k = keha;
  const page = await pages.open('process-key', { locale: 'en-GB' });
  await fillNewMeeting(page, k.base, 'Professionals 1');
  await page.locator('#create-process').selectOption('new');
  await page.locator('#create-process-teams').fill('Professionals\nLeaders');
  await page.locator('#create-form button[type=submit]').click();
  await page.locator('#create-msg', { hasText: en['web.create.organizer_key_needed'] }).waitFor();
  assert.equal(await page.locator('#create-organizer label span').textContent(), en['web.create.organizer_key']);
  await page.locator('#create-organizer-key').fill(ORGANIZER_KEY);
  await page.locator('#create-form button[type=submit]').click();
  await page.waitForURL(/\/r\/[A-Z0-9]{8}#.*pkey=/);
  const frag = new URLSearchParams(page.url().split('#')[1]);
  const code = page.url().match(/\/r\/([A-Z0-9]{8})#/)[1];
  const info = await (await fetch(`${k.base}/api/rooms/${code}`)).json();
  assert.equal(info.title, 'Professionals 1');
  assert.ok(frag.get('key') && frag.get('pkey'), 'the facilitator and process keys come in the fragment');
});

test('a server without an organizer key never asks for one', async () => {
  // The same server started again without the key (taken out of its configuration).
  const k = keha;
  // A page opening just then: its words (the catalog) were asked for before the server went
  // and get no answer. Once the server is back the page comes up, with no script error.
  const early = await pages.open('opening-at-restart');
  let serverGone = false;
  let letGo;
  const gone = new Promise((resolve) => { letGo = resolve; });
  let asked;
  const catalogAsked = new Promise((resolve) => { asked = resolve; });
  await early.route('**/i18n/*.json', async (route) => {
    if (!serverGone) { asked(); await gone; }
    await route.continue();
  });
  await early.goto(`${k.base}/`);
  await catalogAsked;
  await k.kill();
  serverGone = true;
  letGo();
  k.args = k.args.filter((a) => a !== '--organizer-key-file' && a !== keyFile);
  await k.start();
  await early.locator('#create summary', { hasText: fi['web.create.title'] }).waitFor();
  const page = await pages.open('open');
  await fillNewMeeting(page, k.base, 'Avoin palvelin');
  await page.locator('#create-form button[type=submit]').click();
  await page.waitForURL(/\/r\/[A-Z0-9]{8}#/);
});

test('no page errors', () => {
  assert.deepEqual(pages.errors, []);
});
