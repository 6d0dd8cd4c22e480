// The wall's themes (room.settings wall_theme): the facilitator switches the projector to dark
// and to high contrast from the facilitator page, the projector follows live, its text meets
// the contrast each theme promises and is large enough for the back of a 10-metre room, and
// the projector's own sound switch chimes at the end of a time box only when it is on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, join, openAsFacilitator, openScreen, addItem, shot, catalog } from './support/harness.mjs';

const fi = catalog('fi');
const WALL = { width: 1920, height: 1080 };
const { keha, pages, setUp } = story('wall-themes');
let room;
let facil;
let wall;

// Text on the wall a person reads, each with its own colour and the background behind it.
const READ = ['#s-step', '#s-title', '#s-question', '.s-join-label', '#s-url', '#s-code', '.s-timer .timer-value',
  '.s-timer .timer-label', '#s-people', '#s-sound', '.item-text', '.item-foot', '.tl-when', '.s-hands h2', '.hand-list li'];

// WCAG 2.1 contrast of each visible element's text against the first opaque background
// behind it (its own or an ancestor's).
function contrasts(page) {
  return page.evaluate((selectors) => {
    const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0.99)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const out = [];
    for (const sel of selectors) {
      for (const el of document.querySelectorAll(sel)) {
        if (!el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;
        if (!el.textContent.trim()) continue;
        const fg = lum(rgb(getComputedStyle(el).color).slice(0, 3));
        const bg = lum(background(el));
        const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
        out.push({ sel, ratio: Math.round(ratio * 100) / 100, size: parseFloat(getComputedStyle(el).fontSize) });
      }
    }
    return { out, page: getComputedStyle(document.body).backgroundColor, theme: document.documentElement.dataset.wallTheme };
  }, READ);
}

async function chooseTheme(theme) {
  await facil.locator('#setting-wall_theme').selectOption(theme);
  await wall.waitForFunction((t) => document.documentElement.dataset.wallTheme === t, theme);
}

setUp(async () => {
  room = await keha.createRoom({ title: 'Seinän teemat' });
  facil = await pages.open('facil', { viewport: { width: 1440, height: 900 } });
  await openAsFacilitator(facil, keha.base, room);
  await facil.locator('#facil-phase').selectOption('timeline');
  const aino = await pages.open('aino', { viewport: { width: 390, height: 844 } });
  await join(aino, keha.base, room.code, 'Aino', 'expert');
  await addItem(aino, 'timeline', 'event', 'Sain oman työntekijän, joka pysyi samana', { when: '2022-03', sector: 'Koulu' });
  await addItem(facil, 'timeline', 'event', 'Ensimmäinen verkostopalaveri', { when: '2021-09' });
  await aino.locator('#hand').click();
  await facil.locator('#facil-minutes').fill('15');
  await facil.locator('#timer-start').click();
  wall = await pages.open('wall', { viewport: WALL });
  // Count the wall's tones: every Web Audio oscillator started.
  await wall.addInitScript(() => {
    window.keha_tones = 0;
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (...a) { window.keha_tones += 1; return start.apply(this, a); };
  });
  await openScreen(wall, keha.base, room);
  await wall.locator('.item-text', { hasText: 'Ensimmäinen verkostopalaveri' }).waitFor();
  await wall.locator('.hand-list li').first().waitFor();
  await wall.locator('.s-timer .timer-value').waitFor();
});

test('the facilitator page offers the three themes, the room default first', async () => {
  const options = await facil.locator('#setting-wall_theme option').allTextContents();
  assert.deepEqual(options, [fi['wall.theme_default'], fi['wall.theme_dark'], fi['wall.theme_contrast']]);
  assert.equal(await facil.locator('#setting-wall_theme').inputValue(), 'default');
  const { theme, page } = await contrasts(wall);
  assert.equal(theme, 'default');
  assert.equal(page, 'rgb(251, 250, 246)', 'the light wall keeps its page colour');
  await shot(wall, 'wall-default');
});

test('high contrast: every text on the wall at least 7:1, the page black', async () => {
  await chooseTheme('contrast');
  const { out, page } = await contrasts(wall);
  assert.equal(page, 'rgb(0, 0, 0)');
  for (const sel of READ.filter((s) => s !== '#s-step')) assert.ok(out.some((o) => o.sel === sel), `${sel} is on the wall`);
  for (const o of out) assert.ok(o.ratio >= 7, `${o.sel}: ${o.ratio}:1 is under 7:1`);
  await shot(wall, 'wall-contrast');
});

test('dark: light text on a dark wall, every text at least 4.5:1', async () => {
  await chooseTheme('dark');
  const { out, page } = await contrasts(wall);
  assert.equal(page, 'rgb(16, 20, 23)');
  for (const o of out) assert.ok(o.ratio >= 4.5, `${o.sel}: ${o.ratio}:1 is under 4.5:1`);
  assert.ok(out.filter((o) => o.ratio >= 7).length >= out.length - 2, JSON.stringify(out));
  await shot(wall, 'wall-dark');
  // A wall opened later starts in the chosen theme.
  const late = await pages.open('late-wall', { viewport: WALL });
  await openScreen(late, keha.base, room);
  await late.waitForFunction(() => document.documentElement.dataset.wallTheme === 'dark');
  await late.close();
});

// Item text and the question at least 1/36 of the screen height, every other text a person
// needs at least 1/45 (docs/browser-view.md), on a 1080p and a 720p projector.
for (const viewport of [WALL, { width: 1280, height: 720 }]) {
  test(`type sizes for the back of the room at ${viewport.width}x${viewport.height}`, async () => {
    await wall.setViewportSize(viewport);
    await wall.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const { out } = await contrasts(wall);
    const size = (sel) => Math.min(...out.filter((o) => o.sel === sel).map((o) => o.size));
    for (const sel of ['.item-text', '#s-question']) {
      assert.ok(size(sel) >= viewport.height / 36, `${sel} is ${size(sel)} px at ${viewport.height} px high`);
    }
    for (const sel of ['.item-foot', '.hand-list li', '#s-url', '#s-people', '.tl-when', '.s-timer .timer-label']) {
      assert.ok(size(sel) >= viewport.height / 45, `${sel} is ${size(sel)} px at ${viewport.height} px high`);
    }
    if (viewport.height === 720) await shot(wall, 'wall-dark-720p');
  });
}

test('the time-box sound: off by default, a chime at the end once switched on here', async () => {
  await wall.setViewportSize(WALL);
  const button = wall.locator('#s-sound');
  assert.equal(await button.getAttribute('aria-pressed'), 'false', 'the sound starts off');
  // A short box ends with the sound off: no tone.
  await facil.locator('#facil-minutes').fill('0.05');
  await facil.locator('#timer-start').click();
  await wall.locator('.s-timer.over').waitFor();
  assert.equal(await wall.evaluate(() => window.keha_tones), 0, 'a tone played with the sound off');
  // Someone at the projector turns it on (by keyboard), and the next box chimes.
  await button.focus();
  await wall.keyboard.press('Enter');
  assert.equal(await button.getAttribute('aria-pressed'), 'true');
  await facil.locator('#timer-start').click();
  await wall.waitForFunction(() => window.keha_tones >= 2);
  assert.equal(await wall.evaluate(() => window.keha_tones), 2, 'one two-note chime');
});

test('no script errors', () => {
  assert.deepEqual(pages.errors, []);
});
