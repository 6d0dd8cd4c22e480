// Spotlight in the browser (docs/protocol.md §8.4, "Spotlight"): the facilitator brings everyone
// to one item, one column or one board; every page and the wall go there and highlight it, a
// person may look away and come back, and the release returns each to where they were.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, join, openAsFacilitator, openScreen, addItem, itemText, shot, catalog } from './support/harness.mjs';

const fi = catalog('fi');
const phone = { width: 390, height: 844 };
const { keha, pages, setUp } = story('spotlight');
let room;
const p = {}; // f facilitator, s wall, pirjo, nea (a phone)
const hinder = 'Jokainen palvelu kysyy samat asiat uudestaan';

const tab = (page, board) => page.locator(`#tab-${board}`);
const panel = (page, board) => page.locator(`#panel-${board}`);

setUp(async () => {
  room = await keha.createRoom({ title: 'Kehittämisen tiimi' });
  p.f = await pages.open('f');
  await openAsFacilitator(p.f, keha.base, room);
  p.s = await pages.open('s', { viewport: { width: 1920, height: 1080 } });
  await openScreen(p.s, keha.base, room);
  p.pirjo = await pages.open('pirjo');
  await join(p.pirjo, keha.base, room.code, 'Pirjo', 'professional');
  p.nea = await pages.open('nea', { viewport: phone });
  await join(p.nea, keha.base, room.code, 'Nea', 'expert');
  await p.f.locator('#facil-phase').selectOption('vision');
  await addItem(p.pirjo, 'vision', 'vision', 'Perhe tietää, kuka auttaa');
  await addItem(p.pirjo, 'vision', 'hinders', hinder);
  await addItem(p.nea, 'vision', 'enables', 'Kokemusasiantuntija mukana alusta asti');
  await itemText(p.f, 'Kokemusasiantuntija mukana alusta asti').waitFor();
  await p.f.locator('#facil-phase').selectOption('timeline');
  await panel(p.pirjo, 'timeline').waitFor({ state: 'visible' });
});

test('an item in the spotlight brings every page and the wall to it, highlighted', async () => {
  const { f, s, pirjo, nea } = p;
  // Pirjo is reading the plan when the facilitator calls everyone to the vision.
  await tab(pirjo, 'plan').click();
  await panel(pirjo, 'plan').waitFor({ state: 'visible' });
  await tab(f, 'vision').click();
  await f.locator('.item', { hasText: hinder }).locator('button.spotlight-item').click();
  for (const page of [pirjo, nea]) {
    await panel(page, 'vision').waitFor({ state: 'visible' });
    await page.locator('.spotlit > .item').filter({ hasText: hinder }).waitFor();
    await page.locator('#spotlight-box .spotlight-bar.here', { hasText: fi['spotlight.here'] }).waitFor();
  }
  await s.locator('#s-boards .board-vision.spot-item').waitFor();
  // The spotlit card is at full strength; the others recede.
  assert.equal(await s.locator('.spotlit > .item', { hasText: hinder }).evaluate((el) => getComputedStyle(el.parentElement).opacity), '1');
  await s.locator('.spotlit .item', { hasText: hinder }).waitFor();
  await s.locator('#s-spotlight').waitFor();
  await shot(s, 'wall-spotlight');
  await shot(nea, 'phone-spotlight');
  await shot(f, 'facilitator-spotlight');
});

test('a person may look away and come back; the release returns each to where they were', async () => {
  const { f, pirjo, nea } = p;
  await tab(pirjo, 'timeline').click();
  await panel(pirjo, 'timeline').waitFor({ state: 'visible' });
  await pirjo.locator('#spotlight-box .spotlight-bar.elsewhere').waitFor();
  await pirjo.locator('#spotlight-go').click();
  await panel(pirjo, 'vision').waitFor({ state: 'visible' });
  await f.locator('#spotlight-release').click();
  // Pirjo was on the plan before the spotlight; Nea followed the phase (the timeline).
  await panel(pirjo, 'plan').waitFor({ state: 'visible' });
  await panel(nea, 'timeline').waitFor({ state: 'visible' });
  await pirjo.locator('.toast', { hasText: fi['spotlight.released'] }).waitFor();
  assert.equal(await pirjo.locator('#spotlight-box .spotlight-bar').count(), 0);
});

test('a column and a whole board can be spotlit too', async () => {
  const { f, s, pirjo } = p;
  await tab(f, 'vision').click();
  await f.locator('.vcol-hinders .spotlight-column').click();
  await s.locator('.vcol-hinders.spotlit').waitFor();
  await pirjo.locator('.vcol-hinders.spotlit').waitFor();
  await shot(s, 'wall-spotlight-column');
  await tab(f, 'plan').click();
  await f.locator('#spotlight-board').click();
  await panel(pirjo, 'plan').waitFor({ state: 'visible' });
  await s.locator('#s-boards .board-plan').waitFor({ state: 'visible' });
  await f.locator('#spotlight-release').click();
  await s.locator('#s-spotlight').waitFor({ state: 'hidden' });
  await s.locator('#s-boards .board-timeline').waitFor({ state: 'visible' });
  assert.deepEqual(pages.errors, []);
});
