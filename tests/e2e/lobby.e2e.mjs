// The lobby where the facilitator looks: the start page offers the template the server uses
// when none is chosen; in a room that admits newcomers by hand, the facilitator — at the top
// of the page, writing — sees a count of those waiting in the top bar and a notice for each
// newcomer without losing the focus, lets one in from the notice, and lets in or refuses the
// others from the list the count opens.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, openAsFacilitator, shot, catalog, setSetting } from './support/harness.mjs';

const fi = catalog('fi');
const desktop = { width: 1366, height: 860 };
const phone = { width: 390, height: 844 };
const { keha, pages } = story('lobby');
let room;
let f;

const fill = (text, vars) => Object.entries(vars).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, String(v)), text);

// Inside the viewport: what a person sees without scrolling.
async function assertInView(page, locator, what) {
  const box = await locator.boundingBox();
  assert.ok(box, `${what} has no box`);
  const vp = page.viewportSize();
  assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= vp.width && box.y + box.height <= vp.height,
    `${what} is outside the ${vp.width}x${vp.height} viewport: ${JSON.stringify(box)}`);
}

// A newcomer asks to come in and waits in the lobby.
async function arrive(name, viewport = desktop) {
  const page = await pages.open(name, { viewport });
  await page.goto(`${keha.base}/r/${room.code.toLowerCase()}`);
  await page.locator('#join-name').fill(name);
  await page.locator('#join-form button[type=submit]').click();
  await page.locator('#lobby').waitFor({ state: 'visible' });
  return page;
}


test('the new-meeting form starts with the template the server uses by default', async () => {
  const list = await (await fetch(`${keha.base}/api/templates?language=fi`)).json();
  const marked = list.find((x) => x.default === true);
  assert.equal(marked?.id, 'default');
  assert.notEqual(list[0].id, 'default', 'another template comes first alphabetically');
  const page = await pages.open('start');
  await page.goto(`${keha.base}/`);
  await page.locator('#create summary').click();
  await page.locator('#create-template option[value=anticipation-dialogue]').waitFor({ state: 'attached' });
  assert.equal(await page.locator('#create-template').inputValue(), 'default');
  // A choice the person made stays when the page's language changes.
  await page.locator('#create-template').selectOption('monni-professionals');
  await page.locator('#lang').selectOption('sv');
  await page.locator('#create-template option[value=monni-professionals]', { hasText: list.find((x) => x.id === 'monni-professionals').title })
    .waitFor({ state: 'detached' });
  assert.equal(await page.locator('#create-template').inputValue(), 'monni-professionals');
  await page.context().close();
});

test('someone starts waiting: the count and a notice are in view, the notice lets them in', async () => {
  room = await keha.createRoom({ title: 'Verkostotapaaminen' });
  f = await pages.open('f', { viewport: desktop });
  await openAsFacilitator(f, keha.base, room);
  await setSetting(f, 'admit_joiners', true);
  // The facilitator is at the top of the page, writing on the board.
  await f.locator('#facil-phase').selectOption('timeline');
  const writing = f.locator('#panel-timeline form.add-form[data-column=event] .add-text');
  await writing.waitFor({ state: 'visible' });
  await writing.click();
  await writing.pressSequentially('Ensimmäinen ');
  await f.evaluate(() => window.scrollTo(0, 0));
  assert.equal(await f.locator('#lobby-menu').isVisible(), false);

  const maija = await arrive('Maija', phone);
  const badge = f.locator('#lobby-badge');
  await badge.locator('#lobby-count', { hasText: fill(fi['web.lobby.badge.one'], { n: 1 }) }).waitFor();
  assert.equal(await badge.getAttribute('aria-label'), fill(fi['web.lobby.badge_label.one'], { n: 1 }));
  const notice = f.locator('#lobby-toasts .lobby-toast', { hasText: fill(fi['web.lobby.toast'], { name: 'Maija' }) });
  await notice.waitFor();
  assert.equal(await notice.getAttribute('role'), 'status');
  assert.equal(await f.locator('#lobby-toasts').getAttribute('aria-live'), 'polite');
  assert.equal(await f.evaluate(() => window.scrollY), 0);
  await assertInView(f, badge, 'the waiting count');
  await assertInView(f, notice, 'the notice');
  // The notice took no focus: the writing goes on where it was.
  await f.keyboard.type('tapaaminen');
  assert.equal(await writing.inputValue(), 'Ensimmäinen tapaaminen');
  assert.ok(await writing.evaluate((el) => el === document.activeElement));
  await shot(f, 'facilitator-lobby-notice');

  await notice.locator('button.admit', { hasText: fi['web.facil.admit'] }).click();
  await maija.locator('#app').waitFor({ state: 'visible' });
  await notice.waitFor({ state: 'detached' });
  await f.locator('#lobby-menu').waitFor({ state: 'hidden' });
  await f.locator('#people .person', { hasText: 'Maija' }).waitFor();
});

