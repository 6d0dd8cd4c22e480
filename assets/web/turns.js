// Who speaks and who listens: the turn state (/turns) as a banner for each person, a
// panel for the projector, and the facilitator's turn controls. The server names the
// speakers and listeners explicitly, so nothing here works out a turn rule by itself.

import { t } from './i18n.js';
import { h } from './util.js';

const GROUPS = ['professional', 'leader', 'expert', 'other'];

function names(list, nameOf) {
  return (list || []).map((pid) => nameOf(pid)).filter(Boolean).join(', ');
}

// One line saying what is going on, the same for everyone.
export function turnSummary(turns, nameOf) {
  const mode = turns?.mode;
  if (mode === 'reflecting_team') {
    return t('web.turns.reflecting_stage', { stage: t(`web.turns.stage.${turns.stage}`), cycle: turns.cycle || 1 });
  }
  if (mode === 'round') {
    if (turns.finished || !(turns.speaking || []).length) return t('web.turns.round_over');
    const speaker = names(turns.speaking, nameOf);
    const next = turns.next ? nameOf(turns.next) : '';
    return next ? t('web.turns.round_speaker_next', { speaker, next }) : t('web.turns.round_speaker', { speaker });
  }
  if (mode === 'hand_queue') {
    return turns.speaker ? t('web.turns.floor_speaker', { speaker: nameOf(turns.speaker) }) : t('web.turns.floor_open');
  }
  if (mode === 'pairs') return t('web.turns.pairs_half', { half: turns.half || 1 });
  return '';
}

// The participant's banner: speaking or listening now, and what that asks of them.
export function renderTurnBanner(box, s, me, send, nameOf) {
  const turns = s.turns || { mode: 'none' };
  const sig = JSON.stringify([turns, me.you, me.role, Object.keys(s.participants || {}).length]);
  if (box.dataset.sig === sig) return;
  box.dataset.sig = sig;
  box.textContent = '';
  box.className = 'turn-banner';
  if (!turns.mode || turns.mode === 'none') { box.hidden = true; return; }
  box.hidden = false;
  const speaking = (turns.speaking || []).includes(me.you);
  const listening = (turns.listening || []).includes(me.you);
  box.classList.add(speaking ? 'speaking' : listening ? 'listening' : 'neutral');
  let you = '';
  let guide = '';
  if (turns.mode === 'reflecting_team') {
    const inFocus = (turns.focus || []).includes(me.you);
    const inReflectors = (turns.reflectors || []).includes(me.you);
    if (speaking) you = t(inReflectors ? 'web.turns.you_reflect' : 'web.turns.you_speak');
    else if (listening) you = t('web.turns.you_listen');
    guide = t(`web.turns.guide.${turns.stage}`);
    if (listening && inReflectors) guide += ` ${t('web.turns.guide.listen_notes')}`;
    if (!inFocus && !inReflectors && me.role !== 'facilitator') you = '';
  } else if (turns.mode === 'pairs') {
    const pair = (turns.pairs || []).find((g) => g.includes(me.you));
    if (pair) {
      const others = pair.filter((p) => p !== me.you);
      you = t(speaking ? 'web.turns.pair_speak' : 'web.turns.pair_listen', { names: names(others, nameOf) });
    }
  } else if (speaking) {
    you = t('web.turns.you_speak');
  } else if (listening) {
    you = t('web.turns.you_listen');
  }
  box.append(h('p', { class: 'turn-summary', text: turnSummary(turns, nameOf) }));
  if (you) box.append(h('p', { class: 'turn-you', text: you }));
  if (guide) box.append(h('p', { class: 'turn-guide', text: guide }));
  if (turns.mode === 'round' && speaking && me.role !== 'facilitator') {
    box.append(h('div', { class: 'turn-actions' },
      h('button', { type: 'button', class: 'primary', id: 'turn-done', onclick: () => send('turns.round.done', {}) }, t('web.turns.done')),
      h('button', { type: 'button', id: 'turn-pass', onclick: () => send('turns.round.pass', {}) }, t('web.turns.pass'))));
  }
}

