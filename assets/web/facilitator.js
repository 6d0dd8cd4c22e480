// Facilitator controls in the browser: phase and agenda, timer, turns, room title,
// lock, settings (vote limit, consent room), consent record, co-facilitators, hands,
// reveal, remove, close, notes download, links for participants and the projector.

import { t, pick, formatDateTime } from './i18n.js';
import { h, prettyCode } from './util.js';
import { TurnControls } from './turns.js';
import { RatingControls } from './ratings.js';
import { PollControls } from './polls.js';
import { AgendaEditor } from './agenda.js';
import { NotesExport, NAME_POLICIES } from './notes.js';
import { WALL_THEMES } from './wall.js';
import { MeetingRecords } from './records.js';
import { ProcessPanel } from './process.js';

// A setting clicked here that the server has not taken yet shows as asked, not yet in force:
// until then a participant's entry can still come before it (a moderated room holds only
// those after it).
function showSaving(box, saving) {
  box.closest('.toggle').classList.toggle('saving', saving);
  if (saving) box.setAttribute('aria-busy', 'true');
  else box.removeAttribute('aria-busy');
}

export class FacilitatorPanel {
  // opts: {code, key, screenKey, send, toast, state(), rerender()}
  constructor(root, opts) {
    this.root = root;
    this.o = opts;
    this.confirmClose = false;
    // Collapsible, so that the facilitator can give the boards the whole screen.
    this.body = h('div', { class: 'facil-body' });
    this.details = h('details', { class: 'facil-details', open: true },
      h('summary', { class: 'facil-summary', text: t('web.facil.title') }), this.body);
    root.append(this.details);
    this.build();
  }

  destroy() {
    this.details.remove();
  }

