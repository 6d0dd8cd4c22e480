// axe-core on every page a person meets — the join page, the name step, the lobby, the
// participant's boards (all six), a reflecting team, the questionnaire, the facilitator's
// view and the projector — in Finnish, Swedish and English: no serious or critical
// violation; the moderate and minor ones are collected, and docs/accessibility.md must
// name each of them. The page's lang follows the language chosen.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { story, openAsFacilitator, openScreen, addItem, itemText, root, setSetting } from './support/harness.mjs';
import { axe, writeRemaining } from './support/a11y.mjs';

const { keha, pages } = story('accessibility');
const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
const phone = { width: 390, height: 844 };


// Each test gathers what axe finds on its pages and asserts at its end (all of it told at once).
let found = [];
async function check(page, where) {
  found.push(...await axe(page, where));
}
function noneFound() {
  const bad = found;
  found = [];
  assert.deepEqual(bad, [], `axe found serious or critical violations:\n${bad.join('\n')}`);
}

async function joinAs(page, code, name, group) {
  await page.goto(`${keha.base}/r/${code.toLowerCase()}`);
  await page.locator('#join-name').fill(name);
  await page.locator(`input[name=group][value=${group}]`).check();
  await page.locator('#join-form button[type=submit]').click();
}

async function showBoard(page, board) {
  await page.locator(`#tabs [role=tab][aria-controls=panel-${board}]`).click();
  await page.locator(`#panel-${board}`).waitFor({ state: 'visible' });
}

