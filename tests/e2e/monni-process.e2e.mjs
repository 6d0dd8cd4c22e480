// A whole MONNI process in the browser, as its people run it: the facilitator makes the
// professionals' meeting and its process from the front page, the professionals (one in
// Swedish) write the timeline, the hinderers and the agreed plan while the projector shows
// it; the leaders' meeting (a leader in English) is made from the process panel and brings
// in the timeline, vision and plan with where they came from; the cross reflection brings
// in the leaders' plan and runs a reflecting-team cycle, the leaders in focus and the
// professionals with the experience expert — on a phone — reflecting. The process report
// counts each agreement once; the notes name each person once, also after a reopened tab.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { story, join, openScreen, addItem, itemText, shot, catalog, ART, importFrom } from './support/harness.mjs';

const fi = catalog('fi');
const sv = catalog('sv');
const en = catalog('en');
const phone = { width: 390, height: 844 };
const wide = { width: 1366, height: 1000 };
const { keha, pages } = story('monni-process');
const p = {}; // f (facilitator), s (projector), pirjo, sven (professionals), liam (leader), nea (expert, phone)
const rooms = {}; // pros, leaders, cross: {code, facilitator_key, screen_key}
const received = { s: [], pirjo: [] }; // frames the projector and a fellow professional got

const hiddenEvent = 'Sijoitus perhekotiin';
const note = 'Kuulin sanan luottamus monta kertaa';

const counted = (key, n) => fi[`${key}.${n === 1 ? 'one' : 'other'}`].replace('{n}', String(n));

function listenTo(page, into) {
  page.on('websocket', (ws) => ws.on('framereceived', (f) => into.push(String(f.payload))));
}

// Tabs by their board, whatever the page's language.
async function tab(page, board) {
  await page.locator(`#tabs .tab[aria-controls=panel-${board}]`).click();
}

// The room the facilitator's page is in, from its address (code and keys in the fragment).
function roomOf(page) {
  const [pathPart, hash] = page.url().split('#');
  const frag = new URLSearchParams(hash || '');
  return {
    code: pathPart.split('/r/')[1].toUpperCase(), facilitator_key: frag.get('key'), screen_key: frag.get('screen'), process_key: frag.get('pkey'),
  };
}

async function create(page, href, { title, template, team, process }) {
  await page.goto(`${keha.base}${href}`);
  await page.locator('#create').evaluate((d) => { d.open = true; });
  await page.locator('#create-title').fill(title);
  await page.locator('#create-template').selectOption(template);
  if (process) {
    await page.locator('#create-process').selectOption('new');
    await page.locator('#create-process-title').fill(process.title);
    await page.locator('#create-process-teams').fill(process.teams.join('\n'));
  } else {
    await page.locator('#create-process').selectOption('linked');
  }
  if (team) {
    await page.locator(`#create-team option[value="${team}"]`).waitFor({ state: 'attached' });
    await page.locator('#create-team').selectOption(team);
  }
  await page.locator('#create-form button[type=submit]').click();
  await page.locator('#facil').waitFor({ state: 'visible' });
  await page.locator('#conn.online').waitFor();
  return roomOf(page);
}

async function download(page, selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
  return fs.readFileSync(await d.path(), 'utf8');
}

