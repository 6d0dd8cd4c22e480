// A small RFC 6902 JSON Patch applier (add, remove, replace, move, copy, test)
// on RFC 6901 JSON Pointers. Patches change the document in place; a failed
// operation throws PatchError and the caller resynchronises from a fresh state.

export class PatchError extends Error {}

export function parsePointer(pointer) {
  if (pointer === '') return [];
  if (typeof pointer !== 'string' || pointer[0] !== '/') {
    throw new PatchError(`bad pointer: ${pointer}`);
  }
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function isIndex(token) {
  return /^(0|[1-9][0-9]*)$/.test(token);
}

function has(obj, key) {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function clone(value) {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

export function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!has(b, k) || !deepEqual(a[k], b[k])) return false;
  return true;
}

// Walks to the parent of the pointer's last token.
function locate(doc, tokens) {
  let parent = doc;
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i];
    if (Array.isArray(parent)) {
      if (!isIndex(t) || Number(t) >= parent.length) throw new PatchError(`no such path: ${t}`);
      parent = parent[Number(t)];
    } else if (parent !== null && typeof parent === 'object') {
      if (!has(parent, t)) throw new PatchError(`no such path: ${t}`);
      parent = parent[t];
    } else {
      throw new PatchError(`not a container at ${t}`);
    }
  }
  if (parent === null || typeof parent !== 'object') throw new PatchError('parent is not a container');
  return parent;
}

export function getAt(doc, pointer) {
  const tokens = parsePointer(pointer);
  let cur = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) {
      if (!isIndex(t) || Number(t) >= cur.length) throw new PatchError(`no such path: ${pointer}`);
      cur = cur[Number(t)];
    } else if (cur !== null && typeof cur === 'object' && has(cur, t)) {
      cur = cur[t];
    } else {
      throw new PatchError(`no such path: ${pointer}`);
    }
  }
  return cur;
}

// Each helper returns the (possibly new) root document.
function addAt(doc, tokens, value) {
  if (tokens.length === 0) return value;
  const parent = locate(doc, tokens);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    if (last === '-') parent.push(value);
    else if (isIndex(last) && Number(last) <= parent.length) parent.splice(Number(last), 0, value);
    else throw new PatchError(`bad array index: ${last}`);
  } else {
    parent[last] = value;
  }
  return doc;
}

function removeAt(doc, tokens) {
  if (tokens.length === 0) throw new PatchError('cannot remove the root');
  const parent = locate(doc, tokens);
  const last = tokens[tokens.length - 1];
  let old;
  if (Array.isArray(parent)) {
    if (!isIndex(last) || Number(last) >= parent.length) throw new PatchError(`bad array index: ${last}`);
    old = parent.splice(Number(last), 1)[0];
  } else {
    if (!has(parent, last)) throw new PatchError(`no such member: ${last}`);
    old = parent[last];
    delete parent[last];
  }
  return [doc, old];
}

function replaceAt(doc, tokens, value) {
  if (tokens.length === 0) return value;
  const parent = locate(doc, tokens);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    if (!isIndex(last) || Number(last) >= parent.length) throw new PatchError(`bad array index: ${last}`);
    parent[Number(last)] = value;
  } else {
    if (!has(parent, last)) throw new PatchError(`no such member: ${last}`);
    parent[last] = value;
  }
  return doc;
}

export function applyOperation(doc, op) {
  if (!op || typeof op !== 'object') throw new PatchError('operation is not an object');
  const tokens = parsePointer(op.path);
  switch (op.op) {
    case 'add':
      if (!has(op, 'value')) throw new PatchError('add without value');
      return addAt(doc, tokens, op.value);
    case 'remove':
      return removeAt(doc, tokens)[0];
    case 'replace':
      if (!has(op, 'value')) throw new PatchError('replace without value');
      return replaceAt(doc, tokens, op.value);
    case 'move': {
      const from = parsePointer(op.from);
      if (op.from === op.path) return doc;
      if (op.path.startsWith(op.from + '/')) throw new PatchError('cannot move into own child');
      const [d, value] = removeAt(doc, from);
      return addAt(d, tokens, value);
    }
    case 'copy':
      return addAt(doc, tokens, clone(getAt(doc, op.from)));
    case 'test':
      if (!deepEqual(getAt(doc, op.path), op.value)) throw new PatchError(`test failed at ${op.path}`);
      return doc;
    default:
      throw new PatchError(`unknown op: ${op.op}`);
  }
}

// Applies a whole patch; returns the new root (the same object unless the root was replaced).
export function applyPatch(doc, patch) {
  if (!Array.isArray(patch)) throw new PatchError('patch is not an array');
  let cur = doc;
  for (const op of patch) cur = applyOperation(cur, op);
  return cur;
}
