// The end of a meeting: the closing questionnaire (anonymous answers, results only as
// aggregates on every page and the projector), then closing the meeting, which leaves the
// boards visible and read-only.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, catalog, shot } from './support/harness.mjs';
import { planMeeting } from './support/meeting.mjs';

const fi = catalog('fi');
const { keha, pages: harness, setUp } = story('closing');
let pages = {}; // a, b (participants), f (facilitator), s (screen), on the plan board

setUp(async () => {
  const room = await keha.createRoom({ title: 'Kehittämisen tiimi – Hämeenlinna', language: 'fi' });
  pages = await planMeeting(harness, keha.base, room);
});

test('the closing questionnaire: anonymous answers, results only as aggregates', async () => {
  const { a, b, f, s } = pages;
  await f.locator('#ratings-open').click();
  await s.locator('#s-ratings .ratings-count').waitFor();
  const answer = async (p, scores) => {
    const form = p.locator('#ratings .ratings-form');
    await form.waitFor();
    const sets = await form.locator('fieldset.rq').all();
    for (let i = 0; i < sets.length; i++) await sets[i].locator('label', { hasText: new RegExp(`^${scores[i % scores.length]}$`) }).click();
    await form.locator('#ratings-submit').click();
    await p.locator('#ratings .ratings-thanks').waitFor();
  };
  await answer(a, [8, 7]);
  await shot(b, 'participant-ratings');
  await answer(b, [9, 6]);
  await answer(f, [7, 7]);
  await s.locator('#s-ratings .ratings-count', { hasText: '3' }).waitFor();
  await f.locator('#ratings-close').click();
  await f.locator('#ratings-open').waitFor();
  // On ratings.close keha-server puts the aggregates into the state: everyone sees, per
  // question, the count, the median and the distribution — never a single score.
  // Answers: a 8/7, b 9/6, f 7/7 (each person's scores cycle over the questions).
  const median = (m) => fi['web.ratings.median.other'].replace('{m}', m).replace('{n}', '3');
  const rq = s.locator('#s-ratings .ratings-results .rq');
  await rq.first().locator('.rq-median').waitFor({ timeout: 5000 }).catch(() => {
    throw new Error('keha-server did not publish the results on ratings.close (/ratings/results stayed null)');
  });
  const questions = await rq.count();
  assert.ok(questions >= 2);
  assert.equal(await rq.nth(0).locator('.rq-median').textContent(), median('8'));
  assert.equal(await rq.nth(1).locator('.rq-median').textContent(), median('7'));
  assert.equal(await rq.nth(0).locator('.dist .bar').count(), 11);
  assert.equal(await rq.nth(1).locator('.dist .bar[title="7: 2"]').count(), 1);
  for (const p of [a, b, f]) {
    await p.locator('#ratings .ratings-results .rq-median', { hasText: median('8') }).first().waitFor();
    assert.equal(await p.locator('#ratings .ratings-form').count(), 0);
  }
  await s.locator('#s-ratings .ratings-count').waitFor({ state: 'detached' });
  await f.locator('#ratings-close').waitFor({ state: 'hidden' });
  await shot(s, 'screen-ratings');
  await shot(a, 'participant-ratings-results');
});

test('closing the meeting leaves the boards visible and read-only', async () => {
  const { f, a } = pages;
  await f.locator('#room-close').click();
  await f.locator('#room-close').click();
  await a.locator('#banner.info').waitFor();
  await a.locator('#panel-plan form.add-form').waitFor({ state: 'hidden' });
  await shot(a, 'closed');
});

test('no script errors and no dialogs on any page', () => {
  assert.deepEqual(harness.errors, []);
});
