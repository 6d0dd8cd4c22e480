// The facilitator takes the notes home: Markdown, HTML and JSON downloads; a warning that
// names where a Finnish personal identity code is before anything is downloaded (back, or
// download anyway); and the history — the boards as they stood earlier, read-only, with the
// notes as of that moment.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { story, sleep, catalog, shot, addItem, facilitatorDo, identityCode } from './support/harness.mjs';
import { planMeeting } from './support/meeting.mjs';

const fi = catalog('fi');
const { keha, pages: harness, setUp } = story('notes-export');
let base = '';
let room = null;
let pages = {}; // a, b (participants), f (facilitator), s (screen), on the plan board

const facilDo = (page, code, key, cmd, args) => facilitatorDo(page, keha.port, code, key, cmd, args);

setUp(async () => {
  base = keha.base;
  room = await keha.createRoom({ title: 'Kehittämisen tiimi – Hämeenlinna', language: 'fi' });
  pages = await planMeeting(harness, base, room);
  // What the notes hold: the plan the meeting agreed on.
  await addItem(pages.b, 'plan', 'action', 'Verkostotapaaminen koululla kerran kuukaudessa', { who: 'Bertil', with: 'koulukuraattori, perhe', due: '2026-01', status: 'agreed' });
  await pages.f.locator('.plan-row', { hasText: 'Verkostotapaaminen koululla' }).waitFor();
});

test('the facilitator downloads the notes', async () => {
  const { f } = pages;
  const [md] = await Promise.all([f.waitForEvent('download'), f.locator('#export-md').click()]);
  const text = fs.readFileSync(await md.path(), 'utf8');
  assert.match(text, /Verkostotapaaminen koululla/);
  assert.match(md.suggestedFilename(), /\.md$/);
  const [html] = await Promise.all([f.waitForEvent('download'), f.locator('#export-html').click()]);
  assert.match(fs.readFileSync(await html.path(), 'utf8'), /<html/i);
  const [json] = await Promise.all([f.waitForEvent('download'), f.locator('#export-json').click()]);
  assert.equal(JSON.parse(fs.readFileSync(await json.path(), 'utf8')).format, 'keha-notes');
  assert.ok(await f.locator('#pic-warning').isHidden(), 'ordinary text: no identity-code warning');
});

let picSeq = 0;
let picId = '';
test('before the notes download, an identity code is shown where it is; the facilitator goes back or downloads anyway', async () => {
  const { f } = pages;
  assert.ok(await f.locator('#pic-warning').isHidden(), 'ordinary text gives no warning');
  const pic = identityCode('131052', '308');
  const added = await facilDo(f, room.code, room.facilitator_key, 'item.add',
    { board: 'timeline', column: 'event', text: `Asiakkaan ${pic} tilanne puheeksi`, when: '2025-02' });
  assert.ok(added.seq > 0);
  picSeq = added.seq;
  picId = `i${added.seq}`;
  await f.locator('#export-md').click();
  const warning = f.locator('#pic-warning');
  await warning.waitFor({ state: 'visible' });
  await warning.locator('.pic-place', { hasText: fi['board.timeline'] }).waitFor();
  await warning.locator('.pic-place', { hasText: 'tilanne puheeksi' }).waitFor();
  assert.ok(!(await warning.textContent()).includes(pic), 'the code itself is not repeated');
  await f.locator('#pic-warning').scrollIntoViewIfNeeded();
  await shot(f, 'facilitator-pic-warning');
  let downloaded = false;
  const onDownload = () => { downloaded = true; };
  f.on('download', onDownload);
  await f.locator('#pic-back').click();
  await warning.waitFor({ state: 'hidden' });
  await sleep(300);
  f.off('download', onDownload);
  assert.equal(downloaded, false, 'going back downloads nothing');
  await f.locator('#notes-names').selectOption('initials');
  await f.locator('#export-md').click();
  await warning.waitFor({ state: 'visible' });
  const [md] = await Promise.all([f.waitForEvent('download'), f.locator('#pic-anyway').click()]);
  assert.match(fs.readFileSync(await md.path(), 'utf8'), /tilanne puheeksi/);
  await f.locator('#notes-names').selectOption('auto');
});

test('history: the boards as they stood earlier, read-only, and the notes as of that moment', async () => {
  const { f } = pages;
  await f.locator('#history-open').click();
  const hist = f.locator('#history');
  await hist.waitFor({ state: 'visible' });
  await hist.locator('.item-text', { hasText: 'tilanne puheeksi' }).waitFor();
  assert.ok(await f.locator('.layout').isHidden());
  const list = await (await fetch(`${base}/api/rooms/${room.code}/history`, { headers: { Authorization: `Bearer ${room.facilitator_key}` } })).json();
  const index = [0, ...list.ops.map((op) => op.seq)].indexOf(picSeq - 1);
  assert.ok(index > 0);
  await f.locator('#history-slider').fill(String(index));
  await f.locator(`#history[data-seq="${picSeq - 1}"]`).waitFor();
  await hist.locator('#history-asof', { hasText: /klo \d{1,2}[.:]\d{2}/ }).waitFor();
  await hist.locator('.item-text', { hasText: 'Verkostotapaaminen koululla' }).first().waitFor();
  assert.equal(await hist.locator('.item-text', { hasText: 'tilanne puheeksi' }).count(), 0, 'not yet there at that moment');
  assert.equal(await hist.locator('.add-form, button.edit, button.delete, button.vote').count(), 0, 'read-only');
  await shot(f, 'facilitator-history');
  const [then] = await Promise.all([f.waitForEvent('download'), f.locator('#history-notes-md').click()]);
  const thenText = fs.readFileSync(await then.path(), 'utf8');
  assert.ok(await f.locator('#pic-warning').isHidden(), 'no identity code at that moment');
  assert.match(thenText, /Verkostotapaaminen koululla/);
  assert.doesNotMatch(thenText, /tilanne puheeksi/);
  await f.locator('#history-later').click();
  await f.locator(`#history[data-seq="${picSeq}"]`).waitFor();
  await hist.locator('.item-text', { hasText: 'tilanne puheeksi' }).waitFor();
  await f.locator('#history-close').click();
  await f.locator('.layout').waitFor({ state: 'visible' });
  // The current notes differ (they have the later item); then the item goes.
  const now = await (await fetch(`${base}/api/rooms/${room.code}/export?format=md`, { headers: { Authorization: `Bearer ${room.facilitator_key}` } })).text();
  assert.notEqual(now, thenText);
  assert.match(now, /tilanne puheeksi/);
  const del = await facilDo(f, room.code, room.facilitator_key, 'item.delete', { board: 'timeline', id: picId });
  assert.ok(del.seq > picSeq, JSON.stringify(del));
});

test('no script errors and no dialogs on any page', () => {
  assert.deepEqual(harness.errors, []);
});
