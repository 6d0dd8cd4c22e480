// The MONNI process in the browser: the professionals' meeting, the leaders' meeting bringing
// in its timeline, vision and plan, the cross reflection bringing in the leaders' plan. An
// import says what it brought; an action keeps its hinderer; an editable copy stands in for
// the imported original (the original folds into the copy, the wall shows only the copy); an
// item carried twice says where it began; each agreement is counted once.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { story, join, openAsFacilitator, openScreen, addItem, shot, catalog, importFrom } from './support/harness.mjs';

const fi = catalog('fi');
const { keha, pages, setUp } = story('imports');
let pros;
let leaders;
let cross;

// The catalog's counted form ("one" for 1 in Finnish), as the page fills it.
const counted = (key, n) => fi[`${key}.${n === 1 ? 'one' : 'other'}`].replace('{n}', String(n));
const brought = (...parts) => fi['import.brought'].replace('{list}', parts.join(', '));

async function tab(page, board) {
  await page.locator('#tabs .tab', { hasText: fi[`board.${board}`] }).click();
}

setUp(async () => {
  const res = await fetch(`${keha.base}/api/processes`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'MONNI Hämeenlinna', teams: ['Ammattilaiset', 'Johtajat'] }),
  });
  assert.equal(res.status, 201);
  const process = await res.json();
  const meeting = (title, team) => keha.createRoom({ title, process: process.id, process_key: process.key, ...(team ? { team } : {}) });
  pros = await meeting('Ammattilaisten tapaaminen', 'Ammattilaiset');
  leaders = await meeting('Johtajien tapaaminen', 'Johtajat');
  cross = await meeting('Ristiinreflektio');
});

test('the professionals write a timeline event, a hinderer and an agreed action that answers it', async () => {
  const f = await pages.open('pros');
  await openAsFacilitator(f, keha.base, pros);
  await tab(f, 'timeline');
  await addItem(f, 'timeline', 'event', 'Ensimmäinen ilmoitus koulusta', { when: '2021-09' });
  await tab(f, 'vision');
  await addItem(f, 'vision', 'hinders', 'Tieto kulkee vain paperilla');
  await f.locator('#panel-vision .item-text', { hasText: 'Tieto kulkee vain paperilla' }).waitFor();
  await tab(f, 'plan');
  const form = f.locator('#panel-plan form.add-form');
  await form.locator('.f-addresses option', { hasText: 'Tieto kulkee vain paperilla' }).waitFor({ state: 'attached' });
  await form.locator('.f-addresses').selectOption({ label: 'Tieto kulkee vain paperilla' });
  await addItem(f, 'plan', 'action', 'Yhteinen sähköinen kalenteri', { who: 'Maija', status: 'agreed' });
  await f.locator('#panel-plan .plan-row .addresses', { hasText: 'Tieto kulkee vain paperilla' }).waitFor();
  await f.context().close();
});

test('the leaders bring in the timeline, vision and plan: a message says what came, the link is kept', async () => {
  const f = await pages.open('leaders', { viewport: { width: 1366, height: 1000 } });
  await openAsFacilitator(f, keha.base, leaders);
  await importFrom(f, pros.code, ['timeline', 'vision', 'plan']);
  await f.locator('.toast.import-summary', {
    hasText: brought(counted('import.count.event', 1), counted('import.count.hinders', 1), counted('import.count.action', 1)),
  }).waitFor();
  await tab(f, 'plan');
  const row = f.locator('#panel-plan .plan-row.readonly', { hasText: 'Yhteinen sähköinen kalenteri' });
  await row.locator('.addresses', { hasText: 'Tieto kulkee vain paperilla' }).waitFor();
  await row.locator('.provenance', { hasText: 'Ammattilaisten tapaaminen' }).waitFor();
  await row.scrollIntoViewIfNeeded();
  await shot(f, 'facilitator-imported');

  // Bringing the same again brings nothing new, and says so.
  await importFrom(f, pros.code, ['timeline', 'vision', 'plan']);
  await f.locator('.toast.import-summary', { hasText: fi['import.nothing'] }).waitFor();
  await f.context().close();
});

