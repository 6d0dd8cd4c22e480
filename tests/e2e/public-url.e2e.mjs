// The address on the wall (docs/facilitator-guide.md, "Putting the wall up"): the projector
// shows the server's join address — --public-url when given — whatever address its own
// browser used, and a facilitator whose wall would show a loopback address is told how to
// fix it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, openAsFacilitator, openScreen, shot, catalog } from './support/harness.mjs';

const fi = catalog('fi');
const { keha, pages } = story('public-url', { args: ['--public-url', 'https://kokous.example.fi/keha'] });

// The server as configured with `args` instead: stopped, and started again with them.
async function restartWith(args) {
  await keha.kill();
  keha.args = args;
  await keha.start();
  return keha;
}

test('with --public-url the wall shows that address and the QR code encodes it, whatever Host the projector used', async () => {
  const k = keha;
  const room = await k.createRoom();
  const s = await pages.open('s-public');
  // The projector's browser opened the server as localhost, as the README says.
  await openScreen(s, `http://localhost:${k.port}`, room);
  await s.locator('#s-url', { hasText: 'kokous.example.fi/keha' }).waitFor();
  assert.equal(await s.locator('#s-url').textContent(), 'kokous.example.fi/keha');
  const info = await (await fetch(`http://localhost:${k.port}/api/rooms/${room.code}`)).json();
  assert.equal(info.join.url, `https://kokous.example.fi/keha/r/${room.code}`);
  assert.equal(info.join.loopback, false);
  // The QR image the wall loads is the server's, for that address.
  const qr = await s.evaluate(async (src) => (await fetch(src)).text(), await s.locator('#s-qr').getAttribute('src'));
  assert.match(qr, /^<svg/);
  await shot(s, 'screen-public-url');

  const f = await pages.open('f-public');
  await openAsFacilitator(f, `http://localhost:${k.port}`, room);
  assert.equal(await f.locator('#wall-loopback-warning').isHidden(), true, 'no warning when the wall shows a public address');
});

test('without --public-url, a facilitator on localhost whose wall shows a loopback address is warned how to fix it', async () => {
  const k = await restartWith([]);  // bound to 127.0.0.1 by the harness
  const room = await k.createRoom();
  const f = await pages.open('f-loopback');
  await openAsFacilitator(f, `http://localhost:${k.port}`, room);
  const warning = f.locator('#wall-loopback-warning');
  await warning.waitFor({ state: 'visible' });
  const address = `127.0.0.1:${k.port}`;
  assert.equal(await warning.textContent(), fi['web.facil.wall_loopback'].replace('{address}', address));
  assert.match(await warning.textContent(), /--public-url/);
  await shot(f, 'facilitator-wall-warning');

  // The wall shows the server's own address, not the Host its browser used.
  const s = await pages.open('s-loopback');
  await openScreen(s, `http://localhost:${k.port}`, room);
  await s.locator('#s-url', { hasText: address }).waitFor();
});

test('the room code and the address fit inside the join card on walls of every common size', async () => {
  const k = await restartWith(['--public-url', 'https://keha.hameenlinna.fi']);
  const room = await k.createRoom();
  for (const [width, height] of [[1280, 720], [1366, 768], [1600, 900], [1920, 1080], [3840, 2160]]) {
    const s = await pages.open(`s-${width}`, { viewport: { width, height } });
    await openScreen(s, k.base, room);
    await s.locator('#s-code', { hasText: room.code.slice(4) }).waitFor();
    const fits = await s.evaluate(() => {
      const card = document.querySelector('.s-join').getBoundingClientRect();
      return ['#s-code', '#s-url'].map((sel) => {
        const r = document.querySelector(sel);
        const range = document.createRange();
        range.selectNodeContents(r);
        const text = range.getBoundingClientRect();
        return { sel, inside: text.left >= card.left && text.right <= card.right };
      });
    });
    for (const f of fits) assert.ok(f.inside, `${f.sel} runs past the card at ${width}x${height}`);
    await s.context().close();
  }
});

test('no page had a script error or a dialog', () => {
  assert.deepEqual(pages.errors, []);
});
