// The browser view's protocol check (assets/web/protocol.js, docs/protocol.md §4): a welcome
// from a server that speaks a newer protocol than the page knows stops the page and asks for
// a reload; the version the page knows is the one keha-server sends today.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

// Imported as the browser gets it: as module source (the folder has no package.json).
const source = await readFile(new URL('../../assets/web/protocol.js', import.meta.url));
const { PROTOCOL, speaksNewerProtocol } = await import(`data:text/javascript;base64,${source.toString('base64')}`);
// The repository's own libkeha header (shared/ at the checkout's root).
const repository = new URL('../../', import.meta.url);
const header = await readFile(new URL('shared/include/keha/protocol.hpp', repository), 'utf8');

test('the page knows the protocol version keha-server and keha-desk speak', () => {
  const version = header.match(/\bversion\s*=\s*(\d+)/);
  assert.ok(version, 'keha/protocol.hpp names its version');
  assert.equal(PROTOCOL, Number(version[1]));
});

test('only a newer protocol than the page knows asks for a reload', () => {
  assert.equal(speaksNewerProtocol({ type: 'welcome', protocol: PROTOCOL }), false);
  assert.equal(speaksNewerProtocol({ type: 'welcome', protocol: PROTOCOL + 1 }), true);
  assert.equal(speaksNewerProtocol({ type: 'welcome', protocol: PROTOCOL - 1 }), false);
  // A server from before the field: the page reads it as it always has.
  assert.equal(speaksNewerProtocol({ type: 'welcome' }), false);
  // Not a version at all: nothing to compare.
  assert.equal(speaksNewerProtocol({ type: 'welcome', protocol: '2' }), false);
  assert.equal(speaksNewerProtocol({ type: 'welcome', protocol: 1.5 }), false);
  assert.equal(speaksNewerProtocol(null), false);
  // An older page meeting today's server.
  assert.equal(speaksNewerProtocol({ type: 'welcome', protocol: PROTOCOL }, PROTOCOL - 1), true);
});
