// A person's own votes while the facilitator keeps the counts back: the participant (on a
// phone) sees which items she voted for and how many votes she has left, never the others'
// votes, and takes a vote back only with a button that says so.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, join, openAsFacilitator, addItem, shot, catalog } from './support/harness.mjs';

const fi = catalog('fi');
const phone = { width: 390, height: 844 };
const { keha, pages, setUp } = story('own_votes');
let room;
const p = {}; // f (facilitator), pirjo (participant, phone), lauri (participant)

const fill = (text, vars) => Object.entries(vars).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, String(v)), text);
const item = (page, text) => page.locator('.vcol-hinders .item', { hasText: text });

setUp(async () => {
  room = await keha.createRoom({ title: 'Ammattilaisten tiimi' });
  p.f = await pages.open('f');
  await openAsFacilitator(p.f, keha.base, room);
  p.pirjo = await pages.open('pirjo', { viewport: phone });
  await join(p.pirjo, keha.base, room.code, 'Pirjo', 'professional');
  p.lauri = await pages.open('lauri');
  await join(p.lauri, keha.base, room.code, 'Lauri', 'leader');
});

test('with counts kept back, a participant sees her own vote and the votes she has left', async () => {
  const { f, pirjo, lauri } = p;
  await f.locator('#facil-phase').selectOption('vision');
  await f.locator('#setting-votes_visible').uncheck();
  await f.locator('#setting-votes_visible:not(:checked)').waitFor();
  await f.locator('#setting-vote_limit').fill('2');
  await f.locator('#setting-vote_limit').press('Tab');
  for (const text of ['Kiire', 'Tieto ei kulje']) await addItem(f, 'vision', 'hinders', text);
  await item(pirjo, 'Tieto ei kulje').waitFor();
  const left = pirjo.locator('#votes-left');
  await left.filter({ hasText: fill(fi['web.votes.left'], { left: 2, limit: 2 }) }).waitFor();

  // Lauri votes for both; Pirjo sees nothing of it.
  for (const text of ['Kiire', 'Tieto ei kulje']) {
    await item(lauri, text).locator('button.vote').click();
    await item(lauri, text).locator('button.vote[aria-pressed=true]').waitFor();
  }
  await f.locator('.vcol-hinders .item', { hasText: 'Tieto ei kulje' }).locator('.vote-n', { hasText: '1' }).waitFor();
  assert.equal(await item(pirjo, 'Kiire').locator('button.vote').getAttribute('aria-pressed'), 'false');
  assert.equal(await pirjo.locator('.vote-n, .own-votes').count(), 0, 'no counts and no own votes yet');

  // Pirjo votes: her vote shows on the item, and one vote is left.
  await item(pirjo, 'Kiire').locator('button.vote').click();
  const mine = item(pirjo, 'Kiire');
  await mine.locator('button.vote[aria-pressed=true]').waitFor();
  await mine.locator('.own-votes', { hasText: fill(fi['web.item.your_votes.one'], { n: 1 }) }).waitFor();
  await left.filter({ hasText: fill(fi['web.votes.left'], { left: 1, limit: 2 }) }).waitFor();
  // Taking it back is a button that says so, visibly and to a screen reader.
  const takeBack = mine.locator('button.vote.voted');
  // It says so in words, and its accessible name is what it shows (WCAG 2.5.3).
  assert.equal(await takeBack.locator('.vote-take-back').textContent(), fi['web.item.unvote']);
  assert.equal(await takeBack.getAttribute('aria-label'), null);
  assert.ok((await takeBack.textContent()).includes(fi['web.item.unvote']));
  // Still no one else's votes, and no counts.
  assert.equal(await pirjo.locator('.vote-n').count(), 0);
  assert.equal(await item(pirjo, 'Tieto ei kulje').locator('.own-votes').count(), 0);
  assert.equal(await item(pirjo, 'Tieto ei kulje').locator('button.vote').getAttribute('aria-pressed'), 'false');
  // The notices closed (each has a close button), so the screenshot shows the board.
  for (const close of await pirjo.locator('#toasts .toast-close').all()) await close.click();
  await pirjo.locator('#toasts .toast').first().waitFor({ state: 'detached' });
  await mine.scrollIntoViewIfNeeded();
  await shot(pirjo, 'participant-own-votes');

  // After a reload (a fresh welcome) her vote is still hers to see.
  await pirjo.reload();
  await item(pirjo, 'Kiire').locator('.own-votes').waitFor();
  await left.filter({ hasText: fill(fi['web.votes.left'], { left: 1, limit: 2 }) }).waitFor();

  // She takes it back: the vote is gone and the votes left go up again.
  await item(pirjo, 'Kiire').locator('button.vote.voted').click();
  await item(pirjo, 'Kiire').locator('button.vote[aria-pressed=false]').waitFor();
  await left.filter({ hasText: fill(fi['web.votes.left'], { left: 2, limit: 2 }) }).waitFor();
  assert.equal(await item(pirjo, 'Kiire').locator('.own-votes').count(), 0);
  await f.locator('.vcol-hinders .item', { hasText: 'Kiire' }).locator('.vote-n', { hasText: '1' }).waitFor();
});

test('without a limit the votes given are shown; with counts shown the count and her own vote both', async () => {
  const { f, pirjo } = p;
  await f.locator('#setting-vote_limit').fill('0');
  await f.locator('#setting-vote_limit').press('Tab');
  const left = pirjo.locator('#votes-left');
  await left.waitFor({ state: 'hidden' });
  await item(pirjo, 'Tieto ei kulje').locator('button.vote').click();
  await left.filter({ hasText: fill(fi['web.votes.given.one'], { n: 1 }) }).waitFor();
  await f.locator('#setting-votes_visible').check();
  const voted = item(pirjo, 'Tieto ei kulje');
  await voted.locator('.vote-n', { hasText: '2' }).waitFor();
  await voted.locator('.own-votes', { hasText: fill(fi['web.item.your_votes.one'], { n: 1 }) }).waitFor();
});

test('no script errors or dialogs on any page', () => {
  assert.deepEqual(pages.errors, []);
});
