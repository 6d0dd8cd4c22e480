// Who waits in the lobby, where the facilitator looks: a count in the top bar that opens the
// list of those waiting, and a notice (toast) when someone starts waiting. Both let the person
// in or refuse them (participant.admit, participant.remove). Nothing here takes the focus
// unless the facilitator acted on it.
import { t, tn } from './i18n.js';
import { h, $, reconcile } from './util.js';

export class LobbyWatch {
  // send(cmd, args); name(pid) -> the name to show.
  constructor({ send, name }) {
    this.send = send;
    this.name = name;
    this.dismissed = new Set();  // pids whose notice the facilitator closed
    this.open = false;
    const badge = $('#lobby-badge');
    badge.addEventListener('click', () => this.toggle(!this.open));
    $('#lobby-menu').addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && this.open) { ev.preventDefault(); this.toggle(false); badge.focus(); }
    });
    document.addEventListener('click', (ev) => {
      if (this.open && !$('#lobby-menu').contains(ev.target)) this.toggle(false);
    });
    // Where the keyboard is in a list of those waiting (the count's, the side's) or in a notice:
    // the row acted on goes away with the focus in it, which would fall to the page's start.
    this.focusAt = null;
    document.addEventListener('focusin', (ev) => {
      const container = ev.target.closest?.('#lobby-list, #lobby-toasts, #waiting');
      const row = container && [...container.children].find((r) => r.contains(ev.target));
      this.focusAt = row ? { el: ev.target, container, index: [...container.children].indexOf(row) } : null;
    });
  }

  toggle(open) {
    this.open = open;
    $('#lobby-popup').hidden = !open;
    $('#lobby-badge').setAttribute('aria-expanded', open ? 'true' : 'false');
  }

  // s: the state; facilitator: whether this member lets people in.
  render(s, facilitator) {
    const waiting = facilitator
      ? Object.entries(s.participants || {}).filter(([, p]) => !p.removed && p.admitted === false)
        .sort(([, a], [, b]) => String(a.joined_at || '').localeCompare(String(b.joined_at || '')))
      : [];
    // In a consent room nobody can be let in before the consent is recorded.
    const consentPending = !!s.room?.settings?.consent_required && !s.consent;
    const n = waiting.length;
    const menu = $('#lobby-menu');
    menu.hidden = n === 0;
    if (n === 0 && this.open) this.toggle(false);
    const count = tn('web.lobby.badge', n);
    const badge = $('#lobby-badge');
    if ($('#lobby-count').textContent !== count) $('#lobby-count').textContent = count;
    badge.setAttribute('aria-label', tn('web.lobby.badge_label', n));
    $('#lobby-popup-note').hidden = !consentPending;
    $('#lobby-popup-note').textContent = consentPending ? t('web.consent.admit_after') : '';

    reconcile($('#lobby-list'), waiting.map(([pid]) => pid), (pid, old) => {
      const sig = JSON.stringify([this.name(pid), consentPending, t('web.facil.admit')]);
      if (old && old.dataset.sig === sig) return old;
      const el = h('li', { class: 'person lobby-person' },
        h('span', { class: 'pname' }, h('span', { class: 'n', text: this.name(pid) })),
        this.actions(pid, consentPending));
      el.dataset.sig = sig;
      return el;
    });

    // A notice for each person who started waiting, until they are let in, refused or gone,
    // or the facilitator closes it.
    const waitingIds = new Set(waiting.map(([pid]) => pid));
    const shown = waiting.map(([pid]) => pid).filter((pid) => !this.dismissed.has(pid));
    const box = $('#lobby-toasts');
    // Just under the top bar, which wraps to more lines on a narrow screen.
    const top = `${Math.round($('.topbar').getBoundingClientRect().height) + 8}px`;
    if (box.style.top !== top) box.style.top = top;
    reconcile(box, shown, (pid, old) => {
      const sig = JSON.stringify([this.name(pid), consentPending, t('web.lobby.toast')]);
      if (old && old.dataset.sig === sig) return old;
      const el = h('div', { class: 'toast lobby-toast', role: 'status' },
        h('p', { class: 'lobby-toast-text', text: t('web.lobby.toast', { name: this.name(pid) }) }),
        h('div', { class: 'lobby-toast-actions' }, this.actions(pid, consentPending),
          h('button', {
            type: 'button', class: 'icon small dismiss', title: t('web.lobby.dismiss'), 'aria-label': t('web.lobby.dismiss'),
            onclick: () => { this.dismissed.add(pid); el.remove(); $('#lobby-badge').focus(); },
          }, '✕')));
      el.dataset.sig = sig;
      return el;
    });
    for (const pid of [...this.dismissed]) if (!waitingIds.has(pid)) this.dismissed.delete(pid);
    this.keepFocus();
  }

  // Called after the lists and notices are drawn (room.js draws the side's list first): when the
  // focused row went away (let in, refused), the focus goes to the next one waiting in the same
  // list, else to the count, else — nobody waits any more — to the heading of what comes next:
  // the people (where the one let in now shows) from the side's list, else the facilitator's panel.
  keepFocus() {
    const at = this.focusAt;
    if (!at || at.el.isConnected) return;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    this.focusAt = null;
    const rows = at.container.id === 'lobby-toasts' ? [] : [...at.container.children];
    const row = rows[at.index] || rows[at.index - 1];
    const headings = (at.container.id === 'waiting' ? ['#people-title', '#facil-title'] : ['#facil-title', '#people-title'])
      .map((sel) => $(sel)).filter(Boolean);
    for (const el of headings) if (!el.hasAttribute('tabindex')) el.tabIndex = -1;  // focusable by script only
    const candidates = [
      row?.querySelector('button.admit:not(:disabled)'),
      row?.querySelector('button:not(:disabled)'),
      $('#lobby-menu').hidden ? null : $('#lobby-badge'),
      ...headings,
    ];
    // Without scrolling: a notice is acted on wherever the page was scrolled to.
    candidates.find((el) => el && el.getClientRects().length > 0)?.focus({ preventScroll: true });
  }

  actions(pid, consentPending) {
    return h('span', { class: 'lobby-actions' },
      h('button', {
        type: 'button', class: 'primary small admit', disabled: consentPending,
        title: consentPending ? t('web.consent.admit_after') : null,
        onclick: () => this.send('participant.admit', { pid }),
      }, t('web.facil.admit')),
      h('button', {
        type: 'button', class: 'small refuse',
        onclick: () => this.send('participant.remove', { pid }),
      }, t('web.lobby.refuse')));
  }
}
