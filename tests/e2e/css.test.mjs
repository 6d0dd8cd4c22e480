// The browser view's style sheets are whole: a block left open swallows every rule after it
// (a media query that is not closed makes the rules below it apply only on phones).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'assets', 'web');

// The line of every `{` left open at the end, or of a `}` that closes nothing.
function unbalanced(css) {
  const bare = css.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, (q) => q.replace(/[^\n]/g, ' '));
  const open = [];
  const stray = [];
  let line = 1;
  for (const c of bare) {
    if (c === '\n') line += 1;
    else if (c === '{') open.push(line);
    else if (c === '}' && open.pop() === undefined) stray.push(line);
  }
  return { open, stray };
}

test('every brace in the style sheets is closed, and closes something', () => {
  const sheets = fs.readdirSync(web).filter((f) => f.endsWith('.css'));
  assert.ok(sheets.includes('app.css') && sheets.includes('screen.css'));
  for (const f of sheets) {
    const { open, stray } = unbalanced(fs.readFileSync(path.join(web, f), 'utf8'));
    assert.deepEqual(open, [], `${f}: a block opened on these lines is never closed`);
    assert.deepEqual(stray, [], `${f}: a } on these lines closes nothing`);
  }
});

test('the check finds a block left open', () => {
  assert.deepEqual(unbalanced('a { b: c; }\n@media (x) {\n  d { e: f; }\n').open, [2]);
  assert.deepEqual(unbalanced('/* { */ a { content: "}"; }').open, []);
});
