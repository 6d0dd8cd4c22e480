// UI strings come from the shared catalogs (/i18n/{fi,sv,en}.json). The page's language is
// the person's own choice (remembered in localStorage), else the first of the browser's
// languages we have, else the room's language, else Finnish.

export const LANGS = ['fi', 'sv', 'en'];
const STORE_KEY = 'keha.lang';

let catalog = {};
let fallback = {};
let current = 'fi';

function storedLanguage() {
  try {
    const v = localStorage.getItem(STORE_KEY);
    if (LANGS.includes(v)) return v;
  } catch (_) { /* storage may be blocked */ }
  return null;
}

// The first of the browser's languages (in its order of preference) that we have, by its
// primary tag: sv-FI is Swedish, en-GB English; de-DE is none of ours.
function browserLanguage() {
  const list = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of list) {
    const primary = String(tag || '').toLowerCase().split('-')[0];
    if (LANGS.includes(primary)) return primary;
  }
  return null;
}

// `roomLanguage`: the language of the room the page is about, when it is known.
export function chosenLanguage(roomLanguage) {
  return storedLanguage() || browserLanguage() || (LANGS.includes(roomLanguage) ? roomLanguage : 'fi');
}

export function rememberLanguage(lang) {
  try { localStorage.setItem(STORE_KEY, lang); } catch (_) { /* ignore */ }
}

// Without its catalog a page has no words to show, so one the server cannot give right now
// (restarting, or a node failing over: no answer, or the load balancer's 502/503/504) is
// asked for again, less and less often, until it comes; any other answer is an error.
const RETRY_STATUSES = new Set([502, 503, 504]);
async function fetchCatalog(lang) {
  for (let waitMs = 300; ; waitMs = Math.min(waitMs * 1.6, 4000)) {
    let res = null;
    let text = null;
    try {
      res = await fetch(`/i18n/${lang}.json`, { cache: 'no-cache' });
      if (res.ok) text = await res.text();
    } catch (_) { /* no answer, or cut off: asked again */ }
    if (text !== null) return JSON.parse(text);
    if (res && !res.ok && !RETRY_STATUSES.has(res.status)) throw new Error(`catalog ${lang}: ${res.status}`);
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}

export async function loadLanguage(lang) {
  if (!LANGS.includes(lang)) lang = 'fi';
  const [cat, fb] = await Promise.all([
    fetchCatalog(lang),
    lang === 'en' ? Promise.resolve(null) : fetchCatalog('en').catch(() => ({})),
  ]);
  catalog = cat;
  fallback = fb || cat;
  current = lang;
  document.documentElement.lang = lang;
  return lang;
}

export function language() {
  return current;
}

// Dates and times as each language writes them: a bare "en" would give US month-first dates.
const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
const DATE = { day: 'numeric', month: 'numeric', year: 'numeric' };
const TIME = { hour: '2-digit', minute: '2-digit' };

function locale(lang = current) {
  return LOCALES[lang] || lang;
}

export function formatDate(when, lang) {
  return new Date(when).toLocaleDateString(locale(lang), DATE);
}

export function formatTime(when, lang) {
  return new Date(when).toLocaleTimeString(locale(lang), TIME);
}

export function formatDateTime(when, lang) {
  return new Date(when).toLocaleString(locale(lang), { ...DATE, ...TIME });
}

export function formatNumber(n) {
  return Number(n).toLocaleString(locale());
}

export function has(key) {
  return Object.prototype.hasOwnProperty.call(catalog, key) ||
    Object.prototype.hasOwnProperty.call(fallback, key);
}

// t('web.votes', {n: 3}) — {name} placeholders are filled from vars.
export function t(key, vars) {
  let s = catalog[key];
  if (s === undefined) s = fallback[key];
  if (s === undefined) s = key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m));
  return s;
}

// A text a person reads: free text (what the facilitator typed) as it is, or a template's
// {"fi","sv","en"} texts in this page's language, falling back to Finnish — the rule of
// keha::localized on the server and in keha-desk.
export function pick(text) {
  if (typeof text === 'string') return text;
  if (!text || typeof text !== 'object') return '';
  if (typeof text[current] === 'string') return text[current];
  return typeof text.fi === 'string' ? text.fi : '';
}

// A counted text: the catalog holds `key.one`, `key.other` (the forms Intl.PluralRules names
// for the language); {n} and the other placeholders are filled.
export function tn(key, n, vars = {}) {
  const form = `${key}.${new Intl.PluralRules(current || 'fi').select(n)}`;
  return t(has(form) ? form : `${key}.other`, { ...vars, n });
}

// Fills elements marked with data-i18n (text), data-i18n-placeholder, data-i18n-title and
// data-i18n-aria (aria-label); a[data-lang-link] gets its href with ?lang=.
export function translatePage(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
  // A link to one of our pages (the participant's guide) opens it in this page's language.
  for (const el of root.querySelectorAll('a[data-lang-link]')) el.href = `${el.dataset.langLink}?lang=${current}`;
}

// A <select> for fi/sv/en, labelled in each language's own name.
export function languagePicker(select, onChange) {
  select.textContent = '';
  for (const l of LANGS) {
    const o = document.createElement('option');
    o.value = l;
    o.textContent = t(`web.lang.${l}`);
    select.append(o);
  }
  select.value = current;
  select.addEventListener('change', () => {
    rememberLanguage(select.value);
    onChange(select.value);
  });
}
