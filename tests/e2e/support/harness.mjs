// What every browser end-to-end file needs: a real keha-server on a free loopback port
// with its own temporary database, Debian's Chromium driven by playwright-core, pages that
// record their errors and WebSocket frames, and the small steps a person takes (join, add).
//
//   KEHA_SERVER     path of keha-server (default: build/release/server/keha-server)
//   KEHA_ASSETS     assets folder to serve (optional; the server finds its own otherwise)
//   KEHA_ARTIFACTS  where screenshots and logs go (default: tests/e2e/artifacts)
//   CHROMIUM        browser executable (default: /usr/bin/chromium)

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (_) {
  console.error('playwright-core is missing: run `npm ci` in tests/e2e (make test does it).');
  process.exit(1);
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../../..');
export const SERVER = process.env.KEHA_SERVER || path.join(root, 'build/release/server/keha-server');
export const ASSETS = process.env.KEHA_ASSETS || '';
export const ART = process.env.KEHA_ARTIFACTS || path.join(root, 'tests/e2e/artifacts');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const T = 10000; // default wait for something to appear

fs.mkdirSync(ART, { recursive: true });

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function catalog(lang) {
  return JSON.parse(fs.readFileSync(path.join(root, `assets/i18n/${lang}.json`), 'utf8'));
}

export function template(id) {
  return JSON.parse(fs.readFileSync(path.join(root, `assets/templates/${id}.json`), 'utf8'));
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port: p } = srv.address();
      srv.close(() => resolve(p));
    });
  });
}

// A keha-server of the test's own. `args` are added to the command line; `assets` is the
// folder it serves (default KEHA_ASSETS, else its own); the database lives in a temporary
// folder that `stop()` removes.
export class Keha {
  constructor(name, args = [], { assets = ASSETS } = {}) {
    this.name = name;
    this.args = args;
    this.assets = assets;
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), `keha-e2e-${name}-`));
    this.db = path.join(this.tmp, 'e2e.db');
    this.proc = null;
  }

  async start() {
    if (!this.port) this.port = await freePort();
    this.base = `http://127.0.0.1:${this.port}`;
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--db', this.db, ...this.args];
    if (this.assets) args.push('--assets', this.assets);
    const log = fs.openSync(path.join(ART, `server-${this.name}.log`), 'a');
    this.proc = spawn(SERVER, args, { stdio: ['ignore', log, log] });
    this.proc.on('exit', () => { this.proc = null; });
    const deadline = Date.now() + 15000;
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`${this.base}/healthz`);
        if (res.ok) return this;
      } catch (_) { /* not yet */ }
      if (!this.proc) throw new Error(`keha-server exited at start; see server-${this.name}.log`);
      await sleep(50);
    }
    throw new Error('keha-server did not answer /healthz');
  }

  async kill() {
    if (!this.proc) return;
    const p = this.proc;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await gone;
  }

  async stop() {
    await this.kill();
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }

  // POST /api/rooms; the new room's {code, facilitator_key, screen_key}.
  async createRoom(body = {}) {
    const res = await fetch(`${this.base}/api/rooms`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Testitapaaminen', language: 'fi', ...body }),
    });
    if (res.status !== 201) throw new Error(`room not created: ${res.status} ${await res.text()}`);
    return res.json();
  }
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // playwright gives every launch a fresh temporary --user-data-dir of its own.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Pages of one test file, each in its own browser context (its own storage) unless a
// context is given. Script errors and dialogs are collected: a file ends by asserting
// that `errors` is empty.
export class Pages {
  constructor(browser, fileName) {
    this.browser = browser;
    this.file = fileName;
    this.errors = [];
  }

  async context({ locale = 'fi-FI', viewport = { width: 1366, height: 860 } } = {}) {
    return this.browser.newContext({ viewport, locale, acceptDownloads: true });
  }