test('an editable copy stands in for the imported original: the original folds into it, the wall shows only the copy', async () => {
  const f = await pages.open('leaders-copy', { viewport: { width: 1366, height: 1000 } });
  await openAsFacilitator(f, keha.base, leaders);
  const wall = await pages.open('wall', { viewport: { width: 1280, height: 720 } });
  await openScreen(wall, keha.base, leaders);
  await tab(f, 'plan');
  const rows = f.locator('#panel-plan .plan-row', { hasText: 'Yhteinen sähköinen kalenteri' });
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1);
  await rows.first().locator('button.copy-item').click();
  // One row, the copy: editable, and the original inside it.
  const copy = f.locator('#panel-plan .plan-row:not(.readonly)', { hasText: 'Yhteinen sähköinen kalenteri' });
  await copy.locator('button.edit').waitFor();
  await f.locator('#panel-plan .plan-row.readonly').waitFor({ state: 'detached' });
  assert.equal(await rows.count(), 1, 'the original is not a second row beside its copy');
  await copy.locator('button.edit').click();
  await f.locator('#panel-plan .plan-row.editing .edit-text').fill('Yhteinen sähköinen kalenteri kaikille palveluille');
  await f.locator('#panel-plan .plan-row.editing .edit-text').press('Enter');
  const edited = f.locator('#panel-plan .plan-row', { hasText: 'kaikille palveluille' });
  await edited.locator('.copy-tag').waitFor();
  const fold = edited.locator('details.copy-original');
  await fold.locator('summary', { hasText: fi['web.item.original'] }).click();
  await fold.locator('.original-text', { hasText: 'Yhteinen sähköinen kalenteri' }).waitFor();
  await fold.locator('.provenance', { hasText: 'Ammattilaisten tapaaminen' }).waitFor();
  // The link to the hinderer stays with the copy.
  await edited.locator('.addresses', { hasText: 'Tieto kulkee vain paperilla' }).waitFor();
  await edited.scrollIntoViewIfNeeded();
  await shot(f, 'facilitator-copy-folds-original');

  // The wall, on the plan phase: only the copy, without the fold.
  await f.locator('#facil-phase').selectOption('plan');
  await wall.locator('#screen .plan-row', { hasText: 'kaikille palveluille' }).waitFor();
  assert.equal(await wall.locator('#screen .plan-row', { hasText: 'Yhteinen sähköinen kalenteri' }).count(), 1);
  assert.equal(await wall.locator('#screen details.copy-original').count(), 0);
  await f.context().close();
  await wall.context().close();
});

test('the cross reflection brings in the leaders\' plan: from the professionals, via the leaders; counts by origin', async () => {
  const f = await pages.open('cross', { viewport: { width: 1366, height: 1000 } });
  await openAsFacilitator(f, keha.base, cross);
  await importFrom(f, leaders.code, ['plan']);
  await f.locator('.toast.import-summary', { hasText: brought(counted('import.count.action', 1)) }).waitFor();
  await tab(f, 'plan');
  const row = f.locator('#panel-plan .plan-row', { hasText: 'kaikille palveluille' });
  const via = fi['web.item.from_via'].split('{first}')[0];
  const provenance = row.locator('.provenance');
  await provenance.waitFor();
  const text = await provenance.innerText();
  assert.ok(text.includes(via), text);
  assert.ok(text.indexOf('Ammattilaisten tapaaminen') < text.indexOf('Johtajien tapaaminen'), `from the professionals, via the leaders: ${text}`);

  // The process panel: one agreement, made by the professionals, reaffirmed twice.
  await f.locator('#process-refresh').click();
  const li = (code) => f.locator(`#process-meetings li[data-code="${code}"] .process-agreements`);
  await li(pros.code).filter({ hasText: counted('web.process.agreed', 1) }).waitFor();
  await li(leaders.code).filter({ hasText: counted('web.process.reaffirmed', 1) }).waitFor();
  await li(cross.code).filter({ hasText: counted('web.process.reaffirmed', 1) }).waitFor();
  assert.match(await li(cross.code).innerText(), new RegExp(counted('web.process.agreed', 0)));
  await f.locator('.process-totals', {
    hasText: [counted('web.process.totals.meetings', 3), counted('web.process.totals.agreements', 1), counted('web.process.totals.commitments', 0)].join(' · '),
  }).waitFor();
  await f.locator('#process-panel').scrollIntoViewIfNeeded();
  await shot(f, 'facilitator-process');
  await f.context().close();
});

test('on a phone, a participant of the cross reflection sees where the action began', async () => {
  const p = await pages.open('phone', { viewport: { width: 390, height: 844 } });
  await join(p, keha.base, cross.code, 'Eetu', 'expert');
  await tab(p, 'plan');
  const provenance = p.locator('#panel-plan .plan-row .provenance');
  await provenance.filter({ hasText: 'Ammattilaisten tapaaminen' }).waitFor();
  await provenance.filter({ hasText: 'Johtajien tapaaminen' }).waitFor();
  assert.equal(await p.locator('#panel-plan button.copy-item').count(), 0);
  await shot(p, 'participant-imported-phone');
  await p.context().close();
});

test('no page had a script error', () => {
  assert.deepEqual(pages.errors, []);
});
