// The boards — timeline, vision, plan, reflections, hypotheses, commitments — for the participant and
// facilitator view (editable) and for the projector (read-only, large type).
// Each BoardView builds its frame and add forms once; update(state) reconciles the
// items by id so that focus, half-typed text and open editors survive every patch.

import { t, tn, pick, formatDate } from './i18n.js';
import { h, reconcile, sectorSlot as freeTextSlot, session } from './util.js';
import { sortItems, isoWhen, arrangeBoard } from './board_order.js';
import { groupHead, groupControls, votingBar, ballotOf, runningVote, mayGroup } from './voting.js';
import { listensNow } from './turns.js';
import { spotTarget } from './spotlight.js';
import { boardIsPrivate } from './writing.js';

export const BOARD_ORDER = ['timeline', 'vision', 'plan', 'reflections', 'hypotheses', 'commitments'];
export const COLUMNS = {
  timeline: ['event'],
  vision: ['vision', 'hinders', 'enables'],
  plan: ['action'],
  reflections: ['reflection'],
  hypotheses: ['hypothesis'],
  commitments: ['commitment'],
};
const FIELDS = {
  timeline: ['when', 'sector'], vision: [], plan: ['who', 'with', 'due', 'status'], reflections: [],
  hypotheses: [], commitments: ['who', 'organisation'],
};
const STATUSES = ['proposed', 'agreed', 'done'];
const SECTORS = ['child_protection', 'psychiatry', 'school', 'early_education', 'substance_mental', 'family', 'other'];

// A Finnish personal identity code: DDMMYY, century sign, three digits, check character.
const HETU = /(^|[^0-9A-Za-z])(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}[-+A-FYXWVU]\d{3}[0-9A-Y](?![0-9A-Za-z])/i;
export function looksLikeHetu(text) {
  return HETU.test(String(text || ''));
}

// A sector is stored as its key when picked from the list (one sector in every language),
// as free text otherwise; each person reads the key's label in their own language.
export function sectorLabel(sector) {
  const s = String(sector || '').trim();
  return SECTORS.includes(s) ? t(`sector.${s}`) : s;
}

// The list's sectors have a colour each; free text gets a stable one by its words.
function sectorSlot(sector) {
  const i = SECTORS.indexOf(String(sector || '').trim());
  return i >= 0 ? i : freeTextSlot(sector);
}

// What goes on the wire for what the person typed or picked: a list label (or key) as its key.
function sectorValue(typed) {
  const s = String(typed || '').trim();
  const lower = s.toLowerCase();
  return SECTORS.find((k) => k === s || t(`sector.${k}`).toLowerCase() === lower) || s;
}

function sectorList(listId) {
  return h('datalist', { id: listId }, SECTORS.map((s) => h('option', { value: t(`sector.${s}`) })));
}

function whenLabel(when) {
  const w = isoWhen(when);
  if (!w) return String(when || '').trim();
  const [y, m, d] = w;
  if (!m) return String(y);
  if (!d) return `${m}/${y}`;
  return `${d}.${m}.${y}`;
}

function statusLabel(s) {
  return STATUSES.includes(s) ? t(`status.${s}`) : String(s || '');
}

// The items an editable copy stands for: an original folds away behind its copy (reachable
// from the copy), on every view and on the wall.
export function foldedOriginals(items) {
  const out = new Set();
  for (const it of Object.values(items || {})) {
    if (typeof it.copy_of === 'string' && items[it.copy_of] && !(it.pending && it.text === undefined)) out.add(it.copy_of);
  }
  return out;
}

function autoGrow(ta) {
  ta.style.height = 'auto';
  ta.style.height = `${Math.min(ta.scrollHeight + 2, 320)}px`;
}

// Enter submits, Shift+Enter makes a new line (textareas); Escape calls onEscape.
function onEnter(el, submit, onEscape) {
  el.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      submit();
    } else if (ev.key === 'Escape' && onEscape) {
      ev.preventDefault();
      onEscape();
    }
  });
}

export class BoardView {
  // ctx: {readOnly, screen, code, me(): {you, role}, send(cmd, args), name(pid), pending(board),
  //       online(), open(), toast(text)}
  constructor(board, ctx) {
    this.board = board;
    this.ctx = ctx;
    this.editing = null; // item id whose editor is open
    this.confirming = null; // item id whose delete waits for confirmation
    this.cache = new WeakMap(); // element -> signature
    this.lists = {}; // column -> keyed container
    this.empties = {};
    this.forms = [];
    this.root = h('section', { class: `board board-${board}`, dataset: { board } });
    this.build();
  }

  // ---------- frame ----------

