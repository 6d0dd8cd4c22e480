// The browser's private-writing counts and spotlight following as plain functions
// (assets/web/writing.js, spotlight.js), without a page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateCounts, boardIsPrivate } from '../../assets/web/writing.js';
import { spotlightOf, spotTarget, SpotlightFollow } from '../../assets/web/spotlight.js';

test('counts each person\'s notes waiting for the reveal, in the order people joined, and nothing else', () => {
  const state = { boards: { timeline: { private: true, items: {
    i1: { hidden: true, awaits_reveal: true, author: 'p12' }, i2: { hidden: true, awaits_reveal: true, author: 'p3' },
    i3: { hidden: false, author: 'p3', text: 'x' }, i4: { hidden: true, awaits_reveal: true, author: 'p12' },
    i5: { hidden: true, awaits_reveal: true, author: '' }, i6: { hidden: true, author: 'p3' },
  } } } };
  assert.deepEqual(privateCounts(state, 'timeline'), [['p3', 1], ['p12', 2]]);
  assert.equal(boardIsPrivate(state, 'timeline'), true);
  assert.equal(boardIsPrivate(state, 'vision'), false);
  assert.deepEqual(privateCounts({}, 'timeline'), []);
});

test('the spotlight names a board the room has; its target is an item still there, or a column', () => {
  const boards = { vision: { items: { i7: {} } }, plan: { items: {} } };
  assert.equal(spotlightOf({ boards, spotlight: null }), null);
  assert.equal(spotlightOf({ boards, spotlight: { board: 'moon', at: 1 } }), null);
  assert.deepEqual(spotTarget({ boards, spotlight: { board: 'vision', item: 'i7', at: 1 } }, 'vision'), { column: '', item: 'i7' });
  assert.deepEqual(spotTarget({ boards, spotlight: { board: 'vision', item: 'i9', at: 1 } }, 'vision'), { column: '', item: '' });
  assert.deepEqual(spotTarget({ boards, spotlight: { board: 'vision', column: 'hinders', at: 1 } }, 'vision'), { column: 'hinders', item: '' });
  assert.equal(spotTarget({ boards, spotlight: { board: 'vision', at: 1 } }, 'plan'), null);
});

test('following: brought to the spotlight, free to look away, brought back by a new one, returned on release', () => {
  const boards = { vision: { items: {} }, plan: { items: {} } };
  const on = (at) => ({ boards, spotlight: { board: 'vision', at } });
  const f = new SpotlightFollow();
  assert.equal(f.observe({ boards, spotlight: null }, () => ({ board: 'plan', scroll: 0 })), null);
  assert.equal(f.observe(on(1), () => ({ board: 'plan', scroll: 320 })), 'start');
  assert.equal(f.board(on(1)), 'vision');
  assert.equal(f.observe(on(1), () => ({ board: 'x', scroll: 0 })), null);
  f.lookAway(on(1));
  assert.equal(f.board(on(1)), null);
  assert.equal(f.observe(on(2), () => ({ board: 'x', scroll: 0 })), 'start', 'set again: everyone is brought back');
  assert.equal(f.board(on(2)), 'vision');
  assert.equal(f.observe({ boards, spotlight: null }, () => ({})), 'release');
  assert.deepEqual(f.saved, { board: 'plan', scroll: 320 }, 'where the person was before the first one');
  assert.deepEqual(f.scroll, { y: 320 });
});
