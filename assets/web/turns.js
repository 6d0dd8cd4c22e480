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

const STAGES = ['conversation', 'reflection', 'response'];

// conversation → reflection → response, the current one marked.
function stageSteps(turns) {
  const list = h('ol', { class: 'stage-steps', 'aria-label': t('web.turns.stages') });
  STAGES.forEach((st, i) => {
    const now = st === turns.stage;
    const past = STAGES.indexOf(turns.stage) > i;
    const min = Math.round((turns.stage_s?.[st] || 0) / 60);
    list.append(h('li', { class: `stage-step${now ? ' now' : ''}${past ? ' past' : ''}`, 'aria-current': now ? 'step' : null },
      h('span', { class: 'step-name', text: t(`web.turns.stage_name.${st}`) }),
      min > 0 ? h('span', { class: 'step-min', text: t('web.turns.minutes', { n: min }) }) : null));
  });
  return list;
}

// Which group a reflecting-team side is, in words: "Fokusryhmä · Ammattilaiset".
function sideLabel(turns, side) {
  const group = side === 'focus' ? turns.focus_group : turns.reflect_group;
  const role = t(side === 'focus' ? 'web.turns.focus_group' : 'web.turns.reflect_group');
  return group ? `${role} · ${t(`web.group_pl.${group}`)}` : role;
}

// The participant's banner: speaking or listening now, and what that asks of them.
export function renderTurnBanner(box, s, me, send, nameOf, namesShown = true) {
  const turns = s.turns || { mode: 'none' };
  const sig = JSON.stringify([turns, me.you, me.role, namesShown, Object.entries(s.participants || {}).map(([k, p]) => [k, p.name])]);
  if (box.dataset.sig === sig) return;
  box.dataset.sig = sig;
  box.textContent = '';
  box.className = 'turn-banner';
  if (!turns.mode || turns.mode === 'none') { box.hidden = true; return; }
  box.hidden = false;
  const speaking = (turns.speaking || []).includes(me.you);
  const listening = (turns.listening || []).includes(me.you);
  const isFac = me.role === 'facilitator';
  // The big word: speak or listen. Facilitators steer; people outside the turn follow.
  let badge = speaking ? 'speak' : listening ? 'listen' : isFac ? 'steer' : 'follow';
  let you = '';
  let guide = '';
  let steps = null;
  let groups = null;
  if (turns.mode === 'reflecting_team') {
    const inFocus = (turns.focus || []).includes(me.you);
    const inReflectors = (turns.reflectors || []).includes(me.you);
    if (speaking) you = t(inReflectors ? 'web.turns.you_reflect' : turns.stage === 'response' ? 'web.turns.you_respond' : 'web.turns.you_speak');
    else if (listening) you = t(inFocus ? 'web.turns.you_listen_focus' : 'web.turns.you_listen');
    else if (isFac) you = t(`web.turns.facil.${turns.stage}`);
    else you = t('web.turns.you_outside');
    if (!inFocus && !inReflectors && !isFac) badge = 'listen';
    guide = t(`web.turns.guide.${turns.stage}`);
    if (listening && inReflectors) guide += ` ${t('web.turns.guide.listen_notes')}`;
    if (speaking && inReflectors) guide += ` ${t('web.turns.guide.reveal_notes')}`;
    steps = stageSteps(turns);
    if (namesShown) {
      const mine = (list) => (list || []).map((pid) => (pid === me.you ? t('web.people.you') : nameOf(pid))).join(', ');
      groups = h('p', { class: 'turn-who' },
        h('span', { class: 'tw-speak', text: `${t('web.turns.speak_now')}: ${mine(turns.speaking)}` }), ' · ',
        h('span', { class: 'tw-listen', text: `${t('web.turns.listen_now')}: ${mine(turns.listening)}` }));
    }
  } else if (turns.mode === 'pairs') {
    const pair = (turns.pairs || []).find((g) => g.includes(me.you));
    if (pair) {
      const others = pair.filter((p) => p !== me.you);
      you = t(speaking ? 'web.turns.pair_speak' : 'web.turns.pair_listen', { names: names(others, nameOf) });
    }
  } else if (speaking) {
    you = t(turns.mode === 'round' ? 'web.turns.you_speak_round' : 'web.turns.you_speak');
  } else if (listening) {
    you = t('web.turns.you_listen');
  } else if (turns.mode === 'hand_queue' && !isFac) {
    you = t('web.turns.you_floor');
  }
  box.classList.add(badge === 'speak' ? 'speaking' : badge === 'listen' ? 'listening' : 'neutral');
  const head = h('div', { class: 'turn-head' },
    h('span', { class: `turn-badge badge-${badge}`, text: t(`web.turns.badge.${badge}`) }),
    h('p', { class: 'turn-summary', text: turnSummary(turns, nameOf) }));
  box.append(head);
  if (steps) box.append(steps);
  if (you) box.append(h('p', { class: 'turn-you', text: you }));
  if (guide) box.append(h('p', { class: 'turn-guide', text: guide }));
  if (groups) box.append(groups);
  if (turns.mode === 'round' && speaking && me.role !== 'facilitator') {
    box.append(h('div', { class: 'turn-actions' },
      h('button', { type: 'button', class: 'primary', id: 'turn-done', onclick: () => send('turns.round.done', {}) }, t('web.turns.done')),
      h('button', { type: 'button', id: 'turn-pass', onclick: () => send('turns.round.pass', {}) }, t('web.turns.pass'))));
  }
}

