// Listeners in a reflecting team, in the browser: the facilitator puts the professionals
// and the experience expert on the reflecting side and the leaders in focus (several
// groups and single people per side); while the expert listens — on a phone — what she
// writes stays private whatever the box said, her hand is disabled with the reason, and
// the text never reaches the leaders' pages or the projector until she reveals it in her
// turn.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, join, openAsFacilitator, openScreen, addItem, itemText, shot, catalog } from './support/harness.mjs';

const fi = catalog('fi');
const phone = { width: 390, height: 844 };
const { keha, pages, setUp } = story('listeners');
let room;
const p = {}; // f (facilitator), s (projector), pro (professional), lead (leader), exp (expert, phone)
const received = { lead: [], s: [] }; // every WebSocket frame the leader's page and the projector got

const note = 'Kuulin, että sana ”luottamus” toistui – ehkä se kantaa koko suunnitelmaa';

function listenTo(page, into) {
  page.on('websocket', (ws) => ws.on('framereceived', (f) => into.push(String(f.payload))));
}

function banner(page, cls, text) {
  return page.locator(`#turn-banner.${cls}`, text ? { hasText: text } : undefined);
}

function reflectionForm(page) {
  return page.locator('#panel-reflections form.add-form[data-column=reflection]');
}

setUp(async () => {
  room = await keha.createRoom({ title: 'Johtajien kehittämisen tiimi' });
  p.f = await pages.open('f');
  await openAsFacilitator(p.f, keha.base, room);
  p.s = await pages.open('s', { viewport: { width: 1280, height: 720 } });
  listenTo(p.s, received.s);
  await openScreen(p.s, keha.base, room);
  p.pro = await pages.open('pro');
  await join(p.pro, keha.base, room.code, 'Pirjo', 'professional');
  p.lead = await pages.open('lead');
  listenTo(p.lead, received.lead);
  await join(p.lead, keha.base, room.code, 'Leena', 'leader');
  p.exp = await pages.open('exp', { viewport: phone });
  await join(p.exp, keha.base, room.code, 'Nea', 'expert');
  for (const name of ['Pirjo', 'Leena', 'Nea']) await p.f.locator('#people .person', { hasText: name }).waitFor();
});

test('the facilitator takes the professionals and the expert as the reflecting side, the leaders as focus', async () => {
  const { f, s, pro, lead, exp } = p;
  await f.locator('#facil-phase').selectOption('reflection');
  await exp.locator('#panel-reflections').waitFor({ state: 'visible' });
  const focus = f.locator('.rt-focus');
  const reflect = f.locator('.rt-reflect');
  // Groups and single people, each with its label.
  await focus.locator('.rt-choice', { hasText: fi['web.group_all.leader'] }).waitFor();
  await focus.locator('.rt-group-professional').uncheck();
  await focus.locator('.rt-group-leader').check();
  await reflect.locator('.rt-group-professional').check();
  await reflect.getByLabel(`Nea · ${fi['group.expert']}`).check();
  // Nobody is on both sides: the leader left the reflecting side when she went into focus.
  assert.equal(await reflect.getByLabel(`Leena · ${fi['group.leader']}`).isChecked(), false);
  assert.equal(await focus.getByLabel(`Pirjo · ${fi['group.professional']}`).isChecked(), false);
  assert.equal(await reflect.getByLabel(`Pirjo · ${fi['group.professional']}`).isChecked(), true);
  await shot(f, 'facilitator-reflecting-sides');
  await f.locator('#turns-reflecting').click();

  // Conversation: the leaders speak; the professional and the expert listen.
  await banner(lead, 'speaking', fi['web.turns.you_speak']).waitFor();
  await banner(exp, 'listening', fi['web.turns.you_listen']).waitFor();
  await banner(pro, 'listening', fi['web.turns.you_listen']).waitFor();
  const reflectors = s.locator('#s-turns .turn-group[data-side=reflectors]');
  await reflectors.and(s.locator('.listening')).locator('.tg-names', { hasText: 'Pirjo, Nea' }).waitFor();
  await s.locator('#s-turns .turn-group[data-side=focus] .tg-names', { hasText: 'Leena' }).waitFor();
});

