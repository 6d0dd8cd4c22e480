// What the facilitator may do with the meeting's records: download its access log (who
// joined and who opened the notes, history or reports, GET …/access-log) and delete the
// meeting for good (DELETE /api/rooms/{code}) after a confirmation. The key goes in an
// Authorization header, never into a URL.

import { t } from './i18n.js';
import { h } from './util.js';
import { saveBlob, errorCodeOf } from './notes.js';

export class MeetingRecords {
  // o: {code, key, toast(text)}
  constructor(o) {
    this.o = o;
    this.confirmBox = h('div', { class: 'delete-meeting-confirm', id: 'delete-meeting-confirm', hidden: true, role: 'alertdialog' },
      h('p', { class: 'warn', text: t('web.records.delete_confirm') }),
      h('button', { type: 'button', class: 'danger', id: 'delete-meeting-yes', onclick: () => this.deleteMeeting() },
        t('web.records.delete_yes')),
      h('button', { type: 'button', id: 'delete-meeting-no', onclick: () => this.showConfirm(false) }, t('web.records.delete_no')));
    this.deleteBtn = h('button', { type: 'button', class: 'danger', id: 'delete-meeting', onclick: () => this.showConfirm(true) },
      t('web.records.delete'));
    this.root = h('div', { class: 'fgroup records', hidden: !o.key },
      h('span', { class: 'flabel', text: t('web.records.title') }),
      h('button', { type: 'button', id: 'access-log-csv', title: t('web.records.access_log_hint'), onclick: () => this.downloadLog('csv') },
        `↓ ${t('web.records.access_log_csv')}`),
      h('button', { type: 'button', id: 'access-log-json', title: t('web.records.access_log_hint'), onclick: () => this.downloadLog('json') },
        `↓ ${t('web.records.access_log_json')}`),
      this.deleteBtn, this.confirmBox);
  }

  headers() { return { Authorization: `Bearer ${this.o.key}` }; }

  async downloadLog(format) {
    try {
      const res = await fetch(`/api/rooms/${this.o.code}/access-log?format=${format}`, { headers: this.headers(), cache: 'no-store' });
      if (!res.ok) { this.o.toast(t(`error.${await errorCodeOf(res)}`), 'error'); return; }
      saveBlob(await res.blob(), `keha-${this.o.code}-access-log.${format}`);
    } catch (_) {
      this.o.toast(t('web.records.failed'), 'error');
    }
  }

  showConfirm(on) {
    this.confirmBox.hidden = !on;
    this.deleteBtn.hidden = on;
    if (on) this.confirmBox.querySelector('#delete-meeting-no').focus();
  }

  // The members, this page included, get bye room_deleted and show that the meeting is gone.
  async deleteMeeting() {
    try {
      const res = await fetch(`/api/rooms/${this.o.code}`, { method: 'DELETE', headers: this.headers(), cache: 'no-store' });
      if (!res.ok) { this.o.toast(t(`error.${await errorCodeOf(res)}`), 'error'); this.showConfirm(false); }
    } catch (_) {
      this.o.toast(t('web.records.failed'), 'error');
      this.showConfirm(false);
    }
  }
}
