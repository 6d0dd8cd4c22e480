// From a 320-pixel phone to the wall: at 320×640 and 390×844 no page scrolls sideways (the
// join page, the name step, the lobby, every board with entries, a reflecting team, the
// questionnaire, the facilitator's view and the projector), the plan is a list of cards, and
// every control a finger meets is at least 44×44 pixels. Screenshots of the phone layout.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, join, openAsFacilitator, openScreen, addItem, itemText, shot, setSetting } from './support/harness.mjs';
import { sidewaysOverflow, smallTargets } from './support/a11y.mjs';

const { keha, pages, setUp } = story('small-screens');
const SIZES = { 320: { width: 320, height: 640 }, 390: { width: 390, height: 844 } };
const long = 'Nuoren oma ääni kuuluu palavereissa ja hän saa itse kertoa, mikä häntä auttaa koulussa ja kotona';
let room;
let f;
let s;
let writer; // a desktop participant who fills the boards

setUp(async () => {
  room = await keha.createRoom({ title: 'Monialainen verkostotapaaminen nuoren tueksi syyslukukaudella' });
  f = await pages.open('f');
  await openAsFacilitator(f, keha.base, room);
  s = await pages.open('s', { viewport: { width: 1920, height: 1080 } });
  await openScreen(s, keha.base, room);
  writer = await pages.open('writer');
  await join(writer, keha.base, room.code, 'Pirjo Virtanen-Korhonen', 'professional');
  for (const [phase, board, column, fields] of [
    ['timeline', 'timeline', 'event', { when: '2024-09', sector: 'Koulu ja oppilashuolto' }],
    ['vision', 'vision', 'hinders', {}],
    ['plan', 'plan', 'action', { who: 'Sosiaalityöntekijä ja koulukuraattori', with: 'Nuori, huoltajat ja opettaja', due: '2025-05-31' }],
    ['reflection', 'reflections', 'reflection', {}],
  ]) {
    await f.locator('#facil-phase').selectOption(phase);
    await writer.locator(`#panel-${board}`).waitFor({ state: 'visible' });
    await addItem(writer, board, column, `${long} (${board})`, fields);
    await itemText(writer, `(${board})`).waitFor();
  }
  await f.locator('#facil-phase').selectOption('vision');
});

async function noSideways(page, what) {
  const wide = await sidewaysOverflow(page);
  assert.equal(wide, null, `${what} scrolls sideways: ${wide}`);
}

async function bigTargets(page, what, scope = 'body') {
  const small = await smallTargets(page, scope);
  assert.deepEqual(small, [], `${what}: controls under 44×44 px`);
}

for (const [w, viewport] of Object.entries(SIZES)) {
  test(`${w} px: the join page, the name step and the lobby`, async () => {
    const p = await pages.open(`join-${w}`, { viewport });
    await p.goto(`${keha.base}/`);
    await p.locator('#code').waitFor();
    await noSideways(p, 'the join page');
    await bigTargets(p, 'the join page');
    await p.locator('#create summary').click();
    await p.locator('#create-template option[value=default]').waitFor({ state: 'attached' });
    await noSideways(p, 'the join page with a new meeting open');
    await bigTargets(p, 'the new meeting form');
    await shot(p, `a11y-join-${w}`);
    await p.goto(`${keha.base}/r/${room.code.toLowerCase()}`);
    await p.locator('#join-name').waitFor();
    await noSideways(p, 'the name step');
    await bigTargets(p, 'the name step', '#join');
    await shot(p, `a11y-name-step-${w}`);
    await setSetting(f, 'admit_joiners', true);
    await p.locator('#join-name').fill(`Nea ${w}`);
    await p.locator('#join-form button[type=submit]').click();
    await p.locator('#lobby').waitFor({ state: 'visible' });
    await noSideways(p, 'the lobby');
    await shot(p, `a11y-lobby-${w}`);
    await f.locator('#setting-admit_joiners').uncheck();
    await p.context().close();
  });

  test(`${w} px: a participant on every board, the plan as cards, a reflecting team and the questionnaire`, async () => {
    const p = await pages.open(`p-${w}`, { viewport });
    await join(p, keha.base, room.code, `Nea Nuorinen ${w}`, 'expert');
    for (const board of ['timeline', 'vision', 'plan', 'reflections']) {
      await p.locator(`#tab-${board}`).click();
      await p.locator(`#panel-${board}`).waitFor({ state: 'visible' });
      await itemText(p, `(${board})`).waitFor();
      await noSideways(p, `the ${board} board`);
      await bigTargets(p, `the ${board} board`, '#app');
      await shot(p, `a11y-phone-${board}-${w}`);
    }
    // The plan: each action a card of its own, its fields labelled, within the screen.
    await p.locator('#tab-plan').click();
    const row = p.locator('#panel-plan .plan-row', { hasText: '(plan)' });
    const box = await row.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, `the plan's card fits: ${JSON.stringify(box)}`);
    assert.equal(await p.locator('#panel-plan thead').isVisible(), false, 'no table header on a phone');
    const who = await row.locator('td.c-who').evaluate((el) => getComputedStyle(el, '::before').content);
    assert.ok(who.includes('Kuka'), `the who field is labelled: ${who}`);
    await row.scrollIntoViewIfNeeded();
    await shot(p, `a11y-phone-plan-card-${w}`);

    // A reflecting team: the professionals in focus, the expert reflects.
    await f.locator('#facil-phase').selectOption('reflection');
    await f.locator('.rt-focus .rt-group-professional').check();
    await f.locator('.rt-reflect .rt-group-expert').check();
    await f.locator('#turns-reflecting').click();
    await p.locator('#turn-banner.listening').waitFor();
    await noSideways(p, 'the reflecting team');
    await bigTargets(p, 'the reflecting team', '#app');
    await p.evaluate(() => window.scrollTo(0, 0));
    await shot(p, `a11y-phone-reflecting-${w}`);
    await f.locator('#turns-end').click();

    // The questionnaire.
    await f.locator('#ratings-open').click();
    await p.locator('#ratings .ratings-form').waitFor();
    await noSideways(p, 'the questionnaire');
    await bigTargets(p, 'the questionnaire', '#ratings');
    await p.locator('#ratings').scrollIntoViewIfNeeded();
    await shot(p, `a11y-phone-questionnaire-${w}`);
    await f.locator('#ratings-close').click();
    await f.locator('#ratings-open').waitFor();
    await f.locator('#facil-phase').selectOption('vision');
    await p.context().close();
  });

  test(`${w} px: the facilitator's view and the projector`, async () => {
    const g = await pages.open(`f-${w}`, { viewport });
    await openAsFacilitator(g, keha.base, room);
    await noSideways(g, 'the facilitator\'s view');
    await bigTargets(g, 'the facilitator\'s view', '#app');
    await shot(g, `a11y-phone-facilitator-${w}`);
    await g.locator('#tab-plan').click();
    await itemText(g, '(plan)').waitFor();
    await noSideways(g, 'the facilitator\'s plan');
    await g.context().close();
    const wall = await pages.open(`s-${w}`, { viewport });
    await openScreen(wall, keha.base, room);
    await noSideways(wall, 'the projector');
    await wall.context().close();
  });
}

test('the projector at 1920×1080 keeps the join code, the QR code and the board in view', async () => {
  await noSideways(s, 'the projector');
  for (const sel of ['#s-code', '#s-qr', '#s-title']) {
    const box = await s.locator(sel).boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 1080 && box.x + box.width <= 1920, `${sel} in view`);
  }
});

test('no script errors on any page', () => {
  assert.deepEqual(pages.errors, []);
});
