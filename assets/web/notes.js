// Notes download for the facilitator: the format (md/html/json) and the name policy
// (full / initials / groups), the identity-code check (GET …/export/check) before every
// download — with where each match is and a choice to go back or download anyway — and
// the notes as of a moment of the history (seq). The key goes in an Authorization header,
// never into a URL.

import { t, language } from './i18n.js';
import { h } from './util.js';

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
    const box = this.warning;
    box.textContent = '';
    const list = h('ul', { class: 'pic-list' });
    for (const m of matches) {
      const d = describeMatch(m, state);
      list.append(h('li', { class: 'pic-place', dataset: { board: m.board, id: m.id || '' } },
        h('strong', { text: d.where }), d.text ? h('span', { class: 'pic-text', text: ` “${d.text}”` }) : null,
        m.hidden ? h('span', { class: 'hint', text: ` (${t('web.notes.pic_hidden')})` }) : null));
    }
    return new Promise((resolve) => {
      const done = (go) => { box.hidden = true; box.textContent = ''; resolve(go); };
      const back = h('button', { type: 'button', class: 'primary', id: 'pic-back', onclick: () => done(false) }, t('web.notes.pic_back'));
      box.append(h('h3', { id: 'pic-title', text: `⚠ ${t('web.notes.pic_title')}` }),
        h('p', { text: t('web.notes.pic_lead') }), list,
        h('div', { class: 'pic-actions' }, back,
          h('button', { type: 'button', id: 'pic-anyway', onclick: () => done(true) }, t('web.notes.pic_anyway'))));
      box.hidden = false;
      box.scrollIntoView({ block: 'nearest' });
      back.focus();
    });
  }
}
