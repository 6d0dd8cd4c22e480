// Accessibility checks for the browser tests: axe-core (from node_modules, injected into the
// page), the page's horizontal overflow, the focused element and the size of touch targets.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ART } from './harness.mjs';

const require = createRequire(import.meta.url);
let axePath;
try {
  axePath = require.resolve('axe-core/axe.min.js');
} catch (_) {
  console.error('axe-core is missing: run `npm ci` in tests/e2e (make test does it).');
  process.exit(1);
}

const axeSource = fs.readFileSync(axePath, 'utf8');

// WCAG 2.0/2.1 A and AA, and axe's best practices (which add the moderate findings).
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

// Every finding below serious and critical, by page, for docs/accessibility.md.
export const remaining = new Map(); // rule id -> {impact, help, where: Set}

// Runs axe on the page as it is; returns the serious and critical violations, formatted, and
// keeps the others in `remaining`.
export async function axe(page, where) {
  // The pages' Content-Security-Policy (script-src 'self') refuses an injected <script>; an
  // evaluated source is the browser's own and passes.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const result = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`),
    }));
  }, TAGS);
  const bad = [];
  for (const v of result) {
    if (v.impact === 'serious' || v.impact === 'critical') {
      bad.push(`${where}: [${v.impact}] ${v.id} — ${v.help}\n    ${v.nodes.slice(0, 6).join('\n    ')}`);
    } else {
      const entry = remaining.get(v.id) || { impact: v.impact, help: v.help, where: new Set() };
      entry.where.add(where);
      remaining.set(v.id, entry);
    }
  }
  return bad;
}

// Writes the moderate and minor findings to the artefacts (the statement names them).
export function writeRemaining(file) {
  const lines = [...remaining.entries()].map(([id, e]) => `${id} (${e.impact}): ${e.help} — ${[...e.where].join(', ')}`);
  fs.writeFileSync(path.join(ART, `axe-remaining-${file}.txt`), `${lines.join('\n')}\n`);
  return lines;
}

// True when the page scrolls sideways (wider content than the viewport).
export async function sidewaysOverflow(page) {
  return page.evaluate(() => {
    const se = document.scrollingElement;
    if (se.scrollWidth <= window.innerWidth) return null;
    // Name the widest offenders for the message.
    const wide = [...document.querySelectorAll('body *')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.right > window.innerWidth + 1;
    }).slice(0, 5).map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')} (right ${Math.round(el.getBoundingClientRect().right)})`);
    return `scrollWidth ${se.scrollWidth} > innerWidth ${window.innerWidth}: ${wide.join(', ')}`;
  });
}

// A description of the focused element; "body" when the focus fell to the page.
export async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return 'body';
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`;
  });
}

// Visible controls smaller than 44×44 CSS pixels (a checkbox or radio counts by its label).
export async function smallTargets(page, root = 'body') {
  return page.evaluate((sel) => {
    const out = [];
    const scope = document.querySelector(sel);
    for (const el of scope.querySelectorAll('button, select, input, textarea, a.button, summary, [role=tab]')) {
      let target = el;
      if (el.matches('input[type=checkbox], input[type=radio]')) target = el.closest('label') || el;
      const style = getComputedStyle(target);
      if (style.visibility === 'hidden' || target.closest('[hidden]') || target.getClientRects().length === 0) continue;
      if (el.matches('.sr-only, .scale input')) continue; // the scale's label is the target (checked below)
      const r = target.getBoundingClientRect();
      if (r.height < 43.5 || r.width < 43.5) {
        out.push(`${target.tagName.toLowerCase()}${target.id ? `#${target.id}` : ''}.${[...target.classList].join('.')} ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
    for (const label of scope.querySelectorAll('.scale label')) {
      const r = label.getBoundingClientRect();
      if (r.width && (r.height < 43.5 || r.width < 43.5)) out.push(`.scale label ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return out;
  }, root);
}

// Runs only the named axe rules (e.g. color-contrast-enhanced, WCAG AAA 7:1, which the tag
// run leaves out); every violation of them, formatted.
export async function axeRules(page, where, rules) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const result = await page.evaluate(async (ids) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'rule', values: ids }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`).slice(0, 6).join('; ')}`);
  }, rules);
  return result.map((r) => `${where}: ${r}`);
}
