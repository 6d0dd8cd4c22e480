// The facilitator's hold on the room during a meeting: names hidden from the projector, a
// lobby where newcomers wait to be let in, moderation of participants' items, locking the
// room against newcomers (with a clear message) and removing a participant.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, catalog, shot, join as joinAt, addItem, setSetting } from './support/harness.mjs';
import { planMeeting } from './support/meeting.mjs';

const fi = catalog('fi');
const { keha, pages: harness, setUp } = story('room-settings');
let base = '';
let room = null;
let pages = {}; // a, b (participants), f (facilitator), s (screen), on the plan board

async function newPage(name, viewport = { width: 1366, height: 860 }) {
  return harness.open(name, { viewport });
}

async function join(page, name, group, code = room.code) {
  await joinAt(page, base, code, name, group);
}

setUp(async () => {
  base = keha.base;
  room = await keha.createRoom({ title: 'Kehittämisen tiimi – Hämeenlinna', language: 'fi' });
  pages = await planMeeting(harness, base, room);
  // An item with its author's name, for the projector to show or hide.
  await addItem(pages.a, 'plan', 'action', 'Nuoren oma ääni kirjataan jokaiseen suunnitelmaan', { who: 'Aino' });
  await pages.s.locator('.plan-row', { hasText: 'Nuoren oma ääni' }).waitFor();
});

test('room settings: hidden names, the lobby, moderation', async () => {
  const { a, b, f, s } = pages;
  // Hidden names: the projector shows no author names.
  await s.locator('.plan-row .author').first().waitFor();
  await f.locator('#setting-hide_names').check();
  await s.locator('.plan-row .author').first().waitFor({ state: 'detached' });
  await f.locator('.plan-row .author', { hasText: 'Aino' }).first().waitFor();
  await f.locator('#setting-hide_names').uncheck();
  await s.locator('.plan-row .author').first().waitFor();
  // The lobby: a newcomer waits until the facilitator lets them in.
  await setSetting(f, 'admit_joiners', true);
  const d = await newPage('d');
  await d.goto(`${base}/r/${room.code}`);
  await d.locator('#join-name').fill('Dani');
  await d.locator('#join-form button[type=submit]').click();
  await d.locator('#lobby').waitFor({ state: 'visible' });
  await shot(d, 'lobby');
  await f.locator('#waiting .person', { hasText: 'Dani' }).locator('button.admit').click();
  await d.locator('#app').waitFor({ state: 'visible' });
  await a.locator('#people .person', { hasText: 'Dani' }).waitFor();
  await setSetting(f, 'admit_joiners', false);
  // Moderation: a participant's new item reaches the others only when approved.
  await setSetting(f, 'moderated', true);
  const held = 'Ehdotus, joka odottaa hyväksyntää';
  await addItem(a, 'plan', 'action', held);
  await a.locator('.plan-row', { hasText: held }).locator('.pending-tag').waitFor();
  await f.locator('.plan-row', { hasText: held }).locator('button.approve').waitFor();
  assert.equal(await b.getByText(held).count(), 0);
  await f.locator('.plan-row', { hasText: held }).locator('button.approve').click();
  await b.locator('.plan-row', { hasText: held }).waitFor();
  await s.locator('.plan-row', { hasText: held }).waitFor();
  await setSetting(f, 'moderated', false);
});

test('a setting clicked while the facilitator is offline shows as asked until the server has it', async () => {
  const { f, s } = pages;
  await s.locator('.plan-row .author').first().waitFor();
  await f.context().setOffline(true);
  await f.locator('#conn.reconnecting').waitFor();
  await f.locator('#setting-hide_names').check();
  await f.locator('.toggle.saving > #setting-hide_names:checked[aria-busy=true]').waitFor();
  await shot(f, 'setting-saving');
  assert.ok(await s.locator('.plan-row .author').count() > 0, 'not in force yet: the projector still shows the names');
  await f.context().setOffline(false);
  await f.locator('.toggle:not(.saving) > #setting-hide_names:checked:not([aria-busy])').waitFor();
  await s.locator('.plan-row .author').first().waitFor({ state: 'detached' });
  await setSetting(f, 'hide_names', false);
  await s.locator('.plan-row .author').first().waitFor();
});

test('locking the room keeps newcomers out with a clear message; removing a participant', async () => {
  const { f, b } = pages;
  await f.locator('#room-lock-toggle').click();
  await f.locator('#room-lock').waitFor({ state: 'visible' });
  const c = await newPage('c');
  await c.goto(base + '/');
  await c.locator('#code').fill(room.code);
  await c.locator('#code-form button').click();
  await c.locator('#code-msg', { hasText: fi['error.locked'] }).waitFor();
  await f.locator('#room-lock-toggle').click();
  await f.locator('#room-lock').waitFor({ state: 'hidden' });
  await join(c, 'Cecilia', 'leader');
  await f.locator('#people .person', { hasText: 'Cecilia' }).locator('button.remove').click();
  await f.locator('#people .person', { hasText: 'Cecilia' }).locator('button.remove.confirm').click();
  await c.locator('#fatal-title', { hasText: fi['web.fatal.removed_title'] }).waitFor();
  await f.locator('#people .person', { hasText: 'Cecilia' }).waitFor({ state: 'detached' });
  await b.locator('#people .person', { hasText: 'Cecilia' }).waitFor({ state: 'detached' });
});

test('no script errors and no dialogs on any page', () => {
  assert.deepEqual(harness.errors, []);
});
