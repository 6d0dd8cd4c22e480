// Each person reads the meeting in their own language: the page follows the person's own
// choice, then the browser's languages, then the room's language, then Finnish; the agenda,
// the questions and the phase cards come in that language whatever the room's language; a
// sector picked in Swedish and one picked in Finnish are one sector, shown to each in their
// words; and counted texts take the catalogs' plural forms.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, join, openAsFacilitator, openScreen, addItem, itemText, shot, catalog, template } from './support/harness.mjs';

const cat = { fi: catalog('fi'), sv: catalog('sv'), en: catalog('en') };
const tpl = template('default');
const era = template('eratauko');
const phone = { width: 390, height: 844 };
const { keha, pages, setUp } = story('languages');
const rooms = {};
const p = {}; // f (facilitator, fi-FI), sara (sv-FI, phone), emma (en-GB, phone)

const phase = (t, id) => t.phases.find((x) => x.id === id);

setUp(async () => {
  rooms.fi = await keha.createRoom({ title: 'Kehittäjätiimi', language: 'fi' });
  rooms.sv = await keha.createRoom({ title: 'Utvecklingsteam', language: 'sv' });
  rooms.era = await keha.createRoom({ title: 'Erätauko', language: 'fi', template: 'eratauko' });
  p.f = await pages.open('f');
  await openAsFacilitator(p.f, keha.base, rooms.fi);
});

test('a Swedish browser (sv-FI) reads a Finnish room in Swedish: the join form, the phase and its question', async () => {
  const sara = p.sara = await pages.open('sara', { viewport: phone, locale: 'sv-FI' });
  await sara.goto(`${keha.base}/r/${rooms.fi.code.toLowerCase()}`);
  await sara.locator('#join-form button[type=submit]', { hasText: cat.sv['web.join.enter'] }).waitFor();
  assert.equal(await sara.locator('html').getAttribute('lang'), 'sv');
  await join(sara, keha.base, rooms.fi.code, 'Sara', 'professional');
  const first = tpl.phases[0];
  await sara.locator('#phase-title', { hasText: first.title.sv }).waitFor();
  assert.equal(await sara.locator('#phase-question').textContent(), first.question.sv);
  // The facilitator's page, in a Finnish browser, shows the same phase in Finnish.
  assert.equal(await p.f.locator('#phase-title').textContent(), first.title.fi);
});

test('an English browser (en-GB) reads the same room in English, and follows the facilitator into the next phase', async () => {
  const emma = p.emma = await pages.open('emma', { viewport: phone, locale: 'en-GB' });
  await join(emma, keha.base, rooms.fi.code, 'Emma', 'expert');
  await emma.locator('#phase-title', { hasText: tpl.phases[0].title.en }).waitFor();
  await p.f.locator('#facil-phase').selectOption('timeline');
  const timeline = phase(tpl, 'timeline');
  await emma.locator('#phase-title', { hasText: timeline.title.en }).waitFor();
  assert.equal(await emma.locator('#phase-question').textContent(), timeline.question.en);
  await p.sara.locator('#phase-title', { hasText: timeline.title.sv }).waitFor();
  // Dates as a British reader writes them (day first), and as a Finnish one does: the page's one date writer.
  const dates = await emma.evaluate(async () => {
    const i18n = await import('/static/i18n.js');
    return [i18n.formatDate('2026-11-30T10:00:00Z'), i18n.formatDate('2026-11-30T10:00:00Z', 'fi')];
  });
  assert.deepEqual(dates, ['30/11/2026', '30.11.2026']);
  // The facilitator's agenda keeps the facilitator's language.
  assert.match(await p.f.locator('#facil-phase option:checked').textContent(), new RegExp(timeline.title.fi));
});

test('a browser in none of our languages (de-DE) gets the room\'s language, else Finnish', async () => {
  const hans = await pages.open('hans', { locale: 'de-DE' });
  await hans.goto(`${keha.base}/r/${rooms.sv.code.toLowerCase()}`);
  await hans.locator('#join-form button[type=submit]', { hasText: cat.sv['web.join.enter'] }).waitFor();
  await join(hans, keha.base, rooms.sv.code, 'Hans', 'other');
  await hans.locator('#phase-title', { hasText: tpl.phases[0].title.sv }).waitFor();
  assert.equal(await hans.locator('#lang').inputValue(), 'sv');

  const greta = await pages.open('greta', { locale: 'de-DE' });
  await join(greta, keha.base, rooms.fi.code, 'Greta', 'other');
  await greta.locator('#phase-title', { hasText: phase(tpl, 'timeline').title.fi }).waitFor();
  assert.equal(await greta.locator('html').getAttribute('lang'), 'fi');

  // The front page has no room: the browser's language, else Finnish.
  const front = await pages.open('front-de', { locale: 'de-DE' });
  await front.goto(`${keha.base}/`);
  await front.locator('html[lang=fi]').waitFor({ state: 'attached' });
  const frontSv = await pages.open('front-sv', { locale: 'sv-SE' });
  await frontSv.goto(`${keha.base}/`);
  await frontSv.locator('html[lang=sv]').waitFor({ state: 'attached' });
  assert.equal(await frontSv.locator('#lang').inputValue(), 'sv');
});

