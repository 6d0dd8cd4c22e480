// Quick polls (docs/protocol.md §8, "Quick polls"): a choice, a 0–10 scale or a word cloud the
// facilitator asks at any moment. Everyone answers once (poll.answer); the answer is anonymous
// and reaches the results only in batches of at least three. Results show to everyone once
// the poll is shown (live from the start, or on the facilitator's reveal); facilitators see
// them as they come.

import { t, tn, pick, formatNumber } from './i18n.js';
import { h } from './util.js';

// Polls people see, newest first: the open ones and those whose results are shown.
export function visiblePolls(s) {
  return Object.values(s.polls || {})
    .filter((p) => p && p.status !== 'prepared' && (p.status === 'open' || p.shown))
    .sort((a, b) => (b.at || 0) - (a.at || 0));
}

// The poll on the wall: the one last opened or shown of those.
export function wallPoll(s) {
  return visiblePolls(s)[0] || null;
}

// The words of a cloud, most given first (ties by the word), with a size step 0–1 by count.
export function cloudWords(results, limit = 60) {
  const words = Object.entries(results?.words || {}).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit);
  const max = Math.max(1, ...words.map(([, n]) => n));
  const min = Math.min(max, ...words.map(([, n]) => n));
  return words.map(([word, n]) => ({ word, n, step: max === min ? 1 : Math.sqrt((n - min) / (max - min)) }));
}

function bars(labels, counts, total) {
  const max = Math.max(1, ...counts);
  return h('ul', { class: 'poll-bars' }, labels.map((label, i) => {
    const n = counts[i] || 0;
    const fill = h('span', { class: 'poll-fill' });
    fill.style.width = `${Math.round((n / max) * 100)}%`;
    const share = total ? Math.round((n / total) * 100) : 0;
    return h('li', { class: 'poll-bar', dataset: { count: String(n) } },
      h('span', { class: 'poll-label', text: label }), h('span', { class: 'poll-track' }, fill),
      h('span', { class: 'poll-n', text: `${formatNumber(n)} (${share} %)` }));
  }));
}

function scaleView(results) {
  const dist = results.distribution || [];
  const max = Math.max(1, ...dist);
  const row = h('div', { class: 'dist poll-dist', 'aria-hidden': 'true' });
  dist.forEach((n, score) => {
    const bar = h('span', { class: 'bar' }, h('span', { class: 'fill' }), h('span', { class: 'score', text: String(score) }));
    bar.firstChild.style.height = `${Math.round((n / max) * 100)}%`;
    bar.title = `${score}: ${n}`;
    row.append(bar);
  });
  const counts = dist.map((n, score) => [score, n]).filter(([, n]) => n > 0).map(([score, n]) => `${score}: ${n}`);
  return [h('p', { class: 'poll-median', text: t('poll.median', { m: formatNumber(results.median ?? 0) }) }), row,
    h('p', { class: 'sr-only', text: `${t('poll.distribution')} ${counts.join(', ')}` })];
}

export function cloudView(results, big) {
  const cloud = h('ul', { class: `poll-cloud${big ? ' big' : ''}`, 'aria-label': t('poll.cloud') });
  for (const { word, n, step } of cloudWords(results)) {
    const li = h('li', { class: 'poll-word', text: word, title: String(n), dataset: { count: String(n) } });
    li.style.setProperty('--step', step.toFixed(3));
    cloud.append(li);
  }
  return cloud;
}

// The results of one poll, or why there are none to show yet.
export function resultsView(poll, big = false) {
  const r = poll.results;
  const box = h('div', { class: 'poll-results' });
  if (!r) {
    const waiting = poll.shown || poll.status === 'closed';
    box.append(h('p', { class: 'hint poll-waiting', text: waiting ? t('poll.waiting', { min: 3 }) : t('poll.hidden') }));
    return box;
  }
  if (r.suppressed) {
    box.append(h('p', { class: 'hint poll-suppressed', text: t('poll.suppressed', { min: r.minimum ?? 3 }) }));
    return box;
  }
  if (poll.kind === 'choice') box.append(bars((poll.options || []).map(pick), r.options || [], r.count || 0));
  else if (poll.kind === 'scale') box.append(...scaleView(r));
  else box.append(cloudView(r, big));
  box.append(h('p', { class: 'hint poll-count', text: tn('poll.counted', r.count || 0) }));
  if (r.withheld) box.append(h('p', { class: 'hint poll-withheld', text: tn('poll.withheld', r.withheld) }));
  return box;
}

