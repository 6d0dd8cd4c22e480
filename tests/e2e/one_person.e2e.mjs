// One person stays one participant: a reopened tab, a second device with the personal
// link, the facilitator's key link opened twice, and two participants merged by the
// facilitator. "Leave this meeting on this device" makes a shared computer forget the person.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, join, openAsFacilitator, addItem, shot, catalog } from './support/harness.mjs';

const fi = catalog('fi');
const PHONE = { width: 390, height: 844 };
const { keha, pages, setUp } = story('one_person');
let room;
let facil; // the facilitator's page, watching the people list

const people = (page) => page.locator('#people li .n');
// An item on the board as the server has it (not its card still waiting to be sent).
const saved = (page, text) => page.locator('[data-id] .item-text', { hasText: text }).waitFor();

async function namesInPeople(page) {
  return (await people(page).allTextContents()).map((s) => s.trim());
}

setUp(async () => {
  room = await keha.createRoom({ title: 'Yksi ihminen' });
  facil = await pages.open('facil', { viewport: { width: 1440, height: 900 } });
  await openAsFacilitator(facil, keha.base, room);
  await facil.locator('#facil-phase').selectOption('timeline');
  await facil.locator('#panel-timeline form.add-form[data-column=event] .add-text').waitFor();
  await addItem(facil, 'timeline', 'event', 'Yhteinen alku');
});

test('a reopened tab is the same participant, with her private notes', async () => {
  const ctx = await pages.context({ viewport: PHONE });
  const first = await pages.open('aino-1', { context: ctx, viewport: PHONE });
  await join(first, keha.base, room.code, 'Aino', 'expert');
  await addItem(first, 'timeline', 'event', 'Vain minun muistiinpanoni', { hidden: true });
  await saved(first, 'Vain minun muistiinpanoni');
  const you = await first.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('keha.token.')));
  assert.equal(you.length, 1, 'the token is kept in localStorage, one per room');
  await first.close();

  // The browser closed the tab; the person comes back to the room's address.
  const again = await pages.open('aino-2', { context: ctx, viewport: PHONE });
  await again.goto(`${keha.base}/r/${room.code}`);
  await again.locator('#app').waitFor({ state: 'visible' });
  await again.locator('#conn.online').waitFor();
  await saved(again, 'Vain minun muistiinpanoni');
  assert.match(await again.locator('#me').textContent(), /Aino/);
  await shot(again, 'one-person-reopened-phone');

  // Everyone sees her once.
  await facil.waitForFunction(() => [...document.querySelectorAll('#people li .n')].filter((n) => n.textContent.startsWith('Aino')).length === 1);
  const names = await namesInPeople(facil);
  assert.equal(names.filter((n) => n.startsWith('Aino')).length, 1, names.join(', '));
  await again.close();
});

test('the personal link carries the person to another device, never showing the token in the address', async () => {
  const phone = await pages.open('veera-phone', { viewport: PHONE });
  await join(phone, keha.base, room.code, 'Veera', 'professional');
  await addItem(phone, 'timeline', 'event', 'Veeran oma ajatus', { hidden: true });
  await saved(phone, 'Veeran oma ajatus');
  await phone.locator('#device-other').click();
  const link = await phone.locator('#device-link-url').inputValue();
  assert.match(link, new RegExp(`/r/${room.code}#token=`));
  assert.ok(!link.includes('?'), 'the token is only in the fragment');
  await phone.locator('#device-leave').scrollIntoViewIfNeeded();
  await shot(phone, 'one-person-device-link-phone');

  const laptop = await pages.open('veera-laptop');
  await laptop.goto(link);
  await laptop.locator('#conn.online').waitFor();
  await saved(laptop, 'Veeran oma ajatus');
  assert.equal(new URL(laptop.url()).hash, '', 'the token left the address bar');
  assert.match(await laptop.locator('#me').textContent(), /Veera/);
  await facil.waitForFunction(() => [...document.querySelectorAll('#people li .n')].some((n) => n.textContent.startsWith('Veera')));
  const names = await namesInPeople(facil);
  assert.equal(names.filter((n) => n.startsWith('Veera')).length, 1, names.join(', '));
  // The wall and others never get the link: it is built on her own page from her own token.
  assert.equal(await facil.locator('#device-link-url').inputValue(), '');
  await laptop.close();
  await phone.close();
});