for (const [lang, locale] of Object.entries(LOCALES)) {
  test(`${lang}: the join page, the name step, the lobby, every board, the facilitator and the projector`, async () => {
    const room = await keha.createRoom({ title: `Saavutettavuus ${lang}`, language: lang });
    const join = await pages.open(`join-${lang}`, { locale, viewport: phone });
    await join.goto(`${keha.base}/`);
    await join.locator('#code-form h1').waitFor();
    assert.equal(await join.evaluate(() => document.documentElement.lang), lang);
    await check(join, `${lang} join page`);
    await join.locator('#create summary').click();
    await join.locator('#create-template option[value=default]').waitFor({ state: 'attached' });
    await check(join, `${lang} join page, new meeting open`);

    const p = await pages.open(`p-${lang}`, { locale });
    await p.goto(`${keha.base}/r/${room.code.toLowerCase()}`);
    await p.locator('#join-name').waitFor();
    await p.locator('#join-room-title', { hasText: room.code ? 'Saavutettavuus' : '' }).waitFor();
    assert.equal(await p.evaluate(() => document.documentElement.lang), lang);
    await check(p, `${lang} name step`);
    await p.locator('#join-name').fill('Aino');
    await p.locator('#join-form button[type=submit]').click();
    await p.locator('#conn.online').waitFor();

    const f = await pages.open(`f-${lang}`, { locale });
    await openAsFacilitator(f, keha.base, room);
    const s = await pages.open(`s-${lang}`, { locale, viewport: { width: 1920, height: 1080 } });
    await openScreen(s, keha.base, room);

    // The lobby: the facilitator lets newcomers in by hand.
    await setSetting(f, 'admit_joiners', true);
    const late = await pages.open(`late-${lang}`, { locale, viewport: phone });
    await joinAs(late, room.code, 'Bertil', 'leader');
    await late.locator('#lobby').waitFor({ state: 'visible' });
    await late.locator('#lobby-text:not(:empty)').waitFor();
    await check(late, `${lang} lobby`);
    await f.locator('#lobby-badge').waitFor({ state: 'visible' });
    await check(f, `${lang} facilitator, someone waiting`);
    await f.locator('.lobby-toast button.admit, #waiting .admit').first().click();
    await late.locator('#app').waitFor({ state: 'visible' });

    // Every board of the default template, with items: one's own, another's, a private one
    // of someone else (a placeholder), a vote.
    for (const [phase, board, column] of [['timeline', 'timeline', 'event'], ['vision', 'vision', 'hinders'], ['plan', 'plan', 'action'], ['reflection', 'reflections', 'reflection']]) {
      await f.locator('#facil-phase').selectOption(phase);
      await p.locator(`#panel-${board}`).waitFor({ state: 'visible' });
      await addItem(p, board, column, `Ainon ${board}`, board === 'timeline' ? { when: '2024-09', sector: 'koulu' } : board === 'plan' ? { who: 'Aino', due: '5/2025' } : {});
      await addItem(f, board, column, `Ohjaajan yksityinen ${board}`, { hidden: true });
      await addItem(late, board, column, `Bertilin ${board}`);
      await itemText(p, `Bertilin ${board}`).waitFor();
      await p.locator(`#panel-${board} .secret`).first().waitFor();
      await p.locator(`#panel-${board} [data-id]`, { hasText: `Bertilin ${board}` }).locator('button.vote').click();
      await p.locator(`#panel-${board} [data-id]`, { hasText: `Bertilin ${board}` }).locator('button.vote[aria-pressed=true]').waitFor();
      await check(p, `${lang} participant, ${board}`);
      await check(late, `${lang} participant on a phone, ${board}`);
      await check(f, `${lang} facilitator, ${board}`);
      await itemText(s, `Ainon ${board}`).waitFor();
      await check(s, `${lang} projector, ${board}`);
    }
    // The hypotheses and commitments come in other templates.
    for (const [template, board, column] of [['systemic-team', 'hypotheses', 'hypothesis'], ['cross-reflection', 'commitments', 'commitment']]) {
      const other = await keha.createRoom({ title: `${template} ${lang}`, language: lang, template });
      const q = await pages.open(`q-${template}-${lang}`, { locale });
      await joinAs(q, other.code, 'Aino', 'expert');
      await q.locator('#conn.online').waitFor();
      await showBoard(q, board);
      await addItem(q, board, column, `Ainon ${board}`, board === 'commitments' ? { who: 'Aino', organisation: 'Koulu' } : {});
      await itemText(q, `Ainon ${board}`).first().waitFor();
      await check(q, `${lang} participant, ${board}`);
      await q.context().close();
    }
    for (const page of [join, p, f, s, late]) await page.context().close();
    noneFound();
  });

  test(`${lang}: a reflecting team and the closing questionnaire`, async () => {
    const room = await keha.createRoom({ title: `Reflektio ${lang}`, language: lang });
    const f = await pages.open(`rf-${lang}`, { locale });
    await openAsFacilitator(f, keha.base, room);
    const s = await pages.open(`rs-${lang}`, { locale, viewport: { width: 1920, height: 1080 } });
    await openScreen(s, keha.base, room);
    const a = await pages.open(`ra-${lang}`, { locale, viewport: phone });
    await joinAs(a, room.code, 'Aino', 'expert');
    const b = await pages.open(`rb-${lang}`, { locale });
    await joinAs(b, room.code, 'Bertil', 'professional');
    await b.locator('#conn.online').waitFor();
    await f.locator('#people .person', { hasText: 'Aino' }).waitFor();

    await f.locator('#facil-phase').selectOption('reflection');
    await a.locator('#panel-reflections').waitFor({ state: 'visible' });
    await f.locator('.rt-focus .rt-group-professional').check();
    await f.locator('.rt-reflect .rt-group-expert').check();
    await f.locator('#turns-reflecting').click();
    await b.locator('#turn-banner.speaking').waitFor();
    await a.locator('#turn-banner.listening').waitFor();
    await s.locator('#s-turns .turn-group.listening', { hasText: 'Aino' }).waitFor();
    await addItem(a, 'reflections', 'reflection', 'Ainon muistiinpano kuunnellessa');
    await a.locator('#panel-reflections .item.is-hidden').waitFor();
    await check(a, `${lang} participant on a phone, reflecting team (listening)`);
    await check(b, `${lang} participant, reflecting team`);
    await check(f, `${lang} facilitator, reflecting team`);
    await check(s, `${lang} projector, reflecting team`);
    await f.locator('#turns-next').click();
    await a.locator('#turn-banner.speaking').waitFor();
    await check(a, `${lang} participant on a phone, reflecting team (speaking)`);
    await f.locator('#turns-end').click();

    await f.locator('#ratings-open').click();
    for (const page of [a, b]) await page.locator('#ratings .ratings-form').waitFor();
    await check(a, `${lang} questionnaire on a phone`);
    // Three answers (the facilitator's too): the results show their distributions.
    await f.locator('#ratings .ratings-form').waitFor();
    for (const page of [a, b, f]) {
      const form = page.locator('#ratings .ratings-form');
      for (const set of await form.locator('fieldset.rq').all()) await set.locator('label', { hasText: /^8$/ }).click();
      await form.locator('#ratings-submit').click();
      await page.locator('#ratings .ratings-thanks').waitFor();
    }
    await check(b, `${lang} questionnaire answered`);
    await check(s, `${lang} projector, questionnaire`);
    await f.locator('#ratings-close').click();
    await a.locator('#ratings .ratings-results .dist').first().waitFor();
    await s.locator('#s-ratings .ratings-results .dist').first().waitFor();
    // The bars are hidden from a screen reader; the counts are there as text.
    assert.equal(await a.locator('#ratings .dist').first().getAttribute('aria-hidden'), 'true');
    assert.ok((await a.locator('#ratings .rq-dist-text').first().textContent()).endsWith(' 8: 3'),
      await a.locator('#ratings .rq-dist-text').first().textContent());
    await check(a, `${lang} questionnaire results on a phone`);
    await check(f, `${lang} facilitator, questionnaire results`);
    await check(s, `${lang} projector, questionnaire results`);
    for (const page of [f, s, a, b]) await page.context().close();
    noneFound();
  });
}

test('the accessibility statement names every moderate and minor finding left', () => {
  const lines = writeRemaining('accessibility');
  const statement = fs.readFileSync(path.join(root, 'docs/accessibility.md'), 'utf8');
  const missing = lines.map((l) => l.split(' ')[0]).filter((id) => !statement.includes(`\`${id}\``));
  assert.deepEqual(missing, [], `docs/accessibility.md does not name:\n${lines.join('\n')}`);
});

test('no script errors on any page', () => {
  assert.deepEqual(pages.errors, []);
});
