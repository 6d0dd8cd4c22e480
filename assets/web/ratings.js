// The closing questionnaire: anonymous 0–10 questions (rating.submit), its results as
// counts, medians and distributions (withheld below three answers), and the
// facilitator's open/close. Scores never come back into the state, only aggregates.

import { t, tn, pick, formatNumber } from './i18n.js';
import { h } from './util.js';

// The comments as a facilitator reviews them after the close: all of them, each with its
// "show on the wall" switch. The server gives everyone else only the ones switched on.
function commentReview(results, send) {
  const comments = results.comments || [];
  const shown = new Set(results.comments_shown || []);
  const list = h('ul', { class: 'rq-comments review', id: 'comment-review' }, comments.map((c, i) => {
    const box = h('input', { type: 'checkbox', class: 'comment-show', checked: shown.has(i), dataset: { index: String(i) } });
    box.addEventListener('change', () => send('ratings.comment.show', { index: i, shown: box.checked }));
    return h('li', { class: shown.has(i) ? 'shown' : '' }, h('span', { class: 'comment-text', text: c }),
      h('label', { class: 'toggle comment-toggle' }, box, h('span', { text: t('web.ratings.comment_show') })));
  }));
  const all = shown.size === comments.length;
  return h('div', { class: 'comment-review' },
    h('h3', { text: t('web.ratings.comments') }),
    h('p', { class: 'hint', text: t('web.ratings.comments_review') }),
    h('p', { class: 'comment-actions' },
      h('span', { class: 'hint comments-shown', text: t('web.ratings.comments_shown', { n: shown.size, total: comments.length }) }),
      h('button', { type: 'button', class: 'small', id: 'comments-all', onclick: () => send('ratings.comment.show', { shown: !all }) },
        t(all ? 'web.ratings.comments_hide_all' : 'web.ratings.comments_show_all'))),
    list);
}

function resultsView(results, big, send) {
  const box = h('div', { class: `ratings-results${big ? ' big' : ''}` }, h('h2', { text: t('web.ratings.results') }));
  if (!results || results.suppressed) {
    box.append(h('p', { class: 'hint', text: t('web.ratings.suppressed', { min: results?.minimum ?? 3 }) }));
    return box;
  }
  for (const q of results.questions || []) {
    const row = h('div', { class: 'rq' }, h('p', { class: 'rq-text', text: pick(q.text) }));
    if (q.suppressed) {
      row.append(h('p', { class: 'hint', text: t('web.ratings.suppressed', { min: results.minimum ?? 3 }) }));
    } else {
      row.append(h('p', { class: 'rq-median', text: tn('web.ratings.median', q.count, { m: formatNumber(q.median) }) }));
      const dist = q.distribution || [];
      const max = Math.max(1, ...dist);
      const bars = h('div', { class: 'dist', 'aria-hidden': 'true' });
      dist.forEach((n, score) => {
        const bar = h('span', { class: 'bar' }, h('span', { class: 'fill' }), h('span', { class: 'score', text: String(score) }));
        bar.firstChild.style.height = `${Math.round((n / max) * 100)}%`;
        bar.title = `${score}: ${n}`;
        bars.append(bar);
      });
      // The bars are hidden from a screen reader: it reads the same counts as a line of text.
      const counts = dist.map((n, score) => [score, n]).filter(([, n]) => n > 0).map(([score, n]) => `${score}: ${n}`);
      row.append(bars, h('p', { class: 'sr-only rq-dist-text', text: `${t('notes.distribution')} ${counts.join(', ')}` }));
    }
    box.append(row);
  }
  if (send && Array.isArray(results.comments_shown) && (results.comments || []).length) {
    box.append(commentReview(results, send));
  } else if ((results.comments || []).length) {
    box.append(h('h3', { text: t('web.ratings.comments') }),
      h('ul', { class: 'rq-comments' }, results.comments.map((c) => h('li', { text: c }))));
  }
  return box;
}