test('the person\'s own choice wins over the browser and is remembered', async () => {
  const ctx = await pages.context({ locale: 'sv-FI' });
  const page = await pages.open('chooser', { context: ctx });
  await join(page, keha.base, rooms.fi.code, 'Stina', 'leader');
  await page.locator('#phase-title', { hasText: phase(tpl, 'timeline').title.sv }).waitFor();
  await page.locator('#lang').selectOption('en');
  await page.locator('#phase-title', { hasText: phase(tpl, 'timeline').title.en }).waitFor();
  await page.reload();
  await page.locator('#phase-title', { hasText: phase(tpl, 'timeline').title.en }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await ctx.close();
});

test('a sector picked in Swedish and one picked in Finnish are one sector, in each person\'s words', async () => {
  const { f, sara, emma } = p;
  // Sara picks her list's "Skola och elevhälsa", the facilitator his "Koulu ja oppilashuolto".
  const options = await sara.locator('#panel-timeline datalist option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(options.includes(cat.sv['sector.school']), `Swedish list: ${options}`);
  await addItem(sara, 'timeline', 'event', 'Skolan ringde hem om frånvaron', { when: '2024-02', sector: cat.sv['sector.school'] });
  await addItem(f, 'timeline', 'event', 'Koulun ja kodin palaveri', { when: '2024-03', sector: cat.fi['sector.school'] });
  await addItem(f, 'timeline', 'event', 'Nuorisotalon ohjaaja otti yhteyttä', { when: '2024-04', sector: 'Nuorisotyö' });
  for (const [page, lang] of [[f, 'fi'], [sara, 'sv'], [emma, 'en']]) {
    // The entry as the server keeps it (a sender's own page first shows it waiting, without its chip).
    await page.locator('#panel-timeline .item:not(.pending)', { hasText: 'Nuorisotalon ohjaaja' }).waitFor();
    const chips = await page.locator('#panel-timeline .sector-chip').allTextContents();
    assert.deepEqual(chips.sort(), [cat[lang]['sector.school'], cat[lang]['sector.school'], 'Nuorisotyö'].sort(), lang);
    const legend = await page.locator('#panel-timeline .tl-legend-item').allTextContents();
    assert.deepEqual(legend.sort(), [cat[lang]['sector.school'], 'Nuorisotyö'].sort(), `${lang}: one school sector in the legend`);
  }
  // Editing shows the sector in the editor's words, and keeps it one sector.
  await emma.locator('.tl-item', { hasText: 'Skolan ringde' }).waitFor();
  const own = sara.locator('.tl-item', { hasText: 'Skolan ringde' });
  await own.locator('button.edit').click();
  const editor = sara.locator('.tl-item.editing');
  assert.equal(await editor.locator('.f-sector').inputValue(), cat.sv['sector.school']);
  await editor.locator('.f-sector').fill(cat.sv['sector.child_protection']);
  await editor.locator('button.primary').click();
  await emma.locator('.tl-item', { hasText: 'Skolan ringde' }).locator('.sector-chip', { hasText: cat.en['sector.child_protection'] }).waitFor();
  await f.locator('.tl-item', { hasText: 'Skolan ringde' }).locator('.sector-chip', { hasText: cat.fi['sector.child_protection'] }).waitFor();
  await shot(sara, 'languages-timeline-sv-phone');
  await shot(emma, 'languages-timeline-en-phone');
});

test('a phase card of the template is in each person\'s language; the projector speaks the room\'s', async () => {
  const f = await pages.open('era-f');
  await openAsFacilitator(f, keha.base, rooms.era);
  const emma = await pages.open('era-emma', { viewport: phone, locale: 'en-GB' });
  await join(emma, keha.base, rooms.era.code, 'Emma', 'expert');
  const screen = await pages.open('era-screen', { viewport: { width: 1280, height: 720 } });
  await openScreen(screen, keha.base, rooms.era);
  await f.locator('#facil-phase').selectOption('ground-rules');
  const card = phase(era, 'ground-rules').card;
  await emma.locator('#phase-card .card-title', { hasText: card.title.en }).waitFor();
  assert.deepEqual(await emma.locator('#phase-card .card-lines li').allTextContents(), card.lines.map((l) => l.en));
  await f.locator('#phase-card .card-title', { hasText: card.title.fi }).waitFor();
  await screen.locator('#s-card .card-title', { hasText: card.title.fi }).waitFor();
  await screen.locator('#s-title', { hasText: phase(era, 'ground-rules').title.fi }).waitFor();
  await shot(emma, 'languages-card-en-phone');
});

test('counted texts take the plural form of the person\'s language', async () => {
  const { f, sara, emma } = p;
  await f.locator('#setting-vote_limit').fill('1');
  await f.locator('#setting-vote_limit').press('Tab');
  const vote = (page) => page.locator('.tl-item', { hasText: 'Koulun ja kodin palaveri' }).locator('button.vote');
  await vote(sara).click();
  await sara.locator('#votes-left', { hasText: cat.sv['web.votes.none_left.one'].replace('{n}', '1') }).waitFor();
  assert.ok(!(await sara.locator('#votes-left').textContent()).includes('{'), 'no placeholder left');
  await emma.locator('#votes-left', { hasText: cat.en['web.votes.left'].replace('{left}', '1').replace('{limit}', '1') }).waitFor();
  await vote(emma).click();
  await emma.locator('#votes-left', { hasText: cat.en['web.votes.none_left.one'].replace('{n}', '1') }).waitFor();
  await shot(sara, 'languages-votes-sv-phone');
  await f.locator('#setting-vote_limit').fill('0');
  await f.locator('#setting-vote_limit').press('Tab');
});

test('no script errors or dialogs on any page', () => {
  assert.deepEqual(pages.errors, []);
});