  build() {
    const o = this.o;
    // Phase
    this.prev = h('button', { type: 'button', class: 'icon', title: t('web.facil.prev'), 'aria-label': t('web.facil.prev'), onclick: () => this.step(-1) }, '◀');
    this.next = h('button', { type: 'button', class: 'icon', title: t('web.facil.next'), 'aria-label': t('web.facil.next'), onclick: () => this.step(1) }, '▶');
    this.phaseSel = h('select', { id: 'facil-phase', 'aria-label': t('web.facil.phase') });
    this.phaseSel.addEventListener('change', () => o.send('phase.goto', { phase: this.phaseSel.value }));
    const phase = h('div', { class: 'fgroup' }, h('span', { class: 'flabel', text: t('web.facil.phase') }), this.prev, this.phaseSel, this.next);

    // Timer
    this.minutes = h('input', { id: 'facil-minutes', type: 'number', min: 1, max: 240, step: 1, class: 'minutes', 'aria-label': t('web.facil.minutes') });
    this.startBtn = h('button', { type: 'button', class: 'primary', id: 'timer-start', onclick: () => this.startTimer() }, `▶ ${t('web.facil.timer_start')}`);
    this.pauseBtn = h('button', { type: 'button', id: 'timer-pause', onclick: () => this.pauseResume() });
    this.resetBtn = h('button', { type: 'button', id: 'timer-reset', onclick: () => o.send('timer.reset', {}) }, `↺ ${t('web.facil.timer_reset')}`);
    const timer = h('div', { class: 'fgroup' }, h('span', { class: 'flabel', text: t('web.facil.timer') }),
      h('label', { class: 'min-label' }, this.minutes, h('span', { text: t('web.facil.min') })),
      this.startBtn, this.pauseBtn, this.resetBtn);
    this.endedNote = h('span', { class: 'timer-ended-note', id: 'facil-timer-ended', role: 'status', text: t('web.timer.ended_facil') });
    this.endedNote.hidden = true;
    timer.append(this.endedNote);

    // Room
    this.lockBtn = h('button', { type: 'button', id: 'room-lock-toggle', onclick: () => {
      const locked = !!o.state()?.room?.locked;
      o.send('room.lock', { locked: !locked });
    } });
    this.handsBtn = h('button', { type: 'button', id: 'lower-all', onclick: () => this.lowerAll() }, `✋ ${t('web.facil.lower_all')}`);
    this.revealBtn = h('button', { type: 'button', id: 'reveal-all', onclick: () => this.revealAll() }, t('web.facil.reveal_all'));
    this.closeBtn = h('button', { type: 'button', class: 'danger', id: 'room-close', onclick: () => this.close() });
    const room = h('div', { class: 'fgroup' }, h('span', { class: 'flabel', text: t('web.facil.room') }),
      this.lockBtn, this.handsBtn, this.revealBtn, this.closeBtn);

    // The meeting's title (room.update).
    this.titleInput = h('input', { id: 'facil-room-title', class: 'title-input', maxlength: 200, 'aria-label': t('web.facil.room_title') });
    this.titleSave = h('button', { type: 'submit', id: 'facil-title-save', class: 'small' }, t('web.item.save'));
    this.titleInput.addEventListener('input', () => { this.titleDirty = true; this.titleSave.disabled = !this.titleInput.value.trim(); });
    this.titleInput.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') { this.titleDirty = false; this.o.rerender(); this.titleInput.blur(); }
    });
    const titleForm = h('form', { class: 'fgroup title-form' }, h('label', { class: 'flabel', for: 'facil-room-title', text: t('web.facil.room_title') }),
      this.titleInput, this.titleSave);
    titleForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const title = this.titleInput.value.trim();
      if (!title) return;
      if (title !== this.o.state()?.room?.title) o.send('room.update', { title });
      this.titleDirty = false;
      this.titleInput.blur();
      this.o.rerender();
    });

    // A co-facilitator: someone already in the room gets the facilitator's role.
    this.cofacSel = h('select', { id: 'cofac-pick', 'aria-label': t('web.facil.cofac_pick') });
    this.cofacBtn = h('button', { type: 'button', id: 'cofac-make', onclick: () => {
      if (this.cofacSel.value) o.send('participant.role', { pid: this.cofacSel.value, role: 'facilitator' });
    } }, t('web.facil.cofac_make'));
    this.cofac = h('div', { class: 'fgroup cofac', title: t('web.facil.cofac_hint') },
      h('span', { class: 'flabel', text: t('web.facil.cofac') }), this.cofacSel, this.cofacBtn);

    // Notes and links
    // The wall's join link as the server gives it (--public-url or its network address),
    // not this page's own origin, which may well be localhost.
    const joinUrl = () => o.join?.()?.url || `${location.origin}/r/${o.code}`;
    // Notes: the name policy, then a download per format, each checked for identity codes first.
    this.notesExport = new NotesExport({ code: o.code, key: o.key, toast: o.toast, state: o.state, names: () => this.namesSel.value });
    this.namesSel = h('select', { id: 'notes-names', 'aria-label': t('web.notes.names'), title: t('web.notes.names') },
      NAME_POLICIES.map((n) => h('option', { value: n, text: t(`web.notes.names_${n}`) })));
    this.namesSel.addEventListener('change', () => { this.namesTouched = true; });
    const notes = h('div', { class: 'fgroup', hidden: !o.key }, h('span', { class: 'flabel', text: t('notes.title') }),
      h('button', { type: 'button', id: 'export-md', onclick: () => this.download('md') }, `↓ ${t('web.facil.download_md')}`),
      h('button', { type: 'button', id: 'export-html', onclick: () => this.download('html') }, `↓ ${t('web.facil.download_html')}`),
      h('button', { type: 'button', id: 'export-json', onclick: () => this.download('json') }, `↓ ${t('web.facil.download_json')}`),
      this.namesSel,
      h('button', { type: 'button', id: 'history-open', onclick: () => o.openHistory?.() }, `⏱ ${t('web.history.open')}`));
    const links = h('div', { class: 'fgroup links' }, h('span', { class: 'flabel', text: t('web.facil.links') }),
      h('button', { type: 'button', onclick: () => this.copy(joinUrl(), 'web.facil.copied_join') }, t('web.facil.copy_join')),
      o.key ? h('button', { type: 'button', onclick: () => this.copy(location.href, 'web.facil.copied_own') }, t('web.facil.copy_own')) : null,
      o.screenKey
        ? h('a', { class: 'button', href: `/screen/${o.code}#key=${encodeURIComponent(o.screenKey)}`, target: '_blank', rel: 'noopener' }, t('web.facil.open_screen'))
        : null);
    // Room settings: each a checkbox that sends room.settings.
    this.settings = {};
    this.wanted = {}; // settings changed here whose command is still on its way
    const settings = h('div', { class: 'fgroup settings' }, h('span', { class: 'flabel', text: t('web.facil.settings') }));
    for (const key of ['hide_names', 'admit_joiners', 'moderated', 'votes_visible', 'consent_required']) {
      const box = h('input', { type: 'checkbox', id: `setting-${key}` });
      box.addEventListener('change', () => {
        this.wanted[key] = box.checked;
        showSaving(box, true);
        o.send('room.settings', { [key]: box.checked });
      });
      this.settings[key] = box;
      settings.append(h('label', { class: 'toggle', title: t(`web.facil.${key}_hint`) }, box, h('span', { text: t(`web.facil.${key}`) })));
    }
    // How many votes each person may give on a board (0: no limit).
    this.voteLimit = h('input', { id: 'setting-vote_limit', type: 'number', min: 0, max: 100, step: 1, class: 'minutes' });
    this.voteLimit.addEventListener('change', () => {
      const n = Math.round(Number(this.voteLimit.value));
      if (!Number.isFinite(n) || n < 0 || n > 100) { this.voteLimit.value = String(this.o.state()?.room?.settings?.vote_limit || 0); return; }
      this.wantedLimit = n;
      o.send('room.settings', { vote_limit: n });
    });
    settings.append(h('label', { class: 'toggle vote-limit', title: t('web.facil.vote_limit_hint') },
      h('span', { text: t('web.facil.vote_limit') }), this.voteLimit));
    // Who may group cards (docs/protocol.md §8.5 "Grouping and voting"): facilitators, or everyone.
    this.grouping = h('input', { type: 'checkbox', id: 'setting-grouping' });
    this.grouping.addEventListener('change', () => o.send('room.settings', { grouping: this.grouping.checked ? 'everyone' : 'facilitators' }));
    settings.append(h('label', { class: 'toggle' }, this.grouping, h('span', { text: t('group.everyone') })));
    // The walls' colours: light, dark or high contrast (both projectors follow it live).
    this.wallTheme = h('select', { id: 'setting-wall_theme' },
      WALL_THEMES.map((n) => h('option', { value: n, text: t(`wall.theme_${n}`) })));
    this.wallTheme.addEventListener('change', () => {
      this.wantedTheme = this.wallTheme.value;
      o.send('room.settings', { wall_theme: this.wallTheme.value });
    });
    settings.append(h('label', { class: 'toggle wall-theme', title: t('wall.theme_hint') },
      h('span', { text: t('wall.theme') }), this.wallTheme));

    // The consent of a young person (a consent room admits no one before it is recorded).
    this.consentBox = h('div', { class: 'consent-box', id: 'consent-box' });
    this.consentBy = h('input', { id: 'consent-given-by', maxlength: 200, placeholder: t('web.consent.given_by_placeholder') });
    this.consentScope = h('textarea', { id: 'consent-scope', maxlength: 2000, rows: 2, placeholder: t('web.consent.scope_placeholder') });
    this.consentMsg = h('p', { class: 'msg', role: 'alert' });
    this.consentForm = h('form', { class: 'consent-form', id: 'consent-form' },
      h('p', { class: 'consent-lead', text: t('web.consent.needed') }),
      h('label', { class: 'f', for: 'consent-given-by' }, h('span', { text: t('web.consent.given_by') }), this.consentBy),
      h('label', { class: 'f f-wide', for: 'consent-scope' }, h('span', { text: t('web.consent.scope') }), this.consentScope),
      this.consentMsg,
      h('button', { type: 'submit', class: 'primary', id: 'consent-record', text: t('web.consent.record') }));
    this.consentForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const given = this.consentBy.value.trim();
      const scope = this.consentScope.value.trim();
      if (!given || !scope) { this.consentMsg.textContent = t('web.consent.fill'); (given ? this.consentScope : this.consentBy).focus(); return; }
      this.consentMsg.textContent = '';
      o.send('consent.record', { given_by: given, scope });
    });
    this.consentShown = h('div', { class: 'consent-recorded', id: 'consent-recorded' });
    this.consentBox.append(this.consentForm, this.consentShown);

    this.agenda = new AgendaEditor(o.send);
    this.process = new ProcessPanel({ code: o.code, key: o.key, processKey: o.processKey, toast: o.toast, send: o.send });
    const keep = o.key ? h('p', { class: 'hint facil-hint', text: t('web.facil.keep_link', { code: prettyCode(o.code) }) })
      : h('p', { class: 'hint facil-hint', text: t('web.facil.cofac_you') });
    this.turns = new TurnControls(o.send, o.state);
    this.ratings = new RatingControls(o.send);
    this.polls = new PollControls(o.send);
    this.records = new MeetingRecords({ code: o.code, key: o.key, toast: o.toast });
    // Warned when the wall would show an address only the server's own machine can open.
    this.wallWarning = h('p', { class: 'banner warn wall-warning', id: 'wall-loopback-warning', role: 'alert', hidden: true });
    this.body.append(this.wallWarning, h('div', { class: 'frow' }, phase, timer, notes), this.notesExport.warning, h('div', { class: 'frow' }, this.turns.root), h('div', { class: 'frow' }, this.polls.root),
      h('div', { class: 'frow' }, titleForm, room), h('div', { class: 'frow' }, settings, this.cofac),
      this.consentBox, h('div', { class: 'frow' }, this.ratings.root), this.agenda.root,
      this.process.root, h('div', { class: 'frow' }, links, keep), h('div', { class: 'frow' }, this.records.root));
  }

  update(s) {
    const phases = s.phases || [];
    const ids = phases.map((p) => p.id).join('|');
    if (this.phaseIds !== ids) {
      this.phaseIds = ids;
      this.phaseSel.textContent = '';
      phases.forEach((p, i) => this.phaseSel.append(h('option', { value: p.id, text: `${i + 1}. ${pick(p.title)}` })));
    }
    this.phaseSel.value = s.phase;
    const idx = phases.findIndex((p) => p.id === s.phase);
    const open = s.room?.status !== 'closed';
    this.prev.disabled = idx <= 0 || !open;
    this.next.disabled = idx < 0 || idx >= phases.length - 1 || !open;
    this.phaseSel.disabled = !open;

    const ph = phases[idx];
    if (this.lastPhaseForMinutes !== s.phase) {
      this.lastPhaseForMinutes = s.phase;
      this.minutes.value = ph?.timebox_s ? String(Math.max(1, Math.round(ph.timebox_s / 60))) : '10';
    }
    const tm = s.timer?.state || 'idle';
    this.pauseBtn.textContent = tm === 'paused' ? `▶ ${t('web.facil.timer_resume')}` : `⏸ ${t('web.facil.timer_pause')}`;
    this.pauseBtn.disabled = tm === 'idle' || !open;
    this.resetBtn.disabled = tm === 'idle' || !open;
    this.startBtn.textContent = tm === 'idle' ? `▶ ${t('web.facil.timer_start')}` : `▶ ${t('web.facil.timer_restart')}`;
    this.startBtn.disabled = !open;
    this.minutes.disabled = !open;

    const join = this.o.join?.();
    this.wallWarning.hidden = !join?.loopback;
    if (join?.loopback) this.wallWarning.textContent = t('web.facil.wall_loopback', { address: join.address });

    this.turns.update(s);
    this.ratings.update(s);
    this.polls.update(s);
    this.agenda.update(s);
    this.process.update(s);
    this.updateTitle(s, open);
    this.updateConsent(s, open);
    this.updateCofac(s, open);
    this.updateEnded(s);
    const st = s.room?.settings;
    if (document.activeElement !== this.namesSel && !this.namesTouched) this.namesSel.value = st?.notes_names || 'auto';
    this.settings.hide_names.closest('.settings').hidden = !st;
    if (st) {
      const inFlight = (this.o.outbox?.() || []).some((c) => c.cmd === 'room.settings');
      for (const [key, box] of Object.entries(this.settings)) {
        const actual = key === 'votes_visible' ? st[key] !== false : !!st[key];
        // Keep the person's click until the server has answered it.
        if (key in this.wanted && (actual === this.wanted[key] || !inFlight)) delete this.wanted[key];
        box.checked = key in this.wanted ? this.wanted[key] : actual;
        box.disabled = !open;
        showSaving(box, key in this.wanted);
      }
      const limit = Number(st.vote_limit || 0);
      if (this.wantedLimit !== undefined && (this.wantedLimit === limit || !inFlight)) delete this.wantedLimit;
      if (document.activeElement !== this.voteLimit) this.voteLimit.value = String(this.wantedLimit ?? limit);
      this.voteLimit.disabled = !open;
      if (document.activeElement !== this.grouping) this.grouping.checked = st.grouping === 'everyone';
      this.grouping.disabled = !open;
      const theme = WALL_THEMES.includes(st.wall_theme) ? st.wall_theme : 'default';
      if (this.wantedTheme !== undefined && (this.wantedTheme === theme || !inFlight)) delete this.wantedTheme;
      if (document.activeElement !== this.wallTheme || this.wantedTheme === undefined) this.wallTheme.value = this.wantedTheme ?? theme;
      this.wallTheme.disabled = !open;
    }
    const locked = !!s.room?.locked;
    this.lockBtn.textContent = locked ? t('web.facil.unlock') : t('web.facil.lock');
    this.lockBtn.setAttribute('aria-pressed', locked ? 'true' : 'false');
    this.lockBtn.disabled = !open;
    this.handsBtn.disabled = !open || !Object.values(s.participants || {}).some((p) => p.hand);
    const board = ph?.board;
    const hiddenOnBoard = board && Object.values(s.boards?.[board]?.items || {}).some((it) => it.hidden);
    this.revealBtn.disabled = !open || !hiddenOnBoard;
    this.closeBtn.disabled = !open;
    this.closeBtn.textContent = !open ? t('web.facil.closed') : this.confirmClose ? t('web.facil.close_confirm') : t('web.facil.close');
  }

  updateTitle(s, open) {
    const title = s.room?.title || '';
    if (!this.titleDirty && document.activeElement !== this.titleInput) this.titleInput.value = title;
    this.titleInput.disabled = !open;
    this.titleSave.disabled = !open || !this.titleInput.value.trim() || this.titleInput.value.trim() === title;
  }

  updateConsent(s, open) {
    const required = !!s.room?.settings?.consent_required;
    const c = s.consent;
    this.consentBox.hidden = c ? false : !required || !open;
    this.consentForm.hidden = !!c || !open;
    const sig = JSON.stringify([c, required]);
    if (this.consentSig === sig) return;
    this.consentSig = sig;
    this.consentShown.textContent = '';
    this.consentShown.hidden = !c;
    if (!c) return;
    const when = c.recorded_at ? formatDateTime(c.recorded_at) : '';
    const by = s.participants?.[c.recorded_by]?.name || t('role.facilitator');
    this.consentShown.append(
      h('p', { class: 'consent-title', text: `✓ ${t('web.consent.recorded')}` }),
      h('dl', { class: 'consent-facts' },
        h('dt', { text: t('web.consent.given_by') }), h('dd', { class: 'consent-given', text: c.given_by || '' }),
        h('dt', { text: t('web.consent.scope') }), h('dd', { class: 'consent-scope', text: c.scope || '' }),
        h('dt', { text: t('web.consent.when') }), h('dd', { text: t('web.consent.when_by', { when, by }) })));
  }

  updateCofac(s, open) {
    const people = Object.entries(s.participants || {})
      .filter(([, p]) => p.role === 'participant' && !p.removed && p.admitted !== false)
      .sort(([, a], [, b]) => String(a.name || '').localeCompare(String(b.name || '')));
    const sig = JSON.stringify(people.map(([pid, p]) => [pid, p.name]));
    if (this.cofacSig !== sig) {
      this.cofacSig = sig;
      const prev = this.cofacSel.value;
      this.cofacSel.textContent = '';
      this.cofacSel.append(h('option', { value: '', text: t('web.facil.cofac_pick') }));
      for (const [pid, p] of people) this.cofacSel.append(h('option', { value: pid, text: p.name || t('web.people.unknown') }));
      this.cofacSel.value = people.some(([pid]) => pid === prev) ? prev : '';
    }
    this.cofac.hidden = people.length === 0;
    this.cofacSel.disabled = !open;
    this.cofacBtn.disabled = !open;
  }

  // The time box has run out: a calm note next to the timer (no sound).
  updateEnded(s) {
    const tm = s.timer;
    const now = this.o.now ? this.o.now() : Date.now();
    this.endedNote.hidden = !(tm?.state === 'running' && tm.ends_at_ms <= now);
  }

  step(d) {
    const s = this.o.state();
    const phases = s.phases || [];
    const idx = phases.findIndex((p) => p.id === s.phase);
    const target = phases[idx + d];
    if (target) this.o.send('phase.goto', { phase: target.id });
  }

  startTimer() {
    const m = Number(this.minutes.value);
    if (!Number.isFinite(m) || m <= 0 || m > 240) { this.minutes.focus(); return; }
    this.o.send('timer.start', { duration_s: Math.round(m * 60) });
  }

  pauseResume() {
    const tm = this.o.state()?.timer?.state;
    if (tm === 'running') this.o.send('timer.pause', {});
    else if (tm === 'paused') this.o.send('timer.resume', {});
  }

  lowerAll() {
    for (const [pid, p] of Object.entries(this.o.state()?.participants || {})) {
      if (p.hand) this.o.send('hand.lower', { pid });
    }
  }

  revealAll() {
    const s = this.o.state();
    const board = (s.phases || []).find((p) => p.id === s.phase)?.board;
    if (board) this.o.send('item.reveal', { board });
  }

  close() {
    if (!this.confirmClose) {
      this.confirmClose = true;
      this.o.rerender();
      setTimeout(() => { this.confirmClose = false; this.o.rerender(); }, 5000);
      return;
    }
    this.confirmClose = false;
    this.o.send('room.close', {});
  }

  personActions(pid, p) {
    const box = h('span', { class: 'person-actions' });
    if (p.hand) {
      box.append(h('button', {
        type: 'button', class: 'icon small', title: t('web.facil.lower_hand'), 'aria-label': t('web.facil.lower_hand'),
        onclick: () => this.o.send('hand.lower', { pid }),
      }, '⤓'));
    }
    if (p.role === 'facilitator') {
      box.append(h('button', {
        type: 'button', class: 'small demote', title: t('web.facil.cofac_undo_hint'),
        onclick: () => this.o.send('participant.role', { pid, role: 'participant' }),
      }, t('web.facil.cofac_undo')), this.mergeControl(pid, p));
      return box;
    }
    box.append(this.mergeControl(pid, p));
    const rm = h('button', {
      type: 'button', class: 'icon small remove', title: t('web.facil.remove'), 'aria-label': t('web.facil.remove'),
      onclick: () => {
        if (rm.classList.contains('confirm')) {
          this.o.send('participant.remove', { pid });
        } else {
          rm.classList.add('confirm');
          rm.textContent = t('web.facil.remove_confirm');
          setTimeout(() => { rm.classList.remove('confirm'); rm.textContent = '✕'; }, 4000);
        }
      },
    }, '✕');
    box.append(rm);
    return box;
  }

  // "Merge into…": the same person joined twice; pick who they are (participant.merge).
  mergeControl(pid, p) {
    const pick = h('select', { class: 'merge-into', 'aria-label': t('web.facil.merge_pick') });
    const fill = () => {
      const s = this.o.state() || {};
      pick.replaceChildren(h('option', { value: '', text: t('web.facil.merge_pick') }));
      for (const [other, q] of Object.entries(s.participants || {})) {
        if (other === pid || q.removed || q.role === 'screen' || q.admitted === false) continue;
        if (p.role === 'facilitator' && q.role !== 'facilitator') continue; // the server refuses it too
        const role = t(`role.${q.role}`);
        const label = q.name || role;
        pick.append(h('option', { value: other, text: q.role === 'facilitator' && label !== role ? `${label} · ${role}` : label }));
      }
    };
    const go = h('button', {
      type: 'button', class: 'small primary',
      onclick: () => { if (pick.value) this.o.send('participant.merge', { from: pid, into: pick.value }); },
    }, t('web.facil.merge_do'));
    const box = h('details', { class: 'merge' },
      h('summary', { class: 'small', title: t('web.facil.merge_hint'), text: t('web.facil.merge') }),
      h('p', { class: 'hint', text: t('web.facil.merge_hint') }), pick, go);
    box.addEventListener('toggle', () => { if (box.open) fill(); });
    return box;
  }

  async copy(text, doneKey) {
    try {
      await navigator.clipboard.writeText(text);
      this.o.toast(t(doneKey));
    } catch (_) {
      // Clipboard needs https or localhost; show the link so it can be copied by hand.
      this.o.toast(text);
    }
  }

  download(format) {
    return this.notesExport.download(format);
  }
}