// The notes' people: the facilitator line and one line per group, names split out.
function peopleInNotes(md) {
  const facil = md.match(new RegExp(`^- \\*\\*${fi['notes.facilitators']}:\\*\\* (.*)$`, 'm'));
  const section = md.split(/^## /m).find((s) => s.startsWith(fi['notes.participants'])) || '';
  const names = [...section.matchAll(/^- \*\*[^*]+\*\*: (.*)$/gm)].flatMap((m) => m[1].split(', '));
  return { facilitators: facil ? facil[1].split(', ') : [], names };
}

async function openNotes(html, name) {
  const page = await pages.open(name, { viewport: { width: 1000, height: 1200 } });
  await page.setContent(html);
  await page.screenshot({ path: path.join(ART, `web-${name}.png`), fullPage: true });
  return page;
}


test('the professionals\' meeting: timeline, hinderer, votes and the agreed plan; a private event stays private', async () => {
  p.f = await pages.open('f', { viewport: wide });
  rooms.pros = await create(p.f, '/', {
    title: 'Ammattilaisten tapaaminen', template: 'monni-professionals', team: 'Ammattilaiset',
    process: { title: 'MONNI Verifiointi', teams: ['Ammattilaiset', 'Johtajat'] },
  });
  await p.f.locator('#process-panel .process-title', { hasText: 'MONNI Verifiointi' }).waitFor();
  p.s = await pages.open('s', { viewport: { width: 1280, height: 720 } });
  listenTo(p.s, received.s);
  await openScreen(p.s, keha.base, rooms.pros);
  p.pirjo = await pages.open('pirjo');
  listenTo(p.pirjo, received.pirjo);
  await join(p.pirjo, keha.base, rooms.pros.code, 'Pirjo', 'professional');
  p.sven = await pages.open('sven', { locale: 'sv-FI' });
  await join(p.sven, keha.base, rooms.pros.code, 'Sven', 'professional');
  await p.f.locator('#people-count', { hasText: '(3/3)' }).waitFor();
  // Each in their own language: the browser's, whatever the room's.
  await p.sven.locator('#tabs .tab[aria-controls=panel-timeline]', { hasText: sv['board.timeline'] }).waitFor();
  assert.equal(await p.sven.evaluate(() => document.documentElement.lang), 'sv');
  await p.pirjo.locator('#tabs .tab[aria-controls=panel-timeline]', { hasText: fi['board.timeline'] }).waitFor();

  const { f, s, pirjo, sven } = p;
  await f.locator('#facil-phase').selectOption('timeline');
  await tab(f, 'timeline');
  await addItem(f, 'timeline', 'event', 'Ensimmäinen ilmoitus koulusta', { when: '2021-09' });
  await tab(pirjo, 'timeline');
  await addItem(pirjo, 'timeline', 'event', 'Huostaanoton arviointi', { when: '2022-03' });
  await tab(sven, 'timeline');
  await addItem(sven, 'timeline', 'event', hiddenEvent, { when: '2023-01', hidden: true });
  await itemText(f, hiddenEvent).waitFor();
  // The timeline is written privately first (the template says so); one reveal shows the
  // events, and Sven's, kept private by choice, stays his.
  await f.locator('#writing-reveal').click();
  await itemText(s, 'Huostaanoton arviointi').waitFor();
  await shot(s, 'monni-wall-timeline');

  await f.locator('#facil-phase').selectOption('vision');
  await tab(f, 'vision');
  await addItem(f, 'vision', 'hinders', 'Tieto kulkee vain paperilla');
  for (const who of [pirjo, sven]) {
    await tab(who, 'vision');
    await who.locator('#panel-vision .item', { hasText: 'Tieto kulkee vain paperilla' }).locator('button.vote').click();
  }
  await f.locator('#panel-vision .item', { hasText: 'Tieto kulkee vain paperilla' }).locator('.vote-n', { hasText: '2' }).waitFor();

  await f.locator('#facil-phase').selectOption('plan');
  await tab(f, 'plan');
  const form = f.locator('#panel-plan form.add-form');
  await form.locator('.f-addresses option', { hasText: 'Tieto kulkee vain paperilla' }).waitFor({ state: 'attached' });
  await form.locator('.f-addresses').selectOption({ label: 'Tieto kulkee vain paperilla' });
  await addItem(f, 'plan', 'action', 'Yhteinen sähköinen kalenteri', { who: 'Pirjo', status: 'agreed' });
  await addItem(f, 'plan', 'action', 'Viikoittainen puhelu kotiin', { who: 'Sven', status: 'agreed' });
  await addItem(f, 'plan', 'action', 'Koulun tukijakso', { who: 'Pirjo', status: 'proposed' });
  await s.locator('#screen .plan-row', { hasText: 'Koulun tukijakso' }).waitFor();
  await shot(s, 'monni-wall-plan');

  // The private event reached nobody but its author and the facilitator; no key is on the wall.
  assert.ok(!received.s.some((x) => x.includes(hiddenEvent)), 'not to the projector');
  assert.ok(!received.pirjo.some((x) => x.includes(hiddenEvent)), 'not to a fellow professional');
  const wall = await s.content();
  for (const k of [rooms.pros.facilitator_key, rooms.pros.screen_key]) assert.ok(!wall.includes(k), 'no key on the wall');
  assert.ok(rooms.pros.process_key, 'the process key is in the facilitator\'s fragment');
  for (const k of [rooms.pros.facilitator_key, rooms.pros.screen_key, rooms.pros.process_key]) {
    assert.ok(!received.s.some((x) => x.includes(k)), 'no key in the projector\'s frames');
    assert.ok(!received.pirjo.some((x) => x.includes(k)), 'no key in a participant\'s frames');
  }
});

test('a professional reopening the tab or opening a second one, and the facilitator reloading, stay one person each', async () => {
  const { f, sven } = p;
  await sven.reload();
  await sven.locator('#conn.online').waitFor();
  assert.equal(await sven.locator('#join-form').isVisible(), false, 'no second join');
  // Pirjo opens the meeting in a second tab of the same browser: still Pirjo, not a newcomer.
  const again = await pages.open('pirjo-again', { context: p.pirjo.context() });
  await again.goto(`${keha.base}/r/${rooms.pros.code.toLowerCase()}`);
  await again.locator('#conn.online').waitFor();
  assert.equal(await again.locator('#join-form').isVisible(), false, 'the second tab is the same person');
  await again.close();
  await f.reload();
  await f.locator('#facil').waitFor({ state: 'visible' });
  await f.locator('#conn.online').waitFor();
  await f.locator('#people-count', { hasText: '(3/3)' }).waitFor();
  assert.deepEqual((await f.locator('#people .person .n').allInnerTexts()).sort(),
    [`${fi['role.facilitator']} (${fi['web.people.you']})`, 'Pirjo', 'Sven'].sort());

  const md = await download(f, '#export-md');
  const people = peopleInNotes(md);
  assert.equal(people.facilitators.length, 1, `one facilitator in the notes: ${people.facilitators}`);
  assert.deepEqual(people.names.sort(), ['Pirjo', 'Sven']);
  assert.ok(!md.includes(hiddenEvent), 'a private item is not in the notes');
  assert.match(md, /Tieto kulkee vain paperilla.*2/);
  const html = await download(f, '#export-html');
  const notes = await openNotes(html, 'monni-notes-professionals');
  await notes.getByText('Yhteinen sähköinen kalenteri').first().waitFor();
  assert.equal(await notes.getByText(hiddenEvent).count(), 0);
  await notes.close();
});

test('the leaders\' meeting, made from the process panel, brings in the timeline, vision and plan with provenance', async () => {
  const { f } = p;
  const href = await f.locator('#process-new-meeting').getAttribute('href');
  p.f2 = await pages.open('f2', { viewport: wide, context: f.context() });
  rooms.leaders = await create(p.f2, href, { title: 'Johtajien tapaaminen', template: 'monni-leaders', team: 'Johtajat' });
  p.liam = await pages.open('liam', { locale: 'en-GB' });
  await join(p.liam, keha.base, rooms.leaders.code, 'Liam', 'leader');
  const { f2, liam } = p;
  await liam.locator('#tabs .tab[aria-controls=panel-plan]', { hasText: en['board.plan'] }).waitFor();
  assert.equal(await liam.evaluate(() => document.documentElement.lang), 'en');
  await importFrom(f2, rooms.pros.code, ['timeline', 'vision', 'plan']);
  const brought = [counted('import.count.event', 2), counted('import.count.hinders', 1), counted('import.count.action', 3)].join(', ');
  await f2.locator('.toast.import-summary', { hasText: fi['import.brought'].replace('{list}', brought) }).waitFor();

  await tab(f2, 'timeline');
  const event = f2.locator('#panel-timeline .item', { hasText: 'Huostaanoton arviointi' });
  await event.locator('.provenance', { hasText: 'Ammattilaisten tapaaminen' }).waitFor();
  assert.equal(await f2.getByText(hiddenEvent).count(), 0, 'the private event did not come');
  await tab(f2, 'plan');
  const row = f2.locator('#panel-plan .plan-row.readonly', { hasText: 'Yhteinen sähköinen kalenteri' });
  await row.locator('.addresses', { hasText: 'Tieto kulkee vain paperilla' }).waitFor();
  await row.locator('.provenance', { hasText: 'Ammattilaisten tapaaminen' }).waitFor();
  await tab(liam, 'plan');
  await liam.locator('#panel-plan .plan-row', { hasText: 'Viikoittainen puhelu kotiin' }).locator('.provenance').waitFor();

  // The leaders make the calendar their own and agree an action of their own.
  await row.locator('button.copy-item').click();
  await f2.locator('#panel-plan .plan-row:not(.readonly)', { hasText: 'Yhteinen sähköinen kalenteri' }).locator('button.edit').waitFor();
  await addItem(f2, 'plan', 'action', 'Johtoryhmä varaa resurssit', { who: 'Liam', status: 'agreed' });
  await liam.locator('#panel-plan .plan-row', { hasText: 'Johtoryhmä varaa resurssit' }).waitFor();
  await shot(f2, 'monni-leaders-plan');
  await shot(liam, 'monni-leader-en-plan');
});

test('the cross reflection: the leaders\' plan comes in, and a reflecting-team cycle with the expert reflecting', async () => {
  const { f } = p;
  const href = await f.locator('#process-new-meeting').getAttribute('href');
  p.f3 = await pages.open('f3', { viewport: wide, context: f.context() });
  rooms.cross = await create(p.f3, href, { title: 'Ristiinreflektio', template: 'cross-reflection' });
  const { f3, s, pirjo, liam } = p;
  received.s.length = 0;
  await openScreen(s, keha.base, rooms.cross);
  await join(pirjo, keha.base, rooms.cross.code, 'Pirjo', 'professional');
  await join(liam, keha.base, rooms.cross.code, 'Liam', 'leader');
  p.nea = await pages.open('nea', { viewport: phone });
  const { nea } = p;
  await join(nea, keha.base, rooms.cross.code, 'Nea', 'expert');
  await f3.locator('#people-count', { hasText: '(4/4)' }).waitFor();

  await importFrom(f3, rooms.leaders.code, ['plan']);
  await f3.locator('.toast.import-summary', { hasText: fi['import.brought'].replace('{list}', counted('import.count.action', 4)) }).waitFor();
  await tab(nea, 'plan');
  const copied = nea.locator('#panel-plan .plan-row', { hasText: 'Yhteinen sähköinen kalenteri' }).locator('.provenance');
  await copied.filter({ hasText: 'Ammattilaisten tapaaminen' }).filter({ hasText: 'Johtajien tapaaminen' }).waitFor();
  await shot(nea, 'monni-expert-plan-phone');

  // The leaders in focus; the professionals and the expert reflect.
  await f3.locator('#facil-phase').selectOption('reflecting');
  const focus = f3.locator('.rt-focus');
  const reflect = f3.locator('.rt-reflect');
  await focus.locator('.rt-group-leader').waitFor();
  await focus.locator('.rt-group-professional').uncheck();
  await focus.locator('.rt-group-expert').uncheck();
  await focus.locator('.rt-group-leader').check();
  await reflect.locator('.rt-group-professional').check();
  await reflect.locator('.rt-group-expert').check();
  await f3.locator('#turns-reflecting').click();
  await liam.locator('#turn-banner.speaking').waitFor();
  await nea.locator('#turn-banner.listening').waitFor();
  await pirjo.locator('#turn-banner.listening').waitFor();
  await s.locator('#s-turns .turn-group[data-side=reflectors] .tg-names', { hasText: 'Pirjo, Nea' }).waitFor();
  await s.locator('#s-turns .turn-group[data-side=focus] .tg-names', { hasText: 'Liam' }).waitFor();
  await shot(s, 'monni-wall-conversation');

  await tab(nea, 'reflections');
  await addItem(nea, 'reflections', 'reflection', note);
  await nea.locator('#panel-reflections .item.is-hidden', { hasText: note }).waitFor();
  await itemText(f3, note).waitFor();
  await shot(nea, 'monni-expert-listening-phone');
  assert.ok(!received.s.some((x) => x.includes('luottamus')), 'the listener\'s note is not on the projector');
  assert.equal(await liam.getByText(note).count(), 0);

  await f3.locator('#turns-next').click();
  await nea.locator('#turn-banner.speaking').waitFor();
  await liam.locator('#turn-banner.listening').waitFor();
  await nea.locator('#panel-reflections .item.is-hidden', { hasText: note }).locator('button.reveal:not([disabled])').click();
  await itemText(s, note).waitFor();
  await itemText(liam, note).waitFor();
  await shot(s, 'monni-wall-reflection');
  await f3.locator('#turns-next').click();
  await liam.locator('#turn-banner.speaking').waitFor();
  await f3.locator('#turns-end').click();
  await nea.locator('#turn-banner.speaking, #turn-banner.listening').waitFor({ state: 'hidden' });

  // The expert's phone reopens the tab: still Nea, once.
  await nea.reload();
  await nea.locator('#conn.online').waitFor();
  await f3.locator('#people-count', { hasText: '(4/4)' }).waitFor();
});

test('the process report counts each agreement once, where it was made', async () => {
  const { f3 } = p;
  await f3.locator('#process-refresh').click();
  const li = (code) => f3.locator(`#process-meetings li[data-code="${code}"] .process-agreements`);
  await li(rooms.pros.code).filter({ hasText: counted('web.process.agreed', 2) }).waitFor();
  await li(rooms.leaders.code).filter({ hasText: counted('web.process.agreed', 1) }).waitFor();
  await li(rooms.cross.code).filter({ hasText: counted('web.process.reaffirmed', 3) }).waitFor();
  await f3.locator('.process-totals', { hasText: counted('web.process.totals.agreements', 3) }).waitFor();
  await f3.locator('#process-panel').scrollIntoViewIfNeeded();
  await shot(f3, 'monni-process-panel');

  const md = await download(f3, '#process-report-md');
  const section = md.split(/^## /m).find((s) => s.startsWith(`${fi['notes.agreements']}\n`));
  const total = Number(section.match(new RegExp(`${fi['notes.report.agreements_total']}: (\\d+)`))[1]);
  // Each meeting's own agreements are the lines before its "reaffirmed" list.
  const made = section.split(/^### /m).slice(1)
    .flatMap((m) => m.split(`${fi['notes.report.reaffirmed']}:`)[0].split('\n').filter((l) => l.startsWith('- ')));
  const distinct = new Set(made.map((l) => l.split(' — ')[0]));
  assert.equal(made.length, distinct.size, `no agreement made twice: ${made}`);
  assert.equal(total, distinct.size, 'the total is the number of distinct agreements');
  assert.deepEqual([...distinct].sort(), ['- Johtoryhmä varaa resurssit', '- Viikoittainen puhelu kotiin', '- Yhteinen sähköinen kalenteri'].sort());
  const html = await download(f3, '#process-report-html');
  const report = await openNotes(html, 'monni-process-report');
  await report.getByText('Johtoryhmä varaa resurssit').first().waitFor();
  await report.close();
});

test('the cross reflection\'s notes list each person once, the revealed reflection and the agreements with provenance', async () => {
  const { f3 } = p;
  // The facilitator reopens the tab too.
  await f3.reload();
  await f3.locator('#conn.online').waitFor();
  const md = await download(f3, '#export-md');
  const people = peopleInNotes(md);
  assert.equal(people.facilitators.length, 1, `one facilitator: ${people.facilitators}`);
  assert.equal(people.names.length, 3, `three participants once each: ${people.names}`);
  assert.ok(people.names.includes('Pirjo') && people.names.includes('Liam'), people.names.join(', '));
  assert.ok(md.includes(note), 'the revealed reflection is in the notes');
  assert.ok(!md.includes(rooms.cross.facilitator_key) && !md.includes(rooms.cross.screen_key), 'no keys in the notes');
  const html = await download(f3, '#export-html');
  const notes = await openNotes(html, 'monni-notes-cross');
  await notes.getByText(note).waitFor();
  await notes.close();
});

test('no page had a script error', () => {
  assert.deepEqual(pages.errors, []);
});
