// Quick polls in the browser: the MONNI professionals' opening word cloud launched from the
// template's prepared list, answered on a laptop and a phone, shown on the wall only once three
// answers are in (sizes by count, readable at full HD); a choice poll from the short form whose
// results the facilitator reveals; the phone view fits its width.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, catalog, shot, join, openAsFacilitator, openScreen } from './support/harness.mjs';

const fi = catalog('fi');
const { keha, pages, setUp } = story('polls');
let room;
let f; let a; let b; let p; let s;

setUp(async () => {
  room = await keha.createRoom({ title: 'MONNI-ammattilaiset – Tampere', template: 'monni-professionals', language: 'fi' });
  f = await pages.open('f', { viewport: { width: 1440, height: 900 } });
  await openAsFacilitator(f, keha.base, room);
  a = await pages.open('a');
  await join(a, keha.base, room.code, 'Aino', 'professional');
  b = await pages.open('b');
  await join(b, keha.base, room.code, 'Bertil', 'professional');
  p = await pages.open('p', { viewport: { width: 390, height: 844 } });
  await join(p, keha.base, room.code, 'Pirjo', 'professional');
  s = await pages.open('s', { viewport: { width: 1920, height: 1080 } });
  await openScreen(s, keha.base, room);
});

async function answerWords(page, words) {
  const form = page.locator('#polls .poll-form');
  await form.waitFor();
  const inputs = form.locator('.poll-word-input');
  for (let i = 0; i < words.length; i++) await inputs.nth(i).fill(words[i]);
  await form.locator('.poll-submit').click();
  await page.locator('#polls .poll-thanks').waitFor();
}