function answerForm(poll, send) {
  const form = h('form', { class: 'poll-form', dataset: { poll: poll.id } });
  let args = null;
  if (poll.kind === 'choice') {
    const type = poll.multiple ? 'checkbox' : 'radio';
    const list = h('div', { class: 'poll-options', role: poll.multiple ? 'group' : 'radiogroup', 'aria-label': pick(poll.question) });
    (poll.options || []).forEach((o, i) => {
      const id = `poll-${poll.id}-${i}`;
      list.append(h('label', { class: 'poll-option', for: id }, h('input', { type, name: `poll-${poll.id}`, id, value: String(i) }), h('span', { text: pick(o) })));
    });
    form.append(list);
    if (poll.multiple) form.append(h('p', { class: 'hint', text: t('poll.multiple') }));
    args = () => {
      const choices = [...list.querySelectorAll('input:checked')].map((i) => Number(i.value));
      return choices.length ? { choices } : null;
    };
  } else if (poll.kind === 'scale') {
    const scale = h('div', { class: 'scale', role: 'radiogroup', 'aria-label': pick(poll.question) });
    for (let v = 0; v <= 10; v++) {
      const id = `poll-${poll.id}-${v}`;
      scale.append(h('input', { type: 'radio', name: `poll-${poll.id}`, id, value: String(v) }), h('label', { for: id, text: String(v) }));
    }
    form.append(scale, h('p', { class: 'scale-ends', text: t('poll.scale_ends') }));
    args = () => {
      const on = scale.querySelector('input:checked');
      return on ? { value: Number(on.value) } : null;
    };
  } else {
    const inputs = [0, 1, 2].map((i) => h('input', { type: 'text', class: 'poll-word-input', maxlength: 40, 'aria-label': t('poll.word', { n: i + 1 }), placeholder: t('poll.word', { n: i + 1 }) }));
    form.append(h('div', { class: 'poll-words' }, inputs), h('p', { class: 'hint', text: t('poll.words_hint') }));
    args = () => {
      const words = inputs.map((i) => i.value.trim()).filter(Boolean);
      return words.length ? { words } : null;
    };
  }
  const msg = h('p', { class: 'msg', role: 'alert' });
  form.append(msg, h('button', { type: 'submit', class: 'primary poll-submit', text: t('poll.submit') }));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const a = args();
    if (!a) { msg.textContent = t('poll.pick'); return; }
    send('poll.answer', { poll: poll.id, ...a });
  });
  return form;
}

function facilitatorActions(poll, send) {
  const row = h('p', { class: 'poll-actions' });
  if (poll.status === 'open') row.append(h('button', { type: 'button', class: 'small poll-close', onclick: () => send('poll.close', { poll: poll.id }) }, t('poll.close')));
  row.append(h('button', { type: 'button', class: 'small poll-reveal', onclick: () => send('poll.reveal', { poll: poll.id, shown: !poll.shown }) },
    t(poll.shown ? 'poll.unreveal' : 'poll.reveal')),
  h('button', { type: 'button', class: 'small danger poll-remove', onclick: () => send('poll.remove', { poll: poll.id }) }, t('poll.remove')));
  return row;
}

function pollCard(poll, s, me, send) {
  const answered = (s.participants?.[me.you]?.polls_answered || []).includes(poll.id);
  const canAnswer = (me.role === 'participant' || me.role === 'facilitator') && poll.status === 'open' && !answered;
  const facilitator = me.role === 'facilitator';
  const card = h('article', { class: `poll poll-${poll.kind}`, dataset: { poll: poll.id, status: poll.status } },
    h('h2', { class: 'poll-question', text: pick(poll.question) }),
    h('p', { class: 'hint poll-meta', text: [tn('poll.answered', poll.answered || 0), t(poll.status === 'open' ? 'poll.open_now' : 'poll.closed')].join(' · ') }));
  if (canAnswer) card.append(h('p', { class: 'hint poll-anon', text: t(poll.about_self ? 'poll.anonymous_self' : 'poll.anonymous') }), answerForm(poll, send));
  else if (answered && poll.status === 'open') card.append(h('p', { class: 'poll-thanks', text: t('poll.thanks') }));
  if (!canAnswer || facilitator) card.append(resultsView(poll));
  if (facilitator) card.append(facilitatorActions(poll, send));
  return card;
}

// The polls card on a person's page: each open poll to answer, results once shown.
// Facilitators also see every poll they ran, with its results as they come.
export function renderPolls(box, s, me, send) {
  const polls = me.role === 'facilitator'
    ? Object.values(s.polls || {}).filter((p) => p.status !== 'prepared').sort((a, b) => (b.at || 0) - (a.at || 0))
    : visiblePolls(s);
  const answered = s.participants?.[me.you]?.polls_answered || [];
  const sig = JSON.stringify([polls, answered, me.role]);
  if (box.dataset.sig === sig) return;
  box.dataset.sig = sig;
  // A form being filled in moves into the new card: half-given answers are not thrown away.
  const forms = new Map([...box.querySelectorAll('.poll-form')].map((f) => [f.dataset.poll, f]));
  box.textContent = '';
  box.hidden = !polls.length;
  for (const poll of polls.slice(0, 5)) {
    const card = pollCard(poll, s, me, send);
    const fresh = card.querySelector('.poll-form');
    if (fresh && forms.has(poll.id)) fresh.replaceWith(forms.get(poll.id));
    box.append(card);
  }
}

