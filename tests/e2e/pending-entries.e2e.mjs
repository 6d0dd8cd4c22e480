// One's own new entry is shown once. The server sends the entry's patch before its ack; an
// entry waiting to be sent (⏳) must give way to the real one when the patch comes, not when
// the ack does — else, on a busy machine or a slow network, it shows twice in between (and
// a test reading the board finds two). Here the acks are held back on purpose.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, openAsFacilitator, addItem, itemText } from './support/harness.mjs';

const { keha, pages } = story('pending-entries');


test('between its patch and its ack, one\'s own entry is on the board once', async () => {
  const room = await keha.createRoom({ title: 'Kerran' });
  const f = await pages.open('facil');
  let hold = false;
  const held = [];
  let patched = 0;
  // The page opens /ws?room=CODE (docs/protocol.md): route the socket with or without it.
  await f.routeWebSocket(/\/ws(\?|$)/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => {
      const msg = JSON.parse(m);
      if (hold && msg.type === 'ack') { held.push(m); return; }
      if (hold && msg.type === 'patch' && msg.cmd === 'item.add') patched += 1;
      ws.send(m);
    });
    f.releaseAcks = () => { hold = false; for (const m of held.splice(0)) ws.send(m); };
  });
  await openAsFacilitator(f, keha.base, room);
  await f.locator('#facil-phase').selectOption('vision');
  hold = true;
  await addItem(f, 'vision', 'hinders', 'Tieto kulkee vain paperilla');
  // The patch has come (the real entry, with its vote button), the ack not yet.
  const real = f.locator('#panel-vision .item:not(.pending)', { hasText: 'Tieto kulkee vain paperilla' });
  await real.locator('button.vote').waitFor();
  assert.equal(patched, 1);
  assert.ok(held.length >= 1, 'the ack is held back');
  assert.equal(await itemText(f, 'Tieto kulkee vain paperilla').count(), 1, 'shown once, not also as waiting');
  assert.equal(await f.locator('#panel-vision .item.pending').count(), 0);
  f.releaseAcks();
  await f.locator('#panel-vision form.add-form[data-column=hinders] .add-text').fill('Toinen');
  await f.locator('#panel-vision form.add-form[data-column=hinders] .add-text').press('Enter');
  await itemText(f, 'Toinen').waitFor();
  assert.equal(await itemText(f, 'Tieto kulkee vain paperilla').count(), 1);
});

test('no page errors', () => {
  assert.deepEqual(pages.errors, []);
});
