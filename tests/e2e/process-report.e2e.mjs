// A MONNI process of two meetings made from the join page: the leaders' meeting brings in the
// professionals' timeline and plan with their provenance, read-only (an editable copy can be
// made), a participant sees the provenance too, and the process report covers both meetings.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { story, catalog, shot, join as joinAt, facilitatorDo } from './support/harness.mjs';

const fi = catalog('fi');
const { keha, pages: harness, setUp } = story('process-report');
let base = '';

async function newPage(name, viewport = { width: 1366, height: 860 }) {
  return harness.open(name, { viewport });
}

async function join(page, name, group, code) {
  await joinAt(page, base, code, name, group);
}

const facilDo = (page, code, key, cmd, args) => facilitatorDo(page, keha.port, code, key, cmd, args);

setUp(async () => {
  base = keha.base;
});

test('a process: two meetings, the second brings in the first one\'s timeline and plan with provenance, read-only; the report', async () => {
  // The professionals' meeting starts a new process on the join page.
  const p1 = await newPage('proc1', { width: 1366, height: 900 });
  await p1.goto(`${base}/`);
  await p1.locator('#create summary').click();
  await p1.locator('#create-title').fill('MONNI – ammattilaisten tapaaminen');
  await p1.locator('#create-process').selectOption('new');
  await p1.locator('#create-process-title').fill('MONNI Hämeenlinna 2026');
  await p1.locator('#create-process-teams').fill('Ammattilaiset\nJohtajat');
  await p1.locator('#create-team').selectOption('Ammattilaiset');
  await shot(p1, 'join-process');
  await p1.locator('#create-form button[type=submit]').click();
  await p1.waitForURL(/\/r\/[A-Z0-9]{8}#.*pkey=/);
  const frag1 = new URLSearchParams(new URL(p1.url()).hash.slice(1));
  const code1 = new URL(p1.url()).pathname.split('/')[2];
  await p1.locator('#process-panel #process-meetings li').first().waitFor();
  const key1 = frag1.get('key');
  assert.ok((await facilDo(p1, code1, key1, 'item.add', { board: 'timeline', column: 'event', text: 'Yhteinen palaveri koululla', when: '2024-03', sector: 'school' })).seq);
  assert.ok((await facilDo(p1, code1, key1, 'item.add', { board: 'plan', column: 'action', text: 'Kuukausittainen verkostotapaaminen', who: 'Aino', due: '2026-05', status: 'agreed' })).seq);

  // The leaders' meeting: a new meeting in the same process, from the link.
  const href = await p1.locator('#process-new-meeting').getAttribute('href');
  const p2 = await newPage('proc2', { width: 1366, height: 1000 });
  await p2.goto(`${base}${href}`);
  await p2.locator('#create-process option[value=linked]', { hasText: 'MONNI Hämeenlinna 2026' }).waitFor({ state: 'attached' });
  await p2.locator('#create-team option[value=Johtajat]').waitFor({ state: 'attached' });
  await p2.locator('#create-team').selectOption('Johtajat');
  await p2.locator('#create-title').fill('MONNI – johtajien tapaaminen');
  await p2.locator('#create-form button[type=submit]').click();
  await p2.waitForURL(/\/r\/[A-Z0-9]{8}#.*pkey=/);
  const code2 = new URL(p2.url()).pathname.split('/')[2];
  const key2 = new URLSearchParams(new URL(p2.url()).hash.slice(1)).get('key');
  assert.notEqual(code2, code1);
  const meetings = p2.locator('#process-meetings li');
  await p2.locator(`#process-meetings li[data-code="${code2}"]`).waitFor();
  assert.deepEqual(await meetings.evaluateAll((els) => els.map((e) => e.dataset.code)), [code1, code2]);
  await p2.locator(`#process-meetings li[data-code="${code1}"] a[href="/r/${code1}"]`).waitFor();

  // Bring in the timeline and the plan of the professionals' meeting.
  assert.equal(await p2.locator('#import-from').inputValue(), code1);
  assert.ok(await p2.locator('#import-board-timeline').isChecked());
  assert.ok(await p2.locator('#import-board-plan').isChecked());
  await p2.locator('#import-go').click();
  await p2.locator('#tabs .tab', { hasText: fi['board.timeline'] }).click();
  const imported = p2.locator('#panel-timeline .item.readonly', { hasText: 'Yhteinen palaveri koululla' });
  await imported.waitFor();
  await imported.locator('.provenance', { hasText: 'Ammattilaiset' }).waitFor();
  await imported.locator('.provenance', { hasText: 'MONNI – ammattilaisten tapaaminen' }).waitFor();
  assert.equal(await imported.locator('button.edit, button.delete, button.move-up').count(), 0, 'no editing of an imported item');
  const id = await imported.getAttribute('data-id');
  assert.deepEqual(await facilDo(p2, code2, key2, 'item.edit', { board: 'timeline', id, text: 'muutettu' }), { error: 'forbidden' });
  await p2.locator('#tabs .tab', { hasText: fi['board.plan'] }).click();
  const row = p2.locator('#panel-plan .plan-row.readonly', { hasText: 'Kuukausittainen verkostotapaaminen' });
  await row.locator('.provenance', { hasText: 'Ammattilaiset' }).waitFor();
  assert.equal(await row.locator('select.status-select, button.edit').count(), 0);
  await p2.locator('#process-panel').scrollIntoViewIfNeeded();
  await shot(p2, 'facilitator-process');
  await row.scrollIntoViewIfNeeded();
  await shot(p2, 'facilitator-imported');
  // An editable copy: the same text, editable, still saying where it came from.
  await row.locator('button.copy-item').click();
  const copy = p2.locator('#panel-plan .plan-row:not(.readonly)', { hasText: 'Kuukausittainen verkostotapaaminen' });
  await copy.locator('button.edit').waitFor();
  await copy.locator('.provenance', { hasText: fi['web.item.copy_of'] }).waitFor();

  // A participant sees the provenance too, and cannot edit.
  const pp = await newPage('proc-p');
  await join(pp, 'Johanna', 'leader', code2);
  await pp.locator('#tabs .tab', { hasText: fi['board.timeline'] }).click();
  await pp.locator('#panel-timeline .item.readonly .provenance', { hasText: 'Ammattilaiset' }).waitFor();
  assert.equal(await pp.locator('#panel-timeline .item.readonly button.copy-item').count(), 0);

  // The process report.
  await p2.locator('#process-refresh').click();
  const [md] = await Promise.all([p2.waitForEvent('download'), p2.locator('#process-report-md').click()]);
  const report = fs.readFileSync(await md.path(), 'utf8');
  assert.match(report, /MONNI – ammattilaisten tapaaminen/);
  assert.match(report, /MONNI – johtajien tapaaminen/);
  const [html] = await Promise.all([p2.waitForEvent('download'), p2.locator('#process-report-html').click()]);
  assert.match(fs.readFileSync(await html.path(), 'utf8'), /<html/i);
  for (const pg of [p1, p2, pp]) await pg.context().close();
});

test('no script errors and no dialogs on any page', () => {
  assert.deepEqual(harness.errors, []);
});
