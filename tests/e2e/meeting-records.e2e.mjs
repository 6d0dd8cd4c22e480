// The records of a meeting, each change after a confirmation: the facilitator erases an item
// from the history (an identity code written by mistake), downloads the access log, and
// deletes the meeting, which every page then shows.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { story, catalog, shot, join as joinAt, facilitatorDo, identityCode } from './support/harness.mjs';

const fi = catalog('fi');
const { keha, pages: harness, setUp } = story('meeting-records');
let base = '';

async function newPage(name, viewport = { width: 1366, height: 860 }) {
  return harness.open(name, { viewport });
}

async function join(page, name, group, code) {
  await joinAt(page, base, code, name, group);
}

const createRoom = (body) => keha.createRoom(body);
const facilDo = (page, code, key, cmd, args) => facilitatorDo(page, keha.port, code, key, cmd, args);

setUp(async () => {
  base = keha.base;
});

test('erasing an item from the history, the access log and deleting the meeting, each after a confirmation', async () => {
  const r = await createRoom({ title: 'Poistettava tapaaminen', language: 'fi' });
  const f = await newPage('del-f', { width: 1440, height: 900 });
  await f.goto(`${base}/r/${r.code}#key=${r.facilitator_key}`);
  await f.locator('#facil').waitFor({ state: 'visible' });
  await f.locator('#conn.online').waitFor();
  const p = await newPage('del-p');
  await join(p, 'Veera', 'expert', r.code);
  await facilDo(f, r.code, r.facilitator_key, 'phase.goto', { phase: 'timeline' });
  const pic = identityCode('131052', '308');
  const added = await facilDo(f, r.code, r.facilitator_key, 'item.add',
    { board: 'timeline', column: 'event', text: `Kirjattu vahingossa ${pic}`, when: '2025-03' });
  const card = f.locator(`#panel-timeline [data-id="i${added.seq}"]`);
  await card.waitFor();

  // The delete confirmation offers the erasure to the facilitator; a participant's own items have none.
  await card.locator('button.delete').click();
  await card.locator('button.confirm-erase').waitFor();
  await shot(f, 'delete-erase-confirm');
  await card.locator('button.confirm-erase').click();
  await card.waitFor({ state: 'detached' });
  const at = await f.evaluate(async ({ code, key, seq }) => {
    const res = await fetch(`/api/rooms/${code}/history?seq=${seq}`, { headers: { Authorization: `Bearer ${key}` } });
    return res.json();
  }, { code: r.code, key: r.facilitator_key, seq: added.seq });
  const item = at.state.boards.timeline.items[`i${added.seq}`];
  assert.equal(item.text, '');
  assert.equal(item.erased, true);
  assert.ok(!JSON.stringify(at).includes(pic), 'the history no longer holds the identity code');

  // The access log: who joined, as a file.
  const [csv] = await Promise.all([f.waitForEvent('download'), f.locator('#access-log-csv').click()]);
  const log = fs.readFileSync(await csv.path(), 'utf8');
  assert.match(csv.suggestedFilename(), /access-log\.csv$/);
  assert.match(log, /^at,room,event,role,pid,name,address,detail/);
  assert.match(log, /,join,participant,p\d+,Veera,127\.0\.0\.1,/);
  assert.match(log, /,item_erased,facilitator,/);

  // Deleting asks first; going back deletes nothing.
  await f.locator('#delete-meeting').click();
  await f.locator('#delete-meeting-confirm', { hasText: fi['web.records.delete_confirm'] }).waitFor();
  await shot(f, 'delete-meeting-confirm');
  await f.locator('#delete-meeting-no').click();
  await f.locator('#delete-meeting-confirm').waitFor({ state: 'hidden' });
  assert.equal((await fetch(`${base}/api/rooms/${r.code}`)).status, 200);
  await f.locator('#delete-meeting').click();
  await f.locator('#delete-meeting-yes').click();
  await p.locator('#fatal-title', { hasText: fi['web.fatal.deleted_title'] }).waitFor();
  await p.locator('#fatal-msg', { hasText: fi['error.room_deleted'] }).waitFor();
  await f.locator('#fatal-title', { hasText: fi['web.fatal.deleted_title'] }).waitFor();
  await shot(p, 'meeting-deleted');
  assert.equal((await fetch(`${base}/api/rooms/${r.code}`)).status, 404);
  for (const pg of [f, p]) await pg.context().close();
});

test('no script errors and no dialogs on any page', () => {
  assert.deepEqual(harness.errors, []);
});
