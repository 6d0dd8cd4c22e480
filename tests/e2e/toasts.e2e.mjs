// Notices at the corner of the page (WCAG 2.2.1 Timing adjustable): an error stays until the
// person closes it, with a close button reached by the keyboard; a passing notice (the phase
// changed) lasts long enough and is held as long as the pointer or the focus is on it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, join, openAsFacilitator, addItem, sleep, catalog, shot } from './support/harness.mjs';
import { focused } from './support/a11y.mjs';

const fi = catalog('fi');
// Longer than any notice is shown on its own (8 s): what is still there after it was held.
const LONGER = 9500;
const { keha, pages, setUp } = story('toasts');
let room;
let f;
let p;

setUp(async () => {
  room = await keha.createRoom({ title: 'Ilmoitukset' });
  f = await pages.open('facil');
  await openAsFacilitator(f, keha.base, room);
  p = await pages.open('aino', { viewport: { width: 390, height: 844 } });
  await join(p, keha.base, room.code, 'Aino', 'expert');
});

test('an error stays until closed, and its close button is reached by Tab and gives the focus back', async () => {
  await f.locator('#facil-phase').selectOption('vision');
  await p.locator('#panel-vision').waitFor({ state: 'visible' });
  await p.locator('#toasts .toast').first().waitFor({ state: 'detached', timeout: 30000 });
  await f.locator('#setting-vote_limit').fill('1');
  await f.locator('#setting-vote_limit').press('Tab');
  await addItem(f, 'vision', 'hinders', 'Kiire');
  await addItem(f, 'vision', 'hinders', 'Tieto ei kulje');
  const vote = (text) => p.locator('#panel-vision .item', { hasText: text }).locator('button.vote');
  await vote('Kiire').click();
  await p.locator('#panel-vision .item', { hasText: 'Kiire' }).locator('button.vote[aria-pressed=true]').waitFor();
  await vote('Tieto ei kulje').click();
  const refused = p.locator('#toasts .toast.error.vote-refused');
  await refused.waitFor();
  assert.equal(await refused.getAttribute('role'), 'alert');
  await sleep(LONGER);
  assert.equal(await refused.count(), 1, 'the error is still there to read');
  // The close button is named and big enough to touch on a phone.
  const close = refused.locator('button.toast-close');
  assert.equal(await close.getAttribute('aria-label'), fi['web.toast.close']);
  const box = await close.boundingBox();
  assert.ok(box.width >= 44 && box.height >= 44, `close button ${box.width}×${box.height}`);
  await shot(p, 'toast-error-phone');
  // By keyboard: Tab from the vote button reaches it.
  await vote('Tieto ei kulje').focus();
  let steps = 0;
  while (!(await close.evaluate((el) => el === document.activeElement)) && steps < 80) {
    await p.keyboard.press('Tab');
    steps += 1;
  }
  assert.ok(steps < 80, `Tab never reached the close button (at ${await focused(p)})`);
  await p.keyboard.press('Enter');
  await refused.waitFor({ state: 'detached' });
  assert.equal(await focused(p), 'h1#phase-title', 'the focus stays on the page, not the body');
});

test('a passing notice is held while the pointer or the focus is on it, then goes', async () => {
  await f.locator('#facil-phase').selectOption('plan');
  const note = p.locator('#toasts .toast[data-tag=phase]');
  await note.waitFor();
  assert.equal(await note.getAttribute('role'), 'status');
  await note.hover();
  await sleep(LONGER);
  assert.equal(await note.count(), 1, 'held under the pointer');
  await p.mouse.move(5, 400);
  // It goes by itself once let go (after its own 8 s).
  await note.waitFor({ state: 'detached', timeout: 30000 });

  await f.locator('#facil-phase').selectOption('vision');
  await note.waitFor();
  await note.locator('button.toast-close').focus();
  await sleep(LONGER);
  assert.equal(await note.count(), 1, 'held while focused');
  await p.keyboard.press('Escape');
  await note.waitFor({ state: 'detached' });
  assert.equal(await focused(p), 'h1#phase-title');
  // And a notice nobody touches goes by itself.
  await f.locator('#facil-phase').selectOption('plan');
  await note.waitFor();
  await note.waitFor({ state: 'detached', timeout: 30000 });
});

test('no page errors', () => {
  assert.deepEqual(pages.errors, []);
});
