// Who speaks and who listens: the turn state (/turns) as a banner for each person, a
// panel for the projector, and the facilitator's turn controls. The server names the
// speakers and listeners explicitly, so nothing here works out a turn rule by itself.

import { t, tn } from './i18n.js';
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

// Whether this person listens in a reflecting-team stage: then the server keeps all they
// write private until their group speaks, and they cannot raise a hand (docs/protocol.md §8).
export function listensNow(s, me) {
  const turns = s?.turns;
  return turns?.mode === 'reflecting_team' && (turns.listening || []).includes(me.you);
}

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
  // Built anew: a focused button (Valmis, Ohitan) gets the focus back afterwards.
  const focusedId = box.contains(document.activeElement) ? document.activeElement.id : '';
  box.textContent = '';
  box.className = 'turn-banner';
  if (!turns.mode || turns.mode === 'none') { box.hidden = true; box.dataset.say = ''; return; }
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
    if (listening) guide += ` ${t('web.turns.guide.listen_notes')}`;
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
  // What a screen reader is told when it changes (room.js): the big word and the line for the person.
  box.dataset.say = [t(`web.turns.badge.${badge}`), you].filter(Boolean).join(': ');
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
  if (focusedId) box.querySelector(`#${focusedId}`)?.focus();
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
  if (!turns.mode || turns.mode === 'none') { box.hidden = true; box.dataset.say = ''; return; }
  box.hidden = false;
  const who = (list) => (hideNames ? tn('web.turns.count', (list || []).length) : names(list, nameOf));
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

// Who a reflecting-team side can hold: admitted participants still in the room, in order of
// joining (facilitators steer and take no turn), as the server counts them.
function turnPeople(s) {
  return Object.entries(s?.participants || {})
    .filter(([, p]) => p.role === 'participant' && !p.removed && p.admitted !== false)
    .sort(([, a], [, b]) => String(a.joined_at || '').localeCompare(String(b.joined_at || '')));
}

// The facilitator's turn controls.
export class TurnControls {
  constructor(send, state) {
    this.send = send;
    this.state = state;
    // Who is on which side of a reflecting team: pid -> 'focus' | 'reflect' | ''. Someone new
    // starts on the side of their group's default (professionals in focus, leaders reflect);
    // any mix of groups and single people can be chosen, as keha-desk does.
    this.side = new Map();
    this.sides = {};
    for (const key of ['focus', 'reflect']) {
      const legend = t(key === 'focus' ? 'web.turns.focus_group' : 'web.turns.reflect_group');
      const groups = h('div', { class: 'rt-groups', role: 'group', 'aria-label': `${legend}: ${t('web.turns.by_group')}` });
      const people = h('ul', { class: 'rt-people', 'aria-label': `${legend}: ${t('web.turns.by_person')}` });
      this.sides[key] = { groups, people,
        root: h('fieldset', { class: `rt-side rt-${key}` }, h('legend', { text: legend }), groups, people) };
    }
    this.sideSig = '';
    this.rtMsg = h('p', { class: 'rt-msg', role: 'status', 'aria-live': 'polite' });
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
        h('span', { class: 'rt-sides' }, this.sides.focus.root, this.sides.reflect.root),
        mins,
        h('button', { type: 'button', class: 'primary', id: 'turns-reflecting', onclick: () => this.startReflecting() }, t('web.turns.start_reflecting')),
        this.rtMsg),
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

  sideOf(pid, p) {
    if (!this.side.has(pid)) this.side.set(pid, p.group === 'professional' ? 'focus' : p.group === 'leader' ? 'reflect' : '');
    return this.side.get(pid);
  }

