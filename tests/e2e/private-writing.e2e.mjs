// Private writing for a phase, in the browser (docs/protocol.md §8.3, "Private writing"): the
// MONNI professionals' timeline is written privately. Entering the phase makes the board
// private on every page and the wall; what each person writes reaches only them and the
// facilitator — the others and the wall see how many notes each person has written, never the
// words (and no names while the room hides them); one reveal brings every note to everyone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { story, join, openAsFacilitator, openScreen, addItem, itemText, shot, catalog } from './support/harness.mjs';

const fi = catalog('fi');
const phone = { width: 390, height: 844 };
const { keha, pages, setUp } = story('private-writing');
let room;
const p = {}; // f facilitator, s wall, pirjo, leena, nea (a phone)
const received = { leena: [], s: [] };
const kept = 'Oma muistiinpano, jonka pidän itselläni';
const words = ['Lähete nuorisopsykiatrialle syksyllä', 'Koulu otti yhteyttä lastensuojeluun', 'Minulta ei kysytty mitään'];

function listenTo(page, into) {
  page.on('websocket', (ws) => ws.on('framereceived', (f) => into.push(String(f.payload))));
}

const counts = (page, root) => page.locator(`${root} .writing-count`);

setUp(async () => {
  room = await keha.createRoom({ title: 'Ammattilaisten kehittämisen tiimi', template: 'monni-professionals' });
  p.f = await pages.open('f');
  await openAsFacilitator(p.f, keha.base, room);
  p.s = await pages.open('s', { viewport: { width: 1920, height: 1080 } });
  listenTo(p.s, received.s);
  await openScreen(p.s, keha.base, room);
  p.pirjo = await pages.open('pirjo');
  await join(p.pirjo, keha.base, room.code, 'Pirjo', 'professional');
  p.leena = await pages.open('leena');
  listenTo(p.leena, received.leena);
  await join(p.leena, keha.base, room.code, 'Leena', 'leader');
  p.nea = await pages.open('nea', { viewport: phone });
  await join(p.nea, keha.base, room.code, 'Nea', 'expert');
  for (const name of ['Pirjo', 'Leena', 'Nea']) await p.f.locator('#people .person', { hasText: name }).waitFor();
});

test('the timeline phase starts private writing on every page and on the wall', async () => {
  const { f, s, pirjo, nea } = p;
  await f.locator('#facil-phase').selectOption('timeline');
  for (const page of [f, pirjo, nea]) await page.locator('#writing-box .writing-panel').waitFor();
  await s.locator('#s-writing .writing-panel').waitFor();
  await s.locator('#s-writing .writing-total', { hasText: fi['writing.none'] }).waitFor();
  // The add form says what happens to the note; its private box still means "keep it to myself".
  const form = pirjo.locator('#panel-timeline form.add-form[data-column=event]');
  await form.locator('.listen-note', { hasText: fi['writing.add_note'] }).waitFor();
  assert.equal(await form.locator('.f-hidden').isChecked(), false);
  assert.equal(await form.locator('.f-hidden').isDisabled(), false);
  // Only the facilitator has the reveal.
  await f.locator('#writing-reveal').waitFor();
  assert.equal(await pirjo.locator('#writing-reveal').count(), 0);
});

test('each note reaches its author and the facilitator; the room and the wall see only how many each wrote', async () => {
  const { f, s, pirjo, leena, nea } = p;
  await addItem(pirjo, 'timeline', 'event', words[0], { when: '2021-09' });
  await addItem(pirjo, 'timeline', 'event', words[1]);
  await addItem(nea, 'timeline', 'event', words[2]);
  // Kept to herself by choice: not counted, and not revealed with the others.
  await addItem(nea, 'timeline', 'event', kept, { hidden: true });
  await itemText(pirjo, words[1]).waitFor();
  await itemText(nea, words[2]).waitFor();
  await itemText(f, words[2]).waitFor();
  await counts(s, '#s-writing').filter({ hasText: 'Pirjo' }).locator('.writing-dots', { hasText: '●●' }).waitFor();
  await counts(s, '#s-writing').filter({ hasText: 'Nea' }).waitFor();
  await s.locator('#s-writing .writing-total', { hasText: '3 muistiinpanoa' }).waitFor();
  await counts(leena, '#writing-box').filter({ hasText: 'Pirjo' }).waitFor();
  // An author's own reveal waits for everyone's.
  const reveal = pirjo.locator('.item', { hasText: words[0] }).locator('button.reveal');
  assert.equal(await reveal.isDisabled(), true);
  await s.locator('#s-boards .secret-text', { hasText: fi['writing.secret'] }).first().waitFor();
  await shot(s, 'wall-private-writing');
  await nea.locator('#writing-box').scrollIntoViewIfNeeded();
  await nea.evaluate(() => window.scrollBy(0, -60));
  await shot(nea, 'phone-private-writing');
  await shot(f, 'facilitator-private-writing');
  for (const frame of [...received.leena, ...received.s]) {
    for (const w of [...words, kept]) assert.ok(!frame.includes(w), `a note's words reached another page before the reveal: ${frame.slice(0, 200)}`);
  }
});

