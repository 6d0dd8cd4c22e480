// Participant and facilitator view: /r/{code}, facilitator with #key=… in the fragment.

import { t, tn, loadLanguage, chosenLanguage, translatePage, languagePicker, language, pick, formatTime } from './i18n.js';
import { h, $, codeFromPath, fragmentParams, prettyCode, session, reconcile, roomToken, forgetRoom, fetchRoom } from './util.js';
import { Connection } from './conn.js';
import { timerReading, showTimer } from './timer.js';
import { BoardView, BOARD_ORDER, renderPhaseCard } from './boards.js';
import { FacilitatorPanel } from './facilitator.js';
import { HistoryView } from './history.js';
import { renderTurnBanner, listensNow } from './turns.js';
import { renderRatings } from './ratings.js';
import { renderQa } from './qa.js';
import { renderPolls } from './polls.js';
import { LobbyWatch } from './lobby.js';
import { importSummary } from './process.js';
import { Announcer } from './announce.js';
import { SpotlightFollow, spotlightOf, renderSpotlightBar } from './spotlight.js';
import { renderPrivateWriting } from './writing.js';

const code = codeFromPath();
const frag = fragmentParams();
const facilitatorKey = frag.get('key') || '';
const screenKey = frag.get('screen') || '';
const processKey = frag.get('pkey') || '';
let history = null; // the history view while it is open
const kind = facilitatorKey ? 'f' : 'p';
// A personal rejoin link (/r/CODE#token=…, "use on another device") makes this device the
// same participant; the token leaves the address bar at once.
if (frag.get('token') && !facilitatorKey) {
  roomToken(code, 'p', { token: frag.get('token') });
  window.history.replaceState(null, '', location.pathname + location.search);
}

let conn = null;
let views = {};
let viewBoard = null; // a board the person chose to look at, or null to follow the phase
const follow = new SpotlightFollow(); // where the facilitator's spotlight takes this person, and back
let lastPhase = null;
let facil = null;
let renderQueued = false;
let joinInfo = null; // {name, group} for a fresh participant
let lobbyWatch = null; // who waits to be let in, for a facilitator (lobby.js)
let announcer = null; // the polite live region's voice (announce.js)

function state() {
  return conn?.state;
}

function me() {
  return { you: conn?.you, role: conn?.role };
}

function isOpen() {
  return state()?.room?.status !== 'closed';
}

function nameOf(pid) {
  const p = state()?.participants?.[pid];
  if (!p) return t('web.people.unknown');
  if (p.name) return p.name;
  return t(`role.${p.role}`);
}

// How long a passing notice stays (its words are also somewhere on the page or were just
// done by the person): long enough to read, and held while the pointer or the focus is on it.
const TOAST_MS = 8000;

// A notice at the corner. An error, and what an import brought, stay until closed (WCAG
// 2.2.1: nobody has to read them in time); every notice has a close button.
export function toast(text, kindClass = '', tag = '') {
  // A toast with a tag replaces the previous one with the same tag (e.g. phase changes).
  if (tag) for (const old of document.querySelectorAll(`.toast[data-tag="${tag}"]`)) old.remove();
  const stays = /\b(error|import-summary)\b/.test(kindClass);
  const el = h('div', { class: `toast ${kindClass}`, role: stays && /\berror\b/.test(kindClass) ? 'alert' : 'status', dataset: tag ? { tag } : undefined },
    h('span', { class: 'toast-text', text }));
  const box = $('#toasts');
  const close = h('button', { type: 'button', class: 'toast-close', 'aria-label': t('web.toast.close'), text: '✕',
    onclick: () => {
      // The focus goes on to the next notice, or back to the page's main content.
      const next = el.nextElementSibling || el.previousElementSibling;
      const hadFocus = el.contains(document.activeElement);
      el.remove();
      if (hadFocus) (next?.querySelector('.toast-close') || document.querySelector('#phase-title'))?.focus();
    } });
  el.append(close);
  el.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') close.click(); });
  box.append(el);
  if (stays) return;
  let timer = 0;
  const arm = () => { clearTimeout(timer); timer = setTimeout(() => el.remove(), TOAST_MS); };
  const held = () => el.matches(':hover') || el.contains(document.activeElement);
  el.addEventListener('pointerenter', () => clearTimeout(timer));
  el.addEventListener('focusin', () => clearTimeout(timer));
  el.addEventListener('pointerleave', () => { if (!held()) arm(); });
  el.addEventListener('focusout', (ev) => { if (!el.contains(ev.relatedTarget) && !el.matches(':hover')) arm(); });
  arm();
}

