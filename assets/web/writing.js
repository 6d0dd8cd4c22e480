// Private writing for a phase (docs/protocol.md §8.3, "Private writing"): while a board is
// private, the panel over it says that everyone writes on their own and how many notes each
// person has written — never their words, and no names when the room hides them (the view
// then has none) — with the facilitator's reveal and stop; otherwise the facilitator's start.
// The same panel, without buttons and in large type, is on the wall.

import { t, tn } from './i18n.js';
import { h, morph } from './util.js';

export function boardIsPrivate(state, board) {
  return !!board && state?.boards?.[board]?.private === true;
}

// How many notes waiting for the reveal each person has on the board, as [[pid, n]] in the order people joined
// (a steady list on the wall: nobody jumps ahead for writing more).
export function privateCounts(state, board) {
  const counts = new Map();
  for (const it of Object.values(state?.boards?.[board]?.items || {})) {
    // The notes written privately, waiting for the reveal (not one kept private by choice).
    if (it?.hidden === true && it.awaits_reveal === true && typeof it.author === 'string' && it.author) {
      counts.set(it.author, (counts.get(it.author) || 0) + 1);
    }
  }
  const seq = (pid) => Number(String(pid).replace(/\D/g, '')) || 0;
  return [...counts.entries()].sort((a, b) => seq(a[0]) - seq(b[0]) || (a[0] < b[0] ? -1 : 1));
}

// All of them: the notes the board's reveal would show, and the notes leave out until then.
export function privateTotal(state, board, counts = privateCounts(state, board)) {
  return counts.reduce((sum, [, n]) => sum + n, 0);
}

function dots(n) {
  // One mark a note, so the wall reads at a glance; past twelve the number says the rest.
  return '●'.repeat(Math.min(n, 12)) + (n > 12 ? '+' : '');
}

function countList(counts, name) {
  return h('ul', { class: 'writing-counts' }, counts.map(([pid, n]) => {
    const who = name(pid);
    return h('li', { class: 'writing-count', dataset: { pid } },
      who ? h('span', { class: 'writing-who', text: who }) : null,
      h('span', { class: 'writing-dots', 'aria-hidden': 'true', text: dots(n) }),
      h('span', { class: who ? 'sr-only' : 'writing-n', text: who ? tn('writing.count', n, { name: who }) : tn('writing.count_anon', n) }));
  }));
}

// opts: {facilitator, screen, open, send(cmd, args), name(pid) → '' when names are hidden}
function build(state, board, opts) {
  const priv = boardIsPrivate(state, board);
  const facil = opts.facilitator && opts.open && !opts.screen;
  if (!priv) {
    if (!facil) return null;
    return h('div', { class: 'writing-start' },
      h('button', {
        type: 'button', class: 'small', id: 'writing-start', title: t('writing.start_hint'),
        onclick: () => opts.send('board.private', { board, private: true }),
      }, `🔒 ${t('writing.start')}`));
  }
  const counts = privateCounts(state, board);
  const total = privateTotal(state, board, counts);
  const panel = h('section', { class: 'writing-panel', 'aria-labelledby': `writing-title-${opts.screen ? 's' : 'r'}` },
    h('h2', { class: 'writing-title', id: `writing-title-${opts.screen ? 's' : 'r'}` },
      h('span', { 'aria-hidden': 'true', text: '🔒 ' }), t('writing.title')),
    h('p', { class: 'writing-explain', text: t('writing.explain') }),
    h('p', { class: 'writing-total', role: opts.screen ? null : 'status' },
      total ? `${tn('writing.total', total)} · ${tn('writing.people', counts.length)}` : t('writing.none')),
    counts.length ? countList(counts, opts.name) : null);
  if (facil) {
    panel.append(h('div', { class: 'writing-actions' },
      h('button', {
        type: 'button', class: 'primary', id: 'writing-reveal',
        onclick: () => opts.send('board.reveal', { board }),
      }, total ? tn('writing.reveal', total) : t('writing.stop')),
      total ? h('button', {
        type: 'button', class: 'small', id: 'writing-stop', title: t('writing.stop_hint'),
        onclick: () => opts.send('board.private', { board, private: false }),
      }, t('writing.stop')) : null),
    h('p', { class: 'hint writing-reminder', text: t('writing.reminder') }));
  }
  return panel;
}

// Fills `box` for the board in view (or hides it), keeping the focused button in place.
export function renderPrivateWriting(box, state, board, opts) {
  const built = board && state?.boards?.[board] ? build(state, board, opts) : null;
  box.hidden = !built;
  if (!built) { box.textContent = ''; return; }
  if (box.firstElementChild) morph(box.firstElementChild, built);
  else box.append(built);
}
