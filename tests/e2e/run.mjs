// Browser end-to-end tests of the Kehä web view: a real keha-server on a free loopback
// port with a temporary database, Debian's Chromium driven by playwright-core, two
// participants and a facilitator in separate browser contexts, and the projector page.
// The environment it reads is described in support/harness.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
  Keha, Pages, launchBrowser, freePort, sleep, catalog, template, SERVER, ASSETS, T,
  shot, join as joinAt, addItem, itemText,
} from './support/harness.mjs';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const fi = catalog('fi');
const sv = catalog('sv');

// The wall shows the address a county would give it, as in a real meeting room.
const keha = new Keha('run', ['--public-url', 'https://keha.kanta-hame.example']);
let base = '';
let browser = null;
let harness = null;
let room = null; // {code, facilitator_key, screen_key}
const pages = {}; // a, b (participants), f (facilitator), s (screen)

const startServer = () => keha.start();
const killServer = () => keha.kill();

async function newPage(name, viewport = { width: 1366, height: 860 }) {
  const page = await harness.open(name, { viewport });
  pages[name] = page;
  return page;
}

function dialogsSeen() {
  return harness.errors.filter((e) => e.includes(': dialog '));
}

async function join(page, name, group, code = room.code) {
  await joinAt(page, base, code, name, group);
}

async function phaseTitle(id) {
  return template('default').phases.find((p) => p.id === id).title.fi;
}

before(async () => {
  await startServer();
  base = keha.base;
  room = await keha.createRoom({ title: 'Kehittämisen tiimi – Hämeenlinna', language: 'fi' });
  browser = await launchBrowser();
  harness = new Pages(browser, 'run');
});

after(async () => {
  await browser?.close();
  await keha.stop();
});

test('pages and assets carry CSP and nosniff; scripts have a JavaScript type', async () => {
  for (const p of ['/', `/r/${room.code}`, `/r/${room.code.toLowerCase().slice(0, 4)}-${room.code.slice(4)}`,
    `/screen/${room.code}`, '/static/room.js', '/static/app.css', '/i18n/fi.json', `/api/rooms/${room.code}`]) {
    const res = await fetch(base + p);
    assert.equal(res.status, 200, p);
    assert.equal(res.headers.get('content-security-policy'), CSP, p);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', p);
    if (p.endsWith('.js')) assert.match(res.headers.get('content-type'), /javascript/, p);
    if (p.endsWith('.css')) assert.match(res.headers.get('content-type'), /text\/css/, p);
  }
  const missing = await fetch(`${base}/api/rooms/ZZZZZZ`);
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).error, 'unknown_room');
  const qr = await fetch(`${base}/api/rooms/${room.code}/qr.svg`);
  assert.equal(qr.status, 200);
  assert.match(await qr.text(), /<svg/);
});

test('join page: unknown code gets a clear message, a real code (any case, dash) leads to the name step', async () => {
  const a = await newPage('a');
  await a.goto(base + '/');
  await shot(a, 'join');
  await a.locator('#code').fill('zzz-zzz');
  await a.locator('#code-form button').click();
  await a.locator('#code-msg', { hasText: fi['error.unknown_room'] }).waitFor();
  await a.locator('#code').fill(`${room.code.slice(0, 4).toLowerCase()}-${room.code.slice(4).toLowerCase()}`);
  await a.locator('#code-form button').click();
  await a.waitForURL(`**/r/${room.code}`);
  await a.locator('#join-name').waitFor({ state: 'visible' });
  await a.locator('#join-room-title', { hasText: 'Hämeenlinna' }).waitFor();
  await a.locator('#join-name').fill('Aino');
  await a.locator('input[name=group][value=expert]').check();
  await shot(a, 'name-step');
  await a.locator('#join-form button[type=submit]').click();
  await a.locator('#conn.online').waitFor();
  await a.locator('#phase-title', { hasText: await phaseTitle('opening') }).waitFor();
});

test('facilitator, a second participant and the projector join', async () => {
  const f = await newPage('f', { width: 1440, height: 900 });
  await f.goto(`${base}/r/${room.code}#key=${room.facilitator_key}&screen=${room.screen_key}`);
  await f.locator('#facil').waitFor({ state: 'visible' });
  await f.locator('#conn.online').waitFor();
  const b = await newPage('b');
  await join(b, 'Bertil', 'professional');
  const s = await newPage('s', { width: 1920, height: 1080 });
  await s.goto(`${base}/screen/${room.code}#key=${room.screen_key}`);
  await s.locator('#screen').waitFor({ state: 'visible' });
  await s.locator('#s-code', { hasText: `${room.code.slice(0, 4)}-${room.code.slice(4)}` }).waitFor();
  // Everyone sees who is here.
  for (const p of [pages.a, pages.b, f]) {
    await p.locator('#people .person', { hasText: 'Aino' }).waitFor();
    await p.locator('#people .person', { hasText: 'Bertil' }).waitFor();
  }
  await shot(s, 'screen-opening');
});

test('the facilitator changes the phase and both participants follow', async () => {
  const { a, b, f, s } = pages;
  const title = await phaseTitle('timeline');
  await f.locator('#facil-phase').selectOption('timeline');
  for (const p of [a, b, f]) {
    await p.locator('#phase-title', { hasText: title }).waitFor();
    await p.locator('#panel-timeline').waitFor({ state: 'visible' });
  }
  await s.locator('#s-title', { hasText: title }).waitFor();
});

test('an item added by one participant appears at the other and on the projector, in chronological order', async () => {
  const { a, b, s, f } = pages;
  await addItem(a, 'timeline', 'event', 'Koulu huolestui poissaoloista ja otti yhteyttä kotiin', { when: '2021-09', sector: 'Koulu ja oppilashuolto' });
  for (const p of [b, s, f]) await itemText(p, 'Koulu huolestui poissaoloista').waitFor();
  await addItem(b, 'timeline', 'event', 'Lastensuojeluilmoitus ja palvelutarpeen arviointi', { when: '2021-11', sector: 'Lastensuojelu' });
  await addItem(f, 'timeline', 'event', 'Neuvolan perhetyö päättyi', { when: '2019', sector: 'Perhe ja läheiset' });
  await addItem(a, 'timeline', 'event', 'Nuorisopsykiatrian arviojakso, yhteinen palaveri koululla', { when: '2022-02-15', sector: 'Lasten- ja nuorisopsykiatria' });
  await addItem(b, 'timeline', 'event', 'Sovittiin yhteisestä verkostotapaamisesta', { when: 'keväällä' });
  await itemText(a, 'Sovittiin yhteisestä').waitFor();
  await itemText(s, 'Sovittiin yhteisestä').waitFor();
  const order = await a.locator('#panel-timeline .tl-item .item-text').allTextContents();
  assert.deepEqual(order.map((x) => x.slice(0, 12)), [
    'Neuvolan per', 'Koulu huoles', 'Lastensuojel', 'Nuorisopsyki', 'Sovittiin yh']);
  await shot(a, 'participant-timeline');
  await shot(s, 'screen-timeline');
});

test('a private item is invisible to the other until its author reveals it', async () => {
  const { a, b, s } = pages;
  const secret = 'Mietin, kuuleeko kukaan nuoren omaa ääntä';
  await addItem(a, 'timeline', 'event', secret, { hidden: true, when: '2022' });
  await a.locator('.item.is-hidden .item-text', { hasText: secret }).waitFor();
  await b.locator('.item.secret').waitFor();
  await s.locator('.item.secret').waitFor();
  assert.equal(await b.getByText(secret).count(), 0);
  assert.equal(await s.getByText(secret).count(), 0);
  assert.ok(!(await b.content()).includes('kuuleeko kukaan'), 'the text is nowhere in the other page');
  await shot(a, 'participant-private');
  await shot(b, 'participant-private-other');
  await a.locator('.item.is-hidden', { hasText: secret }).locator('button.reveal').click();
  await itemText(b, secret).waitFor();
  await itemText(s, secret).waitFor();
  await a.locator('#panel-timeline .item.is-hidden').waitFor({ state: 'detached' });
  // With a `when` of 2022 the revealed item now sits between 2021-11 and 2022-02-15.
  const order = await b.locator('#panel-timeline .tl-item .item-text').allTextContents();
  assert.equal(order.indexOf(secret), 3);
  await s.locator('.item.secret').waitFor({ state: 'detached' });
});