function send(cmd, args) {
  if (!conn) return null;
  const id = conn.send(cmd, args);
  scheduleRender();
  return id;
}

function pendingAdds(board) {
  return (conn?.outbox || []).filter((c) => c.cmd === 'item.add' && c.args.board === board && !c.applied);
}

const ctx = {
  readOnly: false,
  code,
  me,
  send,
  name: nameOf,
  pending: pendingAdds,
  online: () => conn?.status === 'online',
  open: isOpen,
  toast,
  lang: language,
  rerender: () => scheduleRender(),
  now: () => (conn ? conn.now() : Date.now()),
};

function buildViews() {
  const box = $('#boards');
  box.textContent = '';
  views = {};
  for (const b of BOARD_ORDER) {
    const v = new BoardView(b, ctx);
    v.root.hidden = true;
    v.root.setAttribute('role', 'tabpanel');
    v.root.id = `panel-${b}`;
    v.root.setAttribute('aria-labelledby', `tab-${b}`);
    views[b] = v;
    box.append(v.root);
  }
}

function scheduleRender() {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    render();
  });
}

function currentPhase(s) {
  return (s.phases || []).find((p) => p.id === s.phase) || null;
}

function shownBoard(s) {
  const ph = currentPhase(s);
  const spot = follow.board(s);
  if (spot) return spot;
  if (viewBoard && s.boards?.[viewBoard]) return viewBoard;
  if (ph?.board && s.boards?.[ph.board]) return ph.board;
  return null;
}

let fatalShown = false;