  build() {
    const b = this.board;
    if (b === 'timeline') {
      this.legend = h('ul', { class: 'tl-legend', 'aria-hidden': 'true' });
      this.lists.event = h('ol', { class: 'tl-track' });
      this.empties.event = h('p', { class: 'empty', text: '' });
      this.root.append(this.legend, this.empties.event, this.lists.event);
      if (!this.ctx.readOnly) this.root.append(this.addForm('event'));
    } else if (b === 'vision') {
      const cols = h('div', { class: 'vision-cols' });
      for (const c of COLUMNS.vision) {
        this.lists[c] = h('ul', { class: 'card-list' });
        this.empties[c] = h('p', { class: 'empty' });
        // A facilitator brings everyone to one column (spotlight.js); shown in update().
        this.columnSpots ||= {};
        this.columnSpots[c] = this.ctx.readOnly ? null : h('button', {
          type: 'button', class: 'small spotlight-column', hidden: true, title: t('spotlight.column'), 'aria-label': t('spotlight.column'),
          onclick: () => this.ctx.send('spotlight.set', { board: b, column: c }),
        }, '◉');
        const col = h('div', { class: `vcol vcol-${c}`, dataset: { column: c } },
          h('div', { class: 'vcol-head' }, h('h2', { class: 'vcol-title', text: t(`column.${c}`) }), this.columnSpots[c]),
          this.empties[c], this.lists[c]);
        if (!this.ctx.readOnly) col.append(this.addForm(c));
        cols.append(col);
      }
      this.root.append(cols);
    } else if (b === 'plan') {
      const head = h('tr', null,
        h('th', { scope: 'col', class: 'c-what', text: t('web.plan.what') }),
        h('th', { scope: 'col', class: 'c-who', text: t('field.who') }),
        h('th', { scope: 'col', class: 'c-with', text: t('field.with') }),
        h('th', { scope: 'col', class: 'c-due', text: t('field.due') }),
        h('th', { scope: 'col', class: 'c-status', text: t('field.status') }),
        h('th', { scope: 'col', class: 'c-act' }, h('span', { class: 'sr-only', text: t('web.item.actions') })));
      this.lists.action = h('tbody');
      this.empties.action = h('p', { class: 'empty' });
      this.root.append(h('div', { class: 'table-wrap' }, h('table', { class: 'plan-table' }, h('thead', null, head), this.lists.action)),
        this.empties.action);
      if (!this.ctx.readOnly) this.root.append(this.addForm('action'));
    } else {
      const c = COLUMNS[b][0];
      this.lists[c] = h('ul', { class: `card-list ${b}` });
      this.empties[c] = h('p', { class: 'empty' });
      this.root.append(this.empties[c], this.lists[c]);
      if (!this.ctx.readOnly) this.root.append(this.addForm(c));
    }
  }