  // A group box puts that group's people in the room on this side (or takes them off it);
  // a person's box moves one person. Nobody is on both sides. The boxes are built when the
  // people change and only ticked (syncSides) when a choice changes.
  renderSides(s) {
    const people = turnPeople(s);
    for (const [pid, p] of people) this.sideOf(pid, p);
    const sig = JSON.stringify([people.map(([pid, p]) => [pid, p.name, p.group, !!p.online]), s?.room?.status]);
    if (sig === this.sideSig) return;
    this.sideSig = sig;
    // The boxes are built anew when people come and go: the focused one gets the focus back.
    const was = document.activeElement;
    const keep = Object.entries(this.sides).find(([, s]) => s.groups.contains(was) || s.people.contains(was));
    const again = keep ? { side: keep[0], cls: was.classList.contains('rt-group') ? 'rt-group' : 'rt-person', value: was.value } : null;
    this.boxes = [];
    const choose = (pids, key, on) => {
      for (const pid of pids) {
        if (on) this.side.set(pid, key);
        else if (this.side.get(pid) === key) this.side.set(pid, '');
      }
      this.rtMsg.textContent = '';
      this.syncSides();
    };
    for (const key of ['focus', 'reflect']) {
      const { groups, people: list } = this.sides[key];
      groups.textContent = '';
      list.textContent = '';
      for (const g of GROUPS) {
        const here = people.filter(([, p]) => p.group === g && p.online).map(([pid]) => pid);
        if (!here.length) continue;
        const box = h('input', { type: 'checkbox', class: `rt-group rt-group-${g}`, value: g });
        box.addEventListener('change', () => choose(here, key, box.checked));
        this.boxes.push({ box, key, pids: here });
        groups.append(h('label', { class: 'rt-choice' }, box, h('span', { text: `${t(`web.group_all.${g}`)} (${here.length})` })));
      }
      for (const [pid, p] of people) {
        const box = h('input', { type: 'checkbox', class: 'rt-person', value: pid });
        box.addEventListener('change', () => choose([pid], key, box.checked));
        this.boxes.push({ box, key, pids: [pid] });
        const label = `${p.name || t('web.people.unknown')} · ${t(`group.${p.group || 'other'}`)}${p.online ? '' : ` (${t('web.people.offline')})`}`;
        list.append(h('li', { class: p.online ? 'online' : 'offline' }, h('label', { class: 'rt-choice' }, box, h('span', { text: label }))));
      }
    }
    this.syncSides();
    if (again) this.boxes.find((b) => b.key === again.side && b.box.classList.contains(again.cls) && b.box.value === again.value)?.box.focus();
  }

  syncSides() {
    for (const { box, key, pids } of this.boxes || []) {
      const on = pids.filter((pid) => this.side.get(pid) === key).length;
      box.checked = on === pids.length;
      box.indeterminate = on > 0 && on < pids.length;
    }
  }

  startReflecting() {
    const people = turnPeople(this.state());
    const on = (key) => people.filter(([pid]) => this.side.get(pid) === key).map(([pid]) => pid);
    const focus = on('focus');
    const reflectors = on('reflect');
    if (!focus.length || !reflectors.length) { this.rtMsg.textContent = t('web.turns.pick_both'); return; }
    const args = { focus, reflectors };
    // A side that is exactly one group in the room is named by it too, for the projector.
    const whole = (list) => {
      const groups = new Set(people.filter(([pid]) => list.includes(pid)).map(([, p]) => p.group));
      if (groups.size !== 1) return null;
      const [g] = groups;
      const present = people.filter(([, p]) => p.group === g && p.online).map(([pid]) => pid);
      return present.length === list.length && present.every((pid) => list.includes(pid)) ? g : null;
    };
    if (whole(focus)) args.focus_group = whole(focus);
    if (whole(reflectors)) args.reflect_group = whole(reflectors);
    for (const [st, input] of Object.entries(this.stageMin)) {
      const m = Number(input.value);
      if (Number.isFinite(m) && m >= 0 && m <= 240) args[`${st}_s`] = Math.round(m * 60);
    }
    this.rtMsg.textContent = '';
    this.send('turns.reflecting.start', args);
  }

  update(s) {
    const turns = s.turns || { mode: 'none' };
    const mode = turns.mode || 'none';
    const open = s.room?.status !== 'closed';
    this.startBox.hidden = mode !== 'none';
    if (mode === 'none') this.renderSides(s);
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