test('text that looks like HTML is shown as text and runs nothing', async () => {
  const { a, b, s, f } = pages;
  const evil = '<img src=x onerror=alert(1)>';
  await addItem(b, 'timeline', 'event', evil);
  for (const p of [a, b, s, f]) {
    await p.locator('.item-text', { hasText: evil }).first().waitFor();
    assert.equal(await p.locator('img[src=x]').count(), 0);
  }
  await sleep(300);
  assert.deepEqual(dialogsSeen(), []);
  // Edit it away again (own item), through the editor.
  const card = b.locator('.item', { hasText: evil });
  await card.locator('button.edit').click();
  await b.locator('.editor textarea').fill('Kotikäynti yhdessä sosiaalityöntekijän kanssa');
  await b.locator('.editor textarea').press('Enter');
  await itemText(a, 'Kotikäynti yhdessä').waitFor();
  assert.equal(await a.locator('.item-text', { hasText: evil }).count(), 0);
});

test('voting, raising a hand and the facilitator lowering it', async () => {
  const { a, b, s, f } = pages;
  await a.locator('.item', { hasText: 'Lastensuojeluilmoitus' }).locator('button.vote').click();
  await b.locator('.item', { hasText: 'Lastensuojeluilmoitus' }).locator('button.vote .vote-n', { hasText: '1' }).waitFor();
  await a.locator('.item', { hasText: 'Lastensuojeluilmoitus' }).locator('button.vote[aria-pressed=true]').waitFor();
  await b.locator('#hand').click();
  await a.locator('#hands li', { hasText: 'Bertil' }).waitFor();
  await s.locator('#s-hand-list li', { hasText: 'Bertil' }).waitFor();
  await shot(s, 'screen-hand');
  await f.locator('#lower-all').click();
  await s.locator('#s-hands').waitFor({ state: 'hidden' });
  await b.locator('#hand[aria-pressed=false]').waitFor();
});

test('the timer runs in step with the server clock on every page', async () => {
  const { a, s, f } = pages;
  await f.locator('#facil-minutes').fill('5');
  await f.locator('#timer-start').click();
  for (const p of [a, f]) await p.locator('#timer.running .timer-value', { hasText: /^(5:00|4:5\d)$/ }).waitFor();
  await s.locator('#s-timer.running .timer-value', { hasText: /^(5:00|4:5\d)$/ }).waitFor();
  await f.locator('#timer-pause').click();
  await a.locator('#timer.paused').waitFor();
  await f.locator('#timer-pause').click();
  await a.locator('#timer.running').waitFor();
});

test('vision and plan boards, and a look at another board and back', async () => {
  const { a, b, s, f } = pages;
  await f.locator('#facil-phase').selectOption('vision');
  await a.locator('#panel-vision').waitFor({ state: 'visible' });
  await addItem(a, 'vision', 'vision', 'Nuori ja perhe tietävät, kuka auttaa ja milloin');
  // The server orders entries as it receives them: B's comes second only once A's is in.
  await b.locator('#panel-vision .item:not(.pending) .item-text', { hasText: 'Nuori ja perhe' }).waitFor();
  await addItem(b, 'vision', 'vision', 'Tapaamme yhdessä ennen kuin tilanne kriisiytyy');
  await addItem(b, 'vision', 'hinders', 'Tietosuoja koetaan esteeksi tiedon jakamiselle');
  await addItem(f, 'vision', 'hinders', 'Kiire ja vaihtuvat työntekijät');
  await addItem(a, 'vision', 'enables', 'Yhteinen aikajana auttaa näkemään kokonaisuuden');
  await addItem(b, 'vision', 'enables', 'Kokemusasiantuntijan näkökulma mukana alusta asti');
  await itemText(s, 'Kokemusasiantuntijan näkökulma').waitFor();
  await itemText(a, 'Kokemusasiantuntijan näkökulma').waitFor();
  await shot(a, 'participant-vision');
  await shot(s, 'screen-vision');
  // Look back at the timeline, then jump back to the current board.
  await a.locator('.tab', { hasText: fi['board.timeline'] }).click();
  await a.locator('#panel-timeline').waitFor({ state: 'visible' });
  await a.locator('#board-note button.back-now').click();
  await a.locator('#panel-vision').waitFor({ state: 'visible' });

  // Move one's own item up, and into another column through the editor.
  await b.locator('.vcol-vision .item', { hasText: 'Tapaamme yhdessä' }).locator('button.move-up').click();
  await a.locator('.vcol-vision li:first-child .item-text', { hasText: 'Tapaamme yhdessä' }).waitFor();
  await b.locator('.vcol-enables .item', { hasText: 'Kokemusasiantuntijan' }).locator('button.edit').click();
  await b.locator('.editor .f-column').selectOption('vision');
  await b.locator('.editor textarea').press('Enter');
  await s.locator('.vcol-vision .item-text', { hasText: 'Kokemusasiantuntijan' }).waitFor();
  // The facilitator reveals everyone's private items on the current board at once.
  await addItem(b, 'vision', 'hinders', 'Yksityinen huoli resursseista', { hidden: true });
  await addItem(a, 'vision', 'hinders', 'Oma yksityinen ajatus', { hidden: true });
  await s.locator('.vcol-hinders .item.secret').nth(1).waitFor();
  await f.locator('.vcol-hinders .item-text', { hasText: 'Oma yksityinen ajatus' }).waitFor();
  await f.locator('#reveal-all').click();
  await itemText(s, 'Yksityinen huoli resursseista').waitFor();
  await itemText(s, 'Oma yksityinen ajatus').waitFor();
  assert.equal(await s.locator('.item.secret').count(), 0);

  await f.locator('#facil-phase').selectOption('plan');
  await b.locator('#panel-plan').waitFor({ state: 'visible' });
  await addItem(b, 'plan', 'action', 'Verkostotapaaminen koululla kerran kuukaudessa', { who: 'Bertil', with: 'koulukuraattori, perhe', due: '2026-01', status: 'agreed' });
  await addItem(a, 'plan', 'action', 'Nuoren oma ääni kirjataan jokaiseen suunnitelmaan', { who: 'Aino', with: 'sosiaalityöntekijä', due: '2025-12' });
  await addItem(f, 'plan', 'action', 'Yhteinen koulutus tietojen jakamisesta', { who: 'Ohjaaja', with: 'johtajat', due: '2026-03', status: 'proposed' });
  await b.locator('.plan-row', { hasText: 'Nuoren oma ääni' }).waitFor();
  await s.locator('.plan-row', { hasText: 'Yhteinen koulutus' }).waitFor();
  await f.locator('.plan-row', { hasText: 'Nuoren oma ääni' }).locator('.status-select').selectOption('agreed');
  await s.locator('.plan-row', { hasText: 'Nuoren oma ääni' }).locator('.status-agreed').waitFor();
  // Edit a plan row's fields in place.
  await a.locator('.plan-row', { hasText: 'Nuoren oma ääni' }).locator('button.edit').click();
  await a.locator('.editor .f-due').fill('2026-02');
  await a.locator('.editor .f-due').press('Enter');
  await s.locator('.plan-row', { hasText: 'Nuoren oma ääni' }).locator('.c-due', { hasText: '2026-02' }).waitFor();
  await shot(b, 'participant-plan');
  await shot(f, 'facilitator');
  await shot(s, 'screen-plan');
});

test('reflections: a list that everyone adds to', async () => {
  const { a, b, f, s } = pages;
  await f.locator('#facil-phase').selectOption('reflection');
  await a.locator('#panel-reflections').waitFor({ state: 'visible' });
  await addItem(a, 'reflections', 'reflection', 'Jäin miettimään, miten nuoren ääni kuuluu suunnitelmassa');
  await addItem(b, 'reflections', 'reflection', 'Kuulin, että tiedon jakaminen on monelle epäselvää');
  await itemText(s, 'Kuulin, että tiedon').waitFor();
  await itemText(a, 'Kuulin, että tiedon').waitFor();
  // A reflecting team: Bertil's group (professionals) in focus, Aino (experience expert) reflects.
  await f.locator('.rt-focus .rt-group-professional').check();
  await f.locator('.rt-reflect .rt-group-expert').check();
  await f.locator('#turns-reflecting').click();
  await b.locator('#turn-banner.speaking').waitFor();
  await a.locator('#turn-banner.listening', { hasText: fi['web.turns.you_listen'] }).waitFor();
  await s.locator('#s-turns .turn-group.listening', { hasText: 'Aino' }).waitFor();
  await f.locator('#turns-next').click();
  await a.locator('#turn-banner.speaking', { hasText: fi['web.turns.you_reflect'] }).waitFor();
  await b.locator('#turn-banner.listening').waitFor();
  await s.locator('#s-turns .turn-group.speaking', { hasText: 'Aino' }).waitFor();
  await shot(a, 'participant-reflecting');
  await shot(s, 'screen-reflecting');
  await f.locator('#turns-end').click();
  await a.locator('#turn-banner').waitFor({ state: 'hidden' });
  // A round: the speaker finishes their own turn.
  await f.locator('#turns-round').click();
  let first = null;
  for (let i = 0; i < 200 && !first; i++) {
    if (await a.locator('#turn-done').count()) first = a;
    else if (await b.locator('#turn-done').count()) first = b;
    else await sleep(50);
  }
  assert.ok(first, 'someone has the first turn of the round');
  const second = first === a ? b : a;
  await first.locator('#turn-done').click();
  await second.locator('#turn-banner.speaking').waitFor();
  await f.locator('#turns-end').click();
  await s.locator('#s-turns').waitFor({ state: 'hidden' });
  await f.locator('#facil-phase').selectOption('plan');
  await a.locator('#panel-plan').waitFor({ state: 'visible' });
});