  // An add form: Enter adds, Shift+Enter is a new line; what is typed is kept as a draft
  // (sessionStorage) until the item is queued for sending.
  addForm(column) {
    const b = this.board;
    const draftKey = `keha.draft.${this.ctx.code}.${b}.${column}`;
    const draft = session(draftKey) || {};
    const inputs = {};
    const id = (f) => `add-${b}-${column}-${f}`;
    const saveDraft = () => {
      const d = {};
      for (const [k, el] of Object.entries(inputs)) d[k] = el.type === 'checkbox' ? el.checked : el.value;
      if (entry.locked) d.hidden = entry.chosen;  // the lock is the server's rule, not the person's choice
      session(draftKey, d);
      warn.hidden = !looksLikeHetu(inputs.text.value);
    };
    const text = h('textarea', {
      id: id('text'), class: 'add-text', rows: 1, maxlength: 2000,
      placeholder: t(b === 'plan' ? 'web.add.plan_placeholder' : b === 'timeline' ? 'web.add.timeline_placeholder' : `web.add.placeholder.${column}`),
      'aria-label': t('web.add.label', { board: t(`column.${column}`) }),
    });
    text.value = draft.text || '';
    inputs.text = text;
    text.addEventListener('input', () => autoGrow(text));
    const fields = h('div', { class: 'add-fields' });
    if (b === 'timeline') {
      inputs.when = h('input', { id: id('when'), class: 'f-when', maxlength: 200, placeholder: t('web.add.when_placeholder'), 'aria-label': t('field.when') });
      const listId = `sectors-${column}`;
      const dl = sectorList(listId);
      inputs.sector = h('input', { id: id('sector'), class: 'f-sector', maxlength: 200, list: listId, placeholder: t('field.sector'), 'aria-label': t('field.sector') });
      fields.append(
        h('label', { class: 'f' }, h('span', { text: t('field.when') }), inputs.when),
        h('label', { class: 'f' }, h('span', { text: t('field.sector') }), inputs.sector), dl);
    } else if (b === 'plan') {
      for (const f of ['who', 'with', 'due']) {
        inputs[f] = h('input', { id: id(f), class: `f-${f}`, maxlength: 200, placeholder: t(f === 'due' ? 'web.add.due_placeholder' : `field.${f}`), 'aria-label': t(`field.${f}`) });
        fields.append(h('label', { class: 'f' }, h('span', { text: t(`field.${f}`) }), inputs[f]));
      }
      inputs.status = h('select', { id: id('status'), class: 'f-status', 'aria-label': t('field.status') },
        STATUSES.map((s) => h('option', { value: s, text: statusLabel(s) })));
      fields.append(h('label', { class: 'f' }, h('span', { text: t('field.status') }), inputs.status));
      // Which hinderer or enabler of the vision the action answers (filled in update()).
      this.addressesSelect = h('select', { id: id('addresses'), class: 'f-addresses', 'aria-label': t('web.plan.addresses') });
      this.addressesLabel = h('label', { class: 'f f-wide' }, h('span', { text: t('web.plan.addresses') }), this.addressesSelect);
      this.addressesLabel.hidden = true;
      fields.append(this.addressesLabel);
    } else if (b === 'commitments') {
      // Who commits (a person or a team) and for which organisation, right with the text.
      for (const f of ['who', 'organisation']) {
        inputs[f] = h('input', { id: id(f), class: `f-${f}`, maxlength: 200, placeholder: t(f === 'who' ? 'web.commit.who_placeholder' : 'web.commit.org_placeholder'), 'aria-label': t(`field.${f}`) });
        fields.append(h('label', { class: 'f' }, h('span', { text: t(`field.${f}`) }), inputs[f]));
      }
    }
    for (const [k, el] of Object.entries(inputs)) if (k !== 'text' && draft[k] !== undefined) el.value = draft[k];
    inputs.hidden = h('input', { type: 'checkbox', id: id('hidden'), class: 'f-hidden' });
    inputs.hidden.checked = !!draft.hidden;
    const priv = h('label', { class: 'private-toggle', title: t('web.add.private_hint') }, inputs.hidden, h('span', { text: t('web.add.private') }));
    // Shown while this person listens in a reflecting team (lockPrivate).
    const listenNote = h('p', { class: 'listen-note', id: id('listening'), text: t('web.add.listening_private') });
    listenNote.hidden = true;
    const entry = { inputs, column, listenNote, locked: false, chosen: false };
    const warn = h('p', { class: 'warn', role: 'alert', text: t('web.warn.hetu') });
    warn.hidden = !looksLikeHetu(text.value);
    const submit = () => {
      const value = text.value.trim();
      if (!value) { text.focus(); return; }
      if (!this.ctx.open()) { this.ctx.toast(t('error.room_closed'), 'error'); return; }
      const args = { board: b, column, text: value };
      if (b === 'timeline') {
        if (inputs.when.value.trim()) args.when = inputs.when.value.trim();
        if (inputs.sector.value.trim()) args.sector = sectorValue(inputs.sector.value);
      } else if (b === 'plan') {
        for (const f of ['who', 'with', 'due']) if (inputs[f].value.trim()) args[f] = inputs[f].value.trim();
        args.status = inputs.status.value;
        if (this.addressesSelect.value) args.addresses = this.addressesSelect.value;
      } else if (b === 'commitments') {
        for (const f of ['who', 'organisation']) if (inputs[f].value.trim()) args[f] = inputs[f].value.trim();
      }
      if (inputs.hidden.checked) args.hidden = true;
      this.ctx.send('item.add', args);
      text.value = '';
      autoGrow(text);
      if (b === 'timeline') inputs.when.value = '';
      if (b === 'plan') {
        for (const f of ['who', 'with', 'due']) inputs[f].value = '';
        inputs.status.value = 'proposed';
        this.addressesSelect.value = '';
      }
      saveDraft();
      text.focus();
    };
    for (const el of Object.values(inputs)) {
      el.addEventListener('input', saveDraft);
      el.addEventListener('change', saveDraft);
      if (el.tagName !== 'SELECT' && el.type !== 'checkbox') onEnter(el, submit);
    }
    const button = h('button', { type: 'submit', class: 'primary add-button', text: t('web.add.button') });
    const form = h('form', { class: `add-form add-${b}`, dataset: { column } },
      h('div', { class: 'add-main' }, text, button), fields.childElementCount ? fields : null,
      h('div', { class: 'add-foot' }, priv, h('span', { class: 'hint', text: t('web.add.enter_hint') })), listenNote, warn);
    form.addEventListener('submit', (ev) => { ev.preventDefault(); submit(); });
    entry.form = form;
    this.forms.push(entry);
    return form;
  }

  // While this person listens, what they add is private whatever the box said (the server
  // holds it anyway): the box is ticked and locked, with the reason beside it. Afterwards
  // the box is as the person left it.
  lockPrivate(entry, listening, writing = false) {
    const box = entry.inputs.hidden;
    if (listening && !entry.locked) {
      entry.chosen = box.checked;
      entry.locked = true;
      box.checked = true;
      box.disabled = true;
      box.setAttribute('aria-describedby', entry.listenNote.id);
    } else if (!listening && entry.locked) {
      entry.locked = false;
      box.checked = entry.chosen;
      box.disabled = false;
      box.removeAttribute('aria-describedby');
    }
    entry.listenNote.hidden = !listening && !writing;
    entry.listenNote.textContent = t(listening ? 'web.add.listening_private' : 'writing.add_note');
    entry.form.classList.toggle('listening', listening);
  }

  focusAdd() {
    this.forms[0]?.inputs.text.focus();
  }

  // ---------- items ----------

