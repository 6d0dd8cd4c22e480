// The language of what participants write (WCAG 3.1.2): an entry is marked with the meeting's
// language (room.language), whatever language the reader's page is in; the page's own words
// (the author line, the buttons) keep the page's language.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, join, openAsFacilitator, openScreen, addItem, itemText } from './support/harness.mjs';

const { keha, pages } = story('content-language');


test('a Finnish meeting read in Swedish: the entries are marked Finnish, the page Swedish', async () => {
  const room = await keha.createRoom({ title: 'Kieli', language: 'fi' });
  const f = await pages.open('facil');
  await openAsFacilitator(f, keha.base, room);
  await f.locator('#facil-phase').selectOption('vision');
  const sv = await pages.open('sv', { locale: 'sv-FI', viewport: { width: 390, height: 844 } });
  await join(sv, keha.base, room.code, 'Stina', 'professional');
  assert.equal(await sv.evaluate(() => document.documentElement.lang), 'sv');
  await addItem(f, 'vision', 'hinders', 'Tieto ei kulje');
  await f.locator('#tabs [role=tab][aria-controls=panel-plan]').click();
  await addItem(f, 'plan', 'action', 'Yhteinen kalenteri', { who: 'Maija' });
  const entry = itemText(sv, 'Tieto ei kulje');
  await entry.waitFor();
  assert.equal(await entry.getAttribute('lang'), 'fi');
  const item = sv.locator('#panel-vision .item', { hasText: 'Tieto ei kulje' });
  assert.equal(await item.locator('button.vote').evaluate((el) => el.closest('[lang]').lang), 'sv', 'the vote button is in the page language');
  assert.equal(await item.evaluate((el) => el.closest('[lang]').lang), 'sv');
  await sv.locator('#tabs [role=tab][aria-controls=panel-plan]').click();
  const row = sv.locator('#panel-plan .plan-row .item-text', { hasText: 'Yhteinen kalenteri' });
  await row.waitFor();
  assert.equal(await row.getAttribute('lang'), 'fi');
  // The projector in English marks them Finnish too.
  const s = await pages.open('wall', { viewport: { width: 1920, height: 1080 } });
  await s.goto(`${keha.base}/screen/${room.code}#key=${room.screen_key}&lang=en`);
  await s.locator('#screen').waitFor({ state: 'visible' });
  await s.waitForFunction(() => document.documentElement.lang === 'en');
  const onWall = itemText(s, 'Tieto ei kulje');
  await onWall.waitFor();
  assert.equal(await onWall.getAttribute('lang'), 'fi');
});

test('no page errors', () => {
  assert.deepEqual(pages.errors, []);
});