test('a short rejoin code typed on the join page of another device is the same person, once', async () => {
  const phone = await pages.open('sanna-phone', { viewport: PHONE });
  await join(phone, keha.base, room.code, 'Sanna', 'leader');
  await addItem(phone, 'timeline', 'event', 'Sannan oma', { hidden: true });
  await saved(phone, 'Sannan oma');
  await phone.locator('#device-other').click();
  await phone.waitForFunction(() => /^[A-Z0-9]{5}-[A-Z0-9]{5}$/.test(document.querySelector('#device-code').textContent));
  const typed = (await phone.locator('#device-code').textContent()).toLowerCase();
  assert.match(await phone.locator('#device-code-until').textContent(), /\d/);
  await phone.locator('#device-code-until').scrollIntoViewIfNeeded();
  await shot(phone, 'one-person-rejoin-code-phone');

  const laptop = await pages.open('sanna-laptop');
  await laptop.goto(`${keha.base}/r/${room.code}`);
  await laptop.locator('#join').waitFor({ state: 'visible' });
  await laptop.locator('#rejoin summary').click();
  await laptop.locator('#rejoin-code').fill(typed);
  await shot(laptop, 'one-person-rejoin-join-page');
  await laptop.locator('#rejoin-form button[type=submit]').click();
  await laptop.locator('#conn.online').waitFor();
  await saved(laptop, 'Sannan oma');
  assert.match(await laptop.locator('#me').textContent(), /Sanna/);
  const names = await namesInPeople(facil);
  assert.equal(names.filter((n) => n.startsWith('Sanna')).length, 1, names.join(', '));

  // The same code a second time is refused with words that say what to do.
  const third = await pages.open('sanna-third');
  await third.goto(`${keha.base}/r/${room.code}`);
  await third.locator('#rejoin summary').click();
  await third.locator('#rejoin-code').fill(typed);
  await third.locator('#rejoin-form button[type=submit]').click();
  await third.locator('#rejoin-msg', { hasText: fi['web.rejoin.bad_code'] }).waitFor();
  assert.equal(await third.locator('#app').isVisible(), false);
  await third.close();
  await laptop.close();
  await phone.close();
});

test('leave this meeting on this device: a shared computer forgets the person', async () => {
  const ctx = await pages.context();
  const page = await pages.open('shared-pc', { context: ctx });
  await join(page, keha.base, room.code, 'Pekka', 'leader');
  await page.locator('#device-leave').click();
  await page.locator('#device-leave.confirm').click(); // the second click, while it asks
  await page.locator('#join').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#join-msg').textContent(), fi['web.device.left']);
  assert.equal(await page.locator('#join-name').inputValue(), '', 'the next person types their own name');
  const kept = await page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)].filter((k) => k.startsWith('keha.') && k !== 'keha.lang'));
  assert.deepEqual(kept.filter((k) => k.includes(room.code)), []);
  // Reopening the address asks for a name instead of coming back as Pekka.
  const next = await pages.open('shared-pc-2', { context: ctx });
  await next.goto(`${keha.base}/r/${room.code}`);
  await next.locator('#join').waitFor({ state: 'visible' });
  assert.equal(await next.locator('#app').isVisible(), false);
  await next.close();
  await page.close();
});

test('the facilitator key link opened on a second device is the same facilitator', async () => {
  const other = await pages.open('facil-2');
  await openAsFacilitator(other, keha.base, room);
  const label = fi['role.facilitator'];
  for (const page of [facil, other]) {
    const names = await namesInPeople(page);
    assert.equal(names.filter((n) => n.startsWith(label)).length, 1, names.join(', '));
  }
  // Both tabs act as the one facilitator.
  await addItem(other, 'timeline', 'event', 'Toiselta laitteelta');
  await saved(facil, 'Toiselta laitteelta');
  await other.close();
});

test('the facilitator merges two participants that are the same person', async () => {
  const phone = await pages.open('mikko-phone', { viewport: PHONE });
  await join(phone, keha.base, room.code, 'Mikko', 'professional');
  const laptop = await pages.open('mikko-laptop');
  await join(laptop, keha.base, room.code, 'Mikko L', 'professional');
  await addItem(laptop, 'timeline', 'event', 'Mikon läppärin ajatus', { hidden: true });
  await saved(laptop, 'Mikon läppärin ajatus');

  const row = facil.locator('#people li', { hasText: 'Mikko L' });
  await row.locator('.merge summary').click();
  const pick = row.locator('select.merge-into');
  await pick.selectOption({ label: 'Mikko' });
  await shot(facil, 'one-person-merge');
  await row.locator('.merge button').click();
  await facil.waitForFunction(() => ![...document.querySelectorAll('#people li .n')].some((n) => n.textContent.startsWith('Mikko L')));
  const names = await namesInPeople(facil);
  assert.equal(names.filter((n) => n.startsWith('Mikko')).length, 1, names.join(', '));

  // Both devices are now Mikko, and the laptop's private note is his on the phone too.
  await saved(phone, 'Mikon läppärin ajatus');
  await laptop.waitForFunction(() => /^Mikko ·/.test(document.querySelector('#me').textContent));
  await saved(laptop, 'Mikon läppärin ajatus');
  await laptop.close();
  await phone.close();
});

test('no script errors on any page', () => {
  assert.deepEqual(pages.errors, []);
});
