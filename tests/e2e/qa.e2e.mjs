// Questions and answers (docs/protocol.md §8.2): the facilitator opens a Q&A, three people ask
// — nothing shows until three are waiting, then the batch appears on every page and the wall —,
// up-votes sort the questions on the wall and on the phones, the facilitator marks one answered
// and hides one; in a moderated room the questions wait for the facilitator's approval. A
// phone-width run and screenshots of the wall with a Q&A.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { story, catalog, join, openAsFacilitator, openScreen, facilitatorDo, shot } from './support/harness.mjs';
import { sidewaysOverflow } from './support/a11y.mjs';

const fi = catalog('fi');
const { keha, pages, setUp } = story('qa');
let room;
let f; let s; let a; let b; let phone;

const Q = {
  a: 'Miten koulun ja lastensuojelun yhteistyö jatkuu kesälomien aikana?',
  b: 'Kuka kutsuu seuraavan verkostopalaverin koolle?',
  phone: 'Voiko nuori itse kutsua palaveriin oman luotetun aikuisen?',
};

async function ask(page, text) {
  await page.locator('#qa-ask-text').fill(text);
  await page.locator('#qa-ask').click();
  await page.locator('#qa-asked', { hasText: fi['qa.asked'] }).waitFor();
}

setUp(async () => {
  room = await keha.createRoom({ title: 'MONNI-päivä: johdon kysymykset', language: 'fi' });
  f = await pages.open('f');
  await openAsFacilitator(f, keha.base, room);
  s = await pages.open('s', { viewport: { width: 1920, height: 1080 } });
  await openScreen(s, keha.base, room);
  a = await pages.open('a');
  await join(a, keha.base, room.code, 'Aino Lehtonen', 'professional');
  b = await pages.open('b');
  await join(b, keha.base, room.code, 'Liisa Mäkelä', 'leader');
  phone = await pages.open('phone', { viewport: { width: 390, height: 844 } });
  await join(phone, keha.base, room.code, 'Eero Nieminen', 'expert');
});

test('questions are held until three wait, then appear together on every page and the wall', async () => {
  await f.locator('#qa-new-title').fill('Kysymyksiä johdolle');
  await f.locator('#qa-open').click();
  await s.locator('#s-qa .s-qa-title', { hasText: 'Kysymyksiä johdolle' }).waitFor();
  await a.locator('#qa-title', { hasText: 'Kysymyksiä johdolle' }).waitFor();
  await ask(a, Q.a);
  await ask(b, Q.b);
  await f.locator('#qa-waiting', { hasText: fi['qa.waiting.other'].replace('{n}', '2') }).waitFor();
  await s.locator('.s-qa-waiting', { hasText: fi['qa.waiting.other'].replace('{n}', '2') }).waitFor();
  // Held: no page and no wall has the words yet, the facilitator's neither.
  for (const p of [f, s, a, b, phone]) {
    const text = await p.locator('body').innerText();
    assert.ok(!text.includes(Q.a) && !text.includes(Q.b), 'a held question is on a page');
  }
  await shot(f, 'qa-facilitator-waiting');
  await ask(phone, Q.phone);
  await s.locator('.s-qa-q').nth(2).waitFor();
  for (const p of [f, a, b, phone]) await p.locator('#qa-list li.qa-q').nth(2).waitFor();
  assert.equal(await s.locator('.s-qa-waiting').count(), 0);
  // Readable from the back of the room: the wall's questions are set large, as boxes of their own.
  const look = await s.locator('.s-qa-q').first().evaluate((el) => {
    const text = getComputedStyle(el.querySelector('.s-qa-text'));
    return { size: parseFloat(text.fontSize), display: getComputedStyle(el).display, list: getComputedStyle(el.parentElement).listStyleType };
  });
  assert.ok(look.size >= 24, `the wall's questions are ${look.size}px`);
  assert.equal(look.display, 'flex');
  assert.equal(look.list, 'none');
});