test('with names hidden the wall counts the notes without names', async () => {
  const { f, s } = p;
  await f.locator('#setting-hide_names').check();
  await s.locator('#s-writing .writing-count .writing-n').first().waitFor();
  assert.equal(await s.locator('#s-writing .writing-who').count(), 0);
  assert.equal(await s.locator('#s-writing', { hasText: 'Pirjo' }).count(), 0);
  await shot(s, 'wall-private-writing-no-names');
  await f.locator('#setting-hide_names').uncheck();
  await s.locator('#s-writing .writing-who', { hasText: 'Pirjo' }).waitFor();
});

test('the notes downloaded before the reveal leave the private notes out, and the facilitator is told first', async () => {
  const { f } = p;
  await f.locator('#export-md').click();
  const warning = f.locator('#pic-warning');
  await warning.waitFor({ state: 'visible' });
  await warning.locator('.unrevealed-board[data-board=timeline]', { hasText: '3' }).waitFor();
  assert.ok((await warning.textContent()).includes(fi['writing.export_title']));
  await warning.scrollIntoViewIfNeeded();
  await shot(f, 'facilitator-unrevealed-warning');
  // Going back downloads nothing: the facilitator can reveal first.
  let downloaded = false;
  const onDownload = () => { downloaded = true; };
  f.on('download', onDownload);
  await f.locator('#unrevealed-back').click();
  await warning.waitFor({ state: 'hidden' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  f.off('download', onDownload);
  assert.equal(downloaded, false, 'going back downloads nothing');
  // Downloaded anyway: the notes say what they leave out, and hold none of its words.
  await f.locator('#export-md').click();
  const [md] = await Promise.all([f.waitForEvent('download'), f.locator('#unrevealed-anyway').click()]);
  const text = fs.readFileSync(await md.path(), 'utf8');
  assert.ok(text.includes(fi['writing.notes_unrevealed.other'].replace('{board}', fi['board.timeline']).replace('{n}', '3')), text.slice(0, 600));
  for (const w of words) assert.ok(!text.includes(w), `a note not revealed is in the notes: ${w}`);
});

test('one reveal shows every note to everyone at once and ends private writing', async () => {
  const { f, s, pirjo, leena, nea } = p;
  await f.locator('#writing-reveal', { hasText: '3' }).click();
  for (const page of [leena, s, nea, pirjo]) for (const w of words) await itemText(page, w).waitFor();
  await itemText(nea, kept).waitFor();
  assert.equal(await itemText(leena, kept).count(), 0);
  assert.equal(await itemText(s, kept).count(), 0);
  await s.locator('#s-writing').waitFor({ state: 'hidden' });
  await leena.locator('#writing-box').waitFor({ state: 'hidden' });
  await f.locator('#writing-start').waitFor();
  // Written now, everyone reads it at once.
  const form = leena.locator('#panel-timeline form.add-form[data-column=event]');
  assert.equal(await form.locator('.f-hidden').isDisabled(), false);
  await addItem(leena, 'timeline', 'event', 'Yhteinen palaveri helmikuussa');
  await itemText(s, 'Yhteinen palaveri helmikuussa').waitFor();
  await shot(s, 'wall-after-reveal');
  // Revealed, the notes download at once and hold every note.
  const [md] = await Promise.all([f.waitForEvent('download'), f.locator('#export-md').click()]);
  const text = fs.readFileSync(await md.path(), 'utf8');
  for (const w of words) assert.ok(text.includes(w), `a revealed note is missing from the notes: ${w}`);
  assert.ok(await f.locator('#pic-warning').isHidden());
  assert.deepEqual(pages.errors, []);
});
