// The browser's board order (assets/web/board_order.js, the twin of keha/board_order.hpp) on a
// room with ties: the room and the order every view must show are tests/data/board_order_ties.json,
// which the notes' and keha-desk's tests read too (docs/protocol.md §5 "Board order").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

// Imported as the browser gets it: as module source (the folder has no package.json).
const source = await readFile(new URL('../../assets/web/board_order.js', import.meta.url));
const { sortItems, isoWhen, boardOrder } = await import(`data:text/javascript;base64,${source.toString('base64')}`);
const fixture = JSON.parse(await readFile(new URL('../data/board_order_ties.json', import.meta.url), 'utf8'));

// What boards.js shows in one column: the board sorted, then that column's items.
const column = (board, name) => sortItems(fixture.boards[board].items, board).filter((it) => it.column === name).map((it) => it.id);

test('the browser shows the room with ties in the shared order', () => {
  assert.deepEqual(column('timeline', 'event'), fixture.expected.timeline);
  assert.deepEqual(column('vision', 'hinders'), fixture.expected['vision/hinders']);
  assert.deepEqual(column('plan', 'action'), fixture.expected['plan/action']);
});

test('ties: text by code point, not by locale', () => {
  const a = { id: 'a1', order: 1, created_at: 'x' };
  const B = { id: 'B1', order: 1, created_at: 'x' };
  assert.ok(boardOrder(B, a) < 0);
  // U+FF21 (one UTF-16 unit) before U+1F600 (two): by code point, as UTF-8 bytes compare.
  assert.ok(boardOrder({ id: '\uFF21' }, { id: '\u{1F600}' }) < 0);
  assert.equal(boardOrder({ id: 'x', order: '5' }, { id: 'x', order: 0 }), 0);
});

test('what counts as a date', () => {
  for (const d of ['2021', '2021-03', '2021-03-05', '2021-02-30']) assert.ok(isoWhen(d), d);
  for (const d of ['', '21-02', '2021-1', '2021-13', '2021-00', '2021-02-32', ' 2021', '2021 ', 'syksyllä', undefined]) {
    assert.equal(isoWhen(d), null, String(d));
  }
});

// Groups and sorting by votes: the same room as libkeha's unit test reads (tests/data/board_groups.json).
test('groups and sorting by votes: the browser arranges a board as libkeha does', async () => {
  const src = await readFile(new URL('../../assets/web/board_order.js', import.meta.url));
  const { arrangeBoard } = await import(`data:text/javascript;base64,${src.toString('base64')}`);
  const groups = JSON.parse(await readFile(new URL('../data/board_groups.json', import.meta.url), 'utf8'));
  for (const sort of ['order', 'votes']) {
    const board = { ...groups.board, sort };
    const places = arrangeBoard(Object.values(board.items), board, 'vision').map((u) => [u.groupId, ...u.items.map((it) => it.id)]);
    assert.deepEqual(places, groups.expected[sort], sort);
  }
});
