// Grouping cards and the timed voting session in the browser view and on the wall
// (docs/protocol.md §8.5 "Grouping and voting"). boards.js places the cards (board_order.js
// arrangeBoard) and asks this module for a group's heading, the card's grouping controls and
// the board's voting bar.
import { t, tn } from './i18n.js';
import { h } from './util.js';

// The running session on `board`, or null.
export function runningVote(state, board) {
  const v = state?.voting;
  return v && typeof v === 'object' && v.state === 'running' && (!board || v.board === board) ? v : null;
}

// The ids the person chose in the running session (their own ballot; nobody else's reaches them).
export function ballotOf(state, you) {
  const b = runningVote(state)?.ballots?.[you];
  return Array.isArray(b) ? b : [];
}

// Whether this person may group cards: facilitators, or everyone when the room says so.
export function mayGroup(state, me, ctx) {
  if (ctx.readOnly || !ctx.open()) return false;
  if (me.role === 'facilitator') return true;
  return me.role === 'participant' && state?.room?.settings?.grouping === 'everyone';
}

function clock(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

// A group's heading in a column: its title (renamed in place by whoever may group), how many
// cards, its votes, and a vote button for the group itself.
export function groupHead(view, unit, me) {
  const { state, board, ctx } = view;
  const g = unit.group;
  const session = runningVote(state, board);
  const canVote = !ctx.readOnly && ctx.open() && (me.role === 'participant' || me.role === 'facilitator');
  const voted = session ? ballotOf(state, me.you).includes(unit.groupId)
    : Array.isArray(g.voters) && g.voters.includes(me.you);
  const total = unit.items.reduce((n, it) => n + (Number.isInteger(it.votes) ? it.votes : 0), Number.isInteger(g.votes) ? g.votes : 0);
  const countsShown = !session && g.votes !== undefined;
  const title = h('h3', { class: 'group-title', text: g.title || t('group.untitled') });
  const parts = [title, h('span', { class: 'group-count', text: tn('group.count', unit.items.length) })];
  if (countsShown && total > 0) parts.push(h('span', { class: 'group-votes', text: tn('voting.votes', total) }));
  if (mayGroup(state, me, ctx)) {
    parts.push(h('button', {
      type: 'button', class: 'small group-rename', text: t('group.rename'),
      onclick: () => {
        const input = h('input', { class: 'group-title-input', maxlength: 200, value: g.title || '', 'aria-label': t('group.title') });
        const done = (save) => {
          if (save && input.value.trim() !== (g.title || '')) ctx.send('group.rename', { board, group: unit.groupId, title: input.value.trim() });
          ctx.rerender();
        };
        input.addEventListener('keydown', (ev) => {
          if (ev.key === 'Enter') { ev.preventDefault(); done(true); }
          if (ev.key === 'Escape') done(false);
        });
        input.addEventListener('blur', () => done(true));
        title.replaceWith(input);
        input.focus();
      },
    }));
  }
  if (canVote) {
    parts.push(h('button', {
      type: 'button', class: `vote group-vote${voted ? ' voted' : ''}`, 'aria-pressed': voted ? 'true' : 'false',
      onclick: () => ctx.send('item.vote', { board, group: unit.groupId }),
    }, h('span', { class: 'vote-arrow', 'aria-hidden': 'true', text: '▲' }), h('span', { text: t(voted ? 'web.item.unvote' : 'group.vote') })));
  }
  const el = h('li', { class: 'group-head', dataset: { group: unit.groupId } }, h('div', { class: 'group-head-row' }, parts));
  dropTarget(view, el, () => unit.items[0]?.id, me);
  return el;
}

// Cards dragged onto another card (or a group's heading) are grouped with it.
export function dropTarget(view, el, ontoId, me) {
  if (!mayGroup(view.state, me, view.ctx)) return;
  el.addEventListener('dragover', (ev) => {
    if (!view.dragging || view.dragging === ontoId()) return;
    ev.preventDefault();
    el.classList.add('drop-target');
  });
  el.addEventListener('dragleave', () => el.classList.remove('drop-target'));
  el.addEventListener('drop', (ev) => {
    ev.preventDefault();
    el.classList.remove('drop-target');
    const id = view.dragging || ev.dataTransfer?.getData('text/plain');
    view.dragging = null;
    if (id && id !== ontoId()) view.ctx.send('item.group', { board: view.board, id, onto: ontoId() });
  });
}

// A card's grouping controls: it can be dragged (a mouse), chosen onto another card from a list
// (a keyboard, a phone), and taken out of its group.
export function groupControls(view, it, card, me, column) {
  if (!mayGroup(view.state, me, view.ctx) || (it.hidden && it.text === undefined) || it.hidden || it.pending) return [];
  card.draggable = true;
  card.addEventListener('dragstart', (ev) => {
    view.dragging = it.id;
    ev.dataTransfer?.setData('text/plain', it.id);
    card.classList.add('dragging');
  });
  card.addEventListener('dragend', () => { view.dragging = null; card.classList.remove('dragging'); });
  dropTarget(view, card, () => it.id, me);
  const out = [];
  const others = Object.values(view.state.boards?.[view.board]?.items || {})
    .filter((x) => x.id !== it.id && x.column === column && !x.hidden && !x.pending && x.text !== undefined && (!it.group || x.group !== it.group));
  if (others.length) {
    // The list of the other cards is made when asked for: a card holds no other card's words.
    const ask = h('button', { type: 'button', class: 'small group-with', text: t('group.onto') });
    ask.addEventListener('click', () => {
      const sel = h('select', { class: 'group-onto', 'aria-label': t('group.onto') },
        h('option', { value: '', text: t('group.onto') }),
        others.map((x) => h('option', { value: x.id, text: x.text.length > 40 ? `${x.text.slice(0, 38)}…` : x.text })));
      sel.addEventListener('change', () => {
        if (sel.value) view.ctx.send('item.group', { board: view.board, id: it.id, onto: sel.value });
      });
      ask.replaceWith(sel);
      sel.focus();
    });
    out.push(ask);
  }
  if (it.group) {
    out.push(h('button', {
      type: 'button', class: 'small ungroup', text: t('group.ungroup'),
      onclick: () => view.ctx.send('item.ungroup', { board: view.board, id: it.id }),
    }));
  }
  return out;
}

// The voting bar above a board: the running session (time left, the person's votes left, that
// counts show at the end; the facilitator ends it), or the facilitator's start form and the
// board's sort.
export function votingBar(view, me) {
  const { state, board, ctx } = view;
  const bar = view.votingBarEl || (view.votingBarEl = h('div', { class: 'voting-bar' }));
  if (!bar.isConnected) view.root.prepend(bar);
  const session = runningVote(state, board);
  const facilitator = me.role === 'facilitator' && !ctx.readOnly && ctx.open();
  const ended = state?.voting?.board === board && state.voting.state === 'ended';
  const sorted = state?.boards?.[board]?.sort === 'votes';
  const sig = JSON.stringify([session, ballotOf(state, me.you), facilitator, ended, sorted, ctx.lang?.()]);
  if (bar.dataset.sig !== sig) {
    bar.dataset.sig = sig;
    bar.textContent = '';
    bar.className = `voting-bar${session ? ' running' : ''}`;
    if (session) bar.append(...runningParts(view, session, me, facilitator));
    else if (facilitator) bar.append(...startParts(view, sorted, ended));
    else if (sorted) bar.append(h('span', { class: 'voting-sorted', text: t('voting.sorted') }));
    bar.hidden = !bar.childElementCount;
  }
  tick(view);
}

function runningParts(view, session, me, facilitator) {
  // Announced once when the vote starts (the time left ticks silently beside it).
  const parts = [h('strong', { class: 'voting-state', role: 'status', text: t('voting.running') }),
    h('span', { class: 'voting-time', text: '' })];
  if (!view.ctx.readOnly && (me.role === 'participant' || me.role === 'facilitator')) {
    const left = Math.max(0, (session.limit || 0) - ballotOf(view.state, me.you).length);
    parts.push(h('span', { class: 'voting-left', dataset: { left: String(left) }, text: tn('voting.left', left) }));
  }
  parts.push(h('span', { class: 'voting-hidden', text: t('voting.hidden') }));
  if (facilitator) {
    parts.push(h('button', { type: 'button', class: 'primary voting-end', text: t('voting.end'), onclick: () => view.ctx.send('vote.end', {}) }));
  }
  return parts;
}

function startParts(view, sorted, ended) {
  const limit = h('input', { type: 'number', class: 'voting-limit', min: 1, max: 100, value: 3, 'aria-label': t('voting.limit') });
  const minutes = h('input', { type: 'number', class: 'voting-minutes', min: 0, max: 240, value: 3, 'aria-label': t('voting.duration') });
  const start = h('button', {
    type: 'button', class: 'voting-start', text: t('voting.start'),
    onclick: () => view.ctx.send('vote.start', {
      board: view.board,
      limit: Math.min(100, Math.max(1, Math.round(Number(limit.value) || 1))),
      duration_s: Math.min(14400, Math.max(0, Math.round((Number(minutes.value) || 0) * 60))),
    }),
  });
  const sort = h('button', {
    type: 'button', class: `voting-sort${sorted ? ' sorted' : ''}`, 'aria-pressed': sorted ? 'true' : 'false',
    text: t(sorted ? 'voting.sort.order' : 'voting.sort.votes'),
    onclick: () => view.ctx.send('board.sort', { board: view.board, by: sorted ? 'order' : 'votes' }),
  });
  return [
    ended ? h('span', { class: 'voting-ended', text: t('voting.ended') }) : null,
    h('label', { class: 'f voting-field' }, h('span', { text: t('voting.limit') }), limit),
    h('label', { class: 'f voting-field' }, h('span', { text: t('voting.duration') }), minutes),
    start, sort,
  ].filter(Boolean);
}

// The time left, counted down between renders with the server's clock.
function tick(view) {
  const session = runningVote(view.state, view.board);
  const el = view.votingBarEl?.querySelector('.voting-time');
  if (el) {
    const at = session?.ends_at_ms;
    el.textContent = typeof at === 'number' ? t('voting.remaining', { time: clock(at - (view.ctx.now?.() ?? Date.now())) }) : t('voting.no_time');
  }
  if (session && typeof session.ends_at_ms === 'number' && !view.votingTick) {
    view.votingTick = setInterval(() => tick(view), 500);
  } else if (!session && view.votingTick) {
    clearInterval(view.votingTick);
    view.votingTick = null;
  }
}
