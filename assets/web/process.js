// The process a meeting belongs to, inside the facilitator view (the server serves no
// page of its own for a process): its meetings in order with links, the totals, the
// process report (md/html), a new meeting in the process, and bringing items in from an
// earlier meeting (item.import: choose the meeting and the boards).
// GET /api/processes/{id} takes the process key (#pkey=… in the fragment) or, failing
// that, this meeting's facilitator key.

import { t, tn, language, formatDate } from './i18n.js';
import { h, prettyCode } from './util.js';
import { BOARD_ORDER } from './boards.js';
import { errorCodeOf, saveBlob } from './notes.js';

// The columns in the order the boards come, for what an import brought.
const IMPORT_COLUMNS = ['event', 'vision', 'hinders', 'enables', 'action', 'reflection', 'hypothesis', 'commitment'];

// The message after an item.import: its ack's "imported" ({column: n}) as "Brought 5 timeline
// events, 3 actions, 2 hinderers", or that everything had been brought before.
export function importSummary(imported) {
  const parts = IMPORT_COLUMNS.filter((c) => Number(imported?.[c]) > 0).map((c) => tn(`import.count.${c}`, Number(imported[c])));
  return parts.length ? t('import.brought', { list: parts.join(', ') }) : t('import.nothing');
}

function day(iso) {
  return iso ? formatDate(iso) : '';
}

export class ProcessPanel {
  // opts: {code, key, processKey, toast, send}
  constructor(opts) {
    this.o = opts;
    this.root = h('section', { class: 'process-panel', id: 'process-panel' });
    this.root.hidden = true;
    this.id = null;
    this.data = null;
  }

  get key() {
    return this.o.processKey || this.o.key;
  }

  update(s) {
    const id = s.room?.process;
    const isProcess = typeof id === 'string' && id.startsWith('prc_');
    this.root.hidden = !isProcess || !this.key;
    if (!isProcess || id === this.id) return;
    this.id = id;
    this.load();
  }

  async load() {
    try {
      const res = await fetch(`/api/processes/${encodeURIComponent(this.id)}`, {
        headers: { Authorization: `Bearer ${this.key}` }, cache: 'no-store',
      });
      if (!res.ok) throw new Error(await errorCodeOf(res));
      this.data = await res.json();
    } catch (_) {
      this.data = null;
    }
    this.render();
  }

  render() {
    const box = this.root;
    box.textContent = '';
    const d = this.data;
    const head = h('div', { class: 'process-head' },
      h('span', { class: 'flabel', text: t('web.process.title') }),
      h('strong', { class: 'process-title', text: d?.title || '' }),
      h('button', { type: 'button', class: 'small', id: 'process-refresh', onclick: () => this.load() }, `↻ ${t('web.process.refresh')}`));
    box.append(head);
    if (!d) { box.append(h('p', { class: 'msg', text: t('web.process.load_failed') })); return; }
    const tot = d.totals || {};
    // Each agreement once, where it was made (the server counts by origin).
    box.append(h('p', { class: 'hint process-totals', text: ['meetings', 'agreements', 'commitments']
      .map((k) => tn(`web.process.totals.${k}`, Number(tot[k]) || 0)).join(' · ') }));
    const list = h('ol', { class: 'process-meetings', id: 'process-meetings' });
    for (const m of d.meetings || []) {
      const here = m.code === this.o.code;
      list.append(h('li', { class: here ? 'here' : '', dataset: { code: m.code } },
        h('a', { href: `/r/${m.code}`, target: here ? null : '_blank', rel: 'noopener' }, m.title || prettyCode(m.code)),
        h('span', { class: 'process-meta', text: [m.team, day(m.started_at || m.created_at), prettyCode(m.code),
          m.status === 'closed' ? t('web.facil.closed') : ''].filter(Boolean).join(' · ') }),
        // Agreements where they were made; those agreed again here were made earlier.
        h('span', { class: 'process-agreements', text: [tn('web.process.agreed', m.counts?.agreements || 0),
          m.counts?.reaffirmed ? tn('web.process.reaffirmed', m.counts.reaffirmed) : ''].filter(Boolean).join(' · ') }),
        here ? h('span', { class: 'tab-now', text: t('web.process.this') }) : null));
    }
    box.append(h('h3', { text: t('web.process.meetings') }), list);

    const actions = h('div', { class: 'process-actions' },
      h('button', { type: 'button', id: 'process-report-md', onclick: () => this.report('md') }, `↓ ${t('web.process.report_md')}`),
      h('button', { type: 'button', id: 'process-report-html', onclick: () => this.report('html') }, `↓ ${t('web.process.report_html')}`));
    if (this.o.processKey) {
      const frag = new URLSearchParams({ process: d.id, pkey: this.o.processKey });
      actions.append(h('a', { class: 'button', id: 'process-new-meeting', href: `/#${frag}`, target: '_blank', rel: 'noopener' }, `+ ${t('web.process.new_meeting')}`));
    }
    box.append(actions);

    // Bring items in from another meeting of the process.
    const others = (d.meetings || []).filter((m) => m.code !== this.o.code);
    const imp = h('form', { class: 'process-import', id: 'process-import' }, h('h3', { text: t('web.process.import') }));
    if (!others.length) {
      imp.append(h('p', { class: 'hint', text: t('web.process.import_none') }));
    } else {
      const from = h('select', { id: 'import-from', 'aria-label': t('web.process.import_from') },
        others.map((m) => h('option', { value: m.code, text: [m.team, m.title, day(m.started_at || m.created_at)].filter(Boolean).join(' · ') })));
      from.value = others[others.length - 1].code;
      const boxes = h('fieldset', { class: 'import-boards' }, h('legend', { text: t('web.tabs') }));
      for (const b of BOARD_ORDER) {
        const cb = h('input', { type: 'checkbox', value: b, id: `import-board-${b}` });
        cb.checked = b === 'timeline' || b === 'plan';
        boxes.append(h('label', { class: 'toggle' }, cb, h('span', { text: t(`board.${b}`) })));
      }
      imp.append(h('label', { class: 'f' }, h('span', { text: t('web.process.import_from') }), from), boxes,
        h('p', { class: 'hint', text: t('web.process.import_hint') }),
        h('button', { type: 'submit', class: 'primary', id: 'import-go' }, t('web.process.import_button')));
      imp.addEventListener('submit', (ev) => {
        ev.preventDefault();
        const boards = [...boxes.querySelectorAll('input:checked')].map((x) => x.value);
        if (!boards.length) return;
        this.o.send('item.import', { from: from.value, boards });
      });
    }
    box.append(imp);
    if (this.o.processKey) box.append(h('p', { class: 'hint', text: t('web.process.keep_link') }));
  }

  async report(format) {
    try {
      const res = await fetch(`/api/processes/${encodeURIComponent(this.id)}/report?format=${format}&language=${language()}`, {
        headers: { Authorization: `Bearer ${this.key}` }, cache: 'no-store',
      });
      if (!res.ok) { this.o.toast(t(`error.${await errorCodeOf(res)}`), 'error'); return; }
      saveBlob(await res.blob(), `keha-process-${new Date().toISOString().slice(0, 10)}.${format}`);
    } catch (_) {
      this.o.toast(t('web.conn.no_server'), 'error');
    }
  }
}