test('a participant changes their own name', async () => {
  const { a, b } = pages;
  await b.locator('#people .person button.rename').click();
  await b.locator('.rename-input').fill('Bertil K.');
  await b.locator('.rename-input').press('Enter');
  await a.locator('#people .person', { hasText: 'Bertil K.' }).waitFor();
  await a.locator('.plan-row .author', { hasText: 'Bertil K.' }).first().waitFor();
});

test('other templates: a phase card (Erätauko ground rules) and the hypotheses board', async () => {
  const make = async (template) => (await fetch(`${base}/api/rooms`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: `Testi ${template}`, template, language: 'fi' }),
  })).json();
  const era = await make('eratauko');
  const sys = await make('systemic-team');
  const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'fi-FI' });
  const p = await ctx.newPage();
  p.on('dialog', (d) => { harness.errors.push(`t: dialog ${d.message()}`); d.dismiss(); });
  p.on('pageerror', (e) => harness.errors.push(`t: ${e.message}`));
  p.setDefaultTimeout(T);
  const sp = await ctx.newPage();
  sp.on('pageerror', (e) => harness.errors.push(`ts: ${e.message}`));
  sp.setDefaultTimeout(T);
  await p.goto(`${base}/r/${era.code}#key=${era.facilitator_key}`);
  await sp.goto(`${base}/screen/${era.code}#key=${era.screen_key}`);
  await p.locator('#facil-phase').selectOption('ground-rules');
  await p.locator('#phase-card .card-lines li').first().waitFor();
  await sp.locator('#s-card .card-lines li').first().waitFor();
  await shot(sp, 'screen-card');
  await p.goto(`${base}/r/${sys.code}#key=${sys.facilitator_key}`);
  await p.locator('#facil-phase').selectOption('hypotheses');
  await p.locator('#panel-hypotheses').waitFor({ state: 'visible' });
  await addItem(p, 'hypotheses', 'hypothesis', 'Ehkä perhe kokee, ettei sitä kuulla');
  await itemText(p, 'Ehkä perhe kokee').waitFor();
  await p.locator('.tab', { hasText: fi['board.hypotheses'] }).waitFor();
  assert.equal(await p.locator('.tab', { hasText: fi['board.vision'] }).count(), 0, 'boards no phase uses stay out of the tabs');
  await ctx.close();
});

test('a plan action says which hinderer or enabler it answers', async () => {
  const { a, s } = pages;
  const form = a.locator('#panel-plan form.add-form');
  await form.locator('.f-addresses').selectOption({ label: 'Kiire ja vaihtuvat työntekijät' });
  await addItem(a, 'plan', 'action', 'Pysyvä yhteyshenkilö jokaiselle perheelle', { who: 'Aino' });
  await s.locator('.plan-row', { hasText: 'Pysyvä yhteyshenkilö' }).locator('.addresses', { hasText: 'Kiire ja vaihtuvat' }).waitFor();
});

test('language: the person can switch to Swedish', async () => {
  const { b } = pages;
  await b.locator('#lang').selectOption('sv');
  await b.locator('#hand', { hasText: sv['web.hands.raise'] }).waitFor();
  await b.locator('.plan-table th.c-who', { hasText: sv['field.who'] }).waitFor();
  await shot(b, 'participant-plan-sv');
  await b.locator('#lang').selectOption('fi');
  await b.locator('#hand', { hasText: fi['web.hands.raise'] }).waitFor();
});

test('the page recovers after the server is killed and restarted, and delivers what was typed meanwhile', async () => {
  const { a, b, s } = pages;
  await killServer();
  await a.locator('#conn.reconnecting').waitFor();
  await a.locator('#banner.warn').waitFor();
  const typed = 'Kirjoitettu katkoksen aikana: seuraava tapaaminen tammikuussa';
  await addItem(a, 'plan', 'action', typed, { who: 'Aino' });
  await a.locator('tr.pending-row', { hasText: typed }).waitFor();
  await shot(a, 'reconnecting');
  await startServer();
  for (const p of [a, b]) await p.locator('#conn.online').waitFor({ timeout: 15000 });
  await b.locator('.plan-row', { hasText: typed }).waitFor({ timeout: 15000 });
  await s.locator('.plan-row', { hasText: typed }).waitFor({ timeout: 15000 });
  await a.locator('tr.pending-row').waitFor({ state: 'detached' });
  assert.equal(await a.locator('.plan-row', { hasText: typed }).count(), 1, 'delivered exactly once');
  await a.locator('#banner').waitFor({ state: 'hidden' });
});

test('a network drop: the page says so, keeps what is typed and sends it when back online', async () => {
  const { a, b } = pages;
  const ctx = a.context();
  await ctx.setOffline(true);
  await a.locator('#conn.reconnecting').waitFor();
  const typed = 'Kirjoitettu ilman verkkoa';
  await addItem(a, 'plan', 'action', typed);
  await a.locator('tr.pending-row', { hasText: typed }).waitFor();
  await ctx.setOffline(false);
  await a.locator('#conn.online').waitFor({ timeout: 15000 });
  await b.locator('.plan-row', { hasText: typed }).waitFor();
  // b may see the item before a's own page has its acknowledgement: wait for a's, then count.
  await a.locator('tr.pending-row').waitFor({ state: 'detached' });
  assert.equal(await a.locator('.plan-row', { hasText: typed }).count(), 1);
});

test('the facilitator downloads the notes', async () => {
  const { f } = pages;
  const [md] = await Promise.all([f.waitForEvent('download'), f.locator('#export-md').click()]);
  const text = fs.readFileSync(await md.path(), 'utf8');
  assert.match(text, /Verkostotapaaminen koululla/);
  assert.match(md.suggestedFilename(), /\.md$/);
  const [html] = await Promise.all([f.waitForEvent('download'), f.locator('#export-html').click()]);
  assert.match(fs.readFileSync(await html.path(), 'utf8'), /<html/i);
  const [json] = await Promise.all([f.waitForEvent('download'), f.locator('#export-json').click()]);
  assert.equal(JSON.parse(fs.readFileSync(await json.path(), 'utf8')).format, 'keha-notes');
  assert.ok(await f.locator('#pic-warning').isHidden(), 'ordinary text: no identity-code warning');
});

// A Finnish personal identity code with a correct check character.
function identityCode(ddmmyy, nnn, sign = '-') {
  return `${ddmmyy}${sign}${nnn}${'0123456789ABCDEFHJKLMNPRSTUVWXY'[Number(`${ddmmyy}${nnn}`) % 31]}`;
}

// One command over a fresh facilitator WebSocket from inside a page: {seq} or {error}.
async function facilDo(page, code, key, cmd, args) {
  return page.evaluate(({ url, code, key, cmd, args }) => new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', room: code, key }));
    ws.onmessage = (ev) => {
      const msg = JSON.parse(ev.data);
      if (msg.type === 'welcome') ws.send(JSON.stringify({ type: 'do', id: 'e2e-1', cmd, args }));
      else if (msg.type === 'ack' && msg.id === 'e2e-1') { ws.close(); resolve({ seq: msg.seq }); }
      else if (msg.type === 'error') { ws.close(); resolve({ error: msg.code }); }
    };
    setTimeout(() => reject(new Error(`${cmd} timed out`)), 10000);
  }), { url: `ws://127.0.0.1:${keha.port}/ws`, code, key, cmd, args });
}