test('up-votes sort the questions, once a person; answered and hidden', async () => {
  const vote = async (p, text) => p.locator('#qa-list li.qa-q', { hasText: text }).locator('.qa-upvote').click();
  await vote(a, Q.phone);
  await vote(b, Q.phone);
  await vote(phone, Q.b);
  await s.locator('.s-qa-q').first().locator('.s-qa-votes', { hasText: '▲ 2' }).waitFor();
  assert.ok((await s.locator('.s-qa-q').first().innerText()).includes(Q.phone));
  assert.ok((await s.locator('.s-qa-q').nth(1).innerText()).includes(Q.b));
  assert.ok((await phone.locator('#qa-list li.qa-q').first().innerText()).includes(Q.phone));
  // A second click takes the up-vote back.
  await vote(b, Q.phone);
  await s.locator('.s-qa-q', { hasText: Q.phone }).locator('.s-qa-votes', { hasText: '▲ 1' }).waitFor();
  await vote(b, Q.phone);
  await s.locator('.s-qa-q', { hasText: Q.phone }).locator('.s-qa-votes', { hasText: '▲ 2' }).waitFor();
  // b's own page shows the up-vote as given once b's patch is in (the wall's may come first).
  await b.locator('#qa-list li.qa-q', { hasText: Q.phone }).locator('.qa-upvote[aria-pressed="true"]').waitFor();

  await f.locator('#qa-list li.qa-q', { hasText: Q.phone }).locator('.qa-answered').click();
  await s.locator('.s-qa-q.answered', { hasText: Q.phone }).waitFor();
  await f.locator('#qa-list li.qa-q', { hasText: Q.a }).locator('.qa-hide').click();
  await s.locator('.s-qa-q', { hasText: Q.a }).waitFor({ state: 'detached' });
  await a.locator('#qa-list li.qa-q', { hasText: Q.a }).waitFor({ state: 'detached' });
  await f.locator('#qa-list li.qa-q.hidden-q', { hasText: Q.a }).waitFor();
  await shot(s, 'qa-wall');
  await shot(f, 'qa-facilitator');
  await shot(phone, 'qa-phone');
  assert.equal(await sidewaysOverflow(phone), null, 'the phone scrolls sideways');
});

test('in a moderated room questions wait for the facilitator\'s approval', async () => {
  await f.locator('#qa-close').click();
  await s.locator('#s-qa').waitFor({ state: 'hidden' });
  await a.locator('#qa').waitFor({ state: 'hidden' });
  const r = await facilitatorDo(f, keha.port, room.code, room.facilitator_key, 'room.settings', { moderated: true });
  assert.ok(r.seq, JSON.stringify(r));
  await f.locator('#qa-new-title').fill('Kysymyksiä iltapäivään');
  await f.locator('#qa-open').click();
  await a.locator('#qa-title', { hasText: 'Kysymyksiä iltapäivään' }).waitFor();
  await ask(a, 'Ensimmäinen moderoitava kysymys');
  await ask(b, 'Toinen moderoitava kysymys');
  await ask(phone, 'Kolmas moderoitava kysymys');
  await f.locator('#qa-list li.qa-q.pending').nth(2).waitFor();
  await a.locator('.qa-pending-count', { hasText: fi['qa.pending_count.other'].replace('{n}', '3') }).waitFor();
  assert.ok(!(await a.locator('body').innerText()).includes('moderoitava'));
  assert.ok(!(await s.locator('body').innerText()).includes('moderoitava'));
  await f.locator('#qa-list li.qa-q', { hasText: 'Toinen moderoitava' }).locator('.qa-approve').click();
  await a.locator('#qa-list li.qa-q', { hasText: 'Toinen moderoitava' }).waitFor();
  await s.locator('.s-qa-q', { hasText: 'Toinen moderoitava' }).waitFor();
  assert.equal(await s.locator('.s-qa-q').count(), 1);
  await shot(f, 'qa-moderation');
});

test('no script errors and no dialogs on any page', () => {
  assert.deepEqual(pages.errors, []);
});
