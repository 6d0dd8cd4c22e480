// The WebSocket life of one page: hello, welcome, patches, acks, resume with
// token+since after a drop, a queue of commands that survives disconnects (and page
// reloads, via sessionStorage), and the server clock from ping/pong. The resume token is
// kept per room in localStorage (util.js roomToken), so a reopened tab is the same person.

import { applyPatch } from './patch.js';
import { settleOutbox } from './outbox.js';
import { speaksNewerProtocol } from './protocol.js';
import { session, roomToken } from './util.js';

const PING_EVERY_MS = 10000;
const DEAD_AFTER_MS = 30000;
const FATAL_HELLO = new Set(['unknown_room', 'locked', 'room_closed', 'bad_request', 'invalid', 'forbidden']);

export class Connection {
  // opts: room (code), kind ('p' participant, 'f' facilitator, 's' screen),
  // hello() -> {name, group, key} for a fresh join, and callbacks:
  // onState(state, info), onStatus(status), onError(err, command), onAck(ack, command), onFatal(code, message)
  // (code 'protocol_newer': the server speaks a newer protocol than this page; reload it),
  // onNeedJoin() when a fresh participant must first give a name.
  constructor(opts) {
    this.opts = opts;
    this.room = opts.room;
    this.outboxKey = `keha.outbox.${opts.room}.${opts.kind}`;
    this.state = null;
    this.seq = 0;
    this.you = null;
    this.role = null;
    this.join = null;
    this.ws = null;
    this.status = 'idle';
    this.fatal = false;
    this.retryMs = 300;
    this.unavailableShown = false;
    this.retryTimer = null;
    this.pingTimer = null;
    this.lastHeard = 0;
    this.clockOffset = 0; // server_time - local time
    this.bestRtt = Infinity;
    this.prefix = Math.random().toString(36).slice(2, 7);
    this.counter = 0;
    // Commands not yet acknowledged: {id, cmd, args, sent, maybeSent}
    this.outbox = (session(this.outboxKey) || []).map((c) => ({ ...c, sent: false, maybeSent: !!(c.sent || c.maybeSent) }));
    const saved = roomToken(this.room, opts.kind);
    this.token = saved ? saved.token : null;
    this.tokenYou = saved ? saved.you : null; // whom the token stood for, before any welcome
    this.lostJoin = null; // {you}: the token was refused; the next welcome is a fresh join

    window.addEventListener('online', () => this.reconnectSoon(0));
    // The laptop says the network is gone: the socket is as good as dead, so say so now
    // (and keep what is typed in the outbox) instead of waiting for the heartbeat.
    window.addEventListener('offline', () => {
      if (!this.ws || this.fatal) return;
      const ws = this.ws;
      ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
      try { ws.close(); } catch (_) { /* ignore */ }
      this.onClose();
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && this.status === 'reconnecting') this.reconnectSoon(0);
    });
  }

  hasToken() {
    return !!this.token;
  }

  now() {
    return Date.now() + this.clockOffset;
  }

  setStatus(s) {
    if (this.status === s) return;
    this.status = s;
    this.opts.onStatus?.(s);
  }

  saveOutbox() {
    if (this.forgotten) return;
    session(this.outboxKey, this.outbox.map(({ id, cmd, args, sent, maybeSent }) => ({ id, cmd, args, sent, maybeSent })));
  }

  connect() {
    if (this.fatal) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.ws) {
      this.ws.onclose = this.ws.onmessage = this.ws.onerror = this.ws.onopen = null;
      try { this.ws.close(); } catch (_) { /* ignore */ }
    }
    this.setStatus(this.state ? 'reconnecting' : 'connecting');
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws;
    try {
      // The room code in the address lets a load balancer send everyone in a room to its node.
      ws = new WebSocket(`${proto}//${location.host}/ws?room=${encodeURIComponent(this.room)}`);
    } catch (_) {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.welcomed = false;
    ws.onopen = () => this.sendHello();
    ws.onmessage = (ev) => this.onMessage(ev.data);
    ws.onerror = () => {};
    ws.onclose = () => { if (this.ws === ws) this.onClose(); };
  }

  sendHello() {
    const hello = { type: 'hello', room: this.room };
    const fresh = this.opts.hello() || {};
    if (fresh.key) hello.key = fresh.key;
    if (this.token) {
      hello.token = this.token;
      if (this.state) hello.since = this.seq;
    } else {
      if (fresh.rejoin) hello.rejoin = fresh.rejoin; // a rejoin code from another device, used once
      else {
        if (fresh.name) hello.name = fresh.name;
        if (fresh.group) hello.group = fresh.group;
      }
    }
    this.raw(hello);
  }

  raw(obj) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(obj));
      return true;
    }
    return false;
  }

  onMessage(data) {
    this.lastHeard = Date.now();
    let msg;
    try { msg = JSON.parse(data); } catch (_) { return; }
    switch (msg.type) {
      case 'welcome': return this.onWelcome(msg);
      case 'patch': return this.onPatch(msg);
      case 'ack': return this.onAck(msg);
      case 'error': return this.onErrorMsg(msg);
      case 'pong': return this.onPong(msg);
      case 'bye': return this.onBye(msg);
      case 'lobby': return this.onLobby(msg);
      case 'rejoin_code': return this.opts.onRejoinCode?.(msg);
      default: return undefined;
    }
  }

  onWelcome(msg) {
    if (speaksNewerProtocol(msg)) {
      // Nothing of this welcome is read, and no reconnect would help: the page must be reloaded.
      this.stop();
      this.opts.onFatal?.('protocol_newer', '');
      return;
    }
    const resumed = this.state !== null;
    this.you = msg.you;
    this.role = msg.role;
    this.token = msg.token;
    this.join = msg.join || null; // the wall's join address: {url, address, loopback}
    roomToken(this.room, this.opts.kind, { token: msg.token, you: msg.you, role: msg.role });
    let replayed = [];
    try {
      if (Array.isArray(msg.replay) && this.state) {
        for (const p of msg.replay) {
          if (p.seq <= this.seq) continue;
          this.state = applyPatch(this.state, p.patch);
          this.seq = p.seq;
        }
        replayed = msg.replay;
      } else if (msg.state) {
        this.state = msg.state;
      } else {
        throw new Error('welcome without state');
      }
      this.seq = msg.seq;
    } catch (_) {
      this.resync();
      return;
    }
    this.welcomed = true;
    this.retryMs = 300;
    this.unavailableShown = false;
    this.settleOutbox(replayed, !Array.isArray(msg.replay));
    this.setStatus('online');
    this.opts.onState?.(this.state, { welcome: true, resumed });
    this.flush();
    this.ping();
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this.heartbeat(), PING_EVERY_MS);
  }

  // Commands sent but not acknowledged when the connection dropped (outbox.js): those the
  // welcome shows as done are dropped, the rest sent again.
  settleOutbox(replay, fullState) {
    this.outbox = settleOutbox(this.outbox, {
      replay: fullState ? null : replay, state: this.state, you: this.you, lostJoin: this.lostJoin,
    });
    this.lostJoin = null;
    this.saveOutbox();
  }

  // The room admits newcomers by hand: wait (keeping the token, so a reconnect waits
  // in the same place) until the welcome comes.
  onLobby(msg) {
    this.you = msg.you;
    if (msg.token) {
      this.token = msg.token;
      roomToken(this.room, this.opts.kind, { token: msg.token, you: msg.you, role: 'participant' });
    }
    this.retryMs = 300;
    this.setStatus('lobby');
    this.opts.onLobby?.(msg);
  }

  onPatch(msg) {
    if (!this.welcomed) return;
    if (msg.seq <= this.seq) return;
    if (msg.seq !== this.seq + 1) {
      this.resync();
      return;
    }
    try {
      this.state = applyPatch(this.state, msg.patch);
    } catch (_) {
      this.resync(true);
      return;
    }
    this.seq = msg.seq;
    if (msg.by === this.you && msg.cmd === 'item.add') this.markApplied(msg.patch);
    this.opts.onState?.(this.state, { by: msg.by, cmd: msg.cmd, patch: msg.patch });
  }

  // The server sends the patch of one's own add before its ack: from the patch on, the entry
  // is in the state, so its waiting copy is no longer shown (else it shows twice until the
  // ack). The ack still takes the command out of the outbox.
  markApplied(patch) {
    for (const op of patch || []) {
      const m = op.op === 'add' && typeof op.path === 'string' && op.path.match(/^\/boards\/([^/]+)\/items\/[^/]+$/);
      if (!m || !op.value) continue;
      const c = this.outbox.find((x) => x.cmd === 'item.add' && x.sent && !x.applied && x.args.board === m[1] && x.args.text === op.value.text);
      if (c) c.applied = true;
    }
  }

  onAck(msg) {
    const i = this.outbox.findIndex((c) => c.id === msg.id);
    if (i >= 0) {
      const [command] = this.outbox.splice(i, 1);
      this.saveOutbox();
      this.opts.onOutbox?.(this.outbox);
      this.opts.onAck?.(msg, command);
    }
  }

  onErrorMsg(msg) {
    if (msg.id !== null && msg.id !== undefined) {
      const i = this.outbox.findIndex((c) => c.id === msg.id);
      let command = null;
      if (i >= 0) {
        command = this.outbox.splice(i, 1)[0];
        this.saveOutbox();
        this.opts.onOutbox?.(this.outbox);
      }
      this.opts.onError?.(msg, command);
      return;
    }
    if (!this.welcomed) {
      // The hello failed; the server closes the connection.
      if (msg.code === 'unauthorized' && this.token) {
        // The token is no longer valid (its join was lost in a crash, the person was removed, the
        // database was reset): join afresh, and settle the outbox as a fresh join (outbox.js).
        this.lostJoin = { you: this.you || this.tokenYou };
        this.token = null;
        this.state = null;
        this.seq = 0;
        roomToken(this.room, this.opts.kind, null);
        if (!this.opts.canJoinFresh || this.opts.canJoinFresh()) {
          this.reconnectSoon(0);
        } else {
          this.stop();
          this.opts.onNeedJoin?.();
        }
        return;
      }
      if (FATAL_HELLO.has(msg.code) || msg.code === 'unauthorized') {
        this.stop();
        this.opts.onFatal?.(msg.code, msg.message);
        return;
      }
      if (msg.code === 'unavailable') {
        // The server cannot save right now: the close that follows reconnects, not too
        // often, and the page says why once rather than at every try.
        this.retryMs = Math.max(this.retryMs, 1000);
        if (this.unavailableShown) return;
        this.unavailableShown = true;
      }
    }
    this.opts.onError?.(msg, null);
  }

  onPong(msg) {
    const now = Date.now();
    const rtt = now - msg.t;
    if (typeof msg.server_time !== 'number' || rtt < 0) return;
    // Prefer the sample with the shortest round trip; let old samples age out slowly.
    this.bestRtt *= 1.05;
    if (rtt <= this.bestRtt) {
      this.bestRtt = rtt;
      this.clockOffset = msg.server_time - (msg.t + rtt / 2);
      this.opts.onClock?.(this.clockOffset);
    }
  }

  onBye(msg) {
    if (msg.reason === 'removed' || msg.reason === 'room_closed' || msg.reason === 'room_deleted') {
      this.stop();
      if (msg.reason !== 'room_closed') roomToken(this.room, this.opts.kind, null);
      this.opts.onFatal?.(msg.reason, '');
    }
    // server_shutdown, slow_consumer, rate_limited, moved (another node has the room): the
    // close that follows reconnects, and the page says nothing more.
    if (msg.reason === 'rate_limited') this.retryMs = Math.max(this.retryMs, 3000);
  }

  onClose() {
    clearInterval(this.pingTimer);
    this.ws = null;
    this.welcomed = false;
    for (const c of this.outbox) if (c.sent) { c.sent = false; c.maybeSent = true; }
    this.saveOutbox();
    if (this.fatal) return;
    this.setStatus(this.state ? 'reconnecting' : 'connecting');
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    if (this.fatal || this.retryTimer) return;
    const delay = this.retryMs * (0.8 + Math.random() * 0.4);
    this.retryMs = Math.min(this.retryMs * 1.6, 4000);
    this.retryTimer = setTimeout(() => { this.retryTimer = null; this.connect(); }, delay);
  }

  reconnectSoon(delay) {
    if (this.fatal || (this.ws && this.welcomed)) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => { this.retryTimer = null; this.connect(); }, delay);
  }

  // Something did not add up (a gap in seq, a patch that did not apply): start over
  // with a full state, keeping the token and the outbox.
  resync() {
    this.state = null;
    this.seq = 0;
    if (this.ws) {
      try { this.ws.close(); } catch (_) { /* ignore */ }
    } else {
      this.reconnectSoon(0);
    }
  }

  // "Leave this meeting on this device": stop, and write nothing of the room any more.
  leave() {
    this.forgotten = true;
    this.outbox = [];
    this.stop();
  }

  stop() {
    this.fatal = true;
    clearInterval(this.pingTimer);
    clearTimeout(this.retryTimer);
    if (this.ws) {
      try { this.ws.close(); } catch (_) { /* ignore */ }
    }
    this.setStatus('stopped');
  }

  ping() {
    this.raw({ type: 'ping', t: Date.now() });
  }

  heartbeat() {
    if (Date.now() - this.lastHeard > DEAD_AFTER_MS && this.ws) {
      // No answer for a long time: the connection is dead even if the socket says otherwise.
      const ws = this.ws;
      ws.onclose = ws.onmessage = ws.onerror = ws.onopen = null;
      try { ws.close(); } catch (_) { /* ignore */ }
      this.onClose();
      return;
    }
    this.ping();
  }

  // Asks the server for a short code that lets another device carry on as this person;
  // it comes back through onRejoinCode. False when not connected.
  askRejoinCode() {
    return this.welcomed && this.raw({ type: 'rejoin_code' });
  }

  // Queues a command; it is sent now if connected, otherwise after the next welcome.
  send(cmd, args = {}) {
    const c = { id: `${this.prefix}-${++this.counter}`, cmd, args, sent: false, maybeSent: false };
    this.outbox.push(c);
    this.flush();
    this.saveOutbox();
    this.opts.onOutbox?.(this.outbox);
    return c.id;
  }

  flush() {
    if (!this.welcomed) return;
    for (const c of this.outbox) {
      if (c.sent || c.maybeSent) continue;
      if (!this.raw({ type: 'do', id: c.id, cmd: c.cmd, args: c.args })) break;
      c.sent = true;
    }
    this.saveOutbox();
  }
}
