// What a screen reader is told without moving anyone's focus, in one polite live region:
// new entries by others (how many, on which board — never their words, never a private
// entry of another), one's own turn changing, the time box ending. Gathered for a moment and
// said together, so that a busy board does not talk over the person.

import { t, tn } from './i18n.js';

const GATHER_MS = 2000;

export class Announcer {
  constructor(region) {
    this.region = region;
    this.seen = null; // board/id of every entry at the last look; null before the first
    this.fresh = new Map(); // board -> new entries by others since the last word
    this.lines = [];
    this.turn = undefined;
    this.mark = undefined;
    this.timer = null;
  }

  // Entries that appeared since the last look, written by someone else and readable by all.
  items(s, you) {
    const now = new Set();
    for (const [board, b] of Object.entries(s.boards || {})) {
      for (const [id, it] of Object.entries(b.items || {})) {
        const key = `${board}/${id}`;
        now.add(key);
        if (!this.seen || this.seen.has(key) || it.author === you || it.hidden || it.pending || it.text === undefined) continue;
        this.fresh.set(board, (this.fresh.get(board) || 0) + 1);
        this.gather();
      }
    }
    this.seen = now;
  }

  // The person's own turn, as the banner says it ("Speaking now: Your turn to speak.").
  turnChanged(text) {
    if (this.turn !== undefined && text && text !== this.turn) this.say(text);
    this.turn = text;
  }

  // The timer's mark ('', 'low', 'over'): its end is said once.
  timerMark(mark) {
    if (this.mark !== undefined && mark === 'over' && this.mark !== 'over') this.say(t('web.timer.over'));
    this.mark = mark;
  }

  say(text) {
    this.lines.push(text);
    this.gather();
  }

  gather() {
    this.timer ||= setTimeout(() => this.flush(), GATHER_MS);
  }

  flush() {
    this.timer = null;
    const words = [...this.lines, ...[...this.fresh].map(([board, n]) => tn('web.announce.new_items', n, { board: t(`board.${board}`) }))];
    this.lines = [];
    this.fresh.clear();
    if (!words.length) return;
    // Emptied first, so that the same words said twice are read twice.
    this.region.textContent = '';
    setTimeout(() => { this.region.textContent = words.join(' '); }, 50);
  }
}
