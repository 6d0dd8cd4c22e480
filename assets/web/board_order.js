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
