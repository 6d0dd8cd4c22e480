// What keeps the browser safe with Kehä: every page and asset carries the Content Security
// Policy and nosniff, scripts have a JavaScript type; over https the page talks wss:, and a
// page of another origin can neither open the WebSocket nor create a room.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { story, freePort, SERVER, ASSETS, T } from './support/harness.mjs';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const { keha, pages: harness, setUp } = story('web-security');
let base = '';
let room = null;

setUp(async () => {
  base = keha.base;
  room = await keha.createRoom({ title: 'Kehittämisen tiimi – Hämeenlinna', language: 'fi' });
});

test('pages and assets carry CSP and nosniff; scripts have a JavaScript type', async () => {
  for (const p of ['/', `/r/${room.code}`, `/r/${room.code.toLowerCase().slice(0, 4)}-${room.code.slice(4)}`,
    `/screen/${room.code}`, '/static/room.js', '/static/app.css', '/i18n/fi.json', `/api/rooms/${room.code}`]) {
    const res = await fetch(base + p);
    assert.equal(res.status, 200, p);
    assert.equal(res.headers.get('content-security-policy'), CSP, p);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', p);
    if (p.endsWith('.js')) assert.match(res.headers.get('content-type'), /javascript/, p);
    if (p.endsWith('.css')) assert.match(res.headers.get('content-type'), /text\/css/, p);
  }
  const missing = await fetch(`${base}/api/rooms/ZZZZZZ`);
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).error, 'unknown_room');
  const qr = await fetch(`${base}/api/rooms/${room.code}/qr.svg`);
  assert.equal(qr.status, 200);
  assert.match(await qr.text(), /<svg/);
});

test('over https the page talks wss:, and a page of another origin cannot open the WebSocket or create a room', async () => {
  // A page of another origin: plain HTML from a server of its own on loopback, no CSP.
  const other = http.createServer((req, res) => { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end('<html><body>x</body></html>'); });
  await new Promise((resolve) => other.listen(0, '127.0.0.1', resolve));
  const otherOrigin = `http://127.0.0.1:${other.address().port}`;
  // A second server with a certificate made for this test; it allows that other origin.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keha-e2e-tls-'));
  const crt = path.join(dir, 'server.crt');
  const key = path.join(dir, 'server.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', crt],
  { stdio: 'ignore' });
  const tport = await freePort();
  const args = ['--port', String(tport), '--bind', '127.0.0.1', '--db', path.join(dir, 'tls.db'),
    '--tls-cert', crt, '--tls-key', key, '--allowed-origin', otherOrigin];
  if (ASSETS) args.push('--assets', ASSETS);
  const tls = spawn(SERVER, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await new Promise((resolve, reject) => {
      let out = '';
      tls.stdout.on('data', (d) => { out += d; if (out.includes('Kehä is running')) resolve(); });
      tls.once('exit', () => reject(new Error('the TLS keha-server exited at start')));
    });
    const ctx = await harness.browser.newContext({ ignoreHTTPSErrors: true, locale: 'fi-FI' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(T);
    page.on('pageerror', (e) => harness.errors.push(`tls: ${e.message}`));
    const sockets = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(`https://127.0.0.1:${tport}/`);
    // The join page's own origin may create a room.
    const created = await page.evaluate(async () => {
      const res = await fetch('/api/rooms', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ title: 'TLS', language: 'fi' }) });
      return res.json();
    });
    await page.goto(`https://127.0.0.1:${tport}/r/${created.code}`);
    await page.locator('#join-name').fill('Aino');
    await page.locator('input[name=group][value=expert]').check();
    await page.locator('#join-form button[type=submit]').click();
    await page.locator('#conn.online').waitFor();
    assert.ok(sockets.length > 0 && sockets.every((u) => u.startsWith(`wss://127.0.0.1:${tport}/`)), sockets.join(' '));

    // The other origin's page, in the same browser: the plain server (own origin only) refuses
    // it; the TLS server, which allows that origin, lets it in — so the refusal is the Origin's.
    const evil = await ctx.newPage();
    await evil.goto(`${otherOrigin}/`);
    const tryWs = (url) => evil.evaluate((u) => new Promise((resolve) => {
      const ws = new WebSocket(u);
      ws.onopen = () => { ws.close(); resolve('open'); };
      ws.onerror = () => resolve('refused');
    }), url);
    assert.equal(await tryWs(`ws://127.0.0.1:${keha.port}/ws`), 'refused');
    assert.equal(await tryWs(`wss://127.0.0.1:${tport}/ws`), 'open');
    const post = async (url) => {
      const [answer] = await Promise.all([
        evil.waitForResponse(url),
        evil.evaluate((u) => fetch(u, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' },
          body: JSON.stringify({ title: 'CSRF' }) }).catch(() => null), url),
      ]);
      return answer.status();
    };
    assert.equal(await post(`${base}/api/rooms`), 403);
    // Past the Origin check, a text/plain body (all such a page can send without a CORS
    // preflight) is refused for its type.
    assert.equal(await post(`https://127.0.0.1:${tport}/api/rooms`), 415);
    await ctx.close();
  } finally {
    tls.kill('SIGKILL');
    other.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('no script errors and no dialogs on any page', () => {
  assert.deepEqual(harness.errors, []);
});
