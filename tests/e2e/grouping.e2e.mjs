// Grouping cards and a timed vote sorted for the discussion (docs/protocol.md §8.5 "Grouping and
// voting"): the facilitator drags a card onto another and names the group; a timed vote runs
// with its counts hidden from everyone, the facilitator too; the server ends it on time; the
// board is sorted by votes in the browser, on a phone and on the wall.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, join, openAsFacilitator, openScreen, addItem, shot, catalog } from './support/harness.mjs';

const fi = catalog('fi');
const phone = { width: 390, height: 844 };
const { keha, pages, setUp } = story('grouping');
let room;
const p = {}; // f (facilitator), pirjo (participant, phone), lauri (participant), wall

const fill = (text, vars) => Object.entries(vars).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, String(v)), text);
// A card by its own text (the grouping list on every card names the others).
const card = (page, text) => page.locator('.vcol-hinders .item').filter({ has: page.locator('.item-text', { hasText: new RegExp(`^${text}$`) }) });
const texts = (page) => page.locator('.vcol-hinders .card-list > li:not(.group-head) .item-text').allTextContents();

setUp(async () => {
  room = await keha.createRoom({ title: 'MONNI-päivä' });
  p.f = await pages.open('f');
  await openAsFacilitator(p.f, keha.base, room);
  p.pirjo = await pages.open('pirjo', { viewport: phone });
  await join(p.pirjo, keha.base, room.code, 'Pirjo', 'professional');
  p.lauri = await pages.open('lauri');
  await join(p.lauri, keha.base, room.code, 'Lauri', 'leader');
  p.wall = await pages.open('wall', { viewport: { width: 1600, height: 900 } });
  await openScreen(p.wall, keha.base, room);
});

test('a card dragged onto another makes a named group that everyone sees', async () => {
  const { f, pirjo, wall } = p;
  await f.locator('#facil-phase').selectOption('vision');
  for (const text of ['Kiire', 'Tieto ei kulje', 'Ei aikaa tavata', 'Lounas puuttuu']) await addItem(f, 'vision', 'hinders', text);
  await card(pirjo, 'Lounas puuttuu').waitFor();

  await card(f, 'Ei aikaa tavata').dragTo(card(f, 'Kiire'));
  const head = f.locator('.vcol-hinders .group-head');
  await head.waitFor();
  await head.locator('.group-title', { hasText: fi['group.untitled'] }).waitFor();
  await head.locator('button.group-rename').click();
  await f.locator('.group-title-input').fill('Aika');
  await f.locator('.group-title-input').press('Enter');
  await head.locator('.group-title', { hasText: 'Aika' }).waitFor();

  // The phone and the wall show the group with its two cards, one after the other.
  for (const page of [pirjo, wall]) {
    await page.locator('.vcol-hinders .group-head .group-title', { hasText: 'Aika' }).waitFor();
    await page.locator('.vcol-hinders .group-count', { hasText: fill(fi['group.count.other'], { n: 2 }) }).waitFor();
    assert.deepEqual(await texts(page), ['Kiire', 'Ei aikaa tavata', 'Tieto ei kulje', 'Lounas puuttuu']);
    assert.equal(await page.locator('.vcol-hinders .item.in-group').count(), 2);
  }
  // Participants may not group here: no grouping controls on Pirjo's cards.
  assert.equal(await pirjo.locator('button.group-with, button.ungroup, button.group-rename').count(), 0);
});

test('a timed vote hides every count until the server ends it, then the board sorts by votes', async () => {
  const { f, pirjo, lauri, wall } = p;
  const bar = f.locator('#panel-vision .voting-bar');
  await bar.locator('.voting-limit').fill('2');
  await bar.locator('.voting-minutes').fill('0.1'); // six seconds
  await bar.locator('button.voting-start').click();
  await pirjo.locator('#panel-vision .voting-bar.running').waitFor();
  await wall.locator('.voting-bar.running .voting-time').waitFor();

  // Pirjo (on her phone) votes for the group and a card; she has no votes left.
  await pirjo.locator('.group-head button.group-vote').click();
  await pirjo.locator('.group-head button.group-vote[aria-pressed=true]').waitFor();
  await card(pirjo, 'Tieto ei kulje').locator('button.vote').click();
  await pirjo.locator('.voting-left', { hasText: fill(fi['voting.left.other'], { n: 0 }) }).waitFor();
  await card(lauri, 'Tieto ei kulje').locator('button.vote').click();
  await card(lauri, 'Tieto ei kulje').locator('button.vote[aria-pressed=true]').waitFor();
  await card(f, 'Lounas puuttuu').locator('button.vote').click();
  await card(f, 'Lounas puuttuu').locator('button.vote[aria-pressed=true]').waitFor();
  // Nobody sees a count while it runs: not the facilitator, not the wall.
  for (const page of [f, pirjo, lauri, wall]) {
    assert.equal(await page.locator('#panel-vision .vote-n, .vcol-hinders .votes, .group-votes, .s-board .vote-n').count(), 0);
  }
  await pirjo.locator('.voting-hidden', { hasText: fi['voting.hidden'] }).waitFor();
  for (const close of await pirjo.locator('#toasts .toast-close').all()) await close.click();
  await pirjo.locator('#panel-vision .voting-bar').scrollIntoViewIfNeeded();
  await shot(pirjo, 'grouping-phone-voting');
  await shot(wall, 'grouping-wall-voting');

  // The server ends the vote at its time; the counts arrive everywhere at once.
  await f.locator('#panel-vision .voting-ended', { hasText: fi['voting.ended'] }).waitFor({ timeout: 20000 });
  await card(f, 'Tieto ei kulje').locator('.vote-n', { hasText: '2' }).waitFor();
  await wall.locator('.group-votes', { hasText: fill(fi['voting.votes.one'], { n: 1 }) }).waitFor();

  // Sorted for the discussion: the most-voted first, in the browser, on the phone and on the wall.
  await f.locator('#panel-vision button.voting-sort').click();
  await f.locator('#panel-vision button.voting-sort[aria-pressed=true]').waitFor();
  for (const page of [f, pirjo, wall]) {
    await page.locator('.voting-sorted, button.voting-sort[aria-pressed=true]').first().waitFor();
    await page.waitForFunction(() => document.querySelector('.vcol-hinders .card-list > li:not(.group-head) .item-text')?.textContent === 'Tieto ei kulje');
    assert.deepEqual(await texts(page), ['Tieto ei kulje', 'Kiire', 'Ei aikaa tavata', 'Lounas puuttuu']);
  }
  await shot(wall, 'grouping-wall-sorted');
  await pirjo.locator('.vcol-hinders .group-head').scrollIntoViewIfNeeded();
  await shot(pirjo, 'grouping-phone-sorted');

  // The notes show the group and the order by votes.
  const notes = await (await fetch(`${keha.base}/api/rooms/${room.code}/export?format=md`, {
    headers: { Authorization: `Bearer ${room.facilitator_key}` },
  })).text();
  const at = (s) => notes.indexOf(s);
  assert.ok(at(`**${fi['group.notes_label']}**: Aika`) > 0, notes);
  assert.ok(at('Tieto ei kulje') < at('Aika (') && at('Aika (') < at('↳ Kiire') && at('↳ Kiire') < at('Lounas puuttuu'), notes);
});
