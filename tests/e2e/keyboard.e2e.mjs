// By keyboard alone: a participant joins, adds an entry, votes and takes the vote back,
// raises a hand — and after every step the focus is where she was (never the page's body;
// the vote button is the same element after the vote). The board tabs follow the ARIA tabs
// pattern, the skip link goes to the boards, the editor and a deletion hand the focus back,
// and the polite live region says what others added (how many, where; never their words or
// a private entry), a turn and the end of the time box. Reduced motion, forced colours, the
// focus ring's contrast and the page's language are checked here too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, join, openAsFacilitator, addItem, itemText, catalog, setSetting } from './support/harness.mjs';
import { focused } from './support/a11y.mjs';

const fi = catalog('fi');
const sv = catalog('sv');
const { keha, pages, setUp } = story('keyboard');
const fill = (text, vars) => Object.entries(vars).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, String(v)), text);
let room;
let f; // facilitator
let o; // another participant, by mouse
let k; // the keyboard participant

setUp(async () => {
  room = await keha.createRoom({ title: 'Näppäimistöllä' });
  f = await pages.open('f');
  await openAsFacilitator(f, keha.base, room);
  await f.locator('#facil-phase').selectOption('vision');
  o = await pages.open('o');
  await join(o, keha.base, room.code, 'Olli', 'professional');
});

// Presses `key` until `want` (a predicate run in the page on the focused element) holds; the
// focus must never fall to the body on the way.
async function pressUntil(page, key, want, what, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const where = await focused(page);
    assert.notEqual(where, 'body', `the focus fell to the page's body on the way to ${what}`);
    if (await page.evaluate(want)) return;
  }
  throw new Error(`${key} never reached ${what} (last: ${await focused(page)})`);
}

async function assertFocus(page, selector, what) {
  assert.ok(await page.evaluate((sel) => document.activeElement?.matches(sel), selector),
    `${what}: the focus is on ${await focused(page)}, not ${selector}`);
}

test('join, add, vote, take back, raise a hand: by keyboard, the focus always where she was', async () => {
  k = await pages.open('k');
  await k.goto(`${keha.base}/r/${room.code.toLowerCase()}`);
  await k.locator('#join-name').waitFor();
  await assertFocus(k, '#join-name', 'the name step');
  await k.keyboard.type('Kaisa');
  await k.keyboard.press('Tab');
  await assertFocus(k, 'input[name=group][value=professional]', 'the group');
  await k.keyboard.press('ArrowDown'); // leader
  await k.keyboard.press('ArrowDown'); // experience expert
  await assertFocus(k, 'input[name=group][value=expert]:checked', 'the group chosen');
  await pressUntil(k, 'Tab', () => document.activeElement.matches('#join-form button[type=submit]'), 'the enter button');
  await k.keyboard.press('Enter');
  await k.locator('#conn.online').waitFor();
  await k.locator('#panel-vision').waitFor({ state: 'visible' });
  // In the room the focus is on the phase's title, where reading starts.
  await assertFocus(k, '#phase-title', 'after joining');

  // Add an entry: Tab to the vision column's field, type, Enter.
  await pressUntil(k, 'Tab', () => document.activeElement.matches('.vcol-vision .add-text'), 'the vision field');
  await k.keyboard.type('Nuori tulee kuulluksi');
  await k.keyboard.press('Enter');
  await itemText(k, 'Nuori tulee kuulluksi').waitFor();
  await assertFocus(k, '.vcol-vision .add-text', 'after adding');

  // Olli's entry: vote for it by keyboard. The very same button keeps the focus.
  await addItem(o, 'vision', 'vision', 'Koulu ja koti puhuvat keskenään');
  const olli = k.locator('#panel-vision .item', { hasText: 'Koulu ja koti puhuvat keskenään' });
  await olli.waitFor();
  await pressUntil(k, 'Shift+Tab', () => document.activeElement.matches('button.vote') &&
    document.activeElement.closest('.item').textContent.includes('Koulu ja koti'), 'the vote button');
  // A mark on the element itself (not an attribute): only the same element carries it.
  await k.evaluate(() => { document.activeElement.keptMark = 'this one'; });
  await k.keyboard.press('Enter');
  await olli.locator('button.vote[aria-pressed=true]').waitFor();
  await assertFocus(k, 'button.vote[aria-pressed=true]', 'after voting');
  assert.equal(await k.evaluate(() => document.activeElement.keptMark), 'this one', 'the same button, not a new one');
  assert.equal(await k.evaluate(() => document.activeElement.textContent.includes('Peru ääni')), true);
  // Taking it back: Space, the same button still.
  await k.keyboard.press('Space');
  await olli.locator('button.vote[aria-pressed=false]').waitFor();
  await assertFocus(k, 'button.vote[aria-pressed=false]', 'after taking the vote back');
  assert.equal(await k.evaluate(() => document.activeElement.keptMark), 'this one', 'still the same button');

  // Raise a hand: Tab on to the hand button, Space.
  await pressUntil(k, 'Tab', () => document.activeElement.id === 'hand', 'the hand button');
  await k.keyboard.press('Space');
  await k.locator('#hand[aria-pressed=true]').waitFor();
  await assertFocus(k, '#hand', 'after raising the hand');
  await f.locator('#hands', { hasText: 'Kaisa' }).waitFor();
  // Olli's entry was told (how many and where), and nothing more.
  await k.waitForFunction((want) => document.querySelector('#announcer').textContent === want,
    fill(fi['web.announce.new_items.one'], { board: fi['board.vision'], n: 1 }));
});

