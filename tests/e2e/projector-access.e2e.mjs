// The projector and the history view under axe-core, and the projector zoomed.
// - The projector in its dark and high-contrast themes (the facilitator's wall_theme), in
//   fi/sv/en: no serious or critical violation; in high contrast every text also passes
//   axe's color-contrast-enhanced (7:1).
// - The facilitator's history view in fi/sv/en: no serious or critical violation.
// - The projector of a 1920×1080 screen zoomed to 200 % and 400 % (a 960×540 and a 480×270
//   CSS viewport at device scale 2 and 4) with a long board: nothing cut off, nothing
//   scrolls sideways; the page scrolls down instead (WCAG 1.4.4, 1.4.10).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { story, join, openAsFacilitator, openScreen, addItem, itemText, shot, root } from './support/harness.mjs';
import { axe, axeRules, writeRemaining, sidewaysOverflow } from './support/a11y.mjs';

const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
const WALL = { width: 1920, height: 1080 };
const { keha, pages } = story('projector-access');


async function theme(f, s, name) {
  await f.locator('#setting-wall_theme').selectOption(name);
  await s.waitForFunction((t) => document.documentElement.dataset.wallTheme === t, name);
}

for (const [lang, locale] of Object.entries(LOCALES)) {
  test(`${lang}: the projector in the dark and high-contrast themes, and the history view`, async () => {
    const room = await keha.createRoom({ title: `Seinä ${lang}`, language: lang });
    const f = await pages.open(`f-${lang}`, { locale });
    await openAsFacilitator(f, keha.base, room);
    const p = await pages.open(`p-${lang}`, { locale });
    await join(p, keha.base, room.code, 'Aino', 'expert');
    await p.locator('#hand').click();
    await f.locator('#facil-phase').selectOption('vision');
    await addItem(p, 'vision', 'hinders', 'Kiire');
    await addItem(f, 'vision', 'enables', 'Yhteinen kieli');
    await f.locator('#facil-minutes').fill('10');
    await f.locator('#timer-start').click();
    const s = await pages.open(`s-${lang}`, { locale, viewport: WALL });
    await openScreen(s, keha.base, room);
    await itemText(s, 'Yhteinen kieli').waitFor();
    const bad = [];
    for (const name of ['dark', 'contrast']) {
      await theme(f, s, name);
      bad.push(...await axe(s, `${lang} projector, ${name} theme`));
    }
    bad.push(...await axeRules(s, `${lang} projector, contrast theme`, ['color-contrast-enhanced']));
    await theme(f, s, 'default');

    await f.locator('#history-open').click();
    await f.locator('#history').waitFor({ state: 'visible' });
    await f.locator('#history .item-text', { hasText: 'Kiire' }).waitFor();
    bad.push(...await axe(f, `${lang} history view`));
    await f.locator('#history-slider').fill('1');
    await f.locator('#history-asof:not(:empty)').waitFor();
    bad.push(...await axe(f, `${lang} history view, an earlier moment`));
    for (const page of [f, p, s]) await page.context().close();
    assert.deepEqual(bad, [], `axe found:\n${bad.join('\n')}`);
  });
}

// Every text on the projector: reached by scrolling the page, inside the viewport, and not
// hidden by an element that clips it.
function unreadable(page) {
  return page.evaluate(() => {
    const out = [];
    const sel = '#s-title, #s-question, .item-text, .item-foot, .vcol-title, #s-code, #s-url, .s-join-label, .timer-value, .s-hands h2, .hand-list li, #s-people';
    for (const el of document.querySelectorAll(sel)) {
      if (!el.textContent.trim() || !el.getClientRects().length) continue;
      // Only the page scrolls (scrollIntoView would also scroll a box that clips its content).
      const abs = el.getBoundingClientRect();
      window.scrollTo(window.scrollX + abs.left - 10, window.scrollY + abs.top - window.innerHeight / 3);
      const r = el.getBoundingClientRect();
      if (r.left < -1 || r.right > window.innerWidth + 1 || r.top < -1 || r.bottom > window.innerHeight + 1) {
        if (r.height <= window.innerHeight) out.push(`${el.className || el.id} "${el.textContent.slice(0, 30)}" outside the viewport`);
      }
      const x = Math.min(Math.max(r.left + Math.min(r.width / 2, 8), 0), window.innerWidth - 1);
      const y = Math.min(Math.max(r.top + Math.min(r.height / 2, 8), 0), window.innerHeight - 1);
      const hit = document.elementFromPoint(x, y);
      if (!hit || !(el.contains(hit) || hit.contains(el))) out.push(`${el.className || el.id} "${el.textContent.slice(0, 30)}" covered or cut off (${hit?.className || hit?.tagName})`);
    }
    window.scrollTo(0, 0);
    return out;
  });
}