  update(state) {
    this.state = state;
    const items = state.boards?.[this.board]?.items || {};
    const me = this.ctx.me();
    const pending = this.ctx.readOnly ? [] : this.ctx.pending(this.board);
    this.listening = !this.ctx.readOnly && listensNow(state, me);
    this.privateBoard = boardIsPrivate(state, this.board);
    // While everyone writes privately the note says so; the box keeps its own meaning: kept
    // private even after the facilitator's reveal (writing.js).
    const writing = !this.ctx.readOnly && this.privateBoard && !this.listening;
    for (const entry of this.forms) this.lockPrivate(entry, this.listening, writing);
    // The spotlight on this board (spotlight.js): its item or column stands out, the rest recedes.
    this.spot = spotTarget(state, this.board);
    for (const [c, btn] of Object.entries(this.columnSpots || {})) {
      if (btn) btn.hidden = me.role !== 'facilitator' || !this.ctx.open() || (this.spot?.column === c && !this.spot.item);
    }
    this.root.classList.toggle('spot-item', !!this.spot?.item);
    this.root.classList.toggle('spot-column', !!this.spot && !this.spot.item && !!this.spot.column);
    for (const c of COLUMNS[this.board]) this.lists[c].closest('[data-column]')?.classList.toggle('spotlit', !!this.spot && !this.spot.item && this.spot.column === c);
    if (this.editing && !items[this.editing]) this.editing = null;
    let sectors = new Map();
    const folded = foldedOriginals(items);
    // Where the focus was: when its item goes (deleted, folded), it moves to the column's add
    // field rather than fall to the page.
    const focusIn = COLUMNS[this.board].find((c) => this.lists[c].contains(document.activeElement));
    for (const column of COLUMNS[this.board]) {
      // Items held for moderation reach only their author and the facilitators; an original
      // with an editable copy shows inside the copy.
      const sorted = sortItems(items, this.board).filter((it) => it.column === column && !(it.pending && it.text === undefined) && !folded.has(it.id));
      const mine = pending.filter((c) => c.args.column === column);
      // Groups and sorting by votes place the cards (board_order.js arrangeBoard, one rule with libkeha).
      const units = arrangeBoard(sorted, state.boards?.[this.board], this.board);
      const heads = new Map(units.filter((u) => u.group).map((u) => [`group-${u.groupId}`, u]));
      const keys = units.flatMap((u) => (u.group ? [`group-${u.groupId}`] : []).concat(u.items.map((it) => it.id)))
        .concat(mine.map((c) => `pending-${c.id}`));
      const byKey = new Map(sorted.map((it) => [it.id, it]));
      const pendingByKey = new Map(mine.map((c) => [`pending-${c.id}`, c]));
      reconcile(this.lists[column], keys, (key, old) => {
        if (pendingByKey.has(key)) return this.renderPending(pendingByKey.get(key), old);
        if (heads.has(key)) return this.renderGroupHead(heads.get(key), me);
        const it = byKey.get(key);
        const idx = sorted.indexOf(it);
        return this.renderItem(it, old, me, sorted[idx - 1], sorted[idx + 1], sorted[idx - 2]);
      }, (kept, built) => this.cache.set(kept, this.cache.get(built)));
      this.empties[column].textContent = t(this.ctx.readOnly ? 'web.board.empty_screen' : 'web.board.empty');
      this.empties[column].hidden = keys.length > 0;
      if (this.board === 'timeline') {
        for (const it of sorted) {
          const s = String(it.sector || '').trim();
          if (s && !sectors.has(s.toLowerCase())) sectors.set(s.toLowerCase(), s);
        }
      }
    }
    votingBar(this, me);
    if (this.addressesSelect) this.fillAddresses(state);
    if (focusIn && !this.focusNext && (document.activeElement === document.body || !document.activeElement)) {
      const back = this.focusBack && this.root.querySelector(`[data-id="${this.focusBack}"] button.edit`);
      (back || this.forms.find((f) => f.column === focusIn)?.inputs.text)?.focus();
    }
    this.focusBack = null;
    if (this.focusNext) {
      const text = this.focusNext;
      this.focusNext = null;
      if (text.isConnected) {
        text.focus();
        text.setSelectionRange(text.value.length, text.value.length);
        autoGrow(text);
      }
    }
    if (this.legend) {
      sectors = [...sectors.values()].sort((a, b) => sectorLabel(a).localeCompare(sectorLabel(b)));
      reconcile(this.legend, sectors, (s, old) => {
        const el = old || h('li', { class: 'tl-legend-item' }, h('span', { class: 'swatch' }), h('span', { class: 'label' }));
        el.dataset.slot = String(sectorSlot(s));
        el.lastChild.textContent = sectorLabel(s);
        return el;
      });
      this.legend.hidden = sectors.length === 0;
    }
  }

  // The plan's "answers which hinderer/enabler" choices: the revealed vision items.
  fillAddresses(state) {
    const vision = state.boards?.vision?.items || {};
    const folded = foldedOriginals(vision);
    const opts = sortItems(vision, 'vision').filter((it) => (it.column === 'hinders' || it.column === 'enables') && it.text !== undefined && !folded.has(it.id));
    const sig = JSON.stringify(opts.map((it) => [it.id, it.column, it.text]));
    this.addressesLabel.hidden = opts.length === 0;
    if (sig === this.addressesSig) return;
    this.addressesSig = sig;
    const sel = this.addressesSelect;
    const prev = sel.value;
    sel.textContent = '';
    sel.append(h('option', { value: '', text: t('web.plan.addresses_none') }));
    for (const c of ['hinders', 'enables']) {
      const group = h('optgroup', { label: t(`column.${c}`) });
      for (const it of opts.filter((x) => x.column === c)) {
        const text = it.text.length > 70 ? `${it.text.slice(0, 68)}…` : it.text;
        group.append(h('option', { value: it.id, text }));
      }
      if (group.childElementCount) sel.append(group);
    }
    sel.value = opts.some((it) => it.id === prev) ? prev : '';
  }

  // A group's heading (voting.js groupHead); on the plan a table row around it.
  renderGroupHead(unit, me) {
    const head = groupHead(this, unit, me);
    if (this.board !== 'plan') return head;
    const row = h('tr', { class: 'group-row' }, h('td', { colspan: 6 }, ...head.childNodes));
    return row;
  }