test('the editor and a deletion give the focus back; the tabs follow the ARIA tabs pattern; the skip link', async () => {
  const mine = k.locator('#panel-vision .item', { hasText: 'Nuori tulee kuulluksi' });
  await mine.locator('button.edit').focus();
  await k.keyboard.press('Enter');
  await k.locator('#panel-vision .editor .edit-text').waitFor();
  await assertFocus(k, '#panel-vision .editor .edit-text', 'the editor opened');
  await k.keyboard.press('Escape');
  await k.locator('#panel-vision .editor').waitFor({ state: 'detached' });
  await assertFocus(k, 'button.edit', 'the editor closed');
  assert.ok(await mine.evaluate((el) => el.contains(document.activeElement)), 'on the same entry\'s ✎');
  // Delete: 🗑, then the confirmation in its place; the focus goes to the column's field.
  await k.keyboard.press('Tab');
  await assertFocus(k, 'button.delete', 'the delete button');
  await k.keyboard.press('Enter');
  await mine.locator('button.confirm-delete').waitFor();
  await assertFocus(k, 'button.confirm-delete', 'the confirmation');
  await k.keyboard.press('Enter');
  await mine.waitFor({ state: 'detached' });
  await assertFocus(k, '.vcol-vision .add-text', 'after the deletion');

  // The tabs: one in the Tab order, arrows and Home/End move and show the board.
  const tabs = k.locator('#tabs [role=tab]');
  const n = await tabs.count();
  assert.ok(n >= 3);
  assert.equal(await k.locator('#tabs [role=tab][tabindex="0"]').count(), 1);
  await k.locator('#tabs [role=tab][aria-selected=true]').focus();
  assert.equal(await k.locator('#tabs [role=tab][aria-selected=true]').getAttribute('aria-controls'), 'panel-vision');
  await k.keyboard.press('ArrowRight');
  await k.locator('#panel-plan').waitFor({ state: 'visible' });
  await k.locator('#tab-plan[aria-selected=true]').waitFor();
  await assertFocus(k, '#tab-plan[aria-selected=true][tabindex="0"]', 'ArrowRight');
  assert.equal(await k.locator('#panel-plan').getAttribute('aria-labelledby'), 'tab-plan');
  await k.keyboard.press('Home');
  await k.locator('#tabs [role=tab]:first-child[aria-selected=true]').waitFor();
  await assertFocus(k, '[role=tab][aria-selected=true]:first-child', 'Home');
  await k.keyboard.press('End');
  await k.locator('#tabs [role=tab]:last-child[aria-selected=true]').waitFor();
  await assertFocus(k, '[role=tab][aria-selected=true]:last-child', 'End');
  await k.keyboard.press('ArrowRight'); // wraps to the first
  await k.locator('#tabs [role=tab]:first-child[aria-selected=true]').waitFor();
  await assertFocus(k, '[role=tab][aria-selected=true]:first-child', 'ArrowRight at the end');
  assert.equal(await k.locator('#tabs [role=tab][tabindex="0"]').count(), 1);
  // Back to the board of the phase.
  await k.locator('#tab-vision').focus();
  await k.keyboard.press('Enter');
  await k.locator('#panel-vision').waitFor({ state: 'visible' });

  // The skip link: the first Tab stop of the page, visible when focused, and it goes to the boards.
  const first = await k.evaluate(() => [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex="0"]')]
    .find((el) => !el.closest('[hidden]'))?.id);
  assert.equal(first, 'skip', 'the skip link is the first Tab stop');
  await k.locator('.topbar .brand').focus();
  await k.keyboard.press('Shift+Tab');
  await assertFocus(k, '#skip', 'before the top bar');
  const box = await k.locator('#skip').boundingBox();
  assert.ok(box && box.y >= 0, 'the skip link shows when focused');
  assert.equal(await k.locator('#skip').textContent(), fi['web.skip.boards']);
  await k.keyboard.press('Enter');
  await assertFocus(k, '#boards-area', 'after the skip link');
});

