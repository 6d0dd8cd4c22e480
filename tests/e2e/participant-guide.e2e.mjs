// The participant's guide: linked from the join page (and from the name step and the people
// column of a meeting), it opens in the language the page that linked it speaks, every word
// from the catalogs (no raw guide.* key, no unfilled {label}), and reads on a 320 px phone
// without scrolling sideways.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { story, join, catalog, ART } from './support/harness.mjs';

const cat = { fi: catalog('fi'), sv: catalog('sv'), en: catalog('en') };
const locales = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
const narrow = { width: 320, height: 640 };
const phone = { width: 390, height: 844 };
const { keha, pages, setUp } = story('participant-guide');
let room;

setUp(async () => {
  room = await keha.createRoom({ title: 'Kehittäjätiimi', language: 'fi' });
});

// The guide as a reader gets it: its language, and every catalog-marked text as shown.
async function readGuide(page) {
  await page.locator('.guide-card h1').waitFor();
  return page.evaluate(() => ({
    lang: document.documentElement.lang,
    title: document.querySelector('.guide-card h1').textContent,
    texts: [...document.querySelectorAll('[data-i18n]')].map((el) => ({ key: el.dataset.i18n, text: el.textContent })),
    body: document.body.innerText,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  }));
}

// Every guide key of the catalog is on the page, each filled: no raw key, no {placeholder}.
function assertComplete(guide, lang) {
  const keys = Object.keys(cat[lang]).filter((k) => k.startsWith('guide.') && k !== 'guide.link');
  const shown = new Map(guide.texts.map((x) => [x.key, x.text]));
  for (const key of keys) {
    assert.ok(shown.has(key), `${lang}: ${key} is not on the page`);
    const text = shown.get(key);
    assert.ok(text.trim().length > 0, `${lang}: ${key} is empty`);
    assert.notEqual(text, key, `${lang}: ${key} shows as a raw key`);
    assert.doesNotMatch(text, /\{\w+\}/, `${lang}: ${key} has an unfilled placeholder: ${text}`);
  }
  assert.doesNotMatch(guide.body, /\b(guide|web|group)\.[a-z_]+/, `${lang}: a raw catalog key shows`);
}

for (const lang of ['fi', 'sv', 'en']) {
  test(`${lang}: the join page links the guide, which opens in ${lang}, complete and readable at 320 px`, async () => {
    const page = await pages.open(`join-${lang}`, { viewport: narrow, locale: locales[lang] });
    await page.goto(`${keha.base}/`);
    const link = page.locator('#guide-link');
    await link.filter({ hasText: cat[lang]['guide.link'] }).waitFor();
    await page.screenshot({ path: path.join(ART, `web-participant-guide-${lang}-join-320.png`) });
    await link.click();
    await page.waitForURL(`${keha.base}/guide?lang=${lang}`);
    const guide = await readGuide(page);
    assert.equal(guide.lang, lang);
    assert.equal(guide.title, cat[lang]['guide.title']);
    assertComplete(guide, lang);
    // The guide quotes the buttons by their own labels in this language.
    assert.ok(guide.body.includes(cat[lang]['web.device.leave']), `${lang}: the leave button's label is not quoted`);
    assert.ok(guide.body.includes(cat[lang]['web.hands.raise']), `${lang}: the hand button's label is not quoted`);
    assert.ok(guide.overflow <= 0, `${lang}: the guide scrolls sideways by ${guide.overflow}px at 320 px`);
    await page.screenshot({ path: path.join(ART, `web-participant-guide-${lang}-320.png`) });
    await page.screenshot({ path: path.join(ART, `web-participant-guide-${lang}-320-full.png`), fullPage: true });
    await page.context().close();
  });
}

test('a language picked on the join page carries over to the guide', async () => {
  const page = await pages.open('picked', { viewport: phone, locale: 'fi-FI' });
  await page.goto(`${keha.base}/`);
  await page.locator('#guide-link', { hasText: cat.fi['guide.link'] }).waitFor();
  await page.locator('#lang').selectOption('sv');
  await page.locator('#guide-link', { hasText: cat.sv['guide.link'] }).waitFor();
  await page.locator('#guide-link').click();
  const guide = await readGuide(page);
  assert.equal(guide.lang, 'sv');
  assert.equal(guide.title, cat.sv['guide.title']);
  // The guide's own picker changes it in place.
  await page.locator('#lang').selectOption('en');
  await page.locator('.guide-card h1', { hasText: cat.en['guide.title'] }).waitFor();
  assertComplete(await readGuide(page), 'en');
  await page.context().close();
});

test('/guide without a language speaks the browser\'s', async () => {
  const page = await pages.open('bare', { viewport: phone, locale: 'sv-FI' });
  await page.goto(`${keha.base}/guide`);
  const guide = await readGuide(page);
  assert.equal(guide.lang, 'sv');
  assertComplete(guide, 'sv');
  await page.context().close();
});

test('a participant finds the guide at the name step and in the meeting, opened beside it in their language', async () => {
  const page = await pages.open('emma', { viewport: phone, locale: 'en-GB' });
  await page.goto(`${keha.base}/r/${room.code}`);
  await page.locator('#join-guide-link', { hasText: cat.en['guide.link'] }).waitFor();
  await join(page, keha.base, room.code, 'Emma', 'expert');
  const link = page.locator('#room-guide-link');
  await link.filter({ hasText: cat.en['guide.link'] }).waitFor();
  const [guidePage] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
  const guide = await readGuide(guidePage);
  assert.equal(guide.lang, 'en');
  assertComplete(guide, 'en');
  // The meeting stays open in its own tab.
  assert.ok(await page.locator('#app').isVisible());
  await page.context().close();
});

test('no page had a script error or a dialog', () => {
  assert.deepEqual(pages.errors, []);
});