  renderPending(c, old) {
    const offline = !this.ctx.online();
    const label = t(offline ? 'web.item.waiting' : 'web.item.sending');
    const sig = `p|${c.args.text}|${label}|${c.args.when || ''}|${c.args.sector || ''}`;
    if (old && this.cache.get(old) === sig) return old;
    let el;
    const card = h('article', { class: 'item pending' },
      h('p', { class: 'item-text', lang: this.writtenLang(), text: c.args.text }),
      h('footer', { class: 'item-foot' }, h('span', { class: 'pending-note', text: `⏳ ${label}` })));
    if (this.board === 'timeline') {
      el = h('li', { class: 'tl-item', dataset: { slot: String(sectorSlot(c.args.sector)) } },
        h('span', { class: 'tl-when', text: whenLabel(c.args.when) || '·' }), h('span', { class: 'tl-dot' }), card);
    } else if (this.board === 'plan') {
      el = h('tr', { class: 'pending-row' },
        h('td', { class: 'c-what' }, h('span', { lang: this.writtenLang(), text: c.args.text })),
        h('td', { class: 'c-who', text: c.args.who || '' }), h('td', { class: 'c-with', text: c.args.with || '' }),
        h('td', { class: 'c-due', text: c.args.due || '' }), h('td', { class: 'c-status', text: statusLabel(c.args.status) }),
        h('td', { class: 'c-act' }, h('span', { class: 'pending-note', text: `⏳ ${label}` })));
    } else {
      el = h('li', null, card);
    }
    this.cache.set(el, sig);
    return el;
  }

  renderItem(it, old, me, prev, next, prev2) {
    if (old && this.editing === it.id && old.classList.contains('editing')) return old;
    const isFac = me.role === 'facilitator';
    const secret = it.hidden && it.text === undefined;
    const mine = it.author === me.you;
    // Items brought in from an earlier meeting are read-only (a facilitator may copy them).
    const canEdit = !this.ctx.readOnly && this.ctx.open() && (mine || isFac) && !secret && !it.readonly;
    const canVote = !this.ctx.readOnly && this.ctx.open() && (me.role === 'participant' || isFac) && !secret;
    // While a vote runs on this board, the person's own choices are their ballot (voting.js).
    const session = runningVote(this.state, this.board);
    const voted = session ? ballotOf(this.state, me.you).includes(it.id) : Array.isArray(it.voters) && it.voters.includes(me.you);
    const grouping = mayGroup(this.state, me, this.ctx)
      ? Object.values(this.state?.boards?.[this.board]?.items || {}).filter((x) => x.column === it.column).map((x) => [x.id, x.text, x.group])
      : null;
    // An item brought in from another meeting has no author here (its source says where it came from).
    const author = it.author === '' ? '' : this.ctx.name(it.author);
    const timelineDated = this.board === 'timeline' && isoWhen(it.when);
    const movable = canEdit && !timelineDated;
    const target = this.board === 'plan' && it.addresses ? this.state?.boards?.vision?.items?.[it.addresses] : null;
    const original = typeof it.copy_of === 'string' ? this.state?.boards?.[this.board]?.items?.[it.copy_of] : null;
    const sig = JSON.stringify([it, author, voted, canEdit, canVote, movable && !!prev, movable && !!next,
      target ? [target.column, target.text] : null, original || null,
      this.confirming === it.id, this.editing === it.id, this.ctx.lang(), this.listening, !!session, grouping,
      this.privateBoard, this.spot?.item === it.id]);
    if (old && this.cache.get(old) === sig) return old;

    let el;
    if (this.editing === it.id && canEdit) {
      el = this.renderEditor(it);
    } else if (this.board === 'plan') {
      el = this.renderRow(it, { secret, mine, canEdit, canVote, voted, author, prev, next, prev2, movable });
    } else {
      const card = this.renderCard(it, { secret, mine, canEdit, canVote, voted, author, prev, next, prev2, movable });
      card.querySelector('.item-foot')?.append(...groupControls(this, it, card, me, it.column));
      if (it.group && this.state?.boards?.[this.board]?.groups?.[it.group]) card.classList.add('in-group');
      if (this.board === 'timeline') {
        el = h('li', { class: `tl-item${timelineDated ? ' dated' : ' undated'}`, dataset: { slot: String(sectorSlot(secret ? '' : it.sector)) } },
          h('span', { class: 'tl-when', text: secret ? '·' : (whenLabel(it.when) || '·') }),
          h('span', { class: 'tl-dot' }), card);
      } else {
        el = h('li', null, card);
      }
    }
    el.classList.toggle('spotlit', this.spot?.item === it.id);
    this.cache.set(el, sig);
    return el;
  }

  // Where an imported item (or its editable copy) came from: team · meeting · date, and the
  // meeting it began in when it came through another (A → B → C: from A, via B).
  provenance(it) {
    const src = it.source;
    if (!src || typeof src !== 'object') return null;
    const meeting = (m) => {
      const when = m.at ? formatDate(m.at, this.ctx.lang()) : '';
      return [m.team, m.meeting, when].filter((x) => x && String(x).trim()).join(' · ');
    };
    const text = src.first && typeof src.first === 'object'
      ? t('web.item.from_via', { first: meeting(src.first), source: meeting(src) })
      : t('web.item.from', { source: meeting(src) });
    return h('p', { class: `provenance${it.readonly ? ' readonly' : ''}`, title: it.readonly ? t('web.item.readonly_hint') : '' },
      h('span', { class: 'provenance-mark', 'aria-hidden': 'true', text: it.readonly ? '🔒 ' : '↪ ' }), text,
      it.copy_of ? h('span', { class: 'copy-tag', text: ` · ${t('web.item.copy_of')}` }) : null);
  }

