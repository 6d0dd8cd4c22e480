// The meeting's history for the facilitator: a slider and step buttons through the seqs
// of the op log (GET /api/rooms/{code}/history), the boards as they stood at that seq
// (…/history?seq=N), read-only and marked "as of HH:MM", and the notes as of that moment
// (…/export?seq=N, checked for identity codes first).

import { t, language, formatTime, formatDateTime } from './i18n.js';
import { h } from './util.js';
import { BoardView, BOARD_ORDER } from './boards.js';
import { errorCodeOf } from './notes.js';

function clock(iso) {
  if (!iso) return '';
  return formatTime(iso);
}

export class HistoryView {
  // opts: {code, key, toast, notes: NotesExport, onClose()}
  constructor(root, opts) {
    this.root = root;
    this.o = opts;
    this.seqs = [0];
    this.index = 0;
    this.state = null;
    this.token = 0;
    this.build();
  }

  build() {
    this.slider = h('input', { type: 'range', id: 'history-slider', min: 0, max: 0, step: 1, value: 0, 'aria-label': t('web.history.slider') });
    this.slider.addEventListener('input', () => this.go(Number(this.slider.value)));
    this.earlier = h('button', { type: 'button', id: 'history-earlier', onclick: () => this.go(this.index - 1) }, `◀ ${t('web.history.earlier')}`);
    this.later = h('button', { type: 'button', id: 'history-later', onclick: () => this.go(this.index + 1) }, `${t('web.history.later')} ▶`);
    // Only the moment shown is said when it changes (not the whole boards under it).
    this.asOf = h('h2', { class: 'history-asof', id: 'history-asof', 'aria-live': 'polite' });
    this.stepLabel = h('span', { class: 'hint', id: 'history-step' });
    this.boards = h('div', { class: 'history-boards' });
    this.views = {};
    const ctx = {
      readOnly: true, code: this.o.code, me: () => ({ you: null, role: 'screen' }), send: () => null,
      name: (pid) => this.state?.participants?.[pid]?.name || '', pending: () => [], online: () => false,
      open: () => false, toast: this.o.toast, lang: language, rerender: () => {},
    };
    for (const b of BOARD_ORDER) {
      const v = new BoardView(b, ctx);
      const wrap = h('section', { class: 'history-board', dataset: { board: b } }, h('h3', { text: t(`board.${b}`) }), v.root);
      wrap.hidden = true;
      this.views[b] = { v, wrap };
      this.boards.append(wrap);
    }
    this.root.append(
      h('div', { class: 'history-bar' },
        h('div', { class: 'history-head' }, h('span', { class: 'eyebrow', text: t('web.history.title') }), this.asOf, this.stepLabel),
        h('div', { class: 'history-controls' }, this.earlier, this.slider, this.later),
        h('div', { class: 'history-actions' },
          h('button', { type: 'button', id: 'history-notes-md', onclick: () => this.notes('md') }, `↓ ${t('web.history.notes_md')}`),
          h('button', { type: 'button', id: 'history-notes-html', onclick: () => this.notes('html') }, `↓ ${t('web.history.notes_html')}`),
          h('button', { type: 'button', class: 'primary', id: 'history-close', onclick: () => this.o.onClose() }, t('web.history.close')))),
      h('p', { class: 'history-readonly', text: t('web.history.readonly') }),
      this.boards);
  }

  async fetchJson(path) {
    const res = await fetch(path, { headers: { Authorization: `Bearer ${this.o.key}` }, cache: 'no-store' });
    if (!res.ok) throw new Error(await errorCodeOf(res));
    return res.json();
  }

  // Loads the list of seqs and shows the latest.
  async open() {
    try {
      const list = await this.fetchJson(`/api/rooms/${this.o.code}/history`);
      this.seqs = [0, ...(list.ops || []).map((op) => op.seq)];
      this.ops = list.ops || [];
      this.slider.max = String(this.seqs.length - 1);
      await this.go(this.seqs.length - 1);
    } catch (_) {
      this.o.toast(t('web.history.load_failed'), 'error');
    }
  }

  async go(index) {
    if (index < 0 || index >= this.seqs.length) return;
    this.index = index;
    this.slider.value = String(index);
    this.earlier.disabled = index <= 0;
    this.later.disabled = index >= this.seqs.length - 1;
    const seq = this.seqs[index];
    const token = ++this.token;
    try {
      const at = await this.fetchJson(`/api/rooms/${this.o.code}/history?seq=${seq}`);
      if (token !== this.token) return; // a later step overtook this one
      this.seq = at.seq;
      this.at = at.at;
      this.state = at.state;
      this.render();
    } catch (_) {
      if (token === this.token) this.o.toast(t('web.history.load_failed'), 'error');
    }
  }

  render() {
    const s = this.state;
    this.asOf.textContent = this.at ? t('web.history.as_of', { time: clock(this.at) }) : t('web.history.at_start');
    this.asOf.title = this.at ? formatDateTime(this.at) : '';
    this.stepLabel.textContent = t('web.history.step', { n: this.index, total: this.seqs.length - 1 });
    this.root.dataset.seq = String(this.seq);
    const used = new Set((s.phases || []).map((p) => p.board).filter(Boolean));
    for (const b of BOARD_ORDER) {
      const { v, wrap } = this.views[b];
      const has = Object.keys(s.boards?.[b]?.items || {}).length > 0;
      wrap.hidden = !s.boards?.[b] || !(has || used.has(b));
      if (!wrap.hidden) v.update(s);
    }
  }

  notes(format) {
    return this.o.notes.download(format, this.seq, this.state);
  }
}