// The wall: the poll last opened or shown, big — its question, how many answered, the results
// once shown (a word cloud sized by count), and how to answer.
export function renderPollScreen(box, s) {
  const poll = wallPoll(s);
  const sig = JSON.stringify(poll);
  if (box.dataset.sig === sig) return !!poll;
  box.dataset.sig = sig;
  box.textContent = '';
  box.hidden = !poll;
  if (!poll) return false;
  box.dataset.kind = poll.kind;
  box.append(h('h2', { class: 's-poll-question', text: pick(poll.question) }),
    h('p', { class: 's-poll-count', text: `${tn('poll.answered', poll.answered || 0)} · ${t(poll.status === 'open' ? 'poll.answer_now' : 'poll.closed')}` }));
  if (poll.results) box.append(resultsView(poll, true));
  else if (poll.status === 'closed' || poll.shown) box.append(resultsView(poll, true));
  return true;
}

// The facilitator's launcher: the template's prepared polls, and the short form.
export class PollControls {
  constructor(send) {
    this.send = send;
    this.prepared = h('span', { class: 'poll-prepared' });
    this.form = this.buildForm();
    this.newBtn = h('button', { type: 'button', id: 'poll-new', onclick: () => { this.form.hidden = !this.form.hidden; } }, t('poll.new'));
    this.root = h('div', { class: 'fgroup polls' }, h('span', { class: 'flabel', text: t('poll.label') }), this.prepared, this.newBtn, this.form);
  }

  buildForm() {
    const kind = h('select', { id: 'poll-kind', 'aria-label': t('poll.kind') },
      ['choice', 'scale', 'words'].map((k) => h('option', { value: k, text: t(`poll.kind.${k}`) })));
    const question = h('input', { type: 'text', id: 'poll-question', maxlength: 300, required: true, placeholder: t('poll.question'), 'aria-label': t('poll.question') });
    const options = h('textarea', { id: 'poll-options', rows: 3, placeholder: t('poll.options'), 'aria-label': t('poll.options') });
    const multiple = h('input', { type: 'checkbox', id: 'poll-multiple' });
    const aboutSelf = h('input', { type: 'checkbox', id: 'poll-about-self' });
    const show = h('select', { id: 'poll-show', 'aria-label': t('poll.show') },
      h('option', { value: 'live', text: t('poll.show.live') }), h('option', { value: 'reveal', text: t('poll.show.reveal') }));
    const choiceOnly = h('span', { class: 'poll-choice-only' }, options, h('label', { class: 'toggle' }, multiple, h('span', { text: t('poll.multiple_allowed') })));
    kind.addEventListener('change', () => { choiceOnly.hidden = kind.value !== 'choice'; });
    // A poll about people's own experience is better shown on reveal: suggested, not forced.
    aboutSelf.addEventListener('change', () => { if (aboutSelf.checked) show.value = 'reveal'; });
    const msg = h('span', { class: 'msg', role: 'alert' });
    const form = h('form', { class: 'poll-new-form', id: 'poll-form', hidden: true }, kind, question, choiceOnly,
      h('label', { class: 'toggle', title: t('poll.about_self_hint') }, aboutSelf, h('span', { text: t('poll.about_self') })), show, msg,
      h('button', { type: 'submit', class: 'primary', id: 'poll-launch', text: t('poll.launch') }));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const args = { kind: kind.value, question: question.value.trim(), about_self: aboutSelf.checked, show: show.value };
      if (kind.value === 'choice') {
        args.options = options.value.split('\n').map((o) => o.trim()).filter(Boolean);
        args.multiple = multiple.checked;
        if (args.options.length < 2) { msg.textContent = t('poll.options_needed'); return; }
      }
      if (!args.question) { msg.textContent = t('poll.question_needed'); return; }
      msg.textContent = '';
      this.send('poll.open', args);
      question.value = options.value = '';
      form.hidden = true;
    });
    return form;
  }

  update(s) {
    const prepared = Object.values(s.polls || {}).filter((p) => p.status === 'prepared');
    const sig = JSON.stringify(prepared.map((p) => [p.id, p.question]));
    this.newBtn.disabled = s.room?.status === 'closed';
    if (this.prepared.dataset.sig === sig) return;
    this.prepared.dataset.sig = sig;
    this.prepared.textContent = '';
    for (const p of prepared)
      this.prepared.append(h('button', { type: 'button', class: 'small poll-open-prepared', dataset: { prepared: p.id }, title: t('poll.open_prepared'),
        onclick: () => this.send('poll.open', { prepared: p.id }) }, pick(p.question)));
  }
}
