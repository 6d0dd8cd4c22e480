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

// While another node hands the room over to the one the balancer sends it to now, that node
// answers the room's HTTP requests 503 {"error":"moved"} with Retry-After (docs/protocol.md §4;
// tests/integration/room_lease_test.cpp has the server's side with two real nodes). Here the
// page's first request for the room gets that answer, as from such a node: the join page and
// the room page ask again after Retry-After and go on as if nothing happened.
test('a 503 moved for the room is asked again after Retry-After, with nothing shown', async () => {
  const room = await createRoom({ title: 'Siirtyvä kokous' });
  const p = await newPage('participant');
  let refused = 0;
  await p.route(`**/api/rooms/${room.code}`, async (route) => {
    if (route.request().method() !== 'GET' || refused >= 2) return route.continue();
    refused++;
    await route.fulfill({
      status: 503,
      headers: { 'Retry-After': '1', 'Cache-Control': 'no-store' },
      contentType: 'application/json',
      body: JSON.stringify({ error: 'moved', message: 'This meeting is open on another server right now; try again in a moment.' }),
    });
  });

  // The front page's code check meets the first 503 (nothing else asks for the room before
  // it), then goes on to the room's page.
  await p.goto(`${keha.base}/`);
  await p.locator('#code').fill(room.code);
  await p.locator('#code-form button[type=submit]').click();
  await p.waitForURL(`**/r/${room.code}`);

  // The room page's facts for the join form: the second 503, then the room's title.
  await p.locator('#join-room-title').filter({ hasText: 'Siirtyvä kokous' }).waitFor();
  assert.equal(refused, 2, 'the code check and the room page each met a 503 moved');
  assert.equal(await p.locator('#join-msg').textContent(), '');
});