test('the live region says what others added, never their words nor a private entry, and the turn and the time box', async () => {
  const region = k.locator('#announcer');
  const said = (text) => k.waitForFunction((want) => document.querySelector('#announcer').textContent.includes(want), text)
    .catch(async (e) => { throw new Error(`the live region never said "${text}"; it says "${await region.textContent()}" (${e.message})`); });
  assert.equal(await region.getAttribute('aria-live'), 'polite');
  // Two of Olli's and a private one of the facilitator: said together, as two.
  await addItem(o, 'vision', 'hinders', 'Kiire ja vaihtuvat työntekijät');
  await addItem(o, 'vision', 'enables', 'Yhteinen kalenteri');
  await addItem(f, 'vision', 'vision', 'Ohjaajan oma muistiinpano', { hidden: true });
  await itemText(k, 'Yhteinen kalenteri').waitFor();
  await said(fill(fi['web.announce.new_items.other'], { board: fi['board.vision'], n: 2 }));
  const words = await region.textContent();
  assert.ok(!words.includes('Kiire') && !words.includes('kalenteri') && !words.includes('Ohjaajan'), `no words of the entries: ${words}`);
  // One's own entry is not told back.
  await addItem(k, 'vision', 'vision', 'Oma lisäys');
  await itemText(o, 'Oma lisäys').waitFor();
  await addItem(o, 'vision', 'vision', 'Ollin kolmas');
  await said(fill(fi['web.announce.new_items.one'], { board: fi['board.vision'], n: 1 }));
  assert.ok(!(await region.textContent()).includes('2'), 'her own entry was not counted');

  // The facilitator is on a person's box for the reflecting side when someone comes in (the
  // boxes are built anew): the focus stays on that person's box.
  const pick = f.locator('.rt-reflect .rt-person').first();
  const value = await pick.getAttribute('value');
  await pick.focus();
  const newcomer = await pages.open('newcomer');
  await join(newcomer, keha.base, room.code, 'Uusi Tulija', 'leader');
  await f.locator('.rt-reflect .rt-choice', { hasText: 'Uusi Tulija' }).waitFor();
  await assertFocus(f, `.rt-reflect .rt-person[value="${value}"]`, 'the facilitator\'s box after a newcomer');
  await newcomer.context().close();

  // An open floor: the facilitator gives the floor to Kaisa's raised hand, and her turn is said.
  await f.locator('#turns-queue').click();
  await k.locator('#turn-banner:not([hidden])').waitFor();
  assert.equal(await k.locator('#turn-banner').getAttribute('aria-live'), null, 'the banner itself is not a live region');
  await f.locator('#hands li', { hasText: 'Kaisa' }).locator('.give-floor').click();
  await k.locator('#turn-banner.speaking').waitFor();
  await said(`${fi['web.turns.badge.speak']}: ${fi['web.turns.you_speak']}`);
  await f.locator('#turns-end').click();

  // A one-second time box: its end is said.
  await f.locator('#facil-minutes').fill('0.02');
  await f.locator('#timer-start').click();
  await k.locator('#timer.over').waitFor();
  await said(fi['web.timer.over']);
  await f.locator('#timer-reset').click();
});

