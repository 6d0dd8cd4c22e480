// The meeting's clock as the participant page and the projector both show it.
import { t } from './i18n.js';
import { h, formatClock } from './util.js';

// What the timer says now: its text, its label, and a mark when time is short or over.
// An idle timer shows the phase's planned time box, when it has one.
export function timerReading(tm, now, plannedSeconds = 0) {
  if (tm.state === 'running') {
    const left = tm.ends_at_ms - now;
    return {
      text: formatClock(left),
      label: t(left <= 0 ? 'web.timer.over' : 'web.timer.left'),
      mark: left <= 0 ? 'over' : left <= 60000 ? 'low' : '',
    };
  }
  if (tm.state === 'paused') return { text: formatClock(tm.remaining_ms), label: t('web.timer.paused'), mark: '' };
  if (plannedSeconds) return { text: formatClock(plannedSeconds * 1000), label: t('web.timer.planned'), mark: '' };
  return { text: '', label: '', mark: '' };
}

// Redraws the clock only when what it says has changed (it ticks several times a second).
export function showTimer(el, { text, label }) {
  if (el.dataset.text === text && el.dataset.label === label) return;
  el.dataset.text = text;
  el.dataset.label = label;
  el.textContent = '';
  if (text) el.append(h('span', { class: 'timer-label', text: label }), h('span', { class: 'timer-value', text }));
}
