// The one order in which every view shows a board's items — the twin of libkeha's
// shared/include/keha/board_order.hpp (keha-desk, the notes and the report use that one).
// The rule is docs/protocol.md §5 "Board order"; change both together.

// Text compared by code point, as C++ compares UTF-8 bytes (not by locale, not by UTF-16 unit).
function compareText(a, b) {
  const x = typeof a === 'string' ? a : '';
  const y = typeof b === 'string' ? b : '';
  if (x === y) return 0;
  const xs = [...x];
  const ys = [...y];
  for (let i = 0; i < xs.length && i < ys.length; i++) {
    if (xs[i] !== ys[i]) return xs[i].codePointAt(0) - ys[i].codePointAt(0);
  }
  return xs.length - ys.length;
}

function orderOf(item) {
  const o = item.order;
  return typeof o === 'number' && Number.isFinite(o) ? o : 0;
}

// Board order: `order` ascending (missing or not a finite number: 0), then `created_at`,
// then `id`, both as text.
export function boardOrder(a, b) {
  const oa = orderOf(a);
  const ob = orderOf(b);
  if (oa !== ob) return oa < ob ? -1 : 1;
  return compareText(a.created_at, b.created_at) || compareText(a.id, b.id);
}

// A timeline `when` that is a date: exactly YYYY, YYYY-MM or YYYY-MM-DD (month 01–12,
// day 01–31), nothing around it. Returns [year, month, day] (0 for a part not given), or null.
const ISO_WHEN = /^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$/;
export function isoWhen(when) {
  const m = typeof when === 'string' ? ISO_WHEN.exec(when) : null;
  if (!m) return null;
  return [Number(m[1]), m[2] ? Number(m[2]) : 0, m[3] ? Number(m[3]) : 0];
}

// Timeline order: dated items first by `when` as text ("2021" < "2021-03" < "2021-03-05"),
// ties in board order; then the rest in board order. A held item whose `when` is kept from
// us has none, so it is among the rest.
export function timelineOrder(a, b) {
  const da = isoWhen(a.when) !== null;
  const db = isoWhen(b.when) !== null;
  if (da !== db) return da ? -1 : 1;
  if (da && a.when !== b.when) return compareText(a.when, b.when);
  return boardOrder(a, b);
}

// A board's items (the state's `items` object) as a list in the board's order.
export function sortItems(items, board) {
  return Object.values(items || {}).sort(board === 'timeline' ? timelineOrder : boardOrder);
}

function votesOf(thing) {
  return Number.isInteger(thing?.votes) ? thing.votes : 0;
}

// The votes a place counts when the board is sorted by votes: a card's; a group's own and its cards'.
export function unitVotes(unit) {
  return (unit.group ? votesOf(unit.group) : 0) + unit.items.reduce((n, it) => n + votesOf(it), 0);
}

// Board order with groups (docs/protocol.md §5 "Groups and sorting"; libkeha's arrange_board):
// `items` (a list, already filtered) as places — {groupId, group, items} for a group, {groupId:
// null, group: null, items: [card]} for a card on its own. A group stands where its first card
// stands; with the board's `sort` "votes", places by votes (most first) and a group's cards by
// theirs, ties keeping that order.
export function arrangeBoard(items, board, name) {
  const sorted = [...items].sort(name === 'timeline' ? timelineOrder : boardOrder);
  const groups = board?.groups && typeof board.groups === 'object' ? board.groups : {};
  const units = [];
  const byGroup = new Map();
  for (const it of sorted) {
    const gid = typeof it.group === 'string' ? it.group : '';
    const group = gid && Object.hasOwn(groups, gid) && groups[gid] && typeof groups[gid] === 'object' ? groups[gid] : null;
    if (!group) { units.push({ groupId: null, group: null, items: [it] }); continue; }
    if (byGroup.has(gid)) { byGroup.get(gid).items.push(it); continue; }
    const unit = { groupId: gid, group, items: [it] };
    byGroup.set(gid, unit);
    units.push(unit);
  }
  if (board?.sort !== 'votes') return units;
  // Array.prototype.sort is stable: ties keep the order above.
  for (const unit of units) unit.items.sort((a, b) => votesOf(b) - votesOf(a));
  return units.sort((a, b) => unitVotes(b) - unitVotes(a));
}
