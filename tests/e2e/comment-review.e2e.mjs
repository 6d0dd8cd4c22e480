// The questionnaire's comments after the close (docs/facilitator-guide.md, "Closing
// questionnaire"): the facilitator reads them first and switches on those the wall may show;
// the wall and the participants (on a phone too) see only those.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, join, openAsFacilitator, openScreen, shot, catalog } from './support/harness.mjs';

const fi = catalog('fi');
const { keha: k, pages, setUp } = story('comment-review');
let room;
const p = {}; // f facilitator, s projector, a b c participants (c on a phone)
const comments = ['Hyvä että kaikki saivat puheenvuoron', 'Liian kiireinen aikataulu', 'Nimeni on Maija ja olen vihainen'];

setUp(async () => {
  room = await k.createRoom();
  p.f = await pages.open('f');
  await openAsFacilitator(p.f, k.base, room);
  p.s = await pages.open('s', { viewport: { width: 1600, height: 900 } });
  await openScreen(p.s, k.base, room);
  p.a = await pages.open('a');
  await join(p.a, k.base, room.code, 'Aino', 'professional');
  p.b = await pages.open('b');
  await join(p.b, k.base, room.code, 'Bertta', 'leader');
  p.c = await pages.open('c', { viewport: { width: 390, height: 844 } });
  await join(p.c, k.base, room.code, 'Celia', 'expert');
});

const wallComments = () => p.s.locator('#s-ratings .rq-comments li');

test('after the close only the facilitator reads the comments; the wall and the participants get none yet', async () => {
  await p.f.locator('#ratings-open').click();
  for (const [i, who] of ['a', 'b', 'c'].entries()) {
    const form = p[who].locator('#ratings .ratings-form');
    await form.waitFor();
    for (const set of await form.locator('fieldset.rq').all()) await set.locator('label', { hasText: /^7$/ }).click();
    await form.locator('.ratings-comment').fill(comments[i]);
    await form.locator('#ratings-submit').click();
    await p[who].locator('#ratings .ratings-thanks').waitFor();
  }
  await p.s.locator('#s-ratings .ratings-count', { hasText: '3' }).waitFor();
  await p.f.locator('#ratings-close').click();

  const review = p.f.locator('#comment-review li');
  await review.first().waitFor();
  assert.deepEqual(await p.f.locator('#comment-review .comment-text').allTextContents(), [...comments].sort());
  assert.equal(await p.f.locator('#comment-review .comment-show:checked').count(), 0);
  await p.f.locator('.comment-review .hint', { hasText: fi['web.ratings.comments_review'] }).waitFor();
  // Nothing in the facilitator's review says who wrote a comment.
  const reviewText = await p.f.locator('.comment-review').textContent();
  for (const name of ['Aino', 'Bertta', 'Celia']) assert.ok(!reviewText.includes(name), name);

  await p.s.locator('#s-ratings .ratings-results .rq-median').first().waitFor();
  for (const page of [p.a, p.b, p.c]) await page.locator('#ratings .ratings-results .rq-median').first().waitFor();
  assert.equal(await wallComments().count(), 0);
  for (const page of [p.a, p.b, p.c]) {
    assert.equal(await page.locator('#ratings .rq-comments li').count(), 0);
    assert.equal(await page.locator('#comment-review').count(), 0, 'participants get no review switches');
  }
  await p.f.locator('#ratings .comment-review').scrollIntoViewIfNeeded();
  await shot(p.f, 'facilitator-comment-review');
});

test('the facilitator shows one comment: the wall and the participants see exactly that one', async () => {
  const chosen = 'Liian kiireinen aikataulu';
  await p.f.locator('#comment-review li', { hasText: chosen }).locator('.comment-show').check();
  await p.f.locator('.comments-shown', { hasText: fi['web.ratings.comments_shown'].replace('{n}', '1').replace('{total}', '3') }).waitFor();
  await wallComments().first().waitFor();
  assert.deepEqual(await wallComments().allTextContents(), [chosen]);
  for (const page of [p.a, p.b, p.c]) {
    await page.locator('#ratings .rq-comments li', { hasText: chosen }).waitFor();
    assert.deepEqual(await page.locator('#ratings .rq-comments li').allTextContents(), [chosen]);
  }
  await shot(p.s, 'screen-ratings-comments');
  await p.f.locator('#ratings .comment-review').scrollIntoViewIfNeeded();
  await shot(p.f, 'facilitator-comment-review-chosen');
  await shot(p.c, 'participant-ratings-comments-phone');

  // Show all, then take one back.
  await p.f.locator('#comments-all', { hasText: fi['web.ratings.comments_show_all'] }).click();
  await p.f.locator('#comments-all', { hasText: fi['web.ratings.comments_hide_all'] }).waitFor();
  await p.s.locator('#s-ratings .rq-comments li').nth(2).waitFor();
  const personal = 'Nimeni on Maija ja olen vihainen';
  await p.f.locator('#comment-review li', { hasText: personal }).locator('.comment-show').uncheck();
  await p.s.locator('#s-ratings .rq-comments li', { hasText: personal }).waitFor({ state: 'detached' });
  assert.equal(await wallComments().count(), 2);
  await p.c.locator('#ratings .rq-comments li', { hasText: personal }).waitFor({ state: 'detached' });
});

test('the choice stays after a reload', async () => {
  await p.s.reload();
  await p.s.locator('#s-ratings .rq-comments li').first().waitFor();
  assert.equal(await wallComments().count(), 2);
  await p.f.reload();
  await p.f.locator('#comment-review .comment-show:checked').nth(1).waitFor();
  assert.equal(await p.f.locator('#comment-review .comment-show:checked').count(), 2);
});

test('no page had a script error or a dialog', () => {
  assert.deepEqual(pages.errors, []);
});
