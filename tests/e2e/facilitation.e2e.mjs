// A facilitated meeting from the participant's first step to the plan: joining by the code,
// the facilitator's phases, items on the timeline (chronological, private until revealed,
// HTML shown as text), votes and hands, the timer, the vision and plan boards, reflections
// with a reflecting team and a round, a change of name, a plan action that answers a hinderer,
// and Swedish. Two participants, the facilitator and the projector, each in a browser of
// their own, against one keha-server.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, sleep, catalog, template, shot, join as joinAt, addItem, itemText } from './support/harness.mjs';

const fi = catalog('fi');
const sv = catalog('sv');

// The wall shows the address a county would give it, as in a real meeting room.
const { keha, pages: harness, setUp } = story('facilitation', { args: ['--public-url', 'https://keha.kanta-hame.example'] });
let base = '';
let room = null; // {code, facilitator_key, screen_key}
const pages = {}; // a, b (participants), f (facilitator), s (screen)

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

setUp(async () => {
  base = keha.base;
  room = await keha.createRoom({ title: 'Kehittämisen tiimi – Hämeenlinna', language: 'fi' });
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

test('no script errors and no dialogs on any page', () => {
  assert.deepEqual(harness.errors, []);
});
