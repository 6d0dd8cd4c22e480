// Questions and answers (docs/protocol.md §8.2): everyone asks — anonymously: the server
// holds a question until three are waiting and publishes them together — and up-votes; the
// facilitator opens and closes the Q&A, approves (moderated rooms), hides and marks answered.
// The wall shows the open Q&A most up-voted first.

import { t, tn } from './i18n.js';
import { h } from './util.js';

// The order every view lists a Q&A's questions in: most up-votes first, then the order they
// were published in (keha::qa_question_order in libkeha; keep the two alike).
export function qaOrder(questions) {
  return Object.entries(questions || {}).sort(([ia, a], [ib, b]) =>
    (b.upvotes || 0) - (a.upvotes || 0) || (a.order || 0) - (b.order || 0) || (ia < ib ? -1 : ia > ib ? 1 : 0));
}

// Ids are "qa<seq>": the latest Q&A is the one with the largest seq.
function bySeq(entries) {
  return entries.sort(([a], [b]) => Number(a.slice(2)) - Number(b.slice(2)));
}

// The Q&A the room is on: the latest open one; for a facilitator, else the latest at all.
export function currentQa(s, facilitator) {
  const all = bySeq(Object.entries(s.qa || {}));
  const open = all.filter(([, q]) => q.status === 'open');
  const pick = open.length ? open[open.length - 1] : facilitator ? all[all.length - 1] : null;
  return pick ? { id: pick[0], qa: pick[1] } : null;
}

// The facilitator's row: open a new Q&A.
function openForm(send, disabled) {
  const title = h('input', { id: 'qa-new-title', maxlength: 200, placeholder: t('qa.new_title'), 'aria-label': t('qa.new_title'), disabled });
  const form = h('form', { class: 'qa-open-form' }, title,
    h('button', { type: 'submit', class: 'small', id: 'qa-open', disabled, text: t('qa.open') }));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = title.value.trim();
    if (!v) { title.focus(); return; }
    send('qa.open', { title: v });
    title.value = '';
  });
  return form;
}

function askForm(id, send) {
  const text = h('textarea', { id: 'qa-ask-text', maxlength: 500, rows: 2, placeholder: t('qa.ask_placeholder'), 'aria-label': t('qa.ask_placeholder') });
  const msg = h('p', { class: 'hint qa-asked', id: 'qa-asked', role: 'status' });
  const form = h('form', { class: 'qa-ask' }, text,
    h('button', { type: 'submit', class: 'primary', id: 'qa-ask', text: t('qa.ask') }), msg);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = text.value.trim();
    if (!v) { text.focus(); return; }
    send('qa.ask', { qa: id, text: v });
    text.value = '';
    msg.textContent = t('qa.asked');
  });
  return form;
}

// One question: its text, up-votes, and the buttons this person has.
function questionRow(id, qid, q, mine, facilitator, open, send) {
  const voted = mine.has(qid);
  const held = q.pending || q.hidden;
  const li = h('li', {
    class: `qa-q${q.answered ? ' answered' : ''}${q.hidden ? ' hidden-q' : ''}${q.pending ? ' pending' : ''}`,
    dataset: { question: qid },
  });
  const count = h('span', { class: 'qa-votes', text: tn('qa.upvotes', q.upvotes || 0) });
  const vote = h('button', {
    type: 'button', class: `small qa-upvote${voted ? ' on' : ''}`, 'aria-pressed': voted ? 'true' : 'false',
    disabled: !open || held, title: t(voted ? 'qa.unvote' : 'qa.upvote'),
    onclick: () => send('qa.upvote', { qa: id, question: qid }),
  }, `▲ ${t(voted ? 'qa.unvote' : 'qa.upvote')}`);
  li.append(h('div', { class: 'qa-side' }, count, vote), h('p', { class: 'qa-text', text: q.text || '' }));
  const flags = [];
  if (q.answered) flags.push(h('span', { class: 'qa-flag answered', text: `✓ ${t('qa.answered')}` }));
  if (q.pending) flags.push(h('span', { class: 'qa-flag pending', text: t('qa.pending') }));
  if (q.hidden) flags.push(h('span', { class: 'qa-flag hidden', text: t('qa.hidden') }));
  if (facilitator) {
    if (q.pending) flags.push(h('button', { type: 'button', class: 'small primary qa-approve', onclick: () => send('qa.approve', { qa: id, question: qid }) }, t('qa.approve')));
    flags.push(h('button', { type: 'button', class: 'small qa-answered', onclick: () => send('qa.answered', { qa: id, question: qid, answered: !q.answered }) },
      t(q.answered ? 'qa.mark_unanswered' : 'qa.mark_answered')));
    flags.push(h('button', { type: 'button', class: 'small qa-hide', onclick: () => send('qa.hide', { qa: id, question: qid, hidden: !q.hidden }) },
      t(q.hidden ? 'qa.unhide' : 'qa.hide')));
  }
  if (flags.length) li.append(h('p', { class: 'qa-flags' }, flags));
  return li;
}

