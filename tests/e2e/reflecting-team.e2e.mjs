// A MONNI professionals' session steered by the facilitator: the reflecting team's stages
// (conversation → reflection → response) on every banner and the projector, with a leader's
// private note; a round where the speaker passes or is done and a time box that ends softly;
// the agenda changed during the meeting; a vote limit; a co-facilitator. Two people are
// browsers, two more join over a bare WebSocket (cheaper than two more browsers).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, catalog, shot, join as joinAt, addItem, itemText } from './support/harness.mjs';

const fi = catalog('fi');
const { keha, pages: harness, setUp } = story('reflecting-team');
let base = '';

async function newPage(name, viewport = { width: 1366, height: 860 }) {
  return harness.open(name, { viewport });
}

async function join(page, name, group, code) {
  await joinAt(page, base, code, name, group);
}

const createRoom = (body) => keha.createRoom(body);

setUp(async () => {
  base = keha.base;
});

const m = {}; // the MONNI room's pages: f facilitator, p professional, l leader, s projector
let mroom = null;
let bots = null; // a blank page holding two more members' WebSockets

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
  bots = await (await harness.browser.newContext()).newPage();
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

test('no script errors and no dialogs on any page', () => {
  assert.deepEqual(harness.errors, []);
});