  // The original an editable copy stands for, folded inside the copy (not on the wall).
  originalOf(it) {
    const original = typeof it.copy_of === 'string' ? this.state?.boards?.[this.board]?.items?.[it.copy_of] : null;
    if (!original || original.text === undefined || this.ctx.screen) return null;
    return h('details', { class: 'copy-original' },
      h('summary', { text: t('web.item.original') }),
      h('p', { class: 'item-text original-text', lang: this.writtenLang(), text: original.text }),
      this.provenance(original));
  }

  // What participants write is marked with the meeting's language (room.language, WCAG
  // 3.1.2), not the reader's: someone reading in Swedish in a Finnish meeting hears the
  // entries in Finnish. The page's own words keep the page's language.
  writtenLang() {
    const l = this.state?.room?.language;
    return ['fi', 'sv', 'en'].includes(l) ? l : undefined;
  }

  privateTag(it) {
    const tags = [];
    if (it.hidden) tags.push(h('span', { class: 'private-tag', text: t('web.item.private') }));
    if (it.declined) {
      tags.push(h('span', { class: 'declined-tag', text: t('web.item.declined') + (it.decline_reason ? `: ${it.decline_reason}` : '') }));
    } else if (it.pending) {
      tags.push(h('span', { class: 'pending-tag', text: t('web.item.pending') }));
    }
    return tags;
  }

  renderCard(it, o) {
    const classes = ['item'];
    if (o.mine) classes.push('mine');
    if (it.hidden) classes.push('is-hidden');
    if (o.secret) classes.push('secret');
    const body = o.secret
      ? h('p', { class: 'item-text secret-text', text: t(it.awaits_reveal === true ? 'writing.secret' : 'web.item.secret') })
      : it.erased
        ? h('p', { class: 'item-text erased-text', text: t('web.item.erased') })
        : h('p', { class: 'item-text', lang: this.writtenLang(), text: it.text });
    const meta = [];
    const extra = [];
    if (this.board === 'commitments' && !o.secret) {
      const who = [it.who, it.organisation].filter((x) => x && String(x).trim()).join(' · ');
      if (who) extra.push(h('p', { class: 'item-sub', text: who }));
    }
    if (this.board === 'timeline' && !o.secret && it.sector) {
      meta.push(h('span', { class: 'sector-chip', dataset: { slot: String(sectorSlot(it.sector)) }, text: sectorLabel(it.sector) }));
    }
    const foot = h('footer', { class: 'item-foot' },
      o.author ? h('span', { class: 'author', text: o.author }) : null,
      this.privateTag(it),
      h('span', { class: 'spacer' }),
      this.voteButton(it, o),
      ...this.actionButtons(it, o));
    if (it.readonly) classes.push('readonly');
    return h('article', { class: classes.join(' '), dataset: { id: it.id } },
      meta.length ? h('div', { class: 'item-meta' }, meta) : null, body, extra, this.provenance(it), this.originalOf(it), foot);
  }

  renderRow(it, o) {
    const cls = ['plan-row'];
    if (o.mine) cls.push('mine');
    if (it.hidden) cls.push('is-hidden');
    if (o.secret) cls.push('secret');
    if (it.readonly) cls.push('readonly');
    let status;
    if (o.canEdit) {
      status = h('select', { class: `status-select status-${it.status || 'proposed'}`, 'aria-label': t('field.status') },
        STATUSES.map((s) => h('option', { value: s, text: statusLabel(s) })));
      status.value = STATUSES.includes(it.status) ? it.status : 'proposed';
      status.addEventListener('change', () => this.ctx.send('item.edit', { board: this.board, id: it.id, status: status.value }));
    } else if (!o.secret && it.status) {
      status = h('span', { class: `status-badge status-${it.status}`, text: statusLabel(it.status) });
    }
    return h('tr', { class: cls.join(' '), dataset: { id: it.id } },
      h('td', { class: 'c-what' },
        h('span', {
          class: o.secret ? 'item-text secret-text' : it.erased ? 'item-text erased-text' : 'item-text',
          text: o.secret ? t(it.awaits_reveal === true ? 'writing.secret' : 'web.item.secret') : it.erased ? t('web.item.erased') : it.text,
          lang: o.secret || it.erased ? undefined : this.writtenLang(),
        }),
        this.addressesNote(it), this.provenance(it), this.originalOf(it),
        o.author ? h('span', { class: 'author', text: o.author }) : null, this.privateTag(it)),
      // data-label names a field where the plan is a list of cards (a phone).
      h('td', { class: 'c-who', 'data-label': t('field.who'), text: o.secret ? '' : it.who || '' }),
      h('td', { class: 'c-with', 'data-label': t('field.with'), text: o.secret ? '' : it.with || '' }),
      h('td', { class: 'c-due', 'data-label': t('field.due'), text: o.secret ? '' : it.due || '' }),
      h('td', { class: 'c-status', 'data-label': t('field.status') }, status || ''),
      h('td', { class: 'c-act' }, h('div', { class: 'row-actions' }, this.voteButton(it, o), ...this.actionButtons(it, o))));
  }