// The questionnaire for a participant, or the thanks, or the results once closed.
export function renderRatings(box, s, me, send) {
  const r = s.ratings;
  const rated = !!s.participants?.[me.you]?.rated;
  const canAnswer = me.role === 'participant' || me.role === 'facilitator';
  const state = !r || !(r.questions || []).length ? 'none'
    : r.open ? (rated ? 'thanks' : canAnswer ? 'ask' : 'none')
      : r.results ? 'results' : 'none';
  const sig = JSON.stringify([state, state === 'results' ? r.results : null, state === 'ask' ? r.questions : null]);
  if (box.dataset.sig === sig) return;
  // Do not throw away half-given answers when something else changes.
  if (box.dataset.state === 'ask' && state === 'ask') return;
  box.dataset.sig = sig;
  box.dataset.state = state;
  box.textContent = '';
  box.hidden = state === 'none';
  if (state === 'thanks') {
    box.append(h('p', { class: 'ratings-thanks', text: t('web.ratings.thanks') }));
  } else if (state === 'results') {
    // Only a facilitator's copy carries comments_shown: it gets the review switches.
    box.append(resultsView(r.results, false, me.role === 'facilitator' ? send : null));
  } else if (state === 'ask') {
    const form = h('form', { class: 'ratings-form' },
      h('h2', { text: t('web.ratings.title') }),
      h('p', { class: 'hint', text: t('web.ratings.lead') }));
    const answers = {};
    for (const q of r.questions) {
      const scale = h('div', { class: 'scale', role: 'radiogroup', 'aria-label': pick(q.text) });
      for (let v = 0; v <= 10; v++) {
        const id = `rq-${q.id}-${v}`;
        const input = h('input', { type: 'radio', name: `rq-${q.id}`, id, value: String(v) });
        input.addEventListener('change', () => { answers[q.id] = v; });
        scale.append(input, h('label', { for: id, text: String(v) }));
      }
      form.append(h('fieldset', { class: 'rq', dataset: { question: q.id } },
        h('legend', { text: pick(q.text) }), scale, h('p', { class: 'scale-ends', text: t('web.ratings.scale') })));
    }
    const comment = h('textarea', { class: 'ratings-comment', maxlength: 2000, rows: 2, 'aria-label': t('web.ratings.comment'), placeholder: t('web.ratings.comment') });
    const msg = h('p', { class: 'msg', role: 'alert' });
    form.append(comment, msg, h('button', { type: 'submit', class: 'primary', id: 'ratings-submit', text: t('web.ratings.submit') }));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (!Object.keys(answers).length) { msg.textContent = t('web.ratings.pick'); return; }
      const args = { answers: { ...answers } };
      if (comment.value.trim()) args.comment = comment.value.trim();
      send('rating.submit', args);
    });
    box.append(form);
  }
}

// On the wall: how many have answered while open, the results once closed.
export function renderRatingsScreen(box, s) {
  const r = s.ratings;
  const state = !r || !(r.questions || []).length ? 'none' : r.open ? 'open' : r.results ? 'results' : 'none';
  const sig = JSON.stringify([state, r?.answered, state === 'results' ? r.results : null]);
  if (box.dataset.sig === sig) return;
  box.dataset.sig = sig;
  box.textContent = '';
  box.hidden = state === 'none';
  if (state === 'open') {
    box.append(h('h2', { text: t('web.ratings.title') }), h('p', { class: 'ratings-count', text: t('web.ratings.answered', { n: r.answered || 0 }) }));
  } else if (state === 'results') {
    box.append(resultsView(r.results, true));
  }
}

// The facilitator's open/close buttons and the count.
export class RatingControls {
  constructor(send) {
    this.openBtn = h('button', { type: 'button', id: 'ratings-open', onclick: () => send('ratings.open', {}) }, t('web.ratings.open'));
    this.closeBtn = h('button', { type: 'button', id: 'ratings-close', onclick: () => send('ratings.close', {}) }, t('web.ratings.close'));
    this.count = h('span', { class: 'hint ratings-count' });
    this.root = h('div', { class: 'fgroup ratings' }, h('span', { class: 'flabel', text: t('web.ratings.label') }), this.openBtn, this.closeBtn, this.count);
  }

  update(s) {
    const r = s.ratings;
    const has = !!(r && (r.questions || []).length);
    this.root.hidden = !has;
    if (!has) return;
    const open = s.room?.status !== 'closed';
    this.openBtn.hidden = !!r.open;
    this.closeBtn.hidden = !r.open;
    this.openBtn.disabled = this.closeBtn.disabled = !open;
    this.count.textContent = r.open || r.answered ? t('web.ratings.answered', { n: r.answered || 0 }) : '';
  }
}