let picSeq = 0;
let picId = '';
test('before the notes download, an identity code is shown where it is; the facilitator goes back or downloads anyway', async () => {
  const { f } = pages;
  assert.ok(await f.locator('#pic-warning').isHidden(), 'ordinary text gives no warning');
  const pic = identityCode('131052', '308');
  const added = await facilDo(f, room.code, room.facilitator_key, 'item.add',
    { board: 'timeline', column: 'event', text: `Asiakkaan ${pic} tilanne puheeksi`, when: '2025-02' });
  assert.ok(added.seq > 0);
  picSeq = added.seq;
  picId = `i${added.seq}`;
  await f.locator('#export-md').click();
  const warning = f.locator('#pic-warning');
  await warning.waitFor({ state: 'visible' });
  await warning.locator('.pic-place', { hasText: fi['board.timeline'] }).waitFor();
  await warning.locator('.pic-place', { hasText: 'tilanne puheeksi' }).waitFor();
  assert.ok(!(await warning.textContent()).includes(pic), 'the code itself is not repeated');
  await f.locator('#pic-warning').scrollIntoViewIfNeeded();
  await shot(f, 'facilitator-pic-warning');
  let downloaded = false;
  const onDownload = () => { downloaded = true; };
  f.on('download', onDownload);
  await f.locator('#pic-back').click();
  await warning.waitFor({ state: 'hidden' });
  await sleep(300);
  f.off('download', onDownload);
  assert.equal(downloaded, false, 'going back downloads nothing');
  await f.locator('#notes-names').selectOption('initials');
  await f.locator('#export-md').click();
  await warning.waitFor({ state: 'visible' });
  const [md] = await Promise.all([f.waitForEvent('download'), f.locator('#pic-anyway').click()]);
  assert.match(fs.readFileSync(await md.path(), 'utf8'), /tilanne puheeksi/);
  await f.locator('#notes-names').selectOption('auto');
});

test('history: the boards as they stood earlier, read-only, and the notes as of that moment', async () => {
  const { f } = pages;
  await f.locator('#history-open').click();
  const hist = f.locator('#history');
  await hist.waitFor({ state: 'visible' });
  await hist.locator('.item-text', { hasText: 'tilanne puheeksi' }).waitFor();
  assert.ok(await f.locator('.layout').isHidden());
  const list = await (await fetch(`${base}/api/rooms/${room.code}/history`, { headers: { Authorization: `Bearer ${room.facilitator_key}` } })).json();
  const index = [0, ...list.ops.map((op) => op.seq)].indexOf(picSeq - 1);
  assert.ok(index > 0);
  await f.locator('#history-slider').fill(String(index));
  await f.locator(`#history[data-seq="${picSeq - 1}"]`).waitFor();
  await hist.locator('#history-asof', { hasText: /klo \d{1,2}[.:]\d{2}/ }).waitFor();
  await hist.locator('.item-text', { hasText: 'Verkostotapaaminen koululla' }).first().waitFor();
  assert.equal(await hist.locator('.item-text', { hasText: 'tilanne puheeksi' }).count(), 0, 'not yet there at that moment');
  assert.equal(await hist.locator('.add-form, button.edit, button.delete, button.vote').count(), 0, 'read-only');
  await shot(f, 'facilitator-history');
  const [then] = await Promise.all([f.waitForEvent('download'), f.locator('#history-notes-md').click()]);
  const thenText = fs.readFileSync(await then.path(), 'utf8');
  assert.ok(await f.locator('#pic-warning').isHidden(), 'no identity code at that moment');
  assert.match(thenText, /Verkostotapaaminen koululla/);
  assert.doesNotMatch(thenText, /tilanne puheeksi/);
  await f.locator('#history-later').click();
  await f.locator(`#history[data-seq="${picSeq}"]`).waitFor();
  await hist.locator('.item-text', { hasText: 'tilanne puheeksi' }).waitFor();
  await f.locator('#history-close').click();
  await f.locator('.layout').waitFor({ state: 'visible' });
  // The current notes differ (they have the later item); then the item goes.
  const now = await (await fetch(`${base}/api/rooms/${room.code}/export?format=md`, { headers: { Authorization: `Bearer ${room.facilitator_key}` } })).text();
  assert.notEqual(now, thenText);
  assert.match(now, /tilanne puheeksi/);
  const del = await facilDo(f, room.code, room.facilitator_key, 'item.delete', { board: 'timeline', id: picId });
  assert.ok(del.seq > picSeq, JSON.stringify(del));
});

test('room settings: hidden names, the lobby, moderation', async () => {
  const { a, b, f, s } = pages;
  // Hidden names: the projector shows no author names.
  await s.locator('.plan-row .author').first().waitFor();
  await f.locator('#setting-hide_names').check();
  await s.locator('.plan-row .author').first().waitFor({ state: 'detached' });
  await f.locator('.plan-row .author', { hasText: 'Aino' }).first().waitFor();
  await f.locator('#setting-hide_names').uncheck();
  await s.locator('.plan-row .author').first().waitFor();
  // The lobby: a newcomer waits until the facilitator lets them in.
  await f.locator('#setting-admit_joiners').check();
  await f.locator('#setting-admit_joiners:checked').waitFor();
  const d = await newPage('d');
  await d.goto(`${base}/r/${room.code}`);
  await d.locator('#join-name').fill('Dani');
  await d.locator('#join-form button[type=submit]').click();
  await d.locator('#lobby').waitFor({ state: 'visible' });
  await shot(d, 'lobby');
  await f.locator('#waiting .person', { hasText: 'Dani' }).locator('button.admit').click();
  await d.locator('#app').waitFor({ state: 'visible' });
  await a.locator('#people .person', { hasText: 'Dani' }).waitFor();
  await f.locator('#setting-admit_joiners').uncheck();
  await f.locator('#setting-admit_joiners:not(:checked)').waitFor();
  // Moderation: a participant's new item reaches the others only when approved.
  await f.locator('#setting-moderated').check();
  await f.locator('#setting-moderated:checked').waitFor();
  const held = 'Ehdotus, joka odottaa hyväksyntää';
  await addItem(a, 'plan', 'action', held);
  await a.locator('.plan-row', { hasText: held }).locator('.pending-tag').waitFor();
  await f.locator('.plan-row', { hasText: held }).locator('button.approve').waitFor();
  assert.equal(await b.getByText(held).count(), 0);
  await f.locator('.plan-row', { hasText: held }).locator('button.approve').click();
  await b.locator('.plan-row', { hasText: held }).waitFor();
  await s.locator('.plan-row', { hasText: held }).waitFor();
  await f.locator('#setting-moderated').uncheck();
  await f.locator('#setting-moderated:not(:checked)').waitFor();
});

test('locking the room keeps newcomers out with a clear message; removing a participant', async () => {
  const { f, b } = pages;
  await f.locator('#room-lock-toggle').click();
  await f.locator('#room-lock').waitFor({ state: 'visible' });
  const c = await newPage('c');
  await c.goto(base + '/');
  await c.locator('#code').fill(room.code);
  await c.locator('#code-form button').click();
  await c.locator('#code-msg', { hasText: fi['error.locked'] }).waitFor();
  await f.locator('#room-lock-toggle').click();
  await f.locator('#room-lock').waitFor({ state: 'hidden' });
  await join(c, 'Cecilia', 'leader');
  await f.locator('#people .person', { hasText: 'Cecilia' }).locator('button.remove').click();
  await f.locator('#people .person', { hasText: 'Cecilia' }).locator('button.remove.confirm').click();
  await c.locator('#fatal-title', { hasText: fi['web.fatal.removed_title'] }).waitFor();
  await f.locator('#people .person', { hasText: 'Cecilia' }).waitFor({ state: 'detached' });
  await b.locator('#people .person', { hasText: 'Cecilia' }).waitFor({ state: 'detached' });
});

test('the closing questionnaire: anonymous answers, results only as aggregates', async () => {
  const { a, b, f, s } = pages;
  await f.locator('#ratings-open').click();
  await s.locator('#s-ratings .ratings-count').waitFor();
  const answer = async (p, scores) => {
    const form = p.locator('#ratings .ratings-form');
    await form.waitFor();
    const sets = await form.locator('fieldset.rq').all();
    for (let i = 0; i < sets.length; i++) await sets[i].locator('label', { hasText: new RegExp(`^${scores[i % scores.length]}$`) }).click();
    await form.locator('#ratings-submit').click();
    await p.locator('#ratings .ratings-thanks').waitFor();
  };
  await answer(a, [8, 7]);
  await shot(b, 'participant-ratings');
  await answer(b, [9, 6]);
  await answer(f, [7, 7]);
  await s.locator('#s-ratings .ratings-count', { hasText: '3' }).waitFor();
  await f.locator('#ratings-close').click();
  await f.locator('#ratings-open').waitFor();
  // On ratings.close keha-server puts the aggregates into the state: everyone sees, per
  // question, the count, the median and the distribution — never a single score.
  // Answers: a 8/7, b 9/6, f 7/7 (each person's scores cycle over the questions).
  const median = (m) => fi['web.ratings.median.other'].replace('{m}', m).replace('{n}', '3');
  const rq = s.locator('#s-ratings .ratings-results .rq');
  await rq.first().locator('.rq-median').waitFor({ timeout: 5000 }).catch(() => {
    throw new Error('keha-server did not publish the results on ratings.close (/ratings/results stayed null)');
  });
  const questions = await rq.count();
  assert.ok(questions >= 2);
  assert.equal(await rq.nth(0).locator('.rq-median').textContent(), median('8'));
  assert.equal(await rq.nth(1).locator('.rq-median').textContent(), median('7'));
  assert.equal(await rq.nth(0).locator('.dist .bar').count(), 11);
  assert.equal(await rq.nth(1).locator('.dist .bar[title="7: 2"]').count(), 1);
  for (const p of [a, b, f]) {
    await p.locator('#ratings .ratings-results .rq-median', { hasText: median('8') }).first().waitFor();
    assert.equal(await p.locator('#ratings .ratings-form').count(), 0);
  }
  await s.locator('#s-ratings .ratings-count').waitFor({ state: 'detached' });
  await f.locator('#ratings-close').waitFor({ state: 'hidden' });
  await shot(s, 'screen-ratings');
  await shot(a, 'participant-ratings-results');
});

