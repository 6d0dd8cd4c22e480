// What becomes of commands that were sent but not acknowledged when the connection dropped,
// once the next welcome says what the server holds (docs/protocol.md §9): nothing typed is
// lost, nothing applied twice.

// outbox: [{id, cmd, args, sent, maybeSent}]. welcome: {replay} (the patches after `since`),
// or {state, you} (a full state), with lostJoin: {you} when the person's token was refused
// and they joined afresh. Returns the commands still to send; those kept are no longer
// "maybe sent".
export function settleOutbox(outbox, welcome) {
  const { replay, state, you, lostJoin } = welcome;
  const used = new Set();
  return outbox.filter((c) => {
    if (!c.maybeSent) return true;
    let done;
    if (Array.isArray(replay)) {
      // The replay shows each command of one's own that was applied: same author, same command.
      const idx = replay.findIndex((p, i) => !used.has(i) && p.by === you && p.cmd === c.cmd);
      if (idx >= 0) used.add(idx);
      done = idx >= 0;
    } else if (lostJoin && !state?.participants?.[lostJoin.you]?.removed) {
      // The server no longer knows the token: the join that made it was never durable, and
      // every command sent under it came after the join in the same log (§9.2), so none was
      // applied. (A person removed meanwhile is another matter: what they sent may stand.)
      done = false;
    } else if (c.cmd === 'item.add') {
      const items = state?.boards?.[c.args.board]?.items || {};
      const author = lostJoin ? lostJoin.you : you; // a removed person's items stay theirs
      done = Object.values(items).some((it) => it.author === author && it.text === c.args.text);
    } else {
      done = true; // cannot tell; a toggle sent twice would undo itself
    }
    if (!done) c.maybeSent = false;
    return !done;
  });
}