function render() {
  const s = state();
  if (!s || fatalShown) return;
  if (followRoomLanguage(s.room?.language)) return;
  $('#join').hidden = true;
  $('#fatal').hidden = true;
  $('#lobby').hidden = true;
  const entering = $('#app').hidden;
  $('#app').hidden = false;
  $('#skip').hidden = false;
  document.body.classList.toggle('closed', !isOpen());
  document.body.classList.toggle('is-facilitator', conn.role === 'facilitator');

  // Top bar
  $('#room-title').textContent = s.room?.title || '';
  $('#room-code').textContent = prettyCode(s.room?.code || code);
  const lock = $('#room-lock');
  lock.hidden = !s.room?.locked;
  lock.textContent = t('web.room.locked');
  const mine = s.participants?.[conn.you];
  const roleLabel = t(`role.${conn.role}`);
  $('#me').textContent = !mine ? '' : nameOf(conn.you) === roleLabel ? roleLabel : `${nameOf(conn.you)} · ${roleLabel}`;
  document.title = `${s.room?.title || ''} · ${t('app.name')}`;

  // Phase
  const ph = currentPhase(s);
  if (s.phase !== lastPhase) {
    if (lastPhase !== null) {
      viewBoard = null; // follow the facilitator
      if (ph && conn.role !== 'facilitator') toast(t('web.phase.changed', { title: pick(ph.title) }), '', 'phase');
    }
    lastPhase = s.phase;
  }
  const idx = (s.phases || []).indexOf(ph);
  $('#phase-step').textContent = ph ? t('web.phase.step', { n: idx + 1, total: s.phases.length }) : '';
  $('#phase-title').textContent = pick(ph?.title);
  $('#phase-question').textContent = pick(ph?.question);
  renderPhaseCard($('#phase-card'), ph);
  // Coming in from the name step or the lobby, the focus starts at the phase's title (where
  // reading starts), not on the page's body.
  if (entering) {
    const at = document.activeElement;
    if (!at || at === document.body || at.closest('#join, #lobby')) $('#phase-title').focus();
  }
  renderTurnBanner($('#turn-banner'), s, me(), send, nameOf, conn.role === 'facilitator' || !s.room?.settings?.hide_names);
  announcer ||= new Announcer($('#announcer'));
  announcer.turnChanged($('#turn-banner').dataset.say || '');
  announcer.items(s, conn.you);
  renderRatings($('#ratings'), s, me(), send);
  renderQa($('#qa'), s, me(), send);
  renderPolls($('#polls'), s, me(), send);
  renderTimer();

  // Facilitator controls
  if (conn.role === 'facilitator') {
    if (!facil) {
      facil = new FacilitatorPanel($('#facil'), {
        code, key: facilitatorKey, screenKey, processKey, send, toast, state, rerender: scheduleRender, outbox: () => conn.outbox,
        now: () => conn.now(), openHistory, join: () => conn.join,
      });
    }
    $('#facil').hidden = false;
    facil.update(s);
  } else {
    $('#facil').hidden = true;
  }

  // Tabs and boards. A spotlight takes everyone to its board; its release brings each back.
  const moved = follow.observe(s, () => ({ board: viewBoard, scroll: window.scrollY }));
  if (moved === 'release') {
    viewBoard = follow.saved ? follow.saved.board : viewBoard;
    follow.saved = null;
    if (conn.role !== 'facilitator') toast(t('spotlight.released'), '', 'spotlight');
  }
  const shown = shownBoard(s);
  const tabs = $('#tabs');
  // Boards the meeting uses: those a phase shows, and any that already hold items.
  const used = new Set((s.phases || []).map((p) => p.board).filter(Boolean));
  const spotBoard = spotlightOf(s)?.board;
  const boards = BOARD_ORDER.filter((b) => s.boards?.[b] && (used.has(b) || b === spotBoard || Object.keys(s.boards[b].items || {}).length));
  // The ARIA tabs pattern: one tab in the Tab order (the chosen one), the arrow keys, Home
  // and End move between them and show the board (tabsKeys).
  const roving = boards.includes(shown) ? shown : boards[0];
  reconcile(tabs, boards, (b, old) => {
    const el = old || h('button', {
      type: 'button', class: 'tab', role: 'tab', id: `tab-${b}`, 'aria-controls': `panel-${b}`,
      onclick: () => showBoard(b),
    }, h('span', { class: 'tab-label' }), h('span', { class: 'tab-now' }));
    el.firstChild.textContent = t(`board.${b}`);
    const isNow = ph?.board === b;
    el.lastChild.textContent = isNow ? ` ${t('web.tabs.now')}` : '';
    el.lastChild.hidden = !isNow;
    el.classList.toggle('active', b === shown);
    el.classList.toggle('spotlit', b === spotBoard);
    el.setAttribute('aria-selected', b === shown ? 'true' : 'false');
    el.tabIndex = b === roving ? 0 : -1;
    return el;
  });
  const note = $('#board-note');
  note.textContent = '';
  if (viewBoard && ph?.board !== viewBoard && !follow.board(s) && !spotBoard) {
    note.hidden = false;
    note.append(h('span', { text: t(ph?.board ? 'web.tabs.elsewhere' : 'web.tabs.elsewhere_noboard') }), ' ',
      h('button', { type: 'button', class: 'link back-now', onclick: () => { viewBoard = null; scheduleRender(); } },
        ph?.board ? t('web.tabs.back', { board: t(`board.${ph.board}`) }) : t('web.tabs.back_phase')));
  } else if (!shown) {
    note.hidden = false;
    note.append(h('span', { text: t('web.tabs.no_board') }));
  } else {
    note.hidden = true;
  }
  for (const b of BOARD_ORDER) {
    const v = views[b];
    v.root.hidden = b !== shown;
    if (b === shown) v.update(s);
  }
  renderVotesLeft(s, shown);
  const facilitating = conn.role === 'facilitator';
  renderSpotlightBar($('#spotlight-box'), s, {
    facilitator: facilitating, open: isOpen(), send, shown, comeBack: () => { follow.comeBack(); scheduleRender(); },
  });
  renderPrivateWriting($('#writing-box'), s, shown, {
    facilitator: facilitating, screen: false, open: isOpen(), send,
    name: (pid) => (s.participants?.[pid]?.name ? nameOf(pid) : ''),
  });
  follow.afterRender($('#boards'), s);

  renderPeople(s);
  lobbyWatch ||= new LobbyWatch({ send, name: nameOf });
  lobbyWatch.render(s, conn.role === 'facilitator' && isOpen());
}

function showBoard(b) {
  const phb = currentPhase(state())?.board;
  // Looking at another board during a spotlight is allowed; its bar offers the way back.
  if (spotlightOf(state())) {
    if (b === spotlightOf(state()).board) follow.comeBack();
    else follow.lookAway(state());
  }
  viewBoard = b === phb ? null : b;
  scheduleRender();
}