test('a listening expert on a phone: her notes stay private whatever the box said, and her hand waits', async () => {
  const { f, s, lead, exp } = p;
  await banner(exp, 'listening', fi['web.turns.guide.listen_notes']).waitFor();
  // The private box is ticked and locked, with the reason beside it.
  const form = reflectionForm(exp);
  const box = form.locator('.f-hidden');
  const why = form.locator('.listen-note');
  await why.waitFor({ state: 'visible' });
  assert.equal(await why.textContent(), fi['web.add.listening_private']);
  assert.equal(await box.isChecked(), true);
  assert.equal(await box.isDisabled(), true);
  assert.equal(await box.getAttribute('aria-describedby'), await why.getAttribute('id'));
  // The hand is disabled, and says why — visibly and to a screen reader.
  const hand = exp.locator('#hand');
  assert.equal(await hand.isDisabled(), true);
  await exp.locator('#hand-why', { hasText: fi['web.hands.listening'] }).waitFor({ state: 'visible' });
  assert.equal(await hand.getAttribute('aria-describedby'), 'hand-why');
  assert.equal(await hand.getAttribute('title'), fi['web.hands.listening']);

  // She writes: her own page shows it as private; the facilitator reads it.
  await form.locator('.add-text').fill(note);
  await form.locator('.add-text').press('Enter');
  const mine = exp.locator('#panel-reflections .item.is-hidden', { hasText: note });
  await mine.waitFor();
  await itemText(f, note).waitFor();
  // Revealing waits for her turn.
  const reveal = mine.locator('button.reveal');
  assert.equal(await reveal.isDisabled(), true);
  assert.equal(await reveal.getAttribute('title'), fi['web.item.reveal_listening']);
  await shot(exp, 'participant-reflecting-listen-phone');
  await hand.scrollIntoViewIfNeeded();
  await shot(exp, 'participant-reflecting-listen-hand-phone');

  // The leaders and the projector see only that a note exists; the text never reached them.
  await lead.locator('#panel-reflections .item.secret').waitFor();
  await s.locator('#s-boards .item.secret').waitFor();
  assert.equal(await lead.getByText(note).count(), 0);
  assert.ok(!(await lead.content()).includes('luottamus'), 'not in the leader\'s page');
  assert.ok(!(await s.content()).includes('luottamus'), 'not on the projector');
  assert.ok(!received.lead.some((frame) => frame.includes('luottamus')), 'no frame to the leader carried it');
  assert.ok(!received.s.some((frame) => frame.includes('luottamus')), 'no frame to the projector carried it');
});

test('in the reflection the expert speaks and reveals; now the leader listens and is held', async () => {
  const { f, s, lead, exp } = p;
  await f.locator('#turns-next', { hasText: fi['web.turns.next_to.reflection'] }).click();
  await banner(exp, 'speaking', fi['web.turns.you_reflect']).waitFor();
  await banner(lead, 'listening', fi['web.turns.you_listen_focus']).waitFor();
  // Her box is hers again (as she left it: not ticked), and so is her hand.
  const box = reflectionForm(exp).locator('.f-hidden');
  await reflectionForm(exp).locator('.listen-note').waitFor({ state: 'hidden' });
  assert.equal(await box.isDisabled(), false);
  assert.equal(await box.isChecked(), false);
  assert.equal(await exp.locator('#hand').isDisabled(), false);
  await exp.locator('#hand-why').waitFor({ state: 'hidden' });
  // Still private until she reveals it.
  assert.ok(!received.lead.some((frame) => frame.includes('luottamus')));
  await exp.locator('#panel-reflections .item.is-hidden', { hasText: note }).locator('button.reveal:not([disabled])').click();
  await itemText(lead, note).waitFor();
  await itemText(s, note).waitFor();
  await shot(exp, 'participant-reflecting-reflect-phone');

  // The leader listens now: her box is locked and her hand waits.
  await reflectionForm(lead).locator('.listen-note').waitFor({ state: 'visible' });
  assert.equal(await reflectionForm(lead).locator('.f-hidden').isDisabled(), true);
  assert.equal(await lead.locator('#hand').isDisabled(), true);
  const leaderNote = 'Johtajan oma muistiinpano kuuntelun ajalta';
  await addItem(lead, 'reflections', 'reflection', leaderNote);
  await lead.locator('#panel-reflections .item.is-hidden', { hasText: leaderNote }).waitFor();
  await itemText(f, leaderNote).waitFor();
  await exp.locator('#panel-reflections .item.secret').waitFor();
  assert.equal(await exp.getByText(leaderNote).count(), 0);
  // In the response she listens again: her revealed note is everyone's now, so editing it waits too.
  await f.locator('#turns-next', { hasText: fi['web.turns.next_to.response'] }).click();
  await reflectionForm(exp).locator('.listen-note').waitFor({ state: 'visible' });
  const edit = exp.locator('#panel-reflections .item', { hasText: note }).locator('button.edit');
  assert.equal(await edit.isDisabled(), true);
  assert.equal(await edit.getAttribute('title'), fi['web.item.edit_listening']);
  await f.locator('#turns-end').click();
  await exp.locator('#panel-reflections .item', { hasText: note }).locator('button.edit:not([disabled])').waitFor();
  await reflectionForm(lead).locator('.listen-note').waitFor({ state: 'hidden' });
  assert.equal(await lead.locator('#hand').isDisabled(), false);
});

test('no script errors or dialogs on any page', () => {
  assert.deepEqual(pages.errors, []);
});