// The Q&A card of the meeting page: for everyone while a Q&A is open; for a facilitator
// always (the form that opens one, and the latest Q&A).
export function renderQa(box, s, me, send) {
  const facilitator = me.role === 'facilitator';
  const canAsk = facilitator || me.role === 'participant';
  const cur = currentQa(s, facilitator);
  const mine = new Set(s.participants?.[me.you]?.qa_upvoted || []);
  const roomOpen = s.room?.status !== 'closed';
  const sig = JSON.stringify([cur, [...mine], facilitator, roomOpen]);
  if (box.dataset.sig === sig) return;
  // Keep a question being written when something else changes.
  const typing = box.querySelector('#qa-ask-text');
  const draft = typing ? typing.value : '';
  const asked = box.querySelector('#qa-asked')?.textContent || '';
  const hadFocus = typing && document.activeElement === typing;
  box.dataset.sig = sig;
  box.textContent = '';
  box.hidden = !cur && !facilitator;
  if (facilitator && (!cur || cur.qa.status !== 'open')) box.append(openForm(send, !roomOpen));
  if (!cur) return;
  const { id, qa } = cur;
  const open = qa.status === 'open' && roomOpen;
  const head = h('div', { class: 'qa-head' }, h('h2', { id: 'qa-title' }, `${t('qa.title')}: `, h('span', { text: qa.title })));
  if (qa.status !== 'open') head.append(h('span', { class: 'qa-flag closed', text: t('qa.closed') }));
  if (facilitator && qa.status === 'open') {
    head.append(h('button', { type: 'button', class: 'small', id: 'qa-close', disabled: !roomOpen, onclick: () => send('qa.close', { qa: id }) }, t('qa.close')));
  }
  box.append(head);
  if (open && canAsk) {
    const form = askForm(id, send);
    box.append(form);
    form.querySelector('#qa-ask-text').value = draft;
    form.querySelector('#qa-asked').textContent = asked;
    if (hadFocus) form.querySelector('#qa-ask-text').focus();
  }
  if (qa.waiting > 0) {
    box.append(h('p', { class: 'hint qa-waiting', id: 'qa-waiting', text: `${tn('qa.waiting', qa.waiting)} — ${t('qa.small_room')}` }));
  }
  const list = qaOrder(qa.questions).filter(([, q]) => facilitator || !(q.pending || q.hidden));
  const pending = qaOrder(qa.questions).filter(([, q]) => q.pending && !q.hidden).length;
  if (!facilitator && pending) box.append(h('p', { class: 'hint qa-pending-count', text: tn('qa.pending_count', pending) }));
  if (!list.length) {
    box.append(h('p', { class: 'hint qa-empty', text: t('qa.empty') }));
    return;
  }
  box.append(h('ol', { class: 'qa-list', id: 'qa-list' }, list.map(([qid, q]) => questionRow(id, qid, q, mine, facilitator, open, send))));
}

// The wall: the open Q&A's questions the room may see, most up-voted first, large.
export function renderQaScreen(box, s) {
  const cur = currentQa(s, false);
  const sig = JSON.stringify(cur);
  if (box.dataset.sig === sig) return !!cur;
  box.dataset.sig = sig;
  box.textContent = '';
  box.hidden = !cur;
  if (!cur) return false;
  const { qa } = cur;
  box.append(h('h2', { class: 's-qa-title' }, `${t('qa.title')}: `, h('span', { text: qa.title })));
  if (qa.waiting > 0) box.append(h('p', { class: 's-qa-waiting', text: tn('qa.waiting', qa.waiting) }));
  const list = qaOrder(qa.questions).filter(([, q]) => !q.pending && !q.hidden);
  if (!list.length) {
    box.append(h('p', { class: 's-qa-empty', text: t('qa.empty') }));
    return true;
  }
  box.append(h('ol', { class: 's-qa-list' }, list.map(([qid, q]) => h('li', {
    class: `s-qa-q${q.answered ? ' answered' : ''}`, dataset: { question: qid },
  }, h('span', { class: 's-qa-votes', text: `▲ ${q.upvotes || 0}`, 'aria-label': tn('qa.upvotes', q.upvotes || 0) }),
  h('span', { class: 's-qa-text', text: q.text || '' }),
  q.answered ? h('span', { class: 's-qa-answered', text: `✓ ${t('qa.answered')}` }) : null))));
  return true;
}
