// A join lost in a crash (docs/protocol.md §9.2): the page is welcomed before its join is
// durable, the person votes at once, and keha-server dies before the join's commit. Restarted,
// the server does not know the page's token; the page joins again with the name and sends the
// vote again — it was never applied — so it counts once.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { story, join, openAsFacilitator, addItem } from './support/harness.mjs';

const { keha, pages, setUp } = story('lost-join');
let room;
const p = {}; // f (facilitator), pirjo (participant)
const item = (page, text) => page.locator('.vcol-hinders .item', { hasText: text });

// Another process holds the database's write lock, so every commit waits (its busy timeout).
async function holdWriteLock(db) {
  const holder = spawn('sqlite3', [db], { stdio: ['pipe', 'ignore', 'ignore'] });
  holder.stdin.write('BEGIN IMMEDIATE;\n');
  for (;;) {
    const probe = spawnSync('sqlite3', ['-cmd', '.timeout 0', db, 'BEGIN IMMEDIATE; ROLLBACK;'], { encoding: 'utf8' });
    if (probe.status !== 0 && /locked|busy/i.test(probe.stderr)) return holder;
    await new Promise((r) => setTimeout(r, 20));
  }
}

setUp(async () => {
  room = await keha.createRoom({ title: 'Kaatuva palvelin' });
  p.f = await pages.open('f');
  await openAsFacilitator(p.f, keha.base, room);
  await p.f.locator('#facil-phase').selectOption('vision');
  await addItem(p.f, 'vision', 'hinders', 'Kiire');
  await item(p.f, 'Kiire').waitFor();
});

test('a vote sent under a join the crash lost is sent again after joining again, and counts once', async () => {
  const { f } = p;
  const holder = await holdWriteLock(keha.db);
  p.pirjo = await pages.open('pirjo');
  const { pirjo } = p;
  await join(pirjo, keha.base, room.code, 'Pirjo', 'professional');  // welcomed ahead of the join
  await item(pirjo, 'Kiire').locator('button.vote').click();
  // The vote has left the page (sent, unanswered) before the server dies.
  const outboxKey = `keha.outbox.${room.code}.p`;
  await pirjo.waitForFunction((key) => (JSON.parse(sessionStorage.getItem(key) || '[]')).some((c) => c.cmd === 'item.vote' && c.sent), outboxKey);
  await keha.kill();
  holder.stdin.end();
  await new Promise((r) => holder.once('exit', r));
  await keha.start();

  for (const page of [f, pirjo]) await page.locator('#conn.online').waitFor({ timeout: 15000 });
  await item(f, 'Kiire').locator('.vote-n', { hasText: '1' }).waitFor({ timeout: 15000 });
  await item(pirjo, 'Kiire').locator('button.vote[aria-pressed=true]').waitFor();
  await pirjo.waitForFunction((key) => (JSON.parse(sessionStorage.getItem(key) || '[]')).length === 0, outboxKey);
  assert.equal(await item(f, 'Kiire').locator('.vote-n').textContent(), '1', 'counted once');
});