test('closing the meeting leaves the boards visible and read-only', async () => {
  const { f, a } = pages;
  await f.locator('#room-close').click();
  await f.locator('#room-close').click();
  await a.locator('#banner.info').waitFor();
  await a.locator('#panel-plan form.add-form').waitFor({ state: 'hidden' });
  await shot(a, 'closed');
});

// ---------- A MONNI professionals' session: reflecting team, round, agenda, votes ----------

const m = {}; // the MONNI room's pages: f facilitator, p professional, l leader, s projector
let mroom = null;
let bots = null; // a blank page holding two more members' WebSockets

async function createRoom(body) {
  const res = await fetch(`${base}/api/rooms`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  assert.equal(res.status, 201);
  return res.json();
}

// Two more people join over a bare WebSocket (cheaper than two more browsers); they can
// send commands too (botDo).
async function botJoin(page, code, name, group) {
  await page.evaluate(({ url, code, name, group }) => new Promise((resolve, reject) => {
    window.bots = window.bots || {};
    const ws = new WebSocket(url);
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', room: code, name, group }));
    ws.onmessage = (ev) => {
      const msg = JSON.parse(ev.data);
      if (msg.type === 'welcome' && !window.bots[name]) { window.bots[name] = { ws, you: msg.you }; resolve(); }
      if (msg.type === 'error' && !window.bots[name]) reject(new Error(msg.message));
    };
    setTimeout(() => reject(new Error('bot join timed out')), 10000);
  }), { url: `ws://127.0.0.1:${keha.port}/ws`, code, name, group });
}

async function botDo(page, name, cmd, args = {}) {
  await page.evaluate(({ name, cmd, args }) => {
    window.bots[name].ws.send(JSON.stringify({ type: 'do', id: `bot-${Date.now()}`, cmd, args }));
  }, { name, cmd, args });
}

function banner(page, cls, text) {
  return page.locator(`#turn-banner.${cls}`, text ? { hasText: text } : undefined);
}

async function screenStage(stage) {
  await m.s.locator('#s-turns .stage-step.now', { hasText: fi[`web.turns.stage_name.${stage}`] }).waitFor();
  await m.s.locator('#s-turns .turn-guide', { hasText: fi[`web.turns.guide.${stage}`].slice(0, 40) }).waitFor();
}

test('a MONNI session: professionals, leaders and the projector join', async () => {
  // The first room's pages are done; free the machine for the next ones.
  for (const k of ['a', 'b', 'c', 'd', 's']) await pages[k]?.context().close();
  mroom = await createRoom({ title: 'Ammattilaisten kehittämisen tiimi', template: 'monni-professionals', language: 'fi' });
  m.f = await newPage('mf', { width: 1440, height: 900 });
  await m.f.goto(`${base}/r/${mroom.code}#key=${mroom.facilitator_key}&screen=${mroom.screen_key}`);
  await m.f.locator('#conn.online').waitFor();
  m.p = await newPage('mp');
  await join(m.p, 'Pirjo', 'professional', mroom.code);
  m.l = await newPage('ml');
  await join(m.l, 'Leena', 'leader', mroom.code);
  m.s = await newPage('ms', { width: 1920, height: 1080 });
  await m.s.goto(`${base}/screen/${mroom.code}#key=${mroom.screen_key}`);
  await m.s.locator('#screen').waitFor({ state: 'visible' });
  // In a context of its own: a second tab would put the facilitator's page in the background.
  bots = await (await browser.newContext()).newPage();
  // The bots' WebSockets must come from a page of the server's own origin (Origin is checked).
  await bots.goto(`${base}/healthz`);
  await botJoin(bots, mroom.code, 'Paavo', 'professional');
  await botJoin(bots, mroom.code, 'Lauri', 'leader');
  for (const p of [m.f, m.p, m.l]) await p.locator('#people .person', { hasText: 'Lauri' }).waitFor();
});

test('reflecting team: the banners, a leader\'s private note and the projector follow conversation → reflection → response', async () => {
  const { f, p, l, s } = m;
  await f.locator('#facil-phase').selectOption('reflecting');
  await p.locator('#panel-reflections').waitFor({ state: 'visible' });
  await f.locator('.rt-focus .rt-group-professional').check();
  await f.locator('.rt-reflect .rt-group-leader').check();
  await f.locator('#turns-reflecting').click();

  // Conversation: the professionals speak, the leaders listen.
  await banner(p, 'speaking', fi['web.turns.badge.speak']).waitFor();
  await banner(p, 'speaking', fi['web.turns.you_speak']).waitFor();
  await banner(l, 'listening', fi['web.turns.badge.listen']).waitFor();
  await banner(l, 'listening', fi['web.turns.you_listen']).waitFor();
  await banner(l, 'listening', fi['web.turns.guide.listen_notes']).waitFor();
  await f.locator('#turn-banner .turn-badge', { hasText: fi['web.turns.badge.steer'] }).waitFor();
  await screenStage('conversation');
  const focus = s.locator('#s-turns .turn-group[data-side=focus]');
  const reflectors = s.locator('#s-turns .turn-group[data-side=reflectors]');
  await focus.and(s.locator('.speaking')).waitFor();
  await focus.locator('.tg-side', { hasText: fi['web.group_pl.professional'] }).waitFor();
  await focus.locator('.tg-names', { hasText: 'Pirjo, Paavo' }).waitFor();
  await reflectors.and(s.locator('.listening')).locator('.tg-names', { hasText: 'Leena, Lauri' }).waitFor();
  await s.locator('#s-timer.running .timer-value', { hasText: /^(10:00|9:[0-5]\d)$/ }).waitFor();

  // A leader listens and writes a private note: the professional sees only that it exists.
  const note = 'Kuulin sanan ”yhdessä” monta kertaa – ehkä se kantaa suunnitelmaa';
  await addItem(l, 'reflections', 'reflection', note, { hidden: true });
  await l.locator('.item.is-hidden .item-text', { hasText: note }).waitFor();
  await p.locator('#panel-reflections .item.secret').waitFor();
  await s.locator('#s-boards .item.secret').waitFor();
  assert.equal(await p.getByText(note).count(), 0);
  assert.ok(!(await p.content()).includes('kantaa suunnitelmaa'), 'the note is nowhere in the professional\'s page');
  assert.ok(!(await s.content()).includes('kantaa suunnitelmaa'), 'nor on the projector');
  await shot(s, 'screen-reflecting-conversation');
  await shot(l, 'participant-reflecting-listen');

  // Reflection: the leaders talk with each other, the professionals listen.
  await f.locator('#turns-next', { hasText: fi['web.turns.next_to.reflection'] }).click();
  await banner(l, 'speaking', fi['web.turns.you_reflect']).waitFor();
  await banner(l, 'speaking', fi['web.turns.badge.speak']).waitFor();
  await banner(p, 'listening', fi['web.turns.you_listen_focus']).waitFor();
  await banner(p, 'listening', fi['web.turns.badge.listen']).waitFor();
  await screenStage('reflection');
  await reflectors.and(s.locator('.speaking')).locator('.tg-names', { hasText: 'Leena, Lauri' }).waitFor();
  await focus.and(s.locator('.listening')).waitFor();
  assert.equal(await p.getByText(note).count(), 0, 'still private until the leader reveals it');
  await l.locator('.item.is-hidden', { hasText: note }).locator('button.reveal').click();
  await itemText(p, note).waitFor();
  await itemText(s, note).waitFor();
  await s.locator('#s-boards .item.secret').waitFor({ state: 'detached' });
  await shot(s, 'screen-reflecting-reflection');
  await shot(l, 'participant-reflecting-reflect');
  await shot(p, 'participant-reflecting-focus-listens');

  // Response: the professionals say what caught their attention, the leaders listen.
  await f.locator('#turns-next', { hasText: fi['web.turns.next_to.response'] }).click();
  await banner(p, 'speaking', fi['web.turns.you_respond']).waitFor();
  await banner(l, 'listening', fi['web.turns.you_listen']).waitFor();
  await screenStage('response');
  await focus.and(s.locator('.speaking')).waitFor();
  await shot(s, 'screen-reflecting-response');
  // With names hidden the wall shows only how many are in each group.
  await f.locator('#setting-hide_names').check();
  await focus.locator('.tg-names', { hasText: fi['web.turns.count.other'].replace('{n}', '2') }).waitFor();
  assert.equal(await s.locator('#s-turns', { hasText: 'Pirjo' }).count(), 0);
  await f.locator('#setting-hide_names').uncheck();
  await focus.locator('.tg-names', { hasText: 'Pirjo, Paavo' }).waitFor();
  // After the response comes a new cycle.
  await f.locator('#turns-next', { hasText: fi['web.turns.next_cycle'] }).click();
  await banner(p, 'speaking', fi['web.turns.reflecting_stage'].replace('{cycle}', '2').replace('{stage}', fi['web.turns.stage.conversation'])).waitFor();
  await f.locator('#turns-end').click();
  await p.locator('#turn-banner').waitFor({ state: 'hidden' });
  await s.locator('#s-turns').waitFor({ state: 'hidden' });
});

test('a round: the speaker passes or is done, the facilitator moves it on; the time box ends softly', async () => {
  const { f, p, l, s } = m;
  await f.locator('#facil-phase').selectOption('closing');
  await p.locator('#phase-title', { hasText: 'Lopetuskierros' }).waitFor();
  await f.locator('#turns-round').click();
  // In the order of joining: Pirjo, Leena, Paavo, Lauri.
  await banner(p, 'speaking', fi['web.turns.badge.speak']).waitFor();
  await banner(l, 'listening', fi['web.turns.round_speaker_next'].replace('{speaker}', 'Pirjo').replace('{next}', 'Leena')).waitFor();
  await s.locator('#s-turns .round-order .ro-now', { hasText: 'Pirjo' }).waitFor();
  await p.locator('#turn-pass').click();
  await banner(l, 'speaking', fi['web.turns.you_speak_round']).waitFor();
  await banner(p, 'listening').waitFor();
  await s.locator('#s-turns .round-order .ro-passed', { hasText: 'Pirjo' }).locator('.ro-mark', { hasText: fi['web.turns.round_passed'] }).waitFor();
  await shot(s, 'screen-round');
  await l.locator('#turn-done').click();
  await s.locator('#s-turns .round-order .ro-now', { hasText: 'Paavo' }).waitFor();
  await s.locator('#s-turns .round-order .ro-done', { hasText: 'Leena' }).waitFor();
  assert.equal(await p.locator('#turn-done').count(), 0, 'only the speaker has the buttons');
  await botDo(bots, 'Paavo', 'turns.round.done');
  await s.locator('#s-turns .round-order .ro-now', { hasText: 'Lauri' }).waitFor();
  await f.locator('#turns-next', { hasText: fi['web.turns.next_speaker'] }).click();
  await s.locator('#s-turns .turn-summary', { hasText: fi['web.turns.round_over'] }).waitFor();
  await p.locator('#turn-banner', { hasText: fi['web.turns.round_over'] }).waitFor();
  await f.locator('#turns-end').click();
  await s.locator('#s-turns').waitFor({ state: 'hidden' });

  // A one-second time box: when it ends, every view shows it calmly (no sound, no dialog).
  await f.locator('#facil-minutes').fill('0.02');
  await f.locator('#timer-start').click();
  await p.locator('#timer.over .timer-label', { hasText: fi['web.timer.over'] }).waitFor();
  await f.locator('#timer.over').waitFor();
  await f.locator('#facil-timer-ended').waitFor({ state: 'visible' });
  await s.locator('#s-timer.over .timer-label', { hasText: fi['web.timer.over'] }).waitFor();
  await shot(s, 'screen-timebox-ended');
  await shot(p, 'participant-timebox-ended');
  await f.locator('#timer-reset').click();
  await p.locator('#timer.over').waitFor({ state: 'detached' });
  await f.locator('#facil-timer-ended').waitFor({ state: 'hidden' });
});

test('agenda: the facilitator adds, moves and removes phases, and renames the meeting', async () => {
  const { f, p, s } = m;
  await f.locator('#agenda > summary').click();
  const items = f.locator('#agenda-list .agenda-item');
  await items.nth(5).waitFor();
  assert.equal(await items.count(), 6);
  // The current phase (the closing round) cannot be removed.
  assert.ok(await items.nth(5).locator('button.remove').isDisabled());
  await f.locator('#agenda-add-title').fill('Tauko');
  await f.locator('#agenda-add-question').fill('Hengähdetään hetki ennen suunnitelmaa.');
  await f.locator('#agenda-add-after').selectOption('plan');
  await f.locator('#agenda-add-minutes').fill('10');
  await f.locator('#agenda-add-submit').click();
  await items.nth(4).locator('.agenda-name', { hasText: 'Tauko' }).waitFor();
  await items.nth(4).locator('.agenda-facts', { hasText: '10 min' }).waitFor();
  await p.locator('#phase-step', { hasText: fi['web.phase.step'].replace('{n}', '7').replace('{total}', '7') }).waitFor();
  // Move it before the plan, then remove the opening round.
  await items.nth(4).locator('button.move-up').click();
  await items.nth(3).locator('.agenda-name', { hasText: 'Tauko' }).waitFor();
  const opening = items.first();
  await opening.locator('button.remove').click();
  await opening.locator('button.remove.confirm').click();
  await f.locator('#agenda-list .agenda-item', { hasText: 'Aloituskierros' }).waitFor({ state: 'detached' });
  assert.equal(await items.count(), 6);
  await items.nth(2).locator('.agenda-name', { hasText: 'Tauko' }).waitFor();
  await p.locator('#phase-step', { hasText: fi['web.phase.step'].replace('{n}', '6').replace('{total}', '6') }).waitFor();
  // Everyone follows to the new phase.
  const pause = await items.nth(2).getAttribute('data-phase');
  await f.locator('#facil-phase').selectOption(pause);
  await p.locator('#phase-title', { hasText: 'Tauko' }).waitFor();
  await p.locator('#phase-question', { hasText: 'Hengähdetään hetki' }).waitFor();
  await s.locator('#s-title', { hasText: 'Tauko' }).waitFor();
  await f.locator('#agenda').scrollIntoViewIfNeeded();
  await shot(f, 'facilitator-agenda');
  // The title of the meeting.
  await f.locator('#facil-room-title').fill('Ammattilaisten tiimi, 2. tapaaminen');
  await f.locator('#facil-room-title').press('Enter');
  await p.locator('#room-title', { hasText: 'Ammattilaisten tiimi, 2. tapaaminen' }).waitFor();
  await s.locator('#s-step', { hasText: '2. tapaaminen' }).waitFor();
});

test('vote limit: votes left are shown, a vote over the limit is refused with a clear message', async () => {
  const { f, p, s } = m;
  await f.locator('#facil-phase').selectOption('vision');
  await p.locator('#panel-vision').waitFor({ state: 'visible' });
  for (const text of ['Kiire', 'Tieto ei kulje', 'Yhteinen kieli puuttuu']) await addItem(f, 'vision', 'hinders', text);
  await p.locator('.vcol-hinders .item', { hasText: 'Yhteinen kieli' }).waitFor();
  await f.locator('#setting-vote_limit').fill('2');
  await f.locator('#setting-vote_limit').press('Tab');
  const left = p.locator('#votes-left');
  await left.filter({ hasText: fi['web.votes.left'].replace('{left}', '2').replace('{limit}', '2') }).waitFor();
  const vote = (text) => p.locator('.vcol-hinders .item', { hasText: text }).locator('button.vote');
  await vote('Kiire').click();
  await left.filter({ hasText: fi['web.votes.left'].replace('{left}', '1').replace('{limit}', '2') }).waitFor();
  await vote('Tieto ei kulje').click();
  await p.locator('#votes-left.spent').waitFor();
  await vote('Yhteinen kieli').click();
  await p.locator('.toast.vote-refused', { hasText: fi['web.votes.refused.other'].replace('{n}', '2') }).waitFor();
  await shot(p, 'participant-vote-limit');
  await f.locator('.vcol-hinders .item', { hasText: 'Tieto ei kulje' }).locator('.vote-n', { hasText: '1' }).waitFor();
  assert.equal(await f.locator('.vcol-hinders .item', { hasText: 'Yhteinen kieli' }).locator('.vote-n').textContent(), '0');
  await s.locator('.vcol-hinders .item', { hasText: 'Kiire' }).locator('.votes', { hasText: '1' }).waitFor();
  // Taking a vote back frees it again.
  await vote('Kiire').click();
  await left.filter({ hasText: fi['web.votes.left'].replace('{left}', '1').replace('{limit}', '2') }).waitFor();
  await vote('Yhteinen kieli').click();
  await p.locator('#votes-left.spent').waitFor();
  await f.locator('#setting-vote_limit').fill('0');
  await f.locator('#setting-vote_limit').press('Tab');
  // Without a limit, the votes she has given are still shown.
  await left.filter({ hasText: fi['web.votes.given.other'].replace('{n}', '2') }).waitFor();
});

test('a co-facilitator: the role is given during the meeting and taken back', async () => {
  const { f, l } = m;
  await f.locator('#cofac-pick').selectOption({ label: 'Leena' });
  await f.locator('#cofac-make').click();
  await l.locator('#facil').waitFor({ state: 'visible' });
  await l.locator('#agenda').waitFor();
  assert.ok(await l.locator('#export-md').isHidden(), 'no notes download without the key');
  await f.locator('#people .person', { hasText: 'Leena' }).locator('.g', { hasText: fi['role.facilitator'] }).waitFor();
  await f.locator('#people .person', { hasText: 'Leena' }).locator('button.demote').click();
  await l.locator('#facil').waitFor({ state: 'hidden' });
});

test('a consent room holds a participant until the consent is recorded', async () => {
  const croom = await createRoom({ title: 'OMA TIIMI – Nooran tiimi', language: 'fi' });
  const f = await newPage('cf', { width: 1440, height: 900 });
  await f.goto(`${base}/r/${croom.code}#key=${croom.facilitator_key}`);
  await f.locator('#setting-consent_required').check();
  await f.locator('#setting-consent_required:checked').waitFor();
  await f.locator('#consent-form').waitFor({ state: 'visible' });
  const y = await newPage('cy');
  await y.goto(`${base}/r/${croom.code}`);
  await y.locator('#join-name').fill('Noora');
  await y.locator('input[name=group][value=expert]').check();
  await y.locator('#join-form button[type=submit]').click();
  await y.locator('#lobby').waitFor({ state: 'visible' });
  // The page says why: a consent room waits for the consent (or, when the server does not
  // tell which, for the facilitator to let people in or the consent).
  await y.locator('#lobby-text', { hasText: /suostumu/ }).waitFor();
  await shot(y, 'lobby-consent');
  await f.locator('#waiting .person', { hasText: 'Noora' }).locator('button.admit[disabled]').waitFor();
  await f.locator('#consent-record').click();
  await f.locator('#consent-form .msg', { hasText: fi['web.consent.fill'] }).waitFor();
  await f.locator('#consent-given-by').fill('Noora itse');
  await f.locator('#consent-scope').fill('Tiimin kokoaminen hänen asioidensa ympärille');
  await f.locator('#consent-record').click();
  await y.locator('#app').waitFor({ state: 'visible' });
  await f.locator('#consent-recorded .consent-given', { hasText: 'Noora itse' }).waitFor();
  await f.locator('#consent-recorded .consent-scope', { hasText: 'Tiimin kokoaminen' }).waitFor();
  await f.locator('#consent-form').waitFor({ state: 'hidden' });
  await f.locator('#people .person', { hasText: 'Noora' }).waitFor();
  await f.locator('#consent-box').scrollIntoViewIfNeeded();
  await shot(f, 'facilitator-consent');
  await y.context().close();
  await f.context().close();
});

test('the join page lists the templates in the page\'s language', async () => {
  const ctx = await browser.newContext({ locale: 'fi-FI' });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => harness.errors.push(`tpl: ${e.message}`));
  page.setDefaultTimeout(T);
  const titles = async (lang) => Object.fromEntries((await (await fetch(`${base}/api/templates?language=${lang}`)).json()).map((x) => [x.id, x.title]));
  const [tfi, tsv] = [await titles('fi'), await titles('sv')];
  assert.notEqual(tfi['monni-professionals'], tsv['monni-professionals']);
  await page.goto(`${base}/`);
  await page.locator('#create-template option[value=monni-professionals]', { hasText: tfi['monni-professionals'] }).waitFor({ state: 'attached' });
  await page.locator('#lang').selectOption('sv');
  await page.locator('#create-template option[value=monni-professionals]', { hasText: tsv['monni-professionals'] }).waitFor({ state: 'attached' });
  await ctx.close();
});

