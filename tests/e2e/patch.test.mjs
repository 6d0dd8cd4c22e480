// Unit tests of the browser's JSON Patch applier, timeline ordering and room codes (no browser needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

// The browser's modules are plain ES modules in a folder without a package.json, which Node 18
// would read as CommonJS; they are imported as the browser gets them: as module source.
async function browserModule(name) {
  const source = await readFile(new URL(`../../assets/web/${name}`, import.meta.url));
  return import(`data:text/javascript;base64,${source.toString('base64')}`);
}
const { applyPatch, PatchError } = await browserModule('patch.js');
const { normalizeCode, looksLikeCode } = await browserModule('util.js');
const { sortItems, isoWhen } = await browserModule('board_order.js');

test('add, replace, remove on objects with escaped pointers', () => {
  const doc = { boards: { timeline: { items: {} } } };
  let d = applyPatch(doc, [
    { op: 'add', path: '/boards/timeline/items/i1', value: { id: 'i1', text: 'a' } },
    { op: 'add', path: '/a~1b', value: 1 },
    { op: 'add', path: '/m~0n', value: 2 },
    { op: 'replace', path: '/boards/timeline/items/i1/text', value: 'b' },
  ]);
  assert.equal(d.boards.timeline.items.i1.text, 'b');
  assert.equal(d['a/b'], 1);
  assert.equal(d['m~n'], 2);
  d = applyPatch(d, [{ op: 'remove', path: '/a~1b' }]);
  assert.ok(!('a/b' in d));
});

test('arrays: insert, append, remove, move, copy, test', () => {
  let d = { l: [1, 2, 3] };
  d = applyPatch(d, [{ op: 'add', path: '/l/1', value: 9 }, { op: 'add', path: '/l/-', value: 4 }]);
  assert.deepEqual(d.l, [1, 9, 2, 3, 4]);
  d = applyPatch(d, [{ op: 'remove', path: '/l/0' }, { op: 'move', from: '/l/0', path: '/l/3' }]);
  assert.deepEqual(d.l, [2, 3, 4, 9]);
  d = applyPatch(d, [{ op: 'copy', from: '/l', path: '/k' }, { op: 'test', path: '/k', value: [2, 3, 4, 9] }]);
  d.k.push(1);
  assert.equal(d.l.length, 4, 'copy is deep');
  assert.throws(() => applyPatch(d, [{ op: 'test', path: '/l/0', value: 7 }]), PatchError);
  assert.throws(() => applyPatch(d, [{ op: 'replace', path: '/nope', value: 1 }]), PatchError);
  assert.throws(() => applyPatch(d, [{ op: 'remove', path: '/l/9' }]), PatchError);
});

test('move between objects and root replace', () => {
  let d = { a: { x: 1 }, b: {} };
  d = applyPatch(d, [{ op: 'move', from: '/a/x', path: '/b/y' }]);
  assert.deepEqual(d, { a: {}, b: { y: 1 } });
  d = applyPatch(d, [{ op: 'replace', path: '', value: { z: true } }]);
  assert.deepEqual(d, { z: true });
});

test('timeline: ISO dates first in chronological order, others after by order', () => {
  const items = {
    a: { id: 'a', when: 'syksyllä', order: 1 },
    b: { id: 'b', when: '2021-09', order: 5 },
    c: { id: 'c', when: '2020', order: 9 },
    d: { id: 'd', order: 0 },
    e: { id: 'e', when: '2021-09-03', order: 2 },
    f: { id: 'f', when: '2021-1', order: 3 },
  };
  assert.deepEqual(sortItems(items, 'timeline').map((i) => i.id), ['c', 'b', 'e', 'd', 'a', 'f']);
  assert.deepEqual(sortItems(items, 'vision').map((i) => i.id), ['d', 'a', 'e', 'f', 'b', 'c']);
  assert.deepEqual(isoWhen('2021-09-03'), [2021, 9, 3]);
  assert.equal(isoWhen('2021-9'), null);
});

test('room codes: any case, dash optional', () => {
  assert.equal(normalizeCode('k7q-4mx'), 'K7Q4MX');
  assert.ok(looksLikeCode('k7q-4mx'));
  assert.ok(!looksLikeCode('K7Q4M0'));
});
