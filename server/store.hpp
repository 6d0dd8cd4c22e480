#pragma once
// The store: where rooms, their op logs and snapshots, processes, questionnaire answers and the
// access log are kept (docs/architecture.md, "The store"). `Store` is the interface the rooms,
// the HTTP API, the tools and the tests use; `Sqlite_store` (sqlite_store.hpp) and `Pg_store`
// (pg_store.hpp) implement it, both writing through one Store_writer (store_writer.hpp).
// Appends are group-committed: every append queued meanwhile goes into one transaction, and
// each is reported only after the COMMIT that made it durable.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace keha::server {

struct Store_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// A write that failed for a reason that may pass (the disk is full, another program holds
// the write lock past the busy timeout, an I/O error): the caller says "try again later".
struct Store_unavailable : Store_error {
    using Store_error::Store_error;
};

// The room's lease is held by another keha-server node on the same database (claim_room):
// its members are told to connect again, and the load balancer sends them to that node.
struct Room_elsewhere : Store_error {
    using Store_error::Store_error;
};

struct Room_record {
    std::string code;
    std::string facilitator_key_hash;  // hex SHA-256 of the key; keys are never stored
    std::string screen_key_hash;
    std::int64_t created_at_ms = 0;
    std::string process;  // the process the room belongs to; empty for none
};

// A process groups the meetings of development teams (docs/facilitator-guide.md).
struct Process_record {
    std::string id;
    std::string title;
    std::string teams;     // JSON array of team names
    std::string key_hash;  // hex SHA-256 of the process key
    std::int64_t created_at_ms = 0;
};

// One answer to a closing questionnaire as stored: scores and comment go to tables of their
// own under random keys, with nothing that names the participant, the seq or the time.
struct Rating_submission {
    std::string code;
    std::vector<std::pair<std::string, int>> scores;  // question id, 0–10
    std::optional<std::string> comment;
};
// One value of a quick poll's answer as stored (docs/privacy.md, "Anonymous polls"): an option
// chosen, a scale number or a word, each in a row of its own under a random key, with nothing
// that names the participant, the seq, the time or the other values of the same answer.
struct Poll_value {
    std::string poll;   // the poll's id in the room
    std::string value;  // "2" (an option's index or a scale number), or a word
    bool operator==(const Poll_value&) const = default;
};
struct Rating_rows {
    std::vector<std::pair<std::string, int>> scores;
    std::vector<std::string> comments;
};

// One row of the access log (docs/security.md, "The access log"): who opened which meeting,
// in which role, from which address. Rows outlive the meeting they name.
struct Access_entry {
    std::int64_t at_ms = 0;
    std::string room;     // the meeting's code; empty when the request named none
    std::string event;    // "join", "resume", "export", "history", "unknown_room", ...
    std::string role;     // "facilitator", "participant", "screen", "organizer", "process"; empty: no valid key
    std::string pid;      // the participant id, for joins
    std::string name;     // the name or pseudonym the person joined with
    std::string address;  // the client's address
    std::string detail;   // what was opened, e.g. "format=md seq=41"; never item text or keys
};

struct Op_record {
    std::uint64_t seq = 0;
    std::string by;    // "p3" or "server"
    std::string cmd;   // "item.add"
    std::string patch; // RFC 6902 patch as JSON text
    std::int64_t at_ms = 0;
};

struct Loaded_room {
    Room_record room;
    std::uint64_t snapshot_seq = 0;
    std::string snapshot;           // state document at snapshot_seq, JSON text
    std::vector<Op_record> ops;     // every op after snapshot_seq, in seq order
    std::map<std::string, std::string> token_hashes;  // pid -> hex SHA-256 of its token
    // The bytes of patches each author ("p3", "server") has stored in the whole history, for
    // the limits of a room reopened from the store.
    std::map<std::string, std::uint64_t> op_bytes;
};

// One durable step of a room: the op, and optionally a snapshot of the state after it and
// a new participant's token hash.
struct Append {
    std::string code;
    Op_record op;
    std::optional<std::string> snapshot;  // state after op.seq, JSON text
    std::optional<std::pair<std::string, std::string>> token;  // pid, token hash
    // Anonymous poll values the room releases with this op, written in its transaction.
    std::vector<Poll_value> poll_values = {};
};

// A snapshot as stored: the state document after `seq`, JSON text.
struct Snapshot_record {
    std::uint64_t seq = 0;
    std::string state;
};