test('a process: two meetings, the second brings in the first one\'s timeline and plan with provenance, read-only; the report', async () => {
  // The professionals' meeting starts a new process on the join page.
  const p1 = await newPage('proc1', { width: 1366, height: 900 });
  await p1.goto(`${base}/`);
  await p1.locator('#create summary').click();
  await p1.locator('#create-title').fill('MONNI – ammattilaisten tapaaminen');
  await p1.locator('#create-process').selectOption('new');
  await p1.locator('#create-process-title').fill('MONNI Hämeenlinna 2026');
  await p1.locator('#create-process-teams').fill('Ammattilaiset\nJohtajat');
  await p1.locator('#create-team').selectOption('Ammattilaiset');
  await shot(p1, 'join-process');
  await p1.locator('#create-form button[type=submit]').click();
  await p1.waitForURL(/\/r\/[A-Z0-9]{8}#.*pkey=/);
  const frag1 = new URLSearchParams(new URL(p1.url()).hash.slice(1));
  const code1 = new URL(p1.url()).pathname.split('/')[2];
  await p1.locator('#process-panel #process-meetings li').first().waitFor();
  const key1 = frag1.get('key');
  assert.ok((await facilDo(p1, code1, key1, 'item.add', { board: 'timeline', column: 'event', text: 'Yhteinen palaveri koululla', when: '2024-03', sector: 'school' })).seq);
  assert.ok((await facilDo(p1, code1, key1, 'item.add', { board: 'plan', column: 'action', text: 'Kuukausittainen verkostotapaaminen', who: 'Aino', due: '2026-05', status: 'agreed' })).seq);

  // The leaders' meeting: a new meeting in the same process, from the link.
  const href = await p1.locator('#process-new-meeting').getAttribute('href');
  const p2 = await newPage('proc2', { width: 1366, height: 1000 });
  await p2.goto(`${base}${href}`);
  await p2.locator('#create-process option[value=linked]', { hasText: 'MONNI Hämeenlinna 2026' }).waitFor({ state: 'attached' });
  await p2.locator('#create-team option[value=Johtajat]').waitFor({ state: 'attached' });
  await p2.locator('#create-team').selectOption('Johtajat');
  await p2.locator('#create-title').fill('MONNI – johtajien tapaaminen');
  await p2.locator('#create-form button[type=submit]').click();
  await p2.waitForURL(/\/r\/[A-Z0-9]{8}#.*pkey=/);
  const code2 = new URL(p2.url()).pathname.split('/')[2];
  const key2 = new URLSearchParams(new URL(p2.url()).hash.slice(1)).get('key');
  assert.notEqual(code2, code1);
  const meetings = p2.locator('#process-meetings li');
  await p2.locator(`#process-meetings li[data-code="${code2}"]`).waitFor();
  assert.deepEqual(await meetings.evaluateAll((els) => els.map((e) => e.dataset.code)), [code1, code2]);
  await p2.locator(`#process-meetings li[data-code="${code1}"] a[href="/r/${code1}"]`).waitFor();

  // Bring in the timeline and the plan of the professionals' meeting.
  assert.equal(await p2.locator('#import-from').inputValue(), code1);
  assert.ok(await p2.locator('#import-board-timeline').isChecked());
  assert.ok(await p2.locator('#import-board-plan').isChecked());
  await p2.locator('#import-go').click();
  await p2.locator('#tabs .tab', { hasText: fi['board.timeline'] }).click();
  const imported = p2.locator('#panel-timeline .item.readonly', { hasText: 'Yhteinen palaveri koululla' });
  await imported.waitFor();
  await imported.locator('.provenance', { hasText: 'Ammattilaiset' }).waitFor();
  await imported.locator('.provenance', { hasText: 'MONNI – ammattilaisten tapaaminen' }).waitFor();
  assert.equal(await imported.locator('button.edit, button.delete, button.move-up').count(), 0, 'no editing of an imported item');
  const id = await imported.getAttribute('data-id');
  assert.deepEqual(await facilDo(p2, code2, key2, 'item.edit', { board: 'timeline', id, text: 'muutettu' }), { error: 'forbidden' });
  await p2.locator('#tabs .tab', { hasText: fi['board.plan'] }).click();
  const row = p2.locator('#panel-plan .plan-row.readonly', { hasText: 'Kuukausittainen verkostotapaaminen' });
  await row.locator('.provenance', { hasText: 'Ammattilaiset' }).waitFor();
  assert.equal(await row.locator('select.status-select, button.edit').count(), 0);
  await p2.locator('#process-panel').scrollIntoViewIfNeeded();
  await shot(p2, 'facilitator-process');
  await row.scrollIntoViewIfNeeded();
  await shot(p2, 'facilitator-imported');
  // An editable copy: the same text, editable, still saying where it came from.
  await row.locator('button.copy-item').click();
  const copy = p2.locator('#panel-plan .plan-row:not(.readonly)', { hasText: 'Kuukausittainen verkostotapaaminen' });
  await copy.locator('button.edit').waitFor();
  await copy.locator('.provenance', { hasText: fi['web.item.copy_of'] }).waitFor();

  // A participant sees the provenance too, and cannot edit.
  const pp = await newPage('proc-p');
  await join(pp, 'Johanna', 'leader', code2);
  await pp.locator('#tabs .tab', { hasText: fi['board.timeline'] }).click();
  await pp.locator('#panel-timeline .item.readonly .provenance', { hasText: 'Ammattilaiset' }).waitFor();
  assert.equal(await pp.locator('#panel-timeline .item.readonly button.copy-item').count(), 0);

  // The process report.
  await p2.locator('#process-refresh').click();
  const [md] = await Promise.all([p2.waitForEvent('download'), p2.locator('#process-report-md').click()]);
  const report = fs.readFileSync(await md.path(), 'utf8');
  assert.match(report, /MONNI – ammattilaisten tapaaminen/);
  assert.match(report, /MONNI – johtajien tapaaminen/);
  const [html] = await Promise.all([p2.waitForEvent('download'), p2.locator('#process-report-html').click()]);
  assert.match(fs.readFileSync(await html.path(), 'utf8'), /<html/i);
  for (const pg of [p1, p2, pp]) await pg.context().close();
});

test('over https the page talks wss:, and a page of another origin cannot open the WebSocket or create a room', async () => {
  // A page of another origin: plain HTML from a server of its own on loopback, no CSP.
  const other = http.createServer((req, res) => { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end('<html><body>x</body></html>'); });
  await new Promise((resolve) => other.listen(0, '127.0.0.1', resolve));
  const otherOrigin = `http://127.0.0.1:${other.address().port}`;
  // A second server with a certificate made for this test; it allows that other origin.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keha-e2e-tls-'));
  const crt = path.join(dir, 'server.crt');
  const key = path.join(dir, 'server.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', crt],
  { stdio: 'ignore' });
  const tport = await freePort();
  const args = ['--port', String(tport), '--bind', '127.0.0.1', '--db', path.join(dir, 'tls.db'),
    '--tls-cert', crt, '--tls-key', key, '--allowed-origin', otherOrigin];
  if (ASSETS) args.push('--assets', ASSETS);
  const tls = spawn(SERVER, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await new Promise((resolve, reject) => {
      let out = '';
      tls.stdout.on('data', (d) => { out += d; if (out.includes('Kehä is running')) resolve(); });
      tls.once('exit', () => reject(new Error('the TLS keha-server exited at start')));
    });
    const ctx = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fi-FI' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(T);
    page.on('pageerror', (e) => harness.errors.push(`tls: ${e.message}`));
    const sockets = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(`https://127.0.0.1:${tport}/`);
    // The join page's own origin may create a room.
    const created = await page.evaluate(async () => {
      const res = await fetch('/api/rooms', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: 'TLS', language: 'fi' }) });
      return res.json();
    });
    await page.goto(`https://127.0.0.1:${tport}/r/${created.code}`);
    await page.locator('#join-name').fill('Aino');
    await page.locator('input[name=group][value=expert]').check();
    await page.locator('#join-form button[type=submit]').click();
    await page.locator('#conn.online').waitFor();
    assert.ok(sockets.length > 0 && sockets.every((u) => u.startsWith(`wss://127.0.0.1:${tport}/`)), sockets.join(' '));

    // The other origin's page, in the same browser: the plain server (own origin only) refuses
    // it; the TLS server, which allows that origin, lets it in — so the refusal is the Origin's.
    const evil = await ctx.newPage();
    await evil.goto(`${otherOrigin}/`);
    const tryWs = (url) => evil.evaluate((u) => new Promise((resolve) => {
      const ws = new WebSocket(u);
      ws.onopen = () => { ws.close(); resolve('open'); };
      ws.onerror = () => resolve('refused');
    }), url);
    assert.equal(await tryWs(`ws://127.0.0.1:${keha.port}/ws`), 'refused');
    assert.equal(await tryWs(`wss://127.0.0.1:${tport}/ws`), 'open');
    const post = async (url) => {
      const [answer] = await Promise.all([
        evil.waitForResponse(url),
        evil.evaluate((u) => fetch(u, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' },
          body: JSON.stringify({ title: 'CSRF' }) }).catch(() => null), url),
      ]);
      return answer.status();
    };
    assert.equal(await post(`${base}/api/rooms`), 403);
    // Past the Origin check, a text/plain body (all such a page can send without a CORS
    // preflight) is refused for its type.
    assert.equal(await post(`https://127.0.0.1:${tport}/api/rooms`), 415);
    await ctx.close();
  } finally {
    tls.kill('SIGKILL');
    other.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('erasing an item from the history, the access log and deleting the meeting, each after a confirmation', async () => {
  const r = await createRoom({ title: 'Poistettava tapaaminen', language: 'fi' });
  const f = await newPage('del-f', { width: 1440, height: 900 });
  await f.goto(`${base}/r/${r.code}#key=${r.facilitator_key}`);
  await f.locator('#facil').waitFor({ state: 'visible' });
  await f.locator('#conn.online').waitFor();
  const p = await newPage('del-p');
  await join(p, 'Veera', 'expert', r.code);
  await facilDo(f, r.code, r.facilitator_key, 'phase.goto', { phase: 'timeline' });
  const pic = identityCode('131052', '308');
  const added = await facilDo(f, r.code, r.facilitator_key, 'item.add',
    { board: 'timeline', column: 'event', text: `Kirjattu vahingossa ${pic}`, when: '2025-03' });
  const card = f.locator(`#panel-timeline [data-id="i${added.seq}"]`);
  await card.waitFor();

  // The delete confirmation offers the erasure to the facilitator; a participant's own items have none.
  await card.locator('button.delete').click();
  await card.locator('button.confirm-erase').waitFor();
  await shot(f, 'delete-erase-confirm');
  await card.locator('button.confirm-erase').click();
  await card.waitFor({ state: 'detached' });
  const at = await f.evaluate(async ({ code, key, seq }) => {
    const res = await fetch(`/api/rooms/${code}/history?seq=${seq}`, { headers: { Authorization: `Bearer ${key}` } });
    return res.json();
  }, { code: r.code, key: r.facilitator_key, seq: added.seq });
  const item = at.state.boards.timeline.items[`i${added.seq}`];
  assert.equal(item.text, '');
  assert.equal(item.erased, true);
  assert.ok(!JSON.stringify(at).includes(pic), 'the history no longer holds the identity code');

  // The access log: who joined, as a file.
  const [csv] = await Promise.all([f.waitForEvent('download'), f.locator('#access-log-csv').click()]);
  const log = fs.readFileSync(await csv.path(), 'utf8');
  assert.match(csv.suggestedFilename(), /access-log\.csv$/);
  assert.match(log, /^at,room,event,role,pid,name,address,detail/);
  assert.match(log, /,join,participant,p\d+,Veera,127\.0\.0\.1,/);
  assert.match(log, /,item_erased,facilitator,/);

  // Deleting asks first; going back deletes nothing.
  await f.locator('#delete-meeting').click();
  await f.locator('#delete-meeting-confirm', { hasText: fi['web.records.delete_confirm'] }).waitFor();
  await shot(f, 'delete-meeting-confirm');
  await f.locator('#delete-meeting-no').click();
  await f.locator('#delete-meeting-confirm').waitFor({ state: 'hidden' });
  assert.equal((await fetch(`${base}/api/rooms/${r.code}`)).status, 200);
  await f.locator('#delete-meeting').click();
  await f.locator('#delete-meeting-yes').click();
  await p.locator('#fatal-title', { hasText: fi['web.fatal.deleted_title'] }).waitFor();
  await p.locator('#fatal-msg', { hasText: fi['error.room_deleted'] }).waitFor();
  await f.locator('#fatal-title', { hasText: fi['web.fatal.deleted_title'] }).waitFor();
  await shot(p, 'meeting-deleted');
  assert.equal((await fetch(`${base}/api/rooms/${r.code}`)).status, 404);
  for (const pg of [f, p]) await pg.context().close();
});

// One 1,990-character word (an item's text, a name, a board field) must not scroll any page
// sideways: the participant on a phone, the facilitator on a laptop and on a phone, and the
// projector, on every board.
test('a very long word wraps: no page scrolls sideways', async () => {
  const r = await createRoom({ title: 'T'.repeat(200), language: 'fi', template: 'systemic-team' });
  const opened = [];
  const open = async (name, viewport, url) => {
    const ctx = await browser.newContext({ viewport, locale: 'fi-FI' });
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