// The left and right arrows (wrapping), Home and End on the board tabs: the focus moves and
// the board is shown (automatic activation: a board is quick to show).
function tabsKeys(ev) {
  const list = [...$('#tabs').querySelectorAll('[role=tab]')];
  const i = list.indexOf(document.activeElement);
  if (i < 0) return;
  const to = ev.key === 'ArrowRight' ? (i + 1) % list.length
    : ev.key === 'ArrowLeft' ? (i - 1 + list.length) % list.length
      : ev.key === 'Home' ? 0 : ev.key === 'End' ? list.length - 1 : -1;
  if (to < 0) return;
  ev.preventDefault();
  list[to].focus();
  showBoard(list[to].dataset.key);
}

// The history replaces the live boards until it is closed; the meeting goes on meanwhile.
function openHistory() {
  if (!facilitatorKey) return;
  const box = $('#history');
  if (!history) {
    history = new HistoryView(box, {
      code, key: facilitatorKey, toast, notes: facil.notesExport,
      onClose: () => {
        // Gone again, so that no old board stays in the page next to the live ones.
        box.hidden = true;
        box.textContent = '';
        history = null;
        $('.layout').hidden = false;
        document.body.classList.remove('in-history');
      },
    });
  }
  box.hidden = false;
  $('.layout').hidden = true;
  document.body.classList.add('in-history');
  history.open();
}

// How many votes the person still has on the board in view (with a vote limit), or has
// given (without one). Their own votes are always in their view, counts kept back or not.
function renderVotesLeft(s, board) {
  const el = $('#votes-left');
  const limit = Number(s.room?.settings?.vote_limit || 0);
  const canVote = conn.role === 'participant' || conn.role === 'facilitator';
  // A running vote on the board shows its own count of votes left (voting.js).
  if (!board || !canVote || !isOpen() || (s.voting?.state === 'running' && s.voting.board === board)) { el.hidden = true; return; }
  const items = Object.values(s.boards?.[board]?.items || {});
  const used = items.filter((it) => Array.isArray(it.voters) && it.voters.includes(conn.you)).length;
  if (!limit && !used) { el.hidden = true; return; }
  const left = limit ? Math.max(0, limit - used) : null;
  const text = !limit ? tn('web.votes.given', used)
    : left === 0 ? tn('web.votes.none_left', limit, { limit }) : t('web.votes.left', { left, limit });
  el.hidden = false;
  el.classList.toggle('spent', left === 0);
  el.dataset.left = left === null ? '' : String(left);
  if (el.textContent !== text) el.textContent = text;
}

function renderTimer() {
  const s = state();
  const el = $('#timer');
  if (!s || !el) return;
  const tm = s.timer || { state: 'idle' };
  facil?.updateEnded(s);
  el.classList.remove('running', 'paused', 'idle', 'low', 'over');
  el.classList.add(tm.state);
  const reading = timerReading(tm, conn.now(), currentPhase(s)?.timebox_s || 0);
  if (reading.mark) el.classList.add(reading.mark);
  announcer?.timerMark(reading.mark);
  showTimer(el, reading);
}

function personLabel(p) {
  if (p.role === 'facilitator') return p.name && p.name !== t('role.facilitator') ? t('role.facilitator') : '';
  return t(`group.${p.group || 'other'}`);
}

let renaming = false;
let renameFocus = null;

// One's own name can be changed (e.g. to a pseudonym) with participant.rename.
function renameForm(p) {
  const input = h('input', { class: 'rename-input', maxlength: 60, value: p.name || '', 'aria-label': t('web.join.name') });
  const done = (save) => {
    const name = input.value.trim();
    renaming = false;
    if (save && name && name !== p.name) send('participant.rename', { name });
    scheduleRender();
  };
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.isComposing) { ev.preventDefault(); done(true); }
    if (ev.key === 'Escape') { ev.preventDefault(); done(false); }
  });
  renameFocus = input;
  return h('li', { class: 'person renaming' },
    h('form', { class: 'rename-form', onsubmit: (ev) => { ev.preventDefault(); done(true); } },
      input,
      h('button', { type: 'submit', class: 'primary small', text: t('web.item.save') }),
      h('button', { type: 'button', class: 'small', onclick: () => done(false), text: t('web.item.cancel') })));
}