// The projector's panel: the stage or speaker, and both groups.
export function renderTurnScreen(box, s, nameOf, hideNames) {
  const turns = s.turns || { mode: 'none' };
  const sig = JSON.stringify([turns, hideNames, Object.values(s.participants || {}).map((p) => p.name)]);
  if (box.dataset.sig === sig) return;
  box.dataset.sig = sig;
  box.textContent = '';
  if (!turns.mode || turns.mode === 'none') { box.hidden = true; return; }
  box.hidden = false;
  const who = (list) => (hideNames ? t('web.turns.count', { n: (list || []).length }) : names(list, nameOf));
  const shownName = (pid) => (hideNames ? '' : nameOf(pid));
  box.append(h('p', { class: 'turn-summary', text: turnSummary(turns, shownName) }));
  if (turns.mode === 'reflecting_team') {
    box.append(h('p', { class: 'turn-guide', text: t(`web.turns.guide.${turns.stage}`) }));
    box.append(h('div', { class: 'turn-groups' },
      h('div', { class: 'turn-group speaking' }, h('span', { class: 'tg-label', text: t('web.turns.speak_now') }), h('span', { text: who(turns.speaking) })),
      h('div', { class: 'turn-group listening' }, h('span', { class: 'tg-label', text: t('web.turns.listen_now') }), h('span', { text: who(turns.listening) }))));
  } else if (turns.mode === 'pairs' && !hideNames) {
    const list = h('ul', { class: 'turn-pairs' });
    for (const g of turns.pairs || []) list.append(h('li', { text: names(g, nameOf) }));
    box.append(list);
  }
}

// The facilitator's turn controls.
export class TurnControls {
  constructor(send, state) {
    this.send = send;
    this.state = state;
    this.focus = h('select', { class: 'turn-focus', 'aria-label': t('web.turns.focus_group') },
      GROUPS.map((g) => h('option', { value: g, text: t(`group.${g}`) })));
    this.reflect = h('select', { class: 'turn-reflect', 'aria-label': t('web.turns.reflect_group') },
      GROUPS.map((g) => h('option', { value: g, text: t(`group.${g}`) })));
    this.reflect.value = 'leader';
    this.startBox = h('span', { class: 'turn-start' },
      h('label', { class: 'min-label' }, h('span', { text: t('web.turns.focus_group') }), this.focus),
      h('label', { class: 'min-label' }, h('span', { text: t('web.turns.reflect_group') }), this.reflect),
      h('button', { type: 'button', id: 'turns-reflecting', onclick: () => this.startReflecting() }, t('web.turns.start_reflecting')),
      h('button', { type: 'button', id: 'turns-round', onclick: () => send('turns.round.start', {}) }, t('web.turns.start_round')),
      h('button', { type: 'button', id: 'turns-queue', onclick: () => send('turns.queue.start', {}) }, t('web.turns.start_queue')),
      h('button', { type: 'button', id: 'turns-pairs', onclick: () => send('turns.pairs.start', {}) }, t('web.turns.start_pairs')));
    this.runBox = h('span', { class: 'turn-run' },
      h('button', { type: 'button', class: 'primary', id: 'turns-next', onclick: () => send('turns.next', {}) }, t('web.turns.next')),
      h('button', { type: 'button', id: 'turns-end', onclick: () => send('turns.end', {}) }, t('web.turns.end')));
    this.root = h('div', { class: 'fgroup turns' }, h('span', { class: 'flabel', text: t('web.turns.title') }), this.startBox, this.runBox);
  }

  startReflecting() {
    this.send('turns.reflecting.start', { focus_group: this.focus.value, reflect_group: this.reflect.value });
  }

  update(s) {
    const mode = s.turns?.mode || 'none';
    const open = s.room?.status !== 'closed';
    this.startBox.hidden = mode !== 'none';
    this.runBox.hidden = mode === 'none';
    this.runBox.querySelector('#turns-next').hidden = mode === 'hand_queue';
    for (const b of this.root.querySelectorAll('button')) b.disabled = !open;
  }
}
