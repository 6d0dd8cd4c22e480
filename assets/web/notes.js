// Notes download for the facilitator: the format (md/html/json) and the name policy
// (full / initials / groups), the identity-code check (GET …/export/check) before every
// download — with where each match is and a choice to go back or download anyway — a
// warning when notes written privately are not revealed yet (they are not in the notes),
// and the notes as of a moment of the history (seq). The key goes in an Authorization
// header, never into a URL.

import { t, tn, language } from './i18n.js';
import { h } from './util.js';
import { privateTotal } from './writing.js';

// One line a board for the notes written privately and not revealed yet, which the notes leave out.
export function unrevealedLines(state) {
  const lines = [];
  for (const board of Object.keys(state?.boards || {})) {
    const n = privateTotal(state, board);
    if (n > 0) lines.push({ board, text: tn('writing.notes_unrevealed', n, { board: t(`board.${board}`) }) });
  }
  return lines;
}

export const NAME_POLICIES = ['auto', 'full', 'initials', 'groups'];

// Saves a fetched body as a file.
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export async function errorCodeOf(res) {
  let codeName = res.status === 404 ? 'unknown_room' : res.status === 401 || res.status === 403 ? 'unauthorized' : 'bad_request';
  try { codeName = (await res.json()).error || codeName; } catch (_) { /* not JSON */ }
  return codeName;
}

// A text with the match (byte offset and length in UTF-8) masked, shortened around it.
function masked(text, offset, length) {
  const bytes = new TextEncoder().encode(String(text || ''));
  const dec = new TextDecoder();
  const before = dec.decode(bytes.slice(0, offset));
  const after = dec.decode(bytes.slice(offset + length));
  const b = before.length > 40 ? `…${before.slice(-40)}` : before;
  const a = after.length > 40 ? `${after.slice(0, 40)}…` : after;
  return `${b}▇▇▇▇▇▇-▇▇▇▇${a}`;
}

// Where a match is, in words: board · item text (masked) · field.
export function describeMatch(m, state) {
  if (m.board === 'room') return { where: t('web.notes.where_room'), text: masked(state?.room?.title, m.offset, m.length) };
  if (m.board === 'participants') {
    return { where: t('web.notes.where_participants'), text: masked(state?.participants?.[m.id]?.name, m.offset, m.length) };
  }
  if (m.board === 'consent') {
    return { where: t('web.notes.where_consent'), text: masked(state?.consent?.[m.field], m.offset, m.length) };
  }
  const it = state?.boards?.[m.board]?.items?.[m.id];
  const field = m.field === 'text' ? '' : ` · ${t(`field.${m.field}`)}`;
  return { where: `${t(`board.${m.board}`)}${field}`, text: it ? masked(it[m.field], m.offset, m.length) : '' };
}

export class NotesExport {
  // opts: {code, key, toast, state(), names()}
  constructor(opts) {
    this.o = opts;
    this.warning = h('section', { class: 'pic-warning', id: 'pic-warning', role: 'alertdialog', 'aria-labelledby': 'pic-title' });
    this.warning.hidden = true;
  }

  async authFetch(path) {
    return fetch(path, { headers: { Authorization: `Bearer ${this.o.key}` }, cache: 'no-store' });
  }

  // Checks the notes (at seq, or now) and downloads them unless the facilitator goes back.
  async download(format, seq = null, stateAt = null) {
    const o = this.o;
    const names = o.names ? o.names() : '';
    const q = new URLSearchParams({ format });
    if (names && names !== 'auto') q.set('names', names);
    if (seq !== null) q.set('seq', String(seq));
    q.set('language', language()); // the notes in the facilitator's own language
    try {
      // Now, not a moment of the history: what is still private would be left out unseen.
      const unrevealed = seq === null ? unrevealedLines(o.state()) : [];
      if (unrevealed.length > 0 && !await this.askUnrevealed(unrevealed)) return;
      const cq = seq !== null ? `?seq=${seq}` : '';
      const check = await this.authFetch(`/api/rooms/${o.code}/export/check${cq}`);
      if (check.ok) {
        const found = await check.json();
        if (found.count > 0) {
          const go = await this.warn(found.identity_codes || [], stateAt || o.state());
          if (!go) return;
        }
      }
      const res = await this.authFetch(`/api/rooms/${o.code}/export?${q}`);
      if (!res.ok) { o.toast(t(`error.${await errorCodeOf(res)}`), 'error'); return; }
      const date = new Date().toISOString().slice(0, 10);
      saveBlob(await res.blob(), `keha-${o.code}-${seq !== null ? `${seq}-` : ''}${date}.${format}`);
    } catch (_) {
      o.toast(t('web.conn.no_server'), 'error');
    }
  }

  // Shows where the identity codes are; resolves true for "download anyway".
  warn(matches, state) {
    const list = h('ul', { class: 'pic-list' });
    for (const m of matches) {
      const d = describeMatch(m, state);
      list.append(h('li', { class: 'pic-place', dataset: { board: m.board, id: m.id || '' } },
        h('strong', { text: d.where }), d.text ? h('span', { class: 'pic-text', text: ` “${d.text}”` }) : null,
        m.hidden ? h('span', { class: 'hint', text: ` (${t('web.notes.pic_hidden')})` }) : null));
    }
    return this.ask({ id: 'pic', title: t('web.notes.pic_title'), lead: t('web.notes.pic_lead'), list, back: t('web.notes.pic_back') });
  }

  // Says which boards hold notes not revealed yet; resolves true for "download anyway".
  askUnrevealed(lines) {
    const list = h('ul', { class: 'pic-list' },
      lines.map((l) => h('li', { class: 'unrevealed-board', dataset: { board: l.board }, text: l.text })));
    return this.ask({ id: 'unrevealed', title: t('writing.export_title'), lead: t('writing.export_lead'), list,
      back: t('writing.export_back') });
  }

  // The warning box with a list, "go back" (the default) and "download anyway".
  ask({ id, title, lead, list, back }) {
    const box = this.warning;
    box.textContent = '';
    return new Promise((resolve) => {
      const done = (go) => { box.hidden = true; box.textContent = ''; resolve(go); };
      const backButton = h('button', { type: 'button', class: 'primary', id: `${id}-back`, onclick: () => done(false) }, back);
      box.append(h('h3', { id: 'pic-title', text: `⚠ ${title}` }), h('p', { text: lead }), list,
        h('div', { class: 'pic-actions' }, backButton,
          h('button', { type: 'button', id: `${id}-anyway`, onclick: () => done(true) }, t('web.notes.pic_anyway'))));
      box.hidden = false;
      box.scrollIntoView({ block: 'nearest' });
      backButton.focus();
    });
  }
}
