// Join page: a big field for the room code; checks the room and opens /r/{code}, where
// the name step follows. A facilitator can also start a new meeting here.

import { t, loadLanguage, chosenLanguage, translatePage, languagePicker, language, pick, LANGS } from './i18n.js';
import { $, h, normalizeCode, looksLikeCode, prettyCode, fetchRoom, httpErrorKey } from './util.js';

let templates = [];
// A process chosen by a link (#process=…&pkey=…, made by a meeting of the process).
const fragParams = new URLSearchParams(location.hash.slice(1));
const linked = fragParams.get('process') && fragParams.get('pkey')
  ? { id: fragParams.get('process'), key: fragParams.get('pkey'), title: '', teams: [] } : null;

function teamsTyped() {
  return [...new Set($('#create-process-teams').value.split(/[\n,]/).map((x) => x.trim()).filter(Boolean))];
}

// The process choice: none, a new one (title, teams), or the linked one; then the team.
function fillProcess() {
  const sel = $('#create-process');
  const prev = sel.value || (linked ? 'linked' : 'none');
  sel.textContent = '';
  sel.append(h('option', { value: 'none', text: t('web.process.none') }), h('option', { value: 'new', text: t('web.process.new') }));
  if (linked) sel.append(h('option', { value: 'linked', text: t('web.process.existing', { title: linked.title || linked.id }) }));
  sel.value = prev;
  $('#create-process-new').hidden = sel.value !== 'new';
  const teams = sel.value === 'new' ? teamsTyped() : sel.value === 'linked' ? linked.teams : [];
  const team = $('#create-team');
  const prevTeam = team.value;
  team.textContent = '';
  team.append(h('option', { value: '', text: t('web.process.team_none') }));
  for (const name of teams) team.append(h('option', { value: name, text: name }));
  team.value = teams.includes(prevTeam) ? prevTeam : '';
  $('#create-team-label').hidden = teams.length === 0;
}

async function loadLinkedProcess() {
  if (!linked) return;
  try {
    const res = await fetch(`/api/processes/${encodeURIComponent(linked.id)}`, { headers: { Authorization: `Bearer ${linked.key}` }, cache: 'no-store' });
    if (res.ok) {
      const p = await res.json();
      linked.title = p.title || '';
      linked.teams = Array.isArray(p.teams) ? p.teams : [];
    }
  } catch (_) { /* the id is shown instead */ }
  fillProcess();
}

function templateTitle(tpl) {
  return pick(tpl.title) || tpl.id;
}

function fillCreate() {
  const sel = $('#create-template');
  const prev = sel.value;
  sel.textContent = '';
  for (const tpl of templates) sel.append(h('option', { value: tpl.id, text: templateTitle(tpl) }));
  if (!templates.length) sel.append(h('option', { value: '', text: t('web.create.default_template') }));
  // The server marks the template it uses when none is given: that one is chosen first.
  const marked = templates.find((tpl) => tpl.default === true);
  if (prev) sel.value = prev;
  else if (marked) sel.value = marked.id;
  const lang = $('#create-language');
  const prevLang = lang.value || language();
  lang.textContent = '';
  for (const l of LANGS) lang.append(h('option', { value: l, text: t(`web.lang.${l}`) }));
  lang.value = prevLang;
}

async function checkCode(ev) {
  ev.preventDefault();
  const input = $('#code');
  const msg = $('#code-msg');
  const code = normalizeCode(input.value);
  msg.textContent = '';
  if (!looksLikeCode(code)) {
    msg.textContent = t('web.join.bad_code');
    input.focus();
    return;
  }
  try {
    const res = await fetchRoom(`/api/rooms/${code}`);
    if (res.status === 404) {
      msg.textContent = t('error.unknown_room');
      input.select();
      return;
    }
    if (res.status === 429) {
      msg.textContent = t('web.join.code_throttled');
      return;
    }
    if (!res.ok) {
      msg.textContent = t(res.status === 503 ? await httpErrorKey(res, 'error.unavailable') : 'web.conn.no_server');
      return;
    }
    const room = await res.json();
    if (room.status === 'closed') {
      msg.textContent = t('error.room_closed');
      return;
    }
    if (room.locked) {
      msg.textContent = t('error.locked');
      return;
    }
    location.href = `/r/${code}`;
  } catch (_) {
    msg.textContent = t('web.conn.no_server');
  }
}