// What the store holds of a room up to a seq: the newest snapshot at or before it, and the
// ops after that snapshot up to the seq. Folded into a state by state_at (replay.hpp).
struct Stored_history {
    std::uint64_t seq = 0;       // the seq asked for, clamped to last_seq
    std::uint64_t last_seq = 0;  // the room's last op (0 when it has none)
    Snapshot_record snapshot;
    std::vector<Op_record> ops;  // seq in (snapshot.seq, seq], in order; only `seq` and `patch` need be set
    std::string initial_phase;   // "phase" of the room as created (snapshot 0)
};

class Store {
public:
    virtual ~Store() = default;

    // ---- rooms ----
    // Synchronous; for the HTTP API. The initial state is the snapshot at seq 0. Throws
    // Store_unavailable when the write failed, Store_error when the code exists.
    virtual void create_room(const Room_record& room, const std::string& initial_state) = 0;
    // The same without blocking the caller: `done(error)` runs on a store thread after the
    // commit, with an empty error when the room was created.
    virtual void create_room_async(const Room_record& room, const std::string& initial_state,
                                   std::function<void(const std::string& error)> done) = 0;
    bool room_exists(const std::string& code) { return find_room(code).has_value(); }
    virtual std::optional<Room_record> find_room(const std::string& code) = 0;
    // The room, its newest snapshot, every op after it and its tokens, read consistently.
    // Throws Store_error when the room has no snapshot (a damaged store).
    virtual std::optional<Loaded_room> load_room(const std::string& code) = 0;
    // Every room's code, in order.
    virtual std::vector<std::string> room_codes() = 0;
    // Ops with seq in (after, upto], for history and replays beyond memory.
    virtual std::vector<Op_record> ops_between(const std::string& code, std::uint64_t after,
                                               std::uint64_t upto) = 0;
    // Every snapshot kept of the room, oldest first (keha-server check).
    virtual std::vector<Snapshot_record> snapshots(const std::string& code) = 0;

    // ---- appends (group commit) ----
    // Queues the append; `done(ok)` runs on a store thread after the transaction that holds
    // it committed (ok) or failed (not ok). Appends are committed in call order; the appends
    // queued while a commit runs go together into the next transaction.
    // Once an append of a room failed, every later append of that room fails too without
    // being written (each op's patch builds on the one before, so the log must not get a
    // gap), until the room has rolled back to what is durable and calls accept_appends.
    void append(Append step, std::function<void(bool ok)> done) { append(std::move(step), {}, std::move(done)); }
    // The same, with questionnaire answers written in the op's own transaction, in the order
    // given: the op and the answers are durable together or not at all.
    virtual void append(Append step, std::vector<Rating_submission> answers, std::function<void(bool ok)> done) = 0;
    virtual void accept_appends(const std::string& code) = 0;
    // Blocks until everything queued so far is committed (never on an I/O thread).
    virtual void flush() = 0;
    // Transactions committed, for the benchmark and tests.
    virtual std::uint64_t commits() const = 0;

    // ---- room ownership (docs/architecture.md, "Scaling out") ----
    // Several keha-server nodes on one database: a node takes a room's lease before it loads
    // the room, and only the holder's appends are written (the others fail). A store only one
    // node uses (SQLite) holds every room. Blocking (never on an I/O thread); false when
    // another node holds the room. Each true is paired with a release_room.
    virtual bool claim_room(const std::string& /*code*/) { return true; }
    // Gives up one claim; at none the lease goes. Queued behind the appends; returns at once.
    virtual void release_room(const std::string& /*code*/) {}
    // Whether this node still holds the lease (false once a commit found it lost).
    virtual bool holds_room(const std::string& /*code*/) const { return true; }
    // What the database tells a node about its leases, reported on a store thread of its own
    // from watch_leases until watch_leases({}) (which waits for a report under way).
    struct Lease_events {
        // This node's name (host:port), kept with its leases: a node that comes back asks
        // for the rooms taken from it (reclaim_rooms).
        std::string node;
        // Another node asked for this room, which this node holds (want_room).
        std::function<void(const std::string& code)> wanted;
        // This node's lease session ended: it holds none of these rooms any more.
        std::function<void(const std::vector<std::string>& codes)> lost;
    };
    virtual void watch_leases(Lease_events /*events*/) {}
    // Asks the node holding the room to let it go: a member or a request for it reached this
    // node, which is where the load balancer sends it now. Blocking; may throw Store_error.
    virtual void want_room(const std::string& /*code*/) {}
    // Asks, once, for the rooms other nodes took when this node's session ended (it died, or
    // was cut off): called when the load balancer counts this node healthy again. Blocking.
    virtual void reclaim_rooms() {}
    // Whether this node runs the sweeps that must run on one node at a time (retention.hpp):
    // the first node to ask keeps them while its database session lives. Blocking.
    virtual bool lead_sweeps() { return true; }

