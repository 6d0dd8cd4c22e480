// Projector view: /screen/{code}#key={screen_key}. Read-only, large type, the join code
// and QR code, the current board, the timer, raised hands; no names when the room hides them.

import { t, loadLanguage, translatePage, language, LANGS, pick } from './i18n.js';
import { h, $, codeFromPath, fragmentParams, prettyCode, reconcile } from './util.js';
import { Connection } from './conn.js';
import { timerReading, showTimer } from './timer.js';
import { BoardView, BOARD_ORDER, renderPhaseCard } from './boards.js';
import { renderTurnScreen } from './turns.js';
import { renderRatingsScreen } from './ratings.js';
import { renderQaScreen } from './qa.js';
import { renderPollScreen } from './polls.js';
import { wallTheme, applyWallTheme, WallSound } from './wall.js';
import { spotlightOf, scrollToSpot } from './spotlight.js';
import { renderPrivateWriting } from './writing.js';

const code = codeFromPath();
const frag = fragmentParams();
const key = frag.get('key') || '';
let conn = null;
let views = {};
let lang = null;
let queued = false;
const sound = new WallSound();

const state = () => conn?.state;
// The room setting may sit at room.hide_names or room.settings.hide_names.
const hideNames = () => !!(state()?.room?.hide_names ?? state()?.room?.settings?.hide_names);

function nameOf(pid) {
  if (hideNames()) return '';
  const p = state()?.participants?.[pid];
  return p?.name || '';
}

const ctx = {
  readOnly: true,
  screen: true,
  code,
  me: () => ({ you: conn?.you, role: 'screen' }),
  send: () => null,
  name: nameOf,
  pending: () => [],
  online: () => true,
  open: () => true,
  toast: () => {},
  lang: language,
  rerender: () => schedule(),
  now: () => (conn ? conn.now() : Date.now()),
};

function buildViews() {
  const box = $('#s-boards');
  box.textContent = '';
  views = {};
  for (const b of BOARD_ORDER) {
    views[b] = new BoardView(b, ctx);
    views[b].root.hidden = true;
    box.append(views[b].root);
  }
}

// A box another view has taken the wall from; its renderer draws it afresh when it is back.
function setAside(box) {
  box.hidden = true;
  delete box.dataset.sig;
}

function schedule() {
  if (queued) return;
  queued = true;
  requestAnimationFrame(() => { queued = false; render(); });
}

async function ensureLanguage(s) {
  // The projector speaks the room's language unless the fragment says otherwise (#lang=sv).
  const wanted = LANGS.includes(frag.get('lang')) ? frag.get('lang') : (LANGS.includes(s.room?.language) ? s.room.language : 'fi');
  if (wanted === lang) return false;
  lang = wanted;
  await loadLanguage(wanted);
  translatePage();
  buildViews();
  showSound();
  return true;
}

async function render() {
  const s = state();
  if (!s) return;
  if (await ensureLanguage(s)) { schedule(); return; }
  $('#fatal').hidden = true;
  $('#screen').hidden = false;
  applyWallTheme(wallTheme(s));
  document.title = `${s.room?.title || ''} · ${t('app.name')}`;
  const phases = s.phases || [];
  const ph = phases.find((p) => p.id === s.phase);
  $('#s-step').textContent = ph ? `${s.room?.title || ''} · ${t('web.phase.step', { n: phases.indexOf(ph) + 1, total: phases.length })}` : '';
  $('#s-title').textContent = pick(ph?.title);
  $('#s-question').textContent = pick(ph?.question);
  renderPhaseCard($('#s-card'), ph);
  renderTurnScreen($('#s-turns'), s, (pid) => nameOf(pid) || t('web.people.unknown'), hideNames());
  renderRatingsScreen($('#s-ratings'), s);
  $('#s-code').textContent = prettyCode(s.room?.code || code);
  // The server's address for joining (--public-url or its network address), not this page's host.
  $('#s-url').textContent = conn.join?.address || location.host;
  // The wall's main area, first match wins: a spotlight (spotlight.js), the poll put on the
  // wall (polls.js), an open Q&A (qa.js), the phase's board.
  const spot = spotlightOf(s);
  const pollOn = !spot && renderPollScreen($('#s-poll'), s);
  const qaOn = !spot && !pollOn && renderQaScreen($('#s-qa'), s);
  if (spot) setAside($('#s-poll'));
  if (spot || pollOn) setAside($('#s-qa'));
  const board = spot ? spot.board : !qaOn && ph?.board && s.boards?.[ph.board] ? ph.board : null;
  const spotNote = $('#s-spotlight');
  spotNote.hidden = !spot;
  spotNote.textContent = spot ? `◉ ${t('board.' + spot.board)}` : '';
  document.body.classList.toggle('spotlight', !!spot);
  renderPrivateWriting($('#s-writing'), s, board, { screen: true, name: nameOf });
  for (const b of BOARD_ORDER) {
    views[b].root.hidden = b !== board;
    if (b === board) views[b].update(s);
  }
  const nob = $('#s-noboard');
  nob.hidden = !!board || qaOn;
  nob.textContent = board ? '' : (ph?.question ? '' : t('web.screen.welcome'));
  document.body.classList.toggle('no-board', !board && !qaOn);
  document.body.classList.toggle('poll-on', pollOn);
  document.body.classList.toggle('closed', s.room?.status === 'closed');
  const banner = $('#banner');
  if (s.room?.status === 'closed') {
    banner.hidden = false;
    banner.className = 'banner info';
    banner.textContent = t('web.room.closed_banner');
  } else if (conn.status === 'reconnecting') {
    banner.hidden = false;
    banner.className = 'banner warn';
    banner.textContent = t('web.conn.reconnecting');
  } else {
    banner.hidden = true;
  }

  // Hands and presence
  const people = Object.entries(s.participants || {}).filter(([, p]) => !p.removed && p.role !== 'screen');
  const hands = people.filter(([, p]) => p.hand).sort(([, a], [, b]) => (a.hand_at ?? 0) - (b.hand_at ?? 0));
  $('#s-hands').hidden = hands.length === 0;
  const list = $('#s-hand-list');
  if (hideNames()) {
    list.hidden = true;
    $('#s-hand-count').textContent = `✋ ${hands.length}`;
  } else {
    list.hidden = false;
    $('#s-hand-count').textContent = '';
    reconcile(list, hands.map(([pid]) => pid), (pid, old) => {
      const el = old || h('li');
      el.textContent = `✋ ${nameOf(pid) || t('web.people.unknown')}`;
      return el;
    });
  }
  const online = people.filter(([, p]) => p.online).length;
  $('#s-people').textContent = t('web.screen.present', { n: online });
  renderTimer();
  fitBoard();
  // A new spotlight: the wall goes to it (a board that had to scroll, a long column).
  if (spot && spot.at !== lastSpotAt) scrollToSpot($('#s-boards'), s);
  lastSpotAt = spot ? spot.at : null;
}