function renderPeople(s) {
  const you = conn.you;
  const all = Object.entries(s.participants || {}).filter(([, p]) => !p.removed && p.role !== 'screen' && p.admitted !== false);
  const order = { facilitator: 0, participant: 1 };
  all.sort(([, a], [, b]) => (order[a.role] ?? 2) - (order[b.role] ?? 2) || (b.online === true) - (a.online === true) ||
    String(a.name || '').localeCompare(String(b.name || ''), language()));
  const isFac = conn.role === 'facilitator';
  $('#people-count').textContent = `(${all.filter(([, p]) => p.online).length}/${all.length})`;
  reconcile($('#people'), all.map(([pid]) => pid), (pid, old) => {
    const p = s.participants[pid];
    const sig = JSON.stringify([p, pid === you, isFac, language(), renaming && pid === you]);
    if (old && old.dataset.sig === sig) return old;
    if (pid === you && renaming) {
      const el = renameForm(p);
      el.dataset.sig = sig;
      return el;
    }
    const el = h('li', { class: `person${p.online ? ' online' : ' offline'}${p.hand ? ' hand-up' : ''}` },
      // Filled when here, a ring when not (not by colour alone), and named for a screen reader.
      h('span', { class: 'dot', role: 'img', title: t(p.online ? 'web.people.online' : 'web.people.offline'),
        'aria-label': t(p.online ? 'web.people.online' : 'web.people.offline') }),
      h('span', { class: 'pname' },
        h('span', { class: 'n', text: nameOf(pid) + (pid === you ? ` (${t('web.people.you')})` : '') }),
        h('span', { class: 'g', text: personLabel(p) })),
      p.hand ? h('span', { class: 'hand-icon', title: t('web.hands.up'), text: '✋' }) : null,
      isFac && pid !== you ? facil?.personActions(pid, p) : null,
      pid === you && isOpen() ? h('button', {
        type: 'button', class: 'icon small rename', title: t('web.people.rename'), 'aria-label': t('web.people.rename'),
        onclick: () => { renaming = true; scheduleRender(); },
      }, '✎') : null);
    el.dataset.sig = sig;
    return el;
  });

  if (renameFocus) {
    if (renameFocus.isConnected) { renameFocus.focus(); renameFocus.select(); }
    renameFocus = null;
  }

  // Newcomers waiting in the lobby: the facilitator lets them in.
  const waiting = isFac ? Object.entries(s.participants || {}).filter(([, p]) => !p.removed && p.admitted === false) : [];
  // In a consent room nobody can be let in before the consent is recorded.
  const consentPending = !!s.room?.settings?.consent_required && !s.consent;
  $('#waiting-box').hidden = waiting.length === 0;
  reconcile($('#waiting'), waiting.map(([pid]) => pid), (pid, old) => {
    const p = s.participants[pid];
    const sig = JSON.stringify([p, language(), consentPending]);
    if (old && old.dataset.sig === sig) return old;
    const el = h('li', { class: `person waiting-person${p.online ? ' online' : ' offline'}` },
      h('span', { class: 'dot' }),
      h('span', { class: 'pname' }, h('span', { class: 'n', text: nameOf(pid) }),
        h('span', { class: 'g', text: consentPending ? t('web.consent.waits') : personLabel(p) })),
      h('button', {
        type: 'button', class: 'primary small admit', disabled: consentPending, title: consentPending ? t('web.consent.admit_after') : null,
        onclick: () => send('participant.admit', { pid }),
      }, t('web.facil.admit')));
    el.dataset.sig = sig;
    return el;
  });

  const hands = all.filter(([, p]) => p.hand).sort(([, a], [, b]) => (a.hand_at ?? 0) - (b.hand_at ?? 0));
  $('#hands-box').hidden = hands.length === 0;
  // In an open floor the facilitator gives the floor to a raised hand.
  const floor = isFac && s.turns?.mode === 'hand_queue' && isOpen();
  reconcile($('#hands'), hands.map(([pid]) => pid), (pid, old) => {
    const sig = JSON.stringify([nameOf(pid), pid === you, floor, language()]);
    if (old && old.dataset.sig === sig) return old;
    const el = h('li', null, h('span', { class: 'n', text: nameOf(pid) + (pid === you ? ` (${t('web.people.you')})` : '') }),
      floor ? h('button', { type: 'button', class: 'small give-floor', onclick: () => send('turns.floor.give', { pid }) }, t('web.turns.give_floor')) : null);
    el.dataset.sig = sig;
    return el;
  });

  const hand = $('#hand');
  const up = !!s.participants?.[you]?.hand;
  const canHand = conn.role === 'participant' || conn.role === 'facilitator';
  // A listener in a reflecting team raises no hand (the server refuses it): say why. A hand
  // raised before the stage can still go down.
  const listening = !up && listensNow(s, me());
  hand.hidden = !canHand;
  hand.disabled = !isOpen() || listening;
  hand.classList.toggle('up', up);
  hand.setAttribute('aria-pressed', up ? 'true' : 'false');
  hand.textContent = up ? `✋ ${t('web.hands.lower')}` : `✋ ${t('web.hands.raise')}`;
  const why = $('#hand-why');
  why.hidden = !canHand || !listening;
  why.textContent = listening ? t('web.hands.listening') : '';
  if (listening) {
    hand.title = why.textContent;
    hand.setAttribute('aria-describedby', 'hand-why');
  } else {
    hand.removeAttribute('title');
    hand.removeAttribute('aria-describedby');
  }
}