  addressesNote(it) {
    const target = it.addresses && this.state?.boards?.vision?.items?.[it.addresses];
    if (!target || target.text === undefined) return null;
    return h('span', { class: `addresses addresses-${target.column}` },
      h('span', { class: 'addresses-label', text: `${t(`column.${target.column}`)}: ` }), target.text);
  }

  // The vote button, and the person's own vote on the item: always visible, also while the
  // facilitator keeps the counts back. A given vote is taken back only by a button that says so.
  voteButton(it, o) {
    const n = it.votes || 0;
    const shown = it.votes !== undefined && !runningVote(this.state, this.board);
    if (!o.canVote) {
      return n > 0 ? h('span', { class: 'votes', title: t('field.votes'), text: `▲ ${n}` }) : null;
    }
    // The button's name is its visible text (WCAG 2.5.3): "▲ Vote 3", "▲ Take back your vote 3";
    // the same elements either way, so that the button keeps the focus when it is pressed.
    const button = h('button', {
      type: 'button', class: `vote${o.voted ? ' voted' : ''}`, 'aria-pressed': o.voted ? 'true' : 'false',
      title: shown ? `${t('field.votes')}: ${n}` : null,
      onclick: () => this.ctx.send('item.vote', { board: this.board, id: it.id }),
    }, h('span', { class: 'vote-arrow', 'aria-hidden': 'true', text: '▲' }),
    h('span', { class: o.voted ? 'vote-take-back' : 'vote-word', text: t(o.voted ? 'web.item.unvote' : 'web.item.vote') }),
    shown ? h('span', { class: 'vote-n', text: String(n) }) : null);
    return h('span', { class: 'vote-group' },
      h('span', { class: o.voted ? 'own-votes' : 'own-votes-none', hidden: !o.voted, text: o.voted ? `✓ ${tn('web.item.your_votes', 1)}` : '' }),
      button);
  }

  actionButtons(it, o) {
    const out = [];
    const me = this.ctx.me();
    if (!this.ctx.readOnly && it.pending && !o.secret && me.role === 'facilitator' && this.ctx.open()) {
      out.push(h('button', {
        type: 'button', class: 'approve', onclick: () => this.ctx.send('item.approve', { board: this.board, id: it.id }),
      }, t('web.item.approve')));
      if (!it.declined) {
        out.push(h('button', {
          type: 'button', class: 'decline', onclick: () => this.ctx.send('item.decline', { board: this.board, id: it.id }),
        }, t('web.item.decline')));
      }
    }
    if (!this.ctx.readOnly && it.hidden && !o.secret && (o.mine || me.role === 'facilitator') && this.ctx.open()) {
      // A listener reveals in their own turn, an author on a private board with everyone's
      // notes (writing.js); the server refuses it before.
      const waits = this.privateBoard && me.role !== 'facilitator' && it.awaits_reveal === true;
      out.push(h('button', {
        type: 'button', class: 'reveal', disabled: this.listening || waits,
        title: t(this.listening ? 'web.item.reveal_listening' : waits ? 'writing.wait_reveal' : 'web.item.reveal_hint'),
        onclick: () => this.ctx.send('item.reveal', { board: this.board, id: it.id }),
      }, t('web.item.reveal')));
    }
    if (!this.ctx.readOnly && me.role === 'facilitator' && this.ctx.open() && !it.hidden && !it.pending && this.spot?.item !== it.id) {
      out.push(h('button', {
        type: 'button', class: 'small spotlight-item', title: t('spotlight.item_hint'),
        onclick: () => this.ctx.send('spotlight.set', { board: this.board, item: it.id }),
      }, `◉ ${t('spotlight.item')}`));
    }
    if (!this.ctx.readOnly && it.readonly && me.role === 'facilitator' && this.ctx.open()) {
      out.push(h('button', {
        type: 'button', class: 'small copy-item', title: t('web.item.readonly_hint'),
        onclick: () => this.ctx.send('item.copy', { board: this.board, id: it.id }),
      }, t('web.item.copy')));
    }
    if (!o.canEdit) return out;
    if (o.movable) {
      out.push(h('button', {
        type: 'button', class: 'icon move-up', disabled: !o.prev, title: t('web.item.up'), 'aria-label': t('web.item.up'),
        onclick: () => this.moveBetween(it, o.prev2, o.prev),
      }, '↑'));
      out.push(h('button', {
        type: 'button', class: 'icon move-down', disabled: !o.next, title: t('web.item.down'), 'aria-label': t('web.item.down'),
        onclick: () => this.moveAfter(it, o.next),
      }, '↓'));
    }
    // A listener's words that everyone already sees wait for their turn (the server refuses it).
    const editWaits = this.listening && !it.hidden;
    out.push(h('button', {
      type: 'button', class: 'icon edit', disabled: editWaits, title: t(editWaits ? 'web.item.edit_listening' : 'web.item.edit'),
      'aria-label': t('web.item.edit'),
      onclick: () => { this.editing = it.id; this.confirming = null; this.ctx.rerender(); },
    }, '✎'));
    if (this.confirming === it.id) {
      out.push(h('button', {
        type: 'button', class: 'danger confirm-delete',
        onclick: () => { this.confirming = null; this.ctx.send('item.delete', { board: this.board, id: it.id }); },
      }, t('web.item.delete_confirm')));
      // A facilitator may also erase the words from the meeting's history (e.g. an identity code).
      if (me.role === 'facilitator') {
        out.push(h('button', {
          type: 'button', class: 'danger confirm-erase', title: t('web.item.delete_erase_hint'),
          onclick: () => { this.confirming = null; this.ctx.send('item.delete', { board: this.board, id: it.id, erase: true }); },
        }, t('web.item.delete_erase')));
      }
    } else {
      out.push(h('button', {
        type: 'button', class: 'icon delete', title: t('web.item.delete'), 'aria-label': t('web.item.delete'),
        onclick: () => {
          this.confirming = it.id;
          this.ctx.rerender();
          setTimeout(() => { if (this.confirming === it.id) { this.confirming = null; this.ctx.rerender(); } }, 4000);
        },
      }, '🗑'));
    }
    return out;
  }

