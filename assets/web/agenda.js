// The facilitator reshapes the agenda during a meeting: the phases in order, each with
// ↑ ↓ (phase.move) and ✕ (phase.remove, confirmed; the current phase cannot go), and a
// form that adds a phase (phase.add) after any other.

import { t, pick } from './i18n.js';
import { h, reconcile } from './util.js';
import { BOARD_ORDER } from './boards.js';

const TURN_MODES = ['none', 'round', 'reflecting_team', 'hand_queue', 'pairs'];

function phaseFacts(ph) {
  const facts = [];
  if (ph.board) facts.push(t(`board.${ph.board}`));
  if (ph.timebox_s) facts.push(t('web.turns.minutes', { n: Math.round(ph.timebox_s / 60) }));
  if (ph.turn_mode && ph.turn_mode !== 'none') facts.push(t(`web.agenda.mode.${ph.turn_mode}`));
  if (ph.private_writing === true) facts.push(`🔒 ${t('writing.phase')}`);
  return facts.join(' · ');
}

export class AgendaEditor {
  constructor(send) {
    this.send = send;
    this.confirming = null;
    this.list = h('ol', { class: 'agenda-list', id: 'agenda-list' });
    const id = (x) => `agenda-add-${x}`;
    this.title = h('input', { id: id('title'), maxlength: 200, required: true, placeholder: t('web.agenda.title_placeholder') });
    this.question = h('input', { id: id('question'), maxlength: 2000, placeholder: t('web.agenda.question_placeholder') });
    this.after = h('select', { id: id('after') });
    this.board = h('select', { id: id('board') },
      h('option', { value: '', text: t('web.agenda.no_board') }),
      BOARD_ORDER.map((b) => h('option', { value: b, text: t(`board.${b}`) })));
    this.minutes = h('input', { id: id('minutes'), type: 'number', min: 0, max: 240, step: 1, class: 'minutes', value: '10' });
    this.mode = h('select', { id: id('mode') }, TURN_MODES.map((m) => h('option', { value: m, text: t(`web.agenda.mode.${m}`) })));
    // Everyone writes privately in the phase (writing.js); needs a board.
    this.privateWriting = h('input', { type: 'checkbox', id: id('private'), title: t('writing.start_hint') });
    this.msg = h('p', { class: 'msg agenda-msg', role: 'alert' });
    const field = (label, input, cls = '') => h('label', { class: `f ${cls}`, for: input.id }, h('span', { text: label }), input);
    this.form = h('form', { class: 'agenda-add', id: 'agenda-add' },
      h('p', { class: 'agenda-add-title', text: t('web.agenda.add_title') }),
      h('div', { class: 'agenda-fields' },
        field(t('web.agenda.title'), this.title, 'f-wide'),
        field(t('web.agenda.question'), this.question, 'f-wide'),
        field(t('web.agenda.after'), this.after),
        field(t('web.agenda.board'), this.board),
        field(t('web.agenda.timebox'), this.minutes),
        field(t('web.agenda.turn_mode'), this.mode),
        h('label', { class: 'f f-check', for: this.privateWriting.id }, this.privateWriting, h('span', { text: t('writing.phase') }))),
      this.msg,
      h('button', { type: 'submit', class: 'primary', id: 'agenda-add-submit', text: t('web.agenda.add') }));
    this.form.addEventListener('submit', (ev) => { ev.preventDefault(); this.add(); });
    this.root = h('details', { class: 'agenda', id: 'agenda' },
      h('summary', { class: 'agenda-summary', text: t('web.agenda.heading') }),
      h('p', { class: 'hint', text: t('web.agenda.lead') }),
      this.list, this.form);
  }