function setStatus(st) {
  document.body.classList.toggle('conn-lost', st === 'reconnecting' || st === 'connecting');
  const el = $('#conn');
  el.className = `conn ${st === 'lobby' ? 'online' : st}`;
  el.textContent = st === 'online' || st === 'lobby' ? t('web.conn.online')
    : st === 'reconnecting' ? t('web.conn.reconnecting')
      : st === 'connecting' ? t('web.conn.connecting') : '';
  const banner = $('#banner');
  if (st === 'reconnecting') {
    banner.hidden = false;
    banner.className = 'banner warn';
    banner.textContent = t('web.conn.banner');
  } else if (!isOpen() && state()) {
    banner.hidden = false;
    banner.className = 'banner info';
    banner.textContent = t('web.room.closed_banner');
  } else {
    banner.hidden = true;
  }
  scheduleRender();
}

// Waiting to be let in: for the facilitator to admit newcomers, or, in a consent room,
// until a facilitator has recorded the young person's consent. The page says which when
// it can tell (the lobby message's reason, or the room's public facts); otherwise both.
async function showLobby(msg) {
  $('#join').hidden = true;
  $('#app').hidden = true;
  $('#fatal').hidden = true;
  $('#lobby').hidden = false;
  let reason = msg?.reason || msg?.waiting_for || '';
  if (!reason) {
    try {
      const res = await fetchRoom(`/api/rooms/${encodeURIComponent(code)}`);
      const info = res.ok ? await res.json() : {};
      if (info.consent_required === true) reason = info.consent_recorded || info.consent ? 'admit' : 'consent';
      else if (info.consent_required === false) reason = 'admit';
    } catch (_) { /* keep the general text */ }
  }
  const text = reason === 'consent' ? t('web.lobby.consent') : reason === 'admit' ? t('web.lobby.text') : t('web.lobby.either');
  $('#lobby-text').textContent = text;
  $('#lobby').dataset.reason = reason || 'unknown';
}

function showFatal(codeName) {
  const titleKey = codeName === 'removed' ? 'web.fatal.removed_title'
    : codeName === 'room_closed' ? 'web.fatal.closed_title'
      : codeName === 'room_deleted' ? 'web.fatal.deleted_title'
      : codeName === 'locked' ? 'web.fatal.locked_title'
        : codeName === 'unknown_room' ? 'web.fatal.unknown_title'
          : codeName === 'protocol_newer' ? 'web.fatal.protocol_title' : 'web.fatal.title';
  const msgKey = codeName === 'removed' ? 'web.fatal.removed'
    : codeName === 'protocol_newer' ? 'web.fatal.protocol' : `error.${codeName}`;
  $('#fatal-title').textContent = t(titleKey);
  $('#fatal-msg').textContent = t(msgKey);
  $('#fatal-reload').hidden = codeName !== 'protocol_newer';
  $('#app').hidden = true;
  $('#join').hidden = true;
  $('#banner').hidden = true;
  $('#fatal').hidden = false;
  $('#conn').textContent = '';
  fatalShown = true;
}