test('reduced motion stills every animation; forced colours keep the dots and the chosen tab; the focus ring reads at 3:1', async () => {
  // Reduced motion: the connection dot, the lobby's dots, the ended time box.
  const still = await pages.open('still');
  await still.emulateMedia({ reducedMotion: 'reduce' });
  await still.goto(`${keha.base}/r/${room.code.toLowerCase()}`);
  await setSetting(f, 'admit_joiners', true);
  await still.locator('#join-name').fill('Sanna');
  await still.locator('#join-form button[type=submit]').click();
  await still.locator('#lobby').waitFor({ state: 'visible' });
  const names = await still.evaluate(() => [...document.querySelectorAll('.lobby-pulse span')].map((el) => getComputedStyle(el).animationName));
  assert.deepEqual(names, ['none', 'none', 'none']);
  await still.context().close();
  const moving = await pages.open('moving');
  await moving.goto(`${keha.base}/r/${room.code.toLowerCase()}`);
  await moving.locator('#join-name').fill('Mikko');
  await moving.locator('#join-form button[type=submit]').click();
  await moving.locator('#lobby').waitFor({ state: 'visible' });
  assert.equal(await moving.evaluate(() => getComputedStyle(document.querySelector('.lobby-pulse span')).animationName), 'pulse',
    'without the wish the dots do move (the check above means something)');
  await moving.context().close();
  await f.locator('#setting-admit_joiners').uncheck();

  // Forced colours: the online dot differs from the offline one, the chosen tab from the others.
  await k.emulateMedia({ forcedColors: 'active' });
  const look = await k.evaluate(() => {
    const st = (el) => { const c = getComputedStyle(el); return `${c.backgroundColor}|${c.color}|${c.borderColor}`; };
    const on = document.querySelector('.person.online .dot');
    const tabs = [...document.querySelectorAll('#tabs [role=tab]')];
    return {
      dotOn: st(on), dotBorder: getComputedStyle(on).borderTopWidth,
      chosen: st(tabs.find((x) => x.getAttribute('aria-selected') === 'true')),
      other: st(tabs.find((x) => x.getAttribute('aria-selected') !== 'true')),
      canvas: getComputedStyle(document.body).backgroundColor,
    };
  });
  assert.notEqual(look.chosen, look.other, 'the chosen tab looks different');
  assert.notEqual(look.dotOn.split('|')[0], look.canvas, 'the online dot is filled');
  assert.notEqual(look.dotBorder, '0px', 'every dot has an edge');
  await k.emulateMedia({ forcedColors: 'none' });

  // The focus ring: 3:1 against the page behind it.
  await k.locator('#hand').focus();
  await k.keyboard.press('Shift+Tab');
  await k.keyboard.press('Tab');
  const ring = await k.evaluate(() => {
    const c = getComputedStyle(document.activeElement);
    return { style: c.outlineStyle, width: parseFloat(c.outlineWidth), color: c.outlineColor, page: getComputedStyle(document.querySelector('.side')).backgroundColor };
  });
  const lum = (rgb) => {
    const [r, g, b] = rgb.match(/\d+/g).slice(0, 3).map((v) => Number(v) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
  assert.equal(ring.style, 'solid');
  assert.ok(ring.width >= 2, `ring width ${ring.width}`);
  assert.ok(ratio(ring.color, ring.page) >= 3, `focus ring ${ring.color} on ${ring.page}: ${ratio(ring.color, ring.page).toFixed(2)}:1`);
  const bg = await k.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  assert.ok(ratio(ring.color, bg) >= 3, `focus ring on the page background: ${ratio(ring.color, bg).toFixed(2)}:1`);
});

test('the page\'s lang follows the language chosen', async () => {
  assert.equal(await k.evaluate(() => document.documentElement.lang), 'fi');
  await k.locator('#lang').selectOption('sv');
  await k.locator('#tab-vision', { hasText: sv['board.vision'] }).waitFor();
  assert.equal(await k.evaluate(() => document.documentElement.lang), 'sv');
  await k.locator('#skip', { hasText: sv['web.skip.boards'] }).waitFor({ state: 'attached' });
});

test('no script errors on any page', () => {
  assert.deepEqual(pages.errors, []);
});
