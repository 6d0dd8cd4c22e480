// What the browser view does with commands sent but not acknowledged when its connection
// dropped, once the next welcome says what the server holds (assets/web/outbox.js,
// docs/protocol.md §9): nothing typed is lost, nothing applied twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settleOutbox } from '../../assets/web/outbox.js';

const sent = (id, cmd, args) => ({ id, cmd, args, sent: false, maybeSent: true });
const waiting = (id, cmd, args) => ({ id, cmd, args, sent: false, maybeSent: false });

test('a resume with a replay drops what the replay shows as one\'s own, and sends the rest again', () => {
  const outbox = [sent('a', 'item.vote', { board: 'vision', id: 'i3' }), sent('b', 'item.edit', { board: 'plan', id: 'i4', text: 'x' }),
    waiting('c', 'item.add', { board: 'timeline', text: 'later' })];
  const replay = [{ seq: 8, by: 'p5', cmd: 'item.vote' }, { seq: 9, by: 'p2', cmd: 'item.edit' }];
  const left = settleOutbox(outbox, { replay, state: {}, you: 'p5' });
  assert.deepEqual(left.map((c) => [c.id, c.maybeSent]), [['b', false], ['c', false]]);
});

test('a resume with a full state keeps an add not in it, and drops what it cannot tell', () => {
  const state = { boards: { timeline: { items: { i9: { author: 'p5', text: 'there' } } } }, participants: { p5: {} } };
  const outbox = [sent('a', 'item.add', { board: 'timeline', text: 'there' }), sent('b', 'item.add', { board: 'timeline', text: 'not yet' }),
    sent('c', 'item.vote', { board: 'timeline', id: 'i9' })];
  const left = settleOutbox(outbox, { state, you: 'p5' });
  assert.deepEqual(left.map((c) => [c.id, c.maybeSent]), [['b', false]]);
});

test('a join lost in a crash: every command sent under it goes again, an add whose text someone else has too', () => {
  // Maija (p7) was welcomed before her join was durable; the server died; her token is refused
  // and she joined afresh as p7 again (the seq was free once more). Nothing she sent was applied.
  const state = { boards: { timeline: { items: { i4: { author: 'p2', text: 'Sama' } } } }, participants: { p2: {}, p7: { name: 'Maija' } } };
  const outbox = [sent('a', 'item.add', { board: 'timeline', text: 'Sama' }), sent('b', 'item.vote', { board: 'timeline', id: 'i4' }),
    sent('c', 'item.edit', { board: 'timeline', id: 'i4', text: 'x' }), waiting('d', 'hand.raise', {})];
  const left = settleOutbox(outbox, { state, you: 'p7', lostJoin: { you: 'p7' } });
  assert.deepEqual(left.map((c) => [c.id, c.maybeSent]), [['a', false], ['b', false], ['c', false], ['d', false]]);
});

test('a token refused because its person was removed: what they sent may stand, and goes again only if not there', () => {
  const state = { boards: { timeline: { items: { i1: { author: 'p3', text: 'x' } } } }, participants: { p3: { removed: true }, p9: {} } };
  const outbox = [sent('a', 'item.vote', { board: 'timeline', id: 'i1' }), sent('b', 'item.add', { board: 'timeline', text: 'x' }),
    sent('c', 'item.add', { board: 'timeline', text: 'y' }), waiting('d', 'item.add', { board: 'timeline', text: 'typed after' })];
  const left = settleOutbox(outbox, { state, you: 'p9', lostJoin: { you: 'p3' } });
  assert.deepEqual(left.map((c) => [c.id, c.maybeSent]), [['c', false], ['d', false]]);
});