    // ---- health ----
    // Whether the store can write now, for /readyz, after everything queued. Once a commit has
    // failed, the answer turns good only when writing really works again. `done(problem)` runs
    // on a store thread with an empty problem when the store can write, else a sentence
    // without paths.
    virtual void check_writable(std::function<void(const std::string& problem)> done) = 0;
    // The sizes of the store's files in bytes, for /metrics (0 where there are none).
    struct File_sizes {
        std::uint64_t database = 0, wal = 0;
    };
    virtual File_sizes file_sizes() const = 0;

    // ---- processes, questionnaires and history ----
    // Synchronous; throws Store_error (e.g. the id exists), Store_unavailable when the write failed.
    virtual void create_process(const Process_record& process) = 0;
    virtual std::optional<Process_record> find_process(const std::string& id) = 0;
    // The rooms of a process, oldest first (the same millisecond: in the order created).
    virtual std::vector<Room_record> rooms_of_process(const std::string& id) = 0;
    // Scores ordered by question and score, comments by text: nothing in the order says who.
    virtual Rating_rows ratings_of(const std::string& code) = 0;
    // The room's poll values, ordered by poll and value: nothing in the order says who or when.
    virtual std::vector<Poll_value> poll_values_of(const std::string& code) = 0;
    // What the store holds of the room up to `seq` (clamped to the last seq stored), read
    // consistently; nothing for an unknown room.
    virtual std::optional<Stored_history> history_at(const std::string& code, std::uint64_t seq) = 0;
    // The state document at `seq` (clamped): history_at folded (store.cpp).
    struct History {
        std::uint64_t seq = 0;
        std::uint64_t last_seq = 0;
        std::string state;          // JSON text
        std::string initial_phase;  // the current phase of the room as created
    };
    std::optional<History> state_at(const std::string& code, std::uint64_t seq);
    // The time of every op up to `upto`, with its patch only when it changes "/phase" (empty
    // otherwise): what the notes need for the start, the end and the time in each phase.
    virtual std::vector<std::pair<std::int64_t, std::string>> op_times(const std::string& code, std::uint64_t upto) = 0;

    // ---- retention, erasure and the access log (docs/security.md) ----
    // Queues a row; it is committed with the next batch of appends.
    virtual void log_access(Access_entry entry) = 0;
    // Oldest first: every row, or a meeting's rows written since `since_ms` (its creation, so a
    // code given again to a new meeting never shows an earlier meeting's rows).
    virtual std::vector<Access_entry> access_log(const std::optional<std::string>& room, std::int64_t since_ms = 0) = 0;
    // Deletes the meeting: its ops, snapshots, tokens, questionnaire answers and its row, but
    // not its access-log rows. Runs after everything queued before it; `done(ok)` runs on a
    // store thread. Deleted text does not linger in the store's files.
    virtual void delete_room(const std::string& code, std::function<void(bool ok)> done) = 0;
    // Rewrites the room's stored ops and snapshots that hold the item's text (keha/erase.hpp).
    // Queued: it is committed with the next batch of appends, so an op appended after it is
    // acknowledged only once the text is gone.
    virtual void erase_item(const std::string& code, const std::string& board, const std::string& id) = 0;
    // The meetings whose time is up at `now_ms`: closed more than `days` ago, or never closed
    // and unchanged for more than `days`.
    virtual std::vector<std::string> expired_rooms(std::int64_t now_ms, unsigned days) = 0;
    // Deletes the access-log rows older than `days` whose meeting no longer exists; how many.
    // Synchronous.
    virtual std::int64_t prune_access_log(std::int64_t now_ms, unsigned days) = 0;

protected:
    Store() = default;
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;
};

// The store `db` names (--db): a postgresql:// (or postgres://) DSN opens a Pg_store, a file
// path (or ":memory:") an Sqlite_store. Throws Store_error with a message a person can act on,
// never holding the DSN's password (store_open.cpp).
std::unique_ptr<Store> open_store(const std::string& db);

// Hex SHA-256, for keys and tokens.
std::string sha256_hex(const std::string& text);

}  // namespace keha::server