// The projector's panel: the stage and its guidance, both groups (names or only how
// many), the round's order, the pairs.
export function renderTurnScreen(box, s, nameOf, hideNames) {
  const turns = s.turns || { mode: 'none' };
  const sig = JSON.stringify([turns, hideNames, Object.values(s.participants || {}).map((p) => p.name)]);
  if (box.dataset.sig === sig) return;
  box.dataset.sig = sig;
  box.textContent = '';
  box.className = `s-turns mode-${turns.mode || 'none'}`;
  if (!turns.mode || turns.mode === 'none') { box.hidden = true; return; }
  box.hidden = false;
  const who = (list) => (hideNames ? t('web.turns.count', { n: (list || []).length }) : names(list, nameOf));
  const shownName = (pid) => (hideNames ? '' : nameOf(pid));
  box.append(h('p', { class: 'turn-summary', text: turnSummary(turns, shownName) }));
  if (turns.mode === 'reflecting_team') {
    box.append(stageSteps(turns));
    box.append(h('p', { class: 'turn-guide', text: t(`web.turns.guide.${turns.stage}`) }));
    const focusSpeaks = turns.stage !== 'reflection';
    const side = (key, list, speaks) => h('div', { class: `turn-group ${speaks ? 'speaking' : 'listening'}`, dataset: { side: key } },
      h('span', { class: 'tg-side', text: sideLabel(turns, key) }),
      h('span', { class: 'tg-label', text: t(speaks ? 'web.turns.speak_now' : 'web.turns.listen_now') }),
      h('span', { class: 'tg-names', text: who(list) }));
    box.append(h('div', { class: 'turn-groups' },
      side('focus', turns.focus, focusSpeaks), side('reflectors', turns.reflectors, !focusSpeaks)));
  } else if (turns.mode === 'round' && !hideNames) {
    const list = h('ol', { class: 'round-order' });
    (turns.order || []).forEach((pid, i) => {
      const st = (turns.passed || []).includes(pid) ? 'passed' : (turns.done || []).includes(pid) ? 'done'
        : !turns.finished && i === turns.current ? 'now' : 'waiting';
      list.append(h('li', { class: `ro-${st}` }, h('span', { text: nameOf(pid) }),
        st === 'passed' || st === 'done' ? h('span', { class: 'ro-mark', text: t(`web.turns.round_${st}`) }) : null));
    });
    box.append(list);
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
    // Each stage's time box in minutes (the reflection at most ten, as the method says).
    this.stageMin = {};
    const mins = h('span', { class: 'stage-mins' }, h('span', { class: 'hint', text: t('web.turns.stage_times') }));
    for (const [st, def] of [['conversation', 10], ['reflection', 10], ['response', 5]]) {
      const input = h('input', { type: 'number', min: 0, max: 240, step: 1, class: `minutes stage-min-${st}`, value: String(def),
        'aria-label': `${t(`web.turns.stage_name.${st}`)} (${t('web.facil.min')})` });
      this.stageMin[st] = input;
      mins.append(h('label', { class: 'min-label' }, h('span', { text: t(`web.turns.stage_name.${st}`) }), input));
    }
    this.startBox = h('span', { class: 'turn-start' },
      h('span', { class: 'turn-rt' },
        h('label', { class: 'min-label' }, h('span', { text: t('web.turns.focus_group') }), this.focus),
        h('label', { class: 'min-label' }, h('span', { text: t('web.turns.reflect_group') }), this.reflect),
        mins,
        h('button', { type: 'button', class: 'primary', id: 'turns-reflecting', onclick: () => this.startReflecting() }, t('web.turns.start_reflecting'))),
      h('span', { class: 'turn-others' },
        h('button', { type: 'button', id: 'turns-round', onclick: () => send('turns.round.start', {}) }, t('web.turns.start_round')),
        h('button', { type: 'button', id: 'turns-queue', onclick: () => send('turns.queue.start', {}) }, t('web.turns.start_queue')),
        h('button', { type: 'button', id: 'turns-pairs', onclick: () => send('turns.pairs.start', {}) }, t('web.turns.start_pairs'))));
    this.nextBtn = h('button', { type: 'button', class: 'primary', id: 'turns-next', onclick: () => send('turns.next', {}) }, t('web.turns.next'));
    this.runLabel = h('span', { class: 'turn-now' });
    this.runBox = h('span', { class: 'turn-run' }, this.runLabel, this.nextBtn,
      h('button', { type: 'button', id: 'turns-end', onclick: () => send('turns.end', {}) }, t('web.turns.end')));
    this.root = h('div', { class: 'fgroup turns' }, h('span', { class: 'flabel', text: t('web.turns.title') }), this.startBox, this.runBox);
  }

  startReflecting() {
    const args = { focus_group: this.focus.value, reflect_group: this.reflect.value };
    for (const [st, input] of Object.entries(this.stageMin)) {
      const m = Number(input.value);
      if (Number.isFinite(m) && m >= 0 && m <= 240) args[`${st}_s`] = Math.round(m * 60);
    }
    this.send('turns.reflecting.start', args);
  }

  update(s) {
    const turns = s.turns || { mode: 'none' };
    const mode = turns.mode || 'none';
    const open = s.room?.status !== 'closed';
    this.startBox.hidden = mode !== 'none';
    this.runBox.hidden = mode === 'none';
    this.nextBtn.hidden = mode === 'hand_queue' || (mode === 'round' && turns.finished);
    // What "next" will do, in words.
    let nextKey = 'web.turns.next';
    if (mode === 'reflecting_team') {
      nextKey = turns.stage === 'response' ? 'web.turns.next_cycle' : `web.turns.next_to.${turns.stage === 'conversation' ? 'reflection' : 'response'}`;
    } else if (mode === 'round') nextKey = 'web.turns.next_speaker';
    this.nextBtn.textContent = t(nextKey);
    this.runLabel.textContent = mode === 'none' ? '' : turnSummary(turns, (pid) => this.nameOf(pid));
    for (const b of this.root.querySelectorAll('button, input, select')) b.disabled = !open;
  }

  nameOf(pid) {
    const p = this.state()?.participants?.[pid];
    return p?.name || t('web.people.unknown');
  }
}
