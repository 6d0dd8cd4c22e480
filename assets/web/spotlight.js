// Spotlight (docs/protocol.md §8.4, "Spotlight"): a facilitator brings everyone to one board,
// column or item. Every view shows the spotlit board and highlights the target; on release
// each person is back where they were (their chosen board and their place on the page).

import { t } from './i18n.js';
import { h, morph } from './util.js';

// The spotlight in the state when it names a board the room has, else null.
export function spotlightOf(state) {
  const s = state?.spotlight;
  return s && typeof s.board === 'string' && state.boards?.[s.board] ? s : null;
}

// What of `board` is spotlit: {column, item} (either may be ''), or null.
export function spotTarget(state, board) {
  const s = spotlightOf(state);
  if (!s || s.board !== board) return null;
  const item = typeof s.item === 'string' && state.boards[board].items?.[s.item] ? s.item : '';
  return { column: typeof s.column === 'string' ? s.column : '', item };
}

// Scrolls the spotlit item, column or board into view inside `root`.
export function scrollToSpot(root, state) {
  const s = spotlightOf(state);
  if (!s || !root) return;
  const el = (s.item && root.querySelector(`[data-board="${s.board}"] [data-id="${CSS.escape(s.item)}"]`)) ||
    (s.column && root.querySelector(`[data-board="${s.board}"] [data-column="${CSS.escape(s.column)}"]`)) ||
    root.querySelector(`[data-board="${s.board}"]`);
  el?.scrollIntoView({ block: s.item ? 'center' : 'start', behavior: 'auto' });
}

// One person's following of the spotlight (the browser view): where they were before it, and
// whether they have looked away from it since it was set.
export class SpotlightFollow {
  constructor() {
    this.at = null; // the `at` of the spotlight being followed
    this.saved = null; // {board, scroll} from before the first spotlight
    this.away = false;
    this.scroll = null; // 'spot' or {y}: what to do after the next render
  }

  // Each render, before the board is chosen. `here()` says where the person is now. Returns
  // 'start', 'release' (with this.saved given back) or null.
  observe(state, here) {
    const s = spotlightOf(state);
    if (s) {
      if (s.at === this.at) return null;
      if (this.at === null) this.saved = here();
      this.at = s.at;
      this.away = false;
      this.scroll = 'spot';
      return 'start';
    }
    if (this.at === null) return null;
    this.at = null;
    this.away = false;
    this.scroll = this.saved ? { y: this.saved.scroll } : null;
    return 'release';
  }

  // The board everyone is brought to, unless this person looked away.
  board(state) {
    const s = spotlightOf(state);
    return s && !this.away ? s.board : null;
  }

  lookAway(state) {
    if (spotlightOf(state)) this.away = true;
  }

  comeBack() {
    this.away = false;
    this.scroll = 'spot';
  }

  // After the render: the page goes to the spotlight, or back to where it was.
  afterRender(root, state) {
    const what = this.scroll;
    this.scroll = null;
    if (what === 'spot') scrollToSpot(root, state);
    else if (what && typeof what.y === 'number') window.scrollTo(0, what.y);
  }
}

function boardButton(opts) {
  return h('button', {
    type: 'button', class: 'small', id: 'spotlight-board',
    onclick: () => opts.send('spotlight.set', { board: opts.shown }),
  }, `◉ ${t('spotlight.board')}`);
}

// The bar over the boards. opts: {facilitator, open, send, shown (the board in view), follow}
export function renderSpotlightBar(box, state, opts) {
  const s = spotlightOf(state);
  const facil = opts.facilitator && opts.open;
  let built = null;
  if (s && s.board === opts.shown) {
    built = h('div', { class: 'spotlight-bar here', role: 'status' },
      h('span', { class: 'spotlight-mark', 'aria-hidden': 'true', text: '◉ ' }),
      h('span', { text: t(facil ? 'spotlight.here_facil' : 'spotlight.here') }),
      facil ? h('button', { type: 'button', class: 'small', id: 'spotlight-release', onclick: () => opts.send('spotlight.clear', {}) }, t('spotlight.release')) : null);
  } else if (s) {
    built = h('div', { class: 'spotlight-bar elsewhere', role: 'status' },
      h('span', { class: 'spotlight-mark', 'aria-hidden': 'true', text: '◉ ' }),
      h('span', { text: t('spotlight.elsewhere', { board: t(`board.${s.board}`) }) }), ' ',
      h('button', { type: 'button', class: 'small', id: 'spotlight-go', onclick: () => opts.comeBack() }, t('spotlight.go')),
      // A facilitator may move the spotlight here, or release it.
      facil && opts.shown ? boardButton(opts) : null,
      facil ? h('button', { type: 'button', class: 'small', id: 'spotlight-release', onclick: () => opts.send('spotlight.clear', {}) }, t('spotlight.release')) : null);
  } else if (facil && opts.shown) {
    built = h('div', { class: 'spotlight-bar idle' }, boardButton(opts));
  }
  box.hidden = !built;
  if (!built) { box.textContent = ''; return; }
  if (box.firstElementChild && box.firstElementChild.className === built.className) morph(box.firstElementChild, built);
  else box.replaceChildren(built);
}