// Creating needs the organizer key on a server that has one: the field shows when the server
// first asks for it (401), and the key goes in the Authorization header, never in a URL.
function organizerHeaders() {
  const key = $('#create-organizer-key').value.trim();
  return key ? { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` } : { 'Content-Type': 'application/json' };
}

function organizerRefusal(res, msg) {
  if (res.status !== 401 && res.status !== 403) return false;
  $('#create-organizer').hidden = false;
  msg.textContent = t(res.status === 401 ? 'web.create.organizer_key_needed' : 'web.create.organizer_key_wrong');
  $('#create-organizer-key').focus();
  return true;
}

async function createRoom(ev) {
  ev.preventDefault();
  const msg = $('#create-msg');
  msg.textContent = '';
  const title = $('#create-title').value.trim();
  if (!title) { $('#create-title').focus(); return; }
  const body = { title, language: $('#create-language').value };
  if ($('#create-template').value) body.template = $('#create-template').value;
  const choice = $('#create-process').value;
  let process = null;
  try {
    if (choice === 'new') {
      const ptitle = $('#create-process-title').value.trim() || title;
      const pres = await fetch('/api/processes', {
        method: 'POST', headers: organizerHeaders(), body: JSON.stringify({ title: ptitle, teams: teamsTyped() }),
      });
      const pdata = await pres.json().catch(() => ({}));
      if (pres.status === 429) { msg.textContent = t('web.create.too_many'); return; }
      if (organizerRefusal(pres, msg)) return;
      if (!pres.ok) {
        const key = `error.${pdata.error}`;
        msg.textContent = t(key) === key ? (pdata.message || t('error.bad_request')) : t(key);
        return;
      }
      process = { id: pdata.id, key: pdata.key };
    } else if (choice === 'linked') {
      process = linked;
    }
    if (process) {
      body.process = process.id;
      body.process_key = process.key; // the id alone opens nothing
      if ($('#create-team').value) body.team = $('#create-team').value;
    }
    const res = await fetch('/api/rooms', {
      method: 'POST', headers: organizerHeaders(), body: JSON.stringify(body),
    });
    const data = await res.json().catch(() => ({}));
    if (res.status === 429) { msg.textContent = t('web.create.too_many'); return; }
    if (organizerRefusal(res, msg)) return;
    if (!res.ok) {
      const key = `error.${data.error}`;
      msg.textContent = t(key) === key ? (data.message || t('error.bad_request')) : t(key);
      return;
    }
    const frag = new URLSearchParams({ key: data.facilitator_key, screen: data.screen_key });
    if (process) frag.set('pkey', process.key);
    location.href = `/r/${data.code}#${frag}`;
  } catch (_) {
    msg.textContent = t('web.conn.no_server');
  }
}

async function main() {
  await loadLanguage(chosenLanguage());
  translatePage();
  const input = $('#code');
  languagePicker($('#lang'), async (l) => { await loadLanguage(l); translatePage(); fillCreate(); fillProcess(); loadTemplates(); });
  input.addEventListener('input', () => {
    // Show the code as ABCD-EFGH while typing; any case, dash optional. An older six-letter
    // code shows as ABCD-EF and works the same.
    const c = normalizeCode(input.value).slice(0, 8);
    const pretty = c.length > 4 ? `${c.slice(0, 4)}-${c.slice(4)}` : c;
    if (input.value !== pretty) input.value = pretty;
    $('#code-msg').textContent = '';
  });
  $('#code-form').addEventListener('submit', checkCode);
  $('#create-form').addEventListener('submit', createRoom);
  $('#create-process').addEventListener('change', fillProcess);
  $('#create-process-teams').addEventListener('input', fillProcess);
  fillProcess();
  if (linked) { $('#create').open = true; loadLinkedProcess(); }
  const q = new URLSearchParams(location.search).get('code');
  if (q) input.value = prettyCode(q);
  input.focus();
  fillCreate();
  await loadTemplates();
}

// The templates' titles come in the page's language (GET /api/templates?language=…).
async function loadTemplates() {
  const lang = language();
  try {
    const res = await fetch(`/api/templates?language=${encodeURIComponent(lang)}`);
    if (res.ok && lang === language()) {
      const list = await res.json();
      if (Array.isArray(list)) templates = list;
      fillCreate();
    }
  } catch (_) { /* the default template is used */ }
}

main();