  async open(name, { viewport = { width: 1366, height: 860 }, locale = 'fi-FI', context = null } = {}) {
    const ctx = context || await this.context({ locale, viewport });
    const page = await ctx.newPage();
    if (context) await page.setViewportSize(viewport);
    page.on('dialog', async (d) => { this.errors.push(`${name}: dialog ${d.type()} ${d.message()}`); await d.dismiss(); });
    page.on('pageerror', (e) => this.errors.push(`${name}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') fs.appendFileSync(path.join(ART, `console-${this.file}.log`), `${name}: ${m.text()}\n`);
    });
    page.on('websocket', (ws) => {
      const log = path.join(ART, `ws-${this.file}-${name}.log`);
      ws.on('framesent', (f) => fs.appendFileSync(log, `> ${f.payload}\n`));
      ws.on('framereceived', (f) => fs.appendFileSync(log, `< ${String(f.payload).slice(0, 600)}\n`));
      ws.on('close', () => fs.appendFileSync(log, '-- closed\n'));
    });
    page.setDefaultTimeout(T);
    return page;
  }
}

// One story file's set-up: its own keha-server (`args` added to its command line, `assets`
// the folder it serves) and its own browser, started before the file's tests and stopped
// after them. `keha` and `pages`
// exist at once; the server's `keha.base` and the browser (`pages.browser`) once set up.
// A file's own set-up goes in `setUp(async () => ...)`, which runs after the start: Node's
// test runner runs a file's top-level `before` hooks side by side, not one after another.
//   const { keha, pages, setUp } = story('consent');
export function story(name, { args = [], assets = ASSETS } = {}) {
  const keha = new Keha(name, args, { assets });
  const pages = new Pages(null, name);
  const steps = [];
  before(async () => {
    await keha.start();
    pages.browser = await launchBrowser();
    for (const step of steps) await step();
  });
  after(async () => {
    await pages.browser?.close();
    await keha.stop();
  });
  return {
    keha,
    pages,
    setUp: (step) => { steps.push(step); },
    // A page in its own browser context, at this size.
    newPage: (pageName, viewport = { width: 1366, height: 860 }) => pages.open(pageName, { viewport }),
    createRoom: (body) => keha.createRoom(body),
  };
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(ART, `web-${name}.png`) });
}

export const prettyCode = (code) => `${code.slice(0, 4)}-${code.slice(4)}`;

// A participant joins from the room's address: name, group, submit, online.
export async function join(page, base, code, name, group) {
  await page.goto(`${base}/r/${code.toLowerCase()}`);
  await page.locator('#join-name').fill(name);
  await page.locator(`input[name=group][value=${group}]`).check();
  await page.locator('#join-form button[type=submit]').click();
  await page.locator('#app').waitFor({ state: 'visible' });
  await page.locator('#conn.online').waitFor();
}

// The facilitator opens the room with the key in the fragment (never in a logged URL).
export async function openAsFacilitator(page, base, room) {
  await page.goto(`${base}/r/${room.code}#key=${room.facilitator_key}&screen=${room.screen_key}`);
  await page.locator('#facil').waitFor({ state: 'visible' });
  await page.locator('#conn.online').waitFor();
}

export async function openScreen(page, base, room) {
  await page.goto(`${base}/screen/${room.code}#key=${room.screen_key}`);
  await page.locator('#screen').waitFor({ state: 'visible' });
}

export async function addItem(page, board, column, text, fields = {}) {
  const form = page.locator(`#panel-${board} form.add-form[data-column=${column}]`);
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'hidden') await form.locator('.f-hidden').setChecked(v);
    else if (k === 'status') await form.locator('.f-status').selectOption(v);
    else await form.locator(`.f-${k}`).fill(v);
  }
  await form.locator('.add-text').fill(text);
  await form.locator('.add-text').press('Enter');
}

// The facilitator ticks (on) or clears a room setting's box and waits until the server has
// it: until then the box shows the click as asked (dimmed, aria-busy), and a participant's
// entry or a newcomer's join can still come before it.
export async function setSetting(page, key, on) {
  const box = page.locator(`#setting-${key}`);
  if (on) await box.check();
  else await box.uncheck();
  await page.locator(`.toggle:not(.saving) > #setting-${key}${on ? ':checked' : ':not(:checked)'}:not([aria-busy])`).waitFor();
}

// One command over a fresh WebSocket with the facilitator's key, from inside a page (the
// server checks the Origin): {seq} on its ack or {error: code}.
export async function facilitatorDo(page, port, code, key, cmd, args) {
  return page.evaluate(({ url, code, key, cmd, args }) => new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', room: code, key }));
    ws.onmessage = (ev) => {
      const msg = JSON.parse(ev.data);
      if (msg.type === 'welcome') ws.send(JSON.stringify({ type: 'do', id: 'e2e-1', cmd, args }));
      else if (msg.type === 'ack' && msg.id === 'e2e-1') { ws.close(); resolve({ seq: msg.seq }); }
      else if (msg.type === 'error') { ws.close(); resolve({ error: msg.code }); }
    };
    setTimeout(() => reject(new Error(`${cmd} timed out`)), 10000);
  }), { url: `ws://127.0.0.1:${port}/ws`, code, key, cmd, args });
}

// A Finnish personal identity code with a correct check character.
export function identityCode(ddmmyy, nnn, sign = '-') {
  return `${ddmmyy}${sign}${nnn}${'0123456789ABCDEFHJKLMNPRSTUVWXY'[Number(`${ddmmyy}${nnn}`) % 31]}`;
}

// The facilitator brings boards from another meeting of the process (the process panel).
export async function importFrom(page, code, boards) {
  await page.locator('#process-panel #import-from').waitFor();
  await page.locator('#import-from').selectOption(code);
  for (const b of ['timeline', 'vision', 'plan', 'reflections', 'hypotheses', 'commitments']) {
    await page.locator(`#import-board-${b}`).setChecked(boards.includes(b));
  }
  await page.locator('#import-go').click();
}

export function itemText(page, text) {
  return page.locator('.item-text', { hasText: text });
}