test('the projector zoomed to 200 % and 400 % with a long board: nothing cut off, nothing sideways', async () => {
  const room = await keha.createRoom({ title: 'Pitkä taulu, jota luetaan suurennettuna' });
  const f = await pages.open('zoom-f');
  await openAsFacilitator(f, keha.base, room);
  await f.locator('#facil-phase').selectOption('vision');
  const p = await pages.open('zoom-p');
  await join(p, keha.base, room.code, 'Aino', 'expert');
  await p.locator('#hand').click();
  for (let i = 1; i <= 14; i += 1) {
    await addItem(f, 'vision', i % 2 ? 'hinders' : 'enables', `Merkintä ${i}: kokouksessa sanottu asia, joka on kirjoitettu muistiin kokonaisena lauseena`);
  }
  await itemText(f, 'Merkintä 14').waitFor();

  // The wall itself keeps its one-screen layout.
  const wall = await pages.open('zoom-100', { viewport: WALL });
  await openScreen(wall, keha.base, room);
  await itemText(wall, 'Merkintä 14').waitFor();
  await wall.locator('.s-hands h2').waitFor();
  assert.equal(await wall.evaluate(() => document.scrollingElement.scrollHeight <= window.innerHeight + 1), true, 'the wall at 100 % fits one screen');
  const itemSize = (page) => page.locator('.item-text').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  const atWall = await itemSize(wall);

  for (const [zoom, viewport] of [[2, { width: 960, height: 540 }], [4, { width: 480, height: 270 }]]) {
    const context = await pages.browser.newContext({ viewport, deviceScaleFactor: zoom, locale: 'fi-FI' });
    const s = await pages.open(`zoom-${zoom * 100}`, { viewport, context });
    await openScreen(s, keha.base, room);
    await itemText(s, 'Merkintä 14').waitFor();
    await s.locator('.s-hands h2').waitFor();
    assert.equal(await sidewaysOverflow(s), null, `${zoom * 100} %: scrolls sideways`);
    assert.deepEqual(await unreadable(s), [], `${zoom * 100} %: text cut off`);
    // Zooming in never makes the entries smaller on the screen than on the unzoomed wall.
    const zoomed = (await itemSize(s)) * zoom;
    assert.ok(zoomed >= atWall, `${zoom * 100} %: an entry is ${zoomed} device px, on the wall ${atWall}`);
    // The page scrolls down to the end of the board.
    assert.ok(await s.evaluate(() => document.scrollingElement.scrollHeight > window.innerHeight), `${zoom * 100} %: the page scrolls down`);
    await shot(s, `projector-zoom-${zoom * 100}`);
    await context.close();
  }
  for (const page of [f, p, wall]) await page.context().close();
});

test('the accessibility statement names every moderate and minor finding here', () => {
  const lines = writeRemaining('projector-access');
  const statement = fs.readFileSync(path.join(root, 'docs/accessibility.md'), 'utf8');
  const missing = lines.map((l) => l.split(' ')[0]).filter((id) => !statement.includes(`\`${id}\``));
  assert.deepEqual(missing, [], `docs/accessibility.md does not name:\n${lines.join('\n')}`);
});

test('no page errors', () => {
  assert.deepEqual(pages.errors, []);
});