function onFatal(codeName) {
  if (codeName === 'room_closed' && state()) {
    // Keep the final boards in view; nothing can be changed any more.
    if (state().room) state().room.status = 'closed';
    setStatus('stopped');
    scheduleRender();
    return;
  }
  if (codeName === 'removed' || codeName === 'room_deleted') {
    // A reload should not quietly join again: it asks for the name first.
    session(`keha.join.${code}`, null);
  }
  if (codeName === 'unauthorized' && joinInfo?.rejoin && !facilitatorKey) {
    // A rejoin code that was wrong, used or expired: the person can try again or join by name.
    joinInfo = null;
    showJoin().then(() => {
      $('#rejoin').open = true;
      $('#rejoin-msg').textContent = t('web.rejoin.bad_code');
    });
    return;
  }
  if (['locked', 'invalid', 'bad_request'].includes(codeName) && !state() && !facilitatorKey) {
    showJoin(t(`error.${codeName}`));
    return;
  }
  showFatal(codeName);
}

function onError(err, command) {
  const key = `error.${err.code}`;
  const limit = Number(state()?.room?.settings?.vote_limit || 0);
  if (command?.cmd === 'item.vote' && err.code === 'conflict' && limit > 0) {
    // Over the vote limit: say so in plain words, and how to vote again.
    toast(tn('web.votes.refused', limit, { limit }), 'error vote-refused');
    return;
  }
  if (command?.cmd === 'participant.merge') {
    const why = `web.merge.${err.code}`;
    toast(t('web.facil.merge_refused', { reason: t(why) === why ? t(key) : t(why) }), 'error merge-refused');
    return;
  }
  toast(t(key) === key ? err.message || err.code : t(key), 'error');
  // Give back what was typed if an add was refused.
  if (command?.cmd === 'item.add') {
    const v = views[command.args.board];
    const f = v?.forms.find((x) => x.column === command.args.column);
    if (f && !f.inputs.text.value) f.inputs.text.value = command.args.text;
  }
}

// What an import brought, said once it is done; the process's counts are read again.
function onAck(ack, command) {
  if (command?.cmd !== 'item.import' || !ack.imported) return;
  toast(importSummary(ack.imported), 'import-summary', 'import');
  if (facil?.process?.id) facil.process.load();
}

function start() {
  conn = new Connection({
    room: code,
    kind,
    hello: () => (facilitatorKey ? { key: facilitatorKey } : joinInfo || session(`keha.join.${code}`) || {}),
    canJoinFresh: () => !!facilitatorKey || !!(joinInfo || session(`keha.join.${code}`)),
    onState: (_s, info) => {
      if (info?.welcome && !info.resumed && !facilitatorKey) joinInfo = null;
      scheduleRender();
    },
    onStatus: setStatus,
    onError,
    onAck,
    onFatal,
    onOutbox: () => scheduleRender(),
    onNeedJoin: () => showJoin(),
    onLobby: showLobby,
    onRejoinCode: showRejoinCode,
  });
  conn.connect();
}

// `message` is shown with the form at once, and kept unless the room turns out to be locked.
async function showJoin(message = '') {
  $('#join-msg').textContent = message;
  $('#app').hidden = true;
  $('#fatal').hidden = true;
  $('#join').hidden = false;
  $('#join-room-code').textContent = prettyCode(code);
  const remembered = session('keha.me') || {};
  const nameInput = $('#join-name');
  if (!nameInput.value && remembered.name) nameInput.value = remembered.name;
  if (remembered.group) {
    const r = document.querySelector(`input[name=group][value="${remembered.group}"]`);
    if (r) r.checked = true;
  }
  nameInput.focus();
  try {
    const res = await fetchRoom(`/api/rooms/${encodeURIComponent(code)}`);
    if (res.status === 404) { showFatal('unknown_room'); return; }
    if (res.ok) {
      const info = await res.json();
      $('#join-room-title').textContent = info.title || '';
      followRoomLanguage(info.language);
      if (info.status === 'closed') { showFatal('room_closed'); return; }
      if (info.locked) $('#join-msg').textContent = t('error.locked');
    }
  } catch (_) {
    $('#join-msg').textContent = t('web.conn.no_server');
  }
}

function bindRejoin() {
  $('#rejoin-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const typed = $('#rejoin-code').value.trim();
    if (!typed) { $('#rejoin-code').focus(); return; }
    joinInfo = { rejoin: typed }; // used once: never kept in storage
    $('#rejoin-msg').textContent = '';
    roomToken(code, kind, null); // the code names the person; an old token of this device does not
    if (conn) {
      conn.token = null;
      conn.state = null;
      conn.fatal = false;
      conn.connect();
    } else {
      start();
    }
  });
}

