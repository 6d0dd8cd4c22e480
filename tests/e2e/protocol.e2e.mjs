// A page older than its server: a tab opened before keha-server was updated meets a server
// that speaks a newer protocol (docs/protocol.md §4, `welcome.protocol`). The page reads none
// of the welcome, says in the person's language that the page must be reloaded, and stops;
// the reload brings the page that matches the server, which joins as usual.
//
// The older page is today's, served by a real keha-server from a copy of the assets in which
// the one thing an older page would have differs: the protocol version it knows is one lower.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { story, catalog, root, shot } from './support/harness.mjs';

const fi = catalog('fi');
const sv = catalog('sv');
const assets = fs.mkdtempSync(path.join(os.tmpdir(), 'keha-e2e-protocol-assets-'));
fs.cpSync(path.join(root, 'assets'), assets, { recursive: true });
const protocolJs = path.join(assets, 'web/protocol.js');
const today = fs.readFileSync(protocolJs, 'utf8');
const known = Number(today.match(/export const PROTOCOL = (\d+);/)[1]);
fs.writeFileSync(protocolJs, today.replace(/export const PROTOCOL = \d+;/, `export const PROTOCOL = ${known - 1};`));
process.on('exit', () => fs.rmSync(assets, { recursive: true, force: true }));

const { keha, pages, setUp } = story('protocol', { assets });
let room;
setUp(async () => { room = await keha.createRoom({ title: 'Verkostotapaaminen' }); });

test('a participant on an older page is asked to reload, and the reload joins', async () => {
  const page = await pages.open('maija');
  const sockets = [];
  page.on('websocket', (ws) => sockets.push(ws));
  await page.goto(`${keha.base}/r/${room.code.toLowerCase()}`);
  await page.locator('#join-name').fill('Maija');
  await page.locator('input[name=group][value=professional]').check();
  await page.locator('#join-form button[type=submit]').click();

  await page.locator('#fatal').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#fatal-title').textContent(), fi['web.fatal.protocol_title']);
  assert.equal(await page.locator('#fatal-msg').textContent(), fi['web.fatal.protocol']);
  const reload = page.locator('#fatal-reload button');
  assert.equal(await reload.textContent(), fi['web.fatal.reload']);
  assert.ok(await reload.isVisible());
  assert.equal(await page.locator('#app').isVisible(), false, 'nothing of the room is shown');
  // The page lets go of its connection (it stops: no reconnecting to a server it cannot read).
  if (!sockets[0].isClosed()) await sockets[0].waitForEvent('close');
  await shot(page, 'protocol-newer');

  // The deployment's page now matches its server: the reload brings it, and the person is in.
  fs.writeFileSync(protocolJs, today);
  await reload.click();
  await page.locator('#app').waitFor({ state: 'visible' });
  await page.locator('#conn.online').waitFor();
  await page.locator('#fatal').waitFor({ state: 'hidden' });
});

test('the wall on an older page says so too, in its own language', async () => {
  fs.writeFileSync(protocolJs, today.replace(/export const PROTOCOL = \d+;/, `export const PROTOCOL = ${known - 1};`));
  const wall = await pages.open('wall');
  await wall.goto(`${keha.base}/screen/${room.code}#key=${room.screen_key}&lang=sv`);
  await wall.locator('#fatal').waitFor({ state: 'visible' });
  assert.equal(await wall.locator('#fatal-title').textContent(), sv['web.fatal.protocol_title']);
  assert.equal(await wall.locator('#fatal-msg').textContent(), sv['web.fatal.protocol']);
  assert.ok(await wall.locator('#fatal-reload button').isVisible());
  assert.equal(await wall.locator('#screen').isVisible(), false);
});

test('no script errors and no dialogs on any page', () => {
  assert.deepEqual(pages.errors, []);
});
