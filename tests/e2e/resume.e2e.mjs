// Coming back after a break in the connection: when keha-server is killed and restarted, or
// the participant's network drops, the page says so, keeps what was typed meanwhile and
// delivers it exactly once when it is back.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, shot, addItem } from './support/harness.mjs';
import { planMeeting } from './support/meeting.mjs';

const { keha, pages: harness, setUp } = story('resume');
let pages = {}; // a, b (participants), f (facilitator), s (screen), on the plan board

setUp(async () => {
  const room = await keha.createRoom({ title: 'Kehittämisen tiimi – Hämeenlinna', language: 'fi' });
  pages = await planMeeting(harness, keha.base, room);
});

test('the page recovers after the server is killed and restarted, and delivers what was typed meanwhile', async () => {
  const { a, b, s } = pages;
  await keha.kill();
  await a.locator('#conn.reconnecting').waitFor();
  await a.locator('#banner.warn').waitFor();
  const typed = 'Kirjoitettu katkoksen aikana: seuraava tapaaminen tammikuussa';
  await addItem(a, 'plan', 'action', typed, { who: 'Aino' });
  await a.locator('tr.pending-row', { hasText: typed }).waitFor();
  await shot(a, 'reconnecting');
  await keha.start();
  for (const p of [a, b]) await p.locator('#conn.online').waitFor({ timeout: 15000 });
  await b.locator('.plan-row', { hasText: typed }).waitFor({ timeout: 15000 });
  await s.locator('.plan-row', { hasText: typed }).waitFor({ timeout: 15000 });
  await a.locator('tr.pending-row').waitFor({ state: 'detached' });
  assert.equal(await a.locator('.plan-row', { hasText: typed }).count(), 1, 'delivered exactly once');
  await a.locator('#banner').waitFor({ state: 'hidden' });
});

test('a network drop: the page says so, keeps what is typed and sends it when back online', async () => {
  const { a, b } = pages;
  const ctx = a.context();
  await ctx.setOffline(true);
  await a.locator('#conn.reconnecting').waitFor();
  const typed = 'Kirjoitettu ilman verkkoa';
  await addItem(a, 'plan', 'action', typed);
  await a.locator('tr.pending-row', { hasText: typed }).waitFor();
  await ctx.setOffline(false);
  await a.locator('#conn.online').waitFor({ timeout: 15000 });
  await b.locator('.plan-row', { hasText: typed }).waitFor();
  // b may see the item before a's own page has its acknowledgement: wait for a's, then count.
  await a.locator('tr.pending-row').waitFor({ state: 'detached' });
  assert.equal(await a.locator('.plan-row', { hasText: typed }).count(), 1);
});

test('no script errors and no dialogs on any page', () => {
  assert.deepEqual(harness.errors, []);
});
