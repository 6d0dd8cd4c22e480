// A consent room (a team gathered around a young person's matters): a participant waits in
// the lobby, told why, until the facilitator has recorded who gave the consent and for what.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, catalog, shot, setSetting } from './support/harness.mjs';

const fi = catalog('fi');
const { keha, pages: harness, newPage, createRoom } = story('consent');

test('a consent room holds a participant until the consent is recorded', async () => {
  const croom = await createRoom({ title: 'OMA TIIMI – Nooran tiimi', language: 'fi' });
  const f = await newPage('cf', { width: 1440, height: 900 });
  await f.goto(`${keha.base}/r/${croom.code}#key=${croom.facilitator_key}`);
  await setSetting(f, 'consent_required', true);
  await f.locator('#consent-form').waitFor({ state: 'visible' });
  const y = await newPage('cy');
  await y.goto(`${keha.base}/r/${croom.code}`);
  await y.locator('#join-name').fill('Noora');
  await y.locator('input[name=group][value=expert]').check();
  await y.locator('#join-form button[type=submit]').click();
  await y.locator('#lobby').waitFor({ state: 'visible' });
  // The page says why: a consent room waits for the consent (or, when the server does not
  // tell which, for the facilitator to let people in or the consent).
  await y.locator('#lobby-text', { hasText: /suostumu/ }).waitFor();
  await shot(y, 'lobby-consent');
  await f.locator('#waiting .person', { hasText: 'Noora' }).locator('button.admit[disabled]').waitFor();
  await f.locator('#consent-record').click();
  await f.locator('#consent-form .msg', { hasText: fi['web.consent.fill'] }).waitFor();
  await f.locator('#consent-given-by').fill('Noora itse');
  await f.locator('#consent-scope').fill('Tiimin kokoaminen hänen asioidensa ympärille');
  await f.locator('#consent-record').click();
  await y.locator('#app').waitFor({ state: 'visible' });
  await f.locator('#consent-recorded .consent-given', { hasText: 'Noora itse' }).waitFor();
  await f.locator('#consent-recorded .consent-scope', { hasText: 'Tiimin kokoaminen' }).waitFor();
  await f.locator('#consent-form').waitFor({ state: 'hidden' });
  await f.locator('#people .person', { hasText: 'Noora' }).waitFor();
  await f.locator('#consent-box').scrollIntoViewIfNeeded();
  await shot(f, 'facilitator-consent');
  await y.context().close();
  await f.context().close();
});

test('no script errors and no dialogs on any page', () => {
  assert.deepEqual(harness.errors, []);
});
