// One 1,990-character word (an item's text, a name, a board field) must not scroll any page
// sideways: the participant on a phone, the facilitator on a laptop and on a phone, and the
// projector, on every board.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, template, shot, facilitatorDo, T } from './support/harness.mjs';

const { keha, pages: harness, setUp } = story('long-words');
let base = '';

const createRoom = (body) => keha.createRoom(body);
const facilDo = (page, code, key, cmd, args) => facilitatorDo(page, keha.port, code, key, cmd, args);

setUp(async () => {
  base = keha.base;
});

test('a very long word wraps: no page scrolls sideways', async () => {
  const r = await createRoom({ title: 'T'.repeat(200), language: 'fi', template: 'systemic-team' });
  const opened = [];
  const open = async (name, viewport, url) => {
    const ctx = await harness.browser.newContext({ viewport, locale: 'fi-FI' });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => harness.errors.push(`${name}: ${e.message}`));
    page.setDefaultTimeout(T);
    opened.push(ctx);
    await page.goto(url);
    return page;
  };
  const f = await open('long-f', { width: 1440, height: 900 }, `${base}/r/${r.code}#key=${r.facilitator_key}&screen=${r.screen_key}`);
  await f.locator('#conn.online').waitFor();
  const fp = await open('long-fp', { width: 390, height: 844 }, `${base}/r/${r.code}#key=${r.facilitator_key}`);
  await fp.locator('#conn.online').waitFor();
  const p = await open('long-p', { width: 390, height: 844 }, `${base}/r/${r.code}`);
  await p.locator('#join-name').fill('N'.repeat(60));
  await p.locator('input[name=group][value=professional]').check();
  await p.locator('#join-form button[type=submit]').click();
  await p.locator('#conn.online').waitFor();
  const s = await open('long-s', { width: 1920, height: 1080 }, `${base}/screen/${r.code}#key=${r.screen_key}`);
  await s.locator('#screen').waitFor({ state: 'visible' });
  const word = 'a'.repeat(1990);
  const field = 'b'.repeat(200);
  const add = (board, column, extra = {}) => facilDo(f, r.code, r.facilitator_key, 'item.add', { board, column, text: word, ...extra });
  for (const res of [
    await add('timeline', 'event', { when: field, sector: field }),
    await add('vision', 'hinders'),
    await add('plan', 'action', { who: field, with: field, due: field }),
    await add('reflections', 'reflection'),
    await add('hypotheses', 'hypothesis'),
    await add('commitments', 'commitment', { who: field, organisation: field }),
  ]) assert.ok(res.seq, JSON.stringify(res));
  // The template's boards, and two phases of the facilitator's own (a long title and question)
  // for the boards it does not use.
  const tpl = template('systemic-team');
  const phases = tpl.phases.filter((x) => x.board).map((x) => ({ id: x.id, board: x.board }));
  for (const board of ['vision', 'commitments']) {
    const res = await facilDo(f, r.code, r.facilitator_key, 'phase.add', { title: 'P'.repeat(200), question: 'Q'.repeat(2000), board });
    assert.ok(res.seq, JSON.stringify(res));
    phases.push({ id: `x${res.seq}`, board });
  }
  const shown = new Set();
  for (const phase of phases) {
    if (shown.has(phase.board)) continue;
    shown.add(phase.board);
    await f.locator('#facil-phase').selectOption(phase.id);
    for (const page of [p, f, fp, s]) {
      await page.locator(`.board-${phase.board} .item-text:visible`, { hasText: 'aaaaaaaaaa' }).first().waitFor();
      const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth }));
      assert.ok(scroll <= width, `${phase.board}: the page scrolls sideways (${scroll} px in ${width} px)`);
    }
    if (phase.board === 'timeline') {
      await shot(p, 'long-word-phone');
      await shot(s, 'long-word-screen');
    }
  }
  assert.equal(shown.size, 6, `boards checked: ${[...shown]}`);
  for (const ctx of opened) await ctx.close();
});

test('no script errors and no dialogs on any page', () => {
  assert.deepEqual(harness.errors, []);
});