let lastSpotAt = null;

// A crowded board shrinks its type to fit the wall; a board (or a side column) that still
// does not fit — a long one, or the page zoomed to 200 % or more — is shown at full size
// and the page scrolls down instead: nothing is cut off (WCAG 1.4.4, 1.4.10).
function fitBoard() {
  const box = $('#s-boards');
  const side = $('.s-side');
  const body = document.body;
  body.classList.remove('s-scrolls');
  let fit = 1;
  box.style.setProperty('--fit', '1');
  const over = (el) => el.scrollHeight > el.clientHeight + 2;
  while (over(box) && fit > 0.55) {
    fit -= 0.05;
    box.style.setProperty('--fit', fit.toFixed(2));
  }
  if (over(box) || over(side)) {
    box.style.setProperty('--fit', '1');
    body.classList.add('s-scrolls');
  }
}

window.addEventListener('resize', () => schedule());

function renderTimer() {
  const s = state();
  const el = $('#s-timer');
  if (!s) return;
  const tm = s.timer || { state: 'idle' };
  el.className = `s-timer timer ${tm.state}`;
  const reading = timerReading(tm, conn.now());
  if (reading.mark) el.classList.add(reading.mark);
  el.hidden = !reading.text;
  showTimer(el, reading);
  sound.observe(tm, reading.mark);
}

// This projector's own sound switch (off until someone here turns it on).
function showSound() {
  const b = $('#s-sound');
  b.textContent = '';
  b.append(h('span', { class: 's-sound-mark', 'aria-hidden': 'true', text: sound.on ? '✓' : '' }), t('wall.sound'));
  b.title = t(sound.on ? 'wall.sound_on' : 'wall.sound_off');
  b.setAttribute('aria-pressed', sound.on ? 'true' : 'false');
}

function fatal(codeName) {
  $('#screen').hidden = true;
  $('#fatal').hidden = false;
  $('#fatal-title').textContent = t(codeName === 'room_closed' ? 'web.fatal.closed_title'
    : codeName === 'room_deleted' ? 'web.fatal.deleted_title'
      : codeName === 'protocol_newer' ? 'web.fatal.protocol_title' : 'web.fatal.title');
  $('#fatal-msg').textContent = t(codeName === 'unauthorized' ? 'web.screen.bad_key'
    : codeName === 'protocol_newer' ? 'web.fatal.protocol' : `error.${codeName}`);
  $('#fatal-reload').hidden = codeName !== 'protocol_newer';
}

async function main() {
  lang = LANGS.includes(frag.get('lang')) ? frag.get('lang') : 'fi';
  await loadLanguage(lang);
  translatePage();
  buildViews();
  showSound();
  $('#s-sound').addEventListener('click', () => { sound.toggle(); showSound(); });
  $('#fatal-reload button').addEventListener('click', () => location.reload());
  $('#s-qr').src = `/api/rooms/${code}/qr.svg`;
  $('#s-qr').alt = t('web.screen.qr_alt');
  if (!key) { fatal('unauthorized'); return; }
  conn = new Connection({
    room: code,
    kind: 's',
    hello: () => ({ key }),
    canJoinFresh: () => true,
    onState: schedule,
    onStatus: schedule,
    onFatal: (c) => {
      if (c === 'room_closed' && state()) { state().room.status = 'closed'; schedule(); return; }
      fatal(c);
    },
  });
  conn.connect();
  setInterval(renderTimer, 250);
}

main();
