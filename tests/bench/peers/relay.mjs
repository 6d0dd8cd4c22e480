// The benchmark's peer: what a team would otherwise deploy — a Node `ws` room relay.
// It speaks the part of Kehä's protocol the load generator uses (docs/performance.md):
//   POST /api/rooms {"title"}                 -> 201 {"code"}
//   {"type":"hello","room","name","group"}    -> {"type":"welcome","you","seq","state":{"items"}}
//   {"type":"do","id","cmd":"item.add"|"item.edit","args"}
//                                             -> {"type":"ack","id","seq"} to the sender and
//                                                {"type":"patch","seq","by","cmd","patch":[…]} to every member
//   {"type":"ping","t"}                       -> {"type":"pong","t","server_time"}
// Without --db it persists nothing. With --db FILE every command is written to SQLite (WAL,
// synchronous=FULL, as keha-server) and acknowledged only after its commit; the commands
// that arrive in one turn of the event loop share one transaction (group commit).
//
//   node relay.mjs --port 0 [--db relay.db]
import http from 'node:http';
import { WebSocketServer } from 'ws';

const option = (name) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};

const rooms = new Map(); // code -> {seq, items: Map(id -> {board, column, text}), members: Set(ws)}
let roomCount = 0;
let memberCount = 0;

const store = option('--db') ? await openStore(option('--db')) : null;

async function openStore(file) {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE IF NOT EXISTS ops (room TEXT NOT NULL, seq INTEGER NOT NULL, by TEXT NOT NULL,
             cmd TEXT NOT NULL, patch TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (room, seq))`);
  const insert = db.prepare('INSERT INTO ops (room, seq, by, cmd, patch, at) VALUES (?, ?, ?, ?, ?, ?)');
  const commitAll = db.transaction((ops) => {
    for (const op of ops) insert.run(op.room, op.seq, op.by, op.cmd, op.patch, op.at);
  });
  let pending = [];
  return {
    // Queue an op; it and everything queued in this turn commit together, then `after` runs.
    append(op, after) {
      pending.push({ op, after });
      if (pending.length > 1) return;
      setImmediate(() => {
        const batch = pending;
        pending = [];
        commitAll(batch.map((p) => p.op));
        for (const p of batch) p.after();
      });
    },
  };
}

function apply(room, by, cmd, args) {
  if (!args || typeof args !== 'object' || typeof args.text !== 'string' || args.text.length === 0) return null;
  const seq = room.seq + 1;
  if (cmd === 'item.add') {
    const id = `i${seq}`;
    const item = { id, column: String(args.column), text: args.text, by };
    room.items.set(id, { board: String(args.board), ...item });
    room.seq = seq;
    return [{ op: 'add', path: `/boards/${args.board}/items/${id}`, value: item }];
  }
  if (cmd === 'item.edit') {
    const item = room.items.get(args.id);
    if (!item) return null;
    item.text = args.text;
    room.seq = seq;
    return [{ op: 'replace', path: `/boards/${item.board}/items/${args.id}/text`, value: args.text }];
  }
  return null;
}

function welcome(ws, room, you) {
  const items = {};
  for (const [id, item] of room.items) items[id] = item;
  ws.send(JSON.stringify({ type: 'welcome', protocol: 1, you, seq: room.seq, state: { items } }));
}

function onCommand(ws, member, m) {
  const patch = apply(member.room, member.you, m.cmd, m.args);
  if (!patch) {
    ws.send(JSON.stringify({ type: 'error', id: m.id ?? null, code: 'invalid', message: 'not a command of the relay' }));
    return;
  }
  const room = member.room;
  const seq = room.seq;
  const text = JSON.stringify({ type: 'patch', seq, by: member.you, cmd: m.cmd, patch });
  const deliver = () => {
    ws.send(JSON.stringify({ type: 'ack', id: m.id, seq }));
    for (const other of room.members) other.send(text);
  };
  if (!store) return deliver();
  store.append({ room: member.code, seq, by: member.you, cmd: m.cmd, patch: JSON.stringify(patch), at: Date.now() },
    deliver);
}

function onMessage(ws, member, data) {
  let m;
  try {
    m = JSON.parse(data);
  } catch {
    return ws.send(JSON.stringify({ type: 'error', id: null, code: 'bad_request', message: 'not JSON' }));
  }
  if (!member.room) {
    const room = m.type === 'hello' && rooms.get(String(m.room));
    if (!room) {
      ws.send(JSON.stringify({ type: 'error', id: null, code: 'unknown_room', message: 'no such room' }));
      return ws.close();
    }
    Object.assign(member, { room, code: String(m.room), you: `p${++memberCount}` });
    room.members.add(ws);
    return welcome(ws, room, member.you);
  }
  if (m.type === 'do') return onCommand(ws, member, m);
  if (m.type === 'ping') return ws.send(JSON.stringify({ type: 'pong', t: m.t, server_time: Date.now() }));
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/api/rooms') {
    res.writeHead(404, { 'content-type': 'application/json' });
    return res.end('{"error":"not_found"}');
  }
  req.resume();
  req.on('end', () => {
    const code = `R${++roomCount}`;
    rooms.set(code, { seq: 0, items: new Map(), members: new Set() });
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code }));
  });
});

const wss = new WebSocketServer({ server, path: '/ws', maxPayload: 64 * 1024 });
wss.on('connection', (ws) => {
  const member = {};
  ws.on('message', (data) => onMessage(ws, member, data));
  ws.on('close', () => member.room?.members.delete(ws));
  ws.on('error', () => {});
});

server.listen(Number(option('--port') ?? 0), '127.0.0.1', () => {
  console.log(`Relay is running: open http://127.0.0.1:${server.address().port}/ (store ${store ? 'SQLite' : 'none'})`);
});
process.on('SIGTERM', () => process.exit(0));