function bindJoin() {
  bindRejoin();
  $('#join-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const name = $('#join-name').value.trim();
    if (!name) { $('#join-name').focus(); return; }
    const group = document.querySelector('input[name=group]:checked')?.value || 'other';
    joinInfo = { name, group };
    session(`keha.join.${code}`, joinInfo);
    session('keha.me', joinInfo);
    $('#join-msg').textContent = '';
    if (conn) {
      conn.fatal = false;
      conn.connect();
    } else {
      start();
    }
  });
}

function showRejoinCode(msg) {
  if ($('#device-link').hidden) return;
  $('#device-code').textContent = msg.code;
  const until = new Date(msg.expires_at_ms - (conn?.clockOffset || 0));
  $('#device-code-until').textContent = t('web.device.code_until', {
    time: formatTime(until),
  });
}

// "This device": carry on elsewhere with a personal link, or make this device forget you.
function bindDevice() {
  const panel = $('#device-link');
  $('#device-other').hidden = !!facilitatorKey; // the facilitator's own link is the key link
  $('#device-other').addEventListener('click', () => {
    const saved = roomToken(code, kind);
    if (!saved?.token) return;
    $('#device-link-url').value = `${location.origin}/r/${code}#token=${encodeURIComponent(saved.token)}`;
    $('#device-code').textContent = '…';
    $('#device-code-until').textContent = '';
    panel.hidden = false;
    conn?.askRejoinCode();
    $('#device-link-url').select();
  });
  $('#device-link-close').addEventListener('click', () => {
    panel.hidden = true;
    $('#device-link-url').value = '';
    $('#device-code').textContent = '';
  });
  $('#device-copy').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText($('#device-link-url').value);
      toast(t('web.device.copied'));
    } catch (_) {
      $('#device-link-url').select(); // copied by hand where the clipboard is not allowed
    }
  });
  const leave = $('#device-leave');
  leave.addEventListener('click', () => {
    if (!leave.classList.contains('confirm')) {
      leave.classList.add('confirm');
      leave.textContent = t('web.device.leave_confirm');
      setTimeout(() => { leave.classList.remove('confirm'); leave.textContent = t('web.device.leave'); }, 4000);
      return;
    }
    conn?.leave();
    forgetRoom(code);
    session('keha.me', null);
    joinInfo = null;
    if (facilitatorKey) { location.replace('/'); return; }
    conn = null;
    panel.hidden = true;
    $('#device-link-url').value = '';
    $('#join-name').value = '';
    showJoin(t('web.device.left'));
  });
}

// Without a choice of the person's own or a browser language of ours, the page speaks the
// room's language once it is known. True when the page is changing language.
let roomLanguageSeen = false;
function followRoomLanguage(roomLanguage) {
  if (roomLanguageSeen || !roomLanguage) return false;
  roomLanguageSeen = true;
  const want = chosenLanguage(roomLanguage);
  if (want === language()) return false;
  $('#lang').value = want;
  changeLanguage(want);
  return true;
}

async function changeLanguage(lang) {
  await loadLanguage(lang);
  translatePage();
  buildViews();
  for (const id of ['#turn-banner', '#phase-card', '#ratings', '#polls', '#votes-left']) {
    const el = $(id);
    el.dataset.sig = '';
    el.dataset.state = '';
  }
  if (facil) { facil.destroy(); facil = null; }
  if (conn) setStatus(conn.status);
  scheduleRender();
}

async function main() {
  await loadLanguage(chosenLanguage());
  translatePage();
  languagePicker($('#lang'), changeLanguage);
  buildViews();
  bindJoin();
  $('#tabs').addEventListener('keydown', tabsKeys);
  $('#hand').addEventListener('click', () => {
    const up = !!state()?.participants?.[conn.you]?.hand;
    send(up ? 'hand.lower' : 'hand.raise', {});
  });
  setInterval(renderTimer, 250);
  $('#fatal-reload button').addEventListener('click', () => location.reload());
  if (!code) { showFatal('unknown_room'); return; }
  bindDevice();
  const hasToken = !!roomToken(code, kind);
  if (facilitatorKey || hasToken || session(`keha.join.${code}`)) start();
  else showJoin();
}

main();
