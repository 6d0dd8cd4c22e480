// Several nodes behind a load balancer (docs/deployment.md, "Several nodes"): the balancer
// sends everyone in a room to that room's node by the code in the address, so every page's
// WebSocket is opened at /ws?room=CODE — a participant's, the facilitator's and the screen's —
// and again at that address when the page reconnects.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, join, openAsFacilitator, openScreen } from './support/harness.mjs';

const { keha, newPage, createRoom } = story('routing');

// The addresses of the WebSockets `page` opens from now on.
function socketsOf(page) {
  const urls = [];
  page.on('websocket', (ws) => urls.push(new URL(ws.url())));
  return urls;
}

function assertRoutedTo(urls, code, who) {
  assert.ok(urls.length > 0, `${who} opened no WebSocket`);
  for (const url of urls) {
    assert.equal(url.pathname, '/ws', `${who}: ${url}`);
    const room = (url.searchParams.get('room') || '').toUpperCase().replace('-', '');
    assert.equal(room, code, `${who}: ${url} does not carry the room's code`);
  }
}

test('every page opens its WebSocket at /ws?room=CODE, also when it reconnects', async () => {
  const room = await createRoom({ title: 'Reititys' });
  const p = await newPage('participant');
  const f = await newPage('facilitator');
  const s = await newPage('screen');
  const seen = { participant: socketsOf(p), facilitator: socketsOf(f), screen: socketsOf(s) };

  await join(p, keha.base, room.code, 'Aino', 'professional');
  await openAsFacilitator(f, keha.base, room);
  await openScreen(s, keha.base, room);
  await s.locator('#screen').waitFor();

  // The server goes away and comes back: the pages reconnect at the same address.
  await keha.kill();
  await p.locator('#conn.reconnecting').waitFor();
  await keha.start();
  await p.locator('#conn.online').waitFor({ timeout: 15000 });
  await f.locator('#conn.online').waitFor({ timeout: 15000 });
  assert.ok(seen.participant.length >= 2, 'the participant reconnected on a new socket');

  for (const [who, urls] of Object.entries(seen)) assertRoutedTo(urls, room.code, who);
});