test('the opening word cloud: prepared in the template, on the wall once three have answered', async () => {
  const launch = f.locator('.poll-open-prepared[data-prepared=t1]');
  await launch.waitFor();
  await launch.click();
  await s.locator('#s-poll .s-poll-question').waitFor();
  assert.match(await s.locator('#s-poll .s-poll-question').textContent(), /toivot/);
  await answerWords(a, ['Yhteinen kieli', 'kiire']);
  await answerWords(p, ['KIIRE', 'Luottamus']);
  // Two answers: the wall counts them but shows no word — nothing can be tied to who answered.
  await s.locator('#s-poll .s-poll-count', { hasText: fi['poll.answered.other'].replace('{n}', '2') }).waitFor();
  assert.equal(await s.locator('#s-poll .poll-word').count(), 0);
  assert.equal(await f.locator('#polls .poll-word').count(), 0);
  await answerWords(b, ['kiire', 'Ääni kuuluviin', 'toivo']);
  await s.locator('#s-poll .poll-word').first().waitFor();
  const words = await s.locator('#s-poll .poll-word').allTextContents();
  assert.deepEqual(new Set(words), new Set(['kiire', 'yhteinen kieli', 'luottamus', 'ääni kuuluviin', 'toivo']));
  // The most given word is first and largest.
  assert.equal(words[0], 'kiire');
  const size = async (w) => s.locator('#s-poll .poll-word', { hasText: w }).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  assert.ok(await size('kiire') > await size('toivo') * 1.5, 'the most given word is drawn much larger');
  // Readable from the back of the room: at full HD even the least given word is ≥ 30 px.
  assert.ok(await size('toivo') >= 30, `the smallest word is ${await size('toivo')} px`);
  await p.locator('#polls .poll-word', { hasText: 'kiire' }).waitFor();
  await shot(s, 'poll-word-cloud-wall');
  await shot(p, 'poll-word-cloud-phone');
  const overflow = await p.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the phone page scrolls sideways by ${overflow} px`);
});

test('a choice from the short form, revealed by the facilitator', async () => {
  await f.locator('#poll-new').click();
  await f.locator('#poll-kind').selectOption('choice');
  await f.locator('#poll-question').fill('Mikä auttoi eniten?');
  await f.locator('#poll-options').fill('Aikajana\nParikeskustelu\nTauko');
  await f.locator('#poll-show').selectOption('reveal');
  await f.locator('#poll-launch').click();
  const card = (page) => page.locator('#polls .poll', { hasText: 'Mikä auttoi eniten?' });
  for (const [page, choice] of [[a, 'Parikeskustelu'], [b, 'Parikeskustelu'], [p, 'Aikajana']]) {
    await card(page).locator('.poll-option', { hasText: choice }).click();
    await card(page).locator('.poll-submit').click();
    await card(page).locator('.poll-thanks').waitFor();
  }
  // The facilitator sees the results as they come; the others only after the reveal.
  await card(f).locator('.poll-bar[data-count="2"]').waitFor();
  assert.equal(await card(a).locator('.poll-bar').count(), 0);
  await card(a).locator('.poll-waiting', { hasText: fi['poll.hidden'] }).waitFor();
  await card(f).locator('.poll-reveal').click();
  await card(a).locator('.poll-bar[data-count="2"]', { hasText: 'Parikeskustelu' }).waitFor();
  await s.locator('#s-poll .poll-bar[data-count="2"]', { hasText: 'Parikeskustelu' }).waitFor();
  await shot(s, 'poll-choice-wall');
  // Closed and taken off the wall: the board comes back.
  await card(f).locator('.poll-close').click();
  // Closed first (its close button goes, and the row's buttons move): then off the wall.
  await card(f).locator('.poll-close').waitFor({ state: 'detached' });
  await card(f).locator('.poll-reveal', { hasText: fi['poll.unreveal'] }).click();
  await s.locator('#s-poll .s-poll-question', { hasText: 'toivot' }).waitFor();
  await shot(f, 'poll-facilitator');
});

// One main area on the wall: a spotlight over the poll on the wall, the poll over an open Q&A;
// each comes back when the one above it goes.
test('the wall gives its main area to a spotlight, then a poll, then a Q&A, and back', async () => {
  const wordCloud = f.locator('#polls .poll', { hasText: 'toivot' });
  await wordCloud.locator('.poll-close').click();
  await wordCloud.locator('.poll-close').waitFor({ state: 'detached' });
  await wordCloud.locator('.poll-reveal', { hasText: fi['poll.unreveal'] }).click();
  await s.locator('#s-poll').waitFor({ state: 'hidden' });
  await f.locator('#qa-new-title').fill('Kysymyksiä iltapäivään');
  await f.locator('#qa-open').click();
  const wallQa = s.locator('#s-qa .s-qa-title', { hasText: 'Kysymyksiä iltapäivään' });
  await wallQa.waitFor();
  await f.locator('#poll-new').click();
  await f.locator('#poll-kind').selectOption('scale');
  await f.locator('#poll-question').fill('Kuinka hyvin tulit kuulluksi?');
  await f.locator('#poll-launch').click();
  const wallPoll = s.locator('#s-poll .s-poll-question', { hasText: 'kuulluksi' });
  await wallPoll.waitFor();
  assert.equal(await wallQa.isVisible(), false, 'the Q&A stays under the poll');
  await f.locator('#tab-timeline').click();
  await f.locator('#spotlight-board').click();
  await s.locator('#s-spotlight').waitFor({ state: 'visible' });
  await wallPoll.waitFor({ state: 'hidden' });
  assert.equal(await wallQa.isVisible(), false);
  await f.locator('#spotlight-release').click();
  await wallPoll.waitFor({ state: 'visible' });
  const scale = f.locator('#polls .poll', { hasText: 'kuulluksi' });
  // Closed, and never put on the wall by hand: it leaves the wall at once.
  await scale.locator('.poll-close').click();
  await wallQa.waitFor({ state: 'visible' });
  await wallPoll.waitFor({ state: 'hidden' });
});

// The notes the facilitator exports carry each poll run with its results: the word cloud's
// words with their counts, most given first (docs/protocol.md §10.1).
test('the exported notes list the polls with their results', async () => {
  const res = await fetch(`${keha.base}/api/rooms/${room.code}/export?format=md`, { headers: { Authorization: `Bearer ${room.facilitator_key}` } });
  assert.equal(res.status, 200);
  const md = await res.text();
  const polls = md.slice(md.indexOf(`## ${fi['poll.notes.title']}`));
  assert.ok(polls.length < md.length, 'the notes have no quick polls section');
  assert.match(polls, /\| kiire \| 3 \|/);
  assert.ok(polls.indexOf('| kiire | 3 |') < polls.indexOf('| toivo | 1 |'), 'the most given word is not first');
  assert.match(polls, /\| Parikeskustelu \| 2 \|/);
  // The server is still there for the next request.
  assert.equal((await fetch(`${keha.base}/healthz`)).status, 200);
});

test('no script errors and no dialogs on any page', () => {
  assert.deepEqual(pages.errors, []);
});
