// A meeting under way, for the stories that start in the middle of one: the facilitator
// (with the projector key), Aino (experience expert) and Bertil (a professional) in their
// own browsers, the projector, and everyone on the plan board.

import { join, openAsFacilitator, openScreen } from './harness.mjs';

export async function planMeeting(pages, base, room) {
  const f = await pages.open('f', { viewport: { width: 1440, height: 900 } });
  await openAsFacilitator(f, base, room);
  const a = await pages.open('a');
  await join(a, base, room.code, 'Aino', 'expert');
  const b = await pages.open('b');
  await join(b, base, room.code, 'Bertil', 'professional');
  const s = await pages.open('s', { viewport: { width: 1920, height: 1080 } });
  await openScreen(s, base, room);
  await f.locator('#facil-phase').selectOption('plan');
  for (const p of [a, b, f]) await p.locator('#panel-plan').waitFor({ state: 'visible' });
  return { f, a, b, s };
}