test('two more wait: the count opens the list; one is let in, the other refused', async () => {
  const veikko = await arrive('Veikko');
  const outi = await arrive('Outi');
  const badge = f.locator('#lobby-badge');
  await badge.locator('#lobby-count', { hasText: fill(fi['web.lobby.badge.other'], { n: 2 }) }).waitFor();
  assert.equal(await badge.getAttribute('aria-label'), fill(fi['web.lobby.badge_label.other'], { n: 2 }));
  assert.equal(await f.locator('#lobby-toasts .lobby-toast').count(), 2);
  // Closing a notice leaves the person waiting in the list.
  await f.locator('#lobby-toasts .lobby-toast', { hasText: 'Outi' }).locator('button.dismiss').click();
  await f.locator('#lobby-toasts .lobby-toast', { hasText: 'Outi' }).waitFor({ state: 'detached' });

  await f.evaluate(() => window.scrollTo(0, 0));
  assert.equal(await badge.getAttribute('aria-expanded'), 'false');
  await badge.click();
  const list = f.locator('#lobby-popup');
  await list.waitFor({ state: 'visible' });
  assert.equal(await badge.getAttribute('aria-expanded'), 'true');
  await assertInView(f, list, 'the waiting list');
  assert.deepEqual(await list.locator('.lobby-person .n').allTextContents(), ['Veikko', 'Outi']);
  await shot(f, 'facilitator-lobby-list');

  await list.locator('.lobby-person', { hasText: 'Veikko' }).locator('button.admit').click();
  await veikko.locator('#app').waitFor({ state: 'visible' });
  await list.locator('.lobby-person', { hasText: 'Veikko' }).waitFor({ state: 'detached' });
  await badge.locator('#lobby-count', { hasText: fill(fi['web.lobby.badge.one'], { n: 1 }) }).waitFor();

  await list.locator('.lobby-person', { hasText: 'Outi' }).locator('button.refuse', { hasText: fi['web.lobby.refuse'] }).click();
  await outi.locator('#fatal').waitFor({ state: 'visible' });
  await f.locator('#lobby-menu').waitFor({ state: 'hidden' });
  await f.locator('#people .person', { hasText: 'Veikko' }).waitFor();
  assert.equal(await f.locator('#people .person', { hasText: 'Outi' }).count(), 0);
  // The list closed with the last one gone.
  assert.equal(await badge.getAttribute('aria-expanded'), 'false');
});

test('the lobby\'s notice fits a phone-sized facilitator page too', async () => {
  await f.setViewportSize(phone);
  await f.evaluate(() => window.scrollTo(0, 0));
  await arrive('Ilona', phone);
  const notice = f.locator('#lobby-toasts .lobby-toast', { hasText: 'Ilona' });
  await notice.waitFor();
  await assertInView(f, notice, 'the notice on a phone');
  await assertInView(f, f.locator('#lobby-badge'), 'the waiting count on a phone');
  await shot(f, 'facilitator-lobby-phone');
  await notice.locator('button.admit').click();
  await notice.waitFor({ state: 'detached' });
  await f.setViewportSize(desktop);
});

// The focus the facilitator had, by keyboard, in a list of those waiting: letting one in moves
// it to the next one waiting; letting the last one in (the list goes away) to what comes next,
// never to the page's start.
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return !el || el === document.body ? 'body' : `${el.tagName.toLowerCase()}#${el.id}.${el.className}|${el.textContent.trim()}`;
});

test('letting people in by keyboard from the count\'s list keeps the focus on the page', async () => {
  const anna = await arrive('Anna');
  const pekka = await arrive('Pekka');
  const badge = f.locator('#lobby-badge');
  await badge.locator('#lobby-count', { hasText: fill(fi['web.lobby.badge.other'], { n: 2 }) }).waitFor();
  await badge.focus();
  await f.keyboard.press('Enter');
  const list = f.locator('#lobby-popup');
  await list.waitFor({ state: 'visible' });
  // Tab to Anna's admit button and press it.
  await f.keyboard.press('Tab');
  assert.match(await focused(f), /^button.*admit.*\|/, 'Tab from the count goes to the first admit button');
  assert.equal(await f.evaluate(() => document.activeElement.closest('.lobby-person').textContent.includes('Anna')), true);
  await f.keyboard.press('Enter');
  await anna.locator('#app').waitFor({ state: 'visible' });
  await list.locator('.lobby-person', { hasText: 'Anna' }).waitFor({ state: 'detached' });
  // The focus moved up to Pekka's admit button.
  assert.equal(await f.evaluate(() => document.activeElement.closest('.lobby-person')?.textContent.includes('Pekka')), true,
    `the focus is on ${await focused(f)}`);
  assert.ok(await f.evaluate(() => document.activeElement.classList.contains('admit')));
  await f.keyboard.press('Enter');
  await pekka.locator('#app').waitFor({ state: 'visible' });
  await f.locator('#lobby-menu').waitFor({ state: 'hidden' });
  // Nobody waits: the list is gone; the focus is on the facilitator's panel, not the page.
  assert.notEqual(await focused(f), 'body');
  assert.equal(await f.evaluate(() => document.activeElement.id), 'facil-title');
  await f.keyboard.press('Tab');
  assert.ok(await f.evaluate(() => document.getElementById('facil').contains(document.activeElement)),
    `Tab goes on into the facilitator's panel, not ${await focused(f)}`);
});

test('letting the last one in by keyboard from the side\'s list moves the focus to the people', async () => {
  const sara = await arrive('Sara');
  const row = f.locator('#waiting .waiting-person', { hasText: 'Sara' });
  await row.waitFor();
  await row.locator('button.admit').focus();
  await f.keyboard.press('Enter');
  await sara.locator('#app').waitFor({ state: 'visible' });
  await f.locator('#waiting-box').waitFor({ state: 'hidden' });
  assert.notEqual(await focused(f), 'body');
  assert.equal(await f.evaluate(() => document.activeElement.id), 'people-title');
  await f.locator('#people .person', { hasText: 'Sara' }).waitFor();
});

test('no script errors or dialogs on any page', () => {
  assert.deepEqual(pages.errors, []);
});
