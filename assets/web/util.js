// Small DOM and formatting helpers shared by the pages. All user text goes through
// textContent; nothing here ever assigns HTML.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      // A handler is the element's own property (onclick, …), so that morph() can hand a
      // kept element the handler of the one built in its place.
      else if (k.startsWith('on') && typeof v === 'function') {
        if (k in el) el[k] = v;
        else el.addEventListener(k.slice(2), v);
      }
      else if (k in el && typeof v !== 'string') el[k] = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function $(sel, root = document) {
  return root.querySelector(sel);
}

// Room codes: eight characters (six for rooms made before), any case, dash optional
// ("k7q4-mxp2" -> "K7Q4MXP2").
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export function normalizeCode(s) {
  return String(s || '').toUpperCase().replace(/[\s-]/g, '');
}
export function looksLikeCode(s) {
  const c = normalizeCode(s);
  return (c.length === 8 || c.length === 6) && [...c].every((ch) => CODE_ALPHABET.includes(ch));
}
export function prettyCode(code) {
  const c = normalizeCode(code);
  if (c.length === 8) return `${c.slice(0, 4)}-${c.slice(4)}`;
  return c.length === 6 ? `${c.slice(0, 3)}-${c.slice(3)}` : c;
}

// The room code from a path like /r/k7q-4mx or /screen/K7Q4MX.
export function codeFromPath() {
  const parts = location.pathname.split('/').filter(Boolean);
  return normalizeCode(decodeURIComponent(parts[parts.length - 1] || ''));
}

// Parameters in the URL fragment (#key=...&screen=...). The fragment never reaches the server.
export function fragmentParams() {
  return new URLSearchParams(location.hash.replace(/^#/, ''));
}

export function formatClock(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  if (m >= 60) return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return `${m}:${String(s).padStart(2, '0')}`;
}

// GET (or any request) for a room: while another keha-server node lets the room go to the one
// the load balancer sends it to now, the answer is 503 {"error":"moved"} with Retry-After
// (docs/protocol.md §4). The request is made again after it, a few times, so nobody notices.
export async function fetchRoom(url, init, tries = 6) {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(url, init);
    if (res.status !== 503 || attempt >= tries) return res;
    const body = await res.clone().json().catch(() => ({}));
    if (body.error !== 'moved') return res;
    const after = Math.min(Math.max(Number(res.headers.get('Retry-After')) || 1, 0.2), 10);
    await new Promise((resolve) => setTimeout(resolve, after * 1000));
  }
}

// The catalog key for an HTTP error answer ({"error": code}), or `fallback` when it has none.
export async function httpErrorKey(res, fallback) {
  const body = await res.clone().json().catch(() => ({}));
  return typeof body.error === 'string' && /^[a-z_]+$/.test(body.error) ? `error.${body.error}` : fallback;
}

export function session(key, value) {
  try {
    if (value === undefined) return JSON.parse(sessionStorage.getItem(key) || 'null');
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch (_) { /* storage may be blocked */ }
  return null;
}

export function local(key, value) {
  try {
    if (value === undefined) return JSON.parse(localStorage.getItem(key) || 'null');
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch (_) { /* storage may be blocked */ }
  return null;
}

// The resume token of this device for one room ({token, you, role}), by room code and kind
// ('p' participant, 'f' facilitator). It lives in localStorage so that a closed tab, a
// restarted browser or a reopened link is the same participant again (docs/privacy.md).
export function roomToken(code, kind, value) {
  const key = `keha.token.${code}.${kind}`;
  if (value === undefined) return local(key) || session(key);
  local(key, value);
  session(key, null); // pages from before kept it only for the tab
  return null;
}

// "Leave this meeting on this device": everything this browser keeps of the room is
// forgotten (token, name given, queued commands, drafts), so the next person at a shared
// computer starts afresh.
export function forgetRoom(code) {
  for (const store of ['localStorage', 'sessionStorage']) {
    try {
      const s = window[store];
      const keys = [];
      for (let i = 0; i < s.length; i++) keys.push(s.key(i));
      for (const k of keys) if (k.startsWith('keha.') && k.split('.').includes(code)) s.removeItem(k);
    } catch (_) { /* storage may be blocked */ }
  }
}

// A stable colour slot (0..7) for a free-text sector, so lanes keep their colour.
export function sectorSlot(sector) {
  const s = String(sector || '').trim().toLowerCase();
  if (!s) return -1;
  let hsh = 0;
  for (const ch of s) hsh = (hsh * 31 + ch.codePointAt(0)) >>> 0;
  return hsh % 8;
}

const HANDLERS = ['onclick', 'onsubmit', 'onchange', 'oninput', 'onkeydown'];

// Makes `from` (in the page) look like `to` (just built), keeping every node whose tag matches
// at its place: a focused control stays the same element, so the focus stays where it was
// (a screen reader and a keyboard user keep their place). Returns the node now in the page.
export function morph(from, to) {
  if (from.nodeType !== to.nodeType || from.nodeName !== to.nodeName || from.nodeType !== Node.ELEMENT_NODE) {
    if (from.nodeType === Node.TEXT_NODE && to.nodeType === Node.TEXT_NODE) {
      if (from.data !== to.data) from.data = to.data;
      return from;
    }
    from.replaceWith(to);
    return to;
  }
  // A fold the person opened stays open.
  const opened = from.nodeName === 'DETAILS' && from.open;
  for (const a of [...from.attributes]) if (!to.hasAttribute(a.name)) from.removeAttribute(a.name);
  if (opened) from.open = true;
  for (const a of [...to.attributes]) if (from.getAttribute(a.name) !== a.value) from.setAttribute(a.name, a.value);
  for (const hnd of HANDLERS) if (from[hnd] !== to[hnd]) from[hnd] = to[hnd];
  if ('disabled' in to) from.disabled = to.disabled;
  if ('checked' in to && from.type === to.type) from.checked = to.checked;
  const was = [...from.childNodes];
  const now = [...to.childNodes];
  now.forEach((child, i) => { if (i < was.length) morph(was[i], child); else from.append(child); });
  for (const extra of was.slice(now.length)) extra.remove();
  // A select's value follows its new options; a field being typed in keeps what is typed.
  if ('value' in to && from !== document.activeElement && from.value !== to.value) from.value = to.value;
  return from;
}

// Keeps a container's keyed children in the given order, creating or updating each
// child with render(key, oldElement|null) -> element. Untouched elements keep focus; an
// element that holds the focus and is built anew is morphed in place instead of replaced
// (kept(oldElement, builtElement) is told, e.g. to move a cache entry).
export function reconcile(container, keys, render, kept) {
  const existing = new Map();
  for (const el of container.children) if (el.dataset.key !== undefined) existing.set(el.dataset.key, el);
  const wanted = [];
  for (const key of keys) {
    const old = existing.get(key) || null;
    let el = render(key, old);
    existing.delete(key);
    if (old && old !== el) {
      if (old.contains(document.activeElement) && old.nodeName === el.nodeName) {
        const built = el;
        el = morph(old, built);
        kept?.(el, built);
      } else {
        old.remove();
      }
    }
    el.dataset.key = key;
    wanted.push(el);
  }
  for (const el of existing.values()) el.remove();
  let cursor = container.firstElementChild;
  for (const el of wanted) {
    while (cursor && cursor.dataset.key === undefined) cursor = cursor.nextElementSibling;
    if (el === cursor) {
      cursor = cursor.nextElementSibling;
    } else {
      container.insertBefore(el, cursor);
    }
  }
}