  // Moves an item before `before` (after `beforeBefore`) / after `after`: the new order is
  // the midpoint of its new neighbours.
  moveBetween(it, a, b) {
    if (!b) return;
    const order = a ? ((a.order ?? 0) + (b.order ?? 0)) / 2 : (b.order ?? 0) - 1;
    this.ctx.send('item.move', { board: this.board, id: it.id, order });
  }

  moveAfter(it, next) {
    if (!next) return;
    const items = sortItems(this.state.boards[this.board].items, this.board).filter((x) => x.column === it.column);
    const after = items[items.indexOf(next) + 1];
    const order = after ? ((next.order ?? 0) + (after.order ?? 0)) / 2 : (next.order ?? 0) + 1;
    this.ctx.send('item.move', { board: this.board, id: it.id, order });
  }

  renderEditor(it) {
    const b = this.board;
    const text = h('textarea', { class: 'edit-text', maxlength: 2000, 'aria-label': t('field.text') });
    text.value = it.text || '';
    const inputs = {};
    const fields = h('div', { class: 'edit-fields' });
    for (const f of FIELDS[b]) {
      if (f === 'status') continue;
      inputs[f] = h('input', { class: `f-${f}`, maxlength: 200, 'aria-label': t(`field.${f}`) });
      inputs[f].value = f === 'sector' ? sectorLabel(it[f]) : it[f] || '';
      fields.append(h('label', { class: 'f' }, h('span', { text: t(`field.${f}`) }), inputs[f]));
      if (f === 'sector') {
        inputs[f].setAttribute('list', `sectors-edit-${it.id}`);
        fields.append(sectorList(`sectors-edit-${it.id}`));
      }
    }
    let column = null;
    if (COLUMNS[b].length > 1) {
      column = h('select', { class: 'f-column', 'aria-label': t('web.item.column') },
        COLUMNS[b].map((c) => h('option', { value: c, text: t(`column.${c}`) })));
      column.value = it.column;
      fields.append(h('label', { class: 'f' }, h('span', { text: t('web.item.column') }), column));
    }
    // After the editor the focus goes back to the item's ✎ (update() finds it).
    const cancel = () => { this.editing = null; this.focusBack = it.id; this.ctx.rerender(); };
    const save = () => {
      const v = text.value.trim();
      if (!v) { text.focus(); return; }
      const args = { board: b, id: it.id };
      if (v !== it.text) args.text = v;
      for (const [f, el] of Object.entries(inputs)) {
        const value = f === 'sector' ? sectorValue(el.value) : el.value.trim();
        if (value !== (it[f] || '')) args[f] = value;
      }
      if (Object.keys(args).length > 2) this.ctx.send('item.edit', args);
      if (column && column.value !== it.column) this.ctx.send('item.move', { board: b, id: it.id, column: column.value });
      this.editing = null;
      this.focusBack = it.id;
      this.ctx.rerender();
    };
    onEnter(text, save, cancel);
    for (const el of Object.values(inputs)) onEnter(el, save, cancel);
    const editor = h('div', { class: 'item editor' },
      text, fields.childElementCount ? fields : null,
      h('div', { class: 'edit-actions' },
        h('button', { type: 'button', class: 'primary', onclick: save, text: t('web.item.save') }),
        h('button', { type: 'button', onclick: cancel, text: t('web.item.cancel') })));
    let el;
    if (b === 'plan') el = h('tr', { class: 'plan-row editing' }, h('td', { colspan: 6 }, editor));
    else if (b === 'timeline') el = h('li', { class: 'tl-item editing' }, h('span', { class: 'tl-when', text: '✎' }), h('span', { class: 'tl-dot' }), editor);
    else el = h('li', { class: 'editing' }, editor);
    // Focused right after it is in the page, in the same task (a later frame could steal
    // the focus from a field the person has already moved to).
    this.focusNext = text;
    return el;
  }
}

// A card everyone sees during a phase (e.g. Erätauko's ground rules).
export function renderPhaseCard(box, ph) {
  const card = ph?.card;
  const sig = JSON.stringify(card || null);
  if (box.dataset.sig === sig) return;
  box.dataset.sig = sig;
  box.textContent = '';
  box.hidden = !card || !(card.title || (card.lines || []).length);
  if (box.hidden) return;
  if (pick(card.title)) box.append(h('h2', { class: 'card-title', text: pick(card.title) }));
  const list = h('ol', { class: 'card-lines' });
  for (const line of card.lines || []) list.append(h('li', { text: pick(line) }));
  box.append(list);
}