  add() {
    const title = this.title.value.trim();
    if (!title) { this.msg.textContent = t('web.agenda.need_title'); this.title.focus(); return; }
    const m = Number(this.minutes.value);
    if (!Number.isFinite(m) || m < 0 || m > 240) { this.msg.textContent = t('web.agenda.bad_minutes'); this.minutes.focus(); return; }
    const args = { title, timebox_s: Math.round(m * 60), turn_mode: this.mode.value };
    if (this.question.value.trim()) args.question = this.question.value.trim();
    if (this.board.value) args.board = this.board.value;
    if (this.privateWriting.checked && this.board.value) args.private_writing = true;
    if (this.after.value) args.after = this.after.value;
    this.msg.textContent = '';
    this.send('phase.add', args);
    this.title.value = '';
    this.question.value = '';
    this.privateWriting.checked = false;
    this.afterTouched = false; // the next one goes after the current phase again
  }

  update(s) {
    this.s = s;
    const phases = s.phases || [];
    const open = s.room?.status !== 'closed';
    const last = phases.length - 1;
    reconcile(this.list, phases.map((p) => p.id), (pid, old) => {
      const i = phases.findIndex((p) => p.id === pid);
      const ph = phases[i];
      const now = ph.id === s.phase;
      const confirming = this.confirming === ph.id;
      const sig = JSON.stringify([ph, i, last, now, open, confirming]);
      if (old && old.dataset.sig === sig) return old;
      const rm = h('button', {
        type: 'button', class: `icon small remove${confirming ? ' confirm' : ''}`, disabled: now || !open,
        title: now ? t('web.agenda.remove_current') : t('web.agenda.remove'), 'aria-label': `${t('web.agenda.remove')}: ${pick(ph.title)}`,
        onclick: () => {
          if (this.confirming === ph.id) {
            this.confirming = null;
            this.send('phase.remove', { phase: ph.id });
          } else {
            this.confirming = ph.id;
            this.update(this.s);
            setTimeout(() => { if (this.confirming === ph.id) { this.confirming = null; this.update(this.s); } }, 4000);
          }
        },
      }, confirming ? t('web.agenda.remove_confirm') : '✕');
      const el = h('li', { class: `agenda-item${now ? ' now' : ''}`, dataset: { phase: ph.id } },
        h('span', { class: 'agenda-n', text: `${i + 1}.` }),
        h('span', { class: 'agenda-text' },
          h('span', { class: 'agenda-name', text: pick(ph.title) }),
          now ? h('span', { class: 'tab-now', text: t('web.tabs.now') }) : null,
          h('span', { class: 'agenda-facts', text: phaseFacts(ph) })),
        h('span', { class: 'agenda-actions' },
          h('button', {
            type: 'button', class: 'icon small move-up', disabled: i === 0 || !open, title: t('web.agenda.up'), 'aria-label': `${t('web.agenda.up')}: ${pick(ph.title)}`,
            onclick: () => this.send('phase.move', { phase: ph.id, index: i - 1 }),
          }, '↑'),
          h('button', {
            type: 'button', class: 'icon small move-down', disabled: i === last || !open, title: t('web.agenda.down'), 'aria-label': `${t('web.agenda.down')}: ${pick(ph.title)}`,
            onclick: () => this.send('phase.move', { phase: ph.id, index: i + 1 }),
          }, '↓'),
          rm));
      el.dataset.sig = sig;
      return el;
    });
    // "After which phase": the current phase by default, kept while the person chooses.
    const sig = JSON.stringify(phases.map((p) => [p.id, p.title]));
    if (this.afterSig !== sig) {
      const prev = this.afterTouched ? this.after.value : '';
      this.afterSig = sig;
      this.after.textContent = '';
      phases.forEach((p, i) => this.after.append(h('option', { value: p.id, text: `${i + 1}. ${pick(p.title)}` })));
      this.after.onchange = () => { this.afterTouched = true; };
      this.after.value = phases.some((p) => p.id === prev) ? prev : (s.phase || phases[last]?.id || '');
    } else if (!this.afterTouched && this.after.value !== s.phase) {
      this.after.value = s.phase;
    }
    for (const el of this.form.querySelectorAll('input, select, button')) el.disabled = !open;
  }
}
