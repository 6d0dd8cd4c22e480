#pragma once
// The SQLite store: one file, WAL, a versioned schema, one writer thread that batches the
// appends of all rooms into one transaction (group commit) and reports each append only
// after its commit.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace keha::server {

struct Store_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// A write that failed for a reason that may pass (the disk is full, another program holds
// the write lock past the busy timeout, an I/O error): the caller says "try again later".
struct Store_unavailable : Store_error {
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
};

// One durable step of a room: the op, and optionally a snapshot of the state after it and
// a new participant's token hash.
struct Append {
    std::string code;
    Op_record op;
    std::optional<std::string> snapshot;  // state after op.seq, JSON text
    std::optional<std::pair<std::string, std::string>> token;  // pid, token hash
};

class Store {
public:
    static constexpr int schema_version = 4;

    // Opens or creates the file (":memory:" works too), migrates forward; throws Store_error
    // with a message a person can act on (e.g. a newer schema than this program knows).
    explicit Store(const std::string& path);
    // Opens an existing file to read only, never writing to it (keha-server check, on a live
    // store or a backup copy): the reads below work, anything that writes throws Store_error.
    // Throws Store_error when the file is missing, not a Kehä database, or of another schema
    // version than this program's (an older one is migrated by starting keha-server on it).
    struct Read_only {};
    Store(const std::string& path, Read_only);
    ~Store();  // flushes pending appends
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // Synchronous; for the HTTP API. The initial state is the snapshot at seq 0. Throws
    // Store_unavailable when the write failed, Store_error when the code exists.
    void create_room(const Room_record& room, const std::string& initial_state);
    // The same without blocking the caller: `done(error)` runs on the writer thread after
    // the commit, with an empty error when the room was created.
    void create_room_async(const Room_record& room, const std::string& initial_state,
                           std::function<void(const std::string& error)> done);
    bool room_exists(const std::string& code);
    std::optional<Room_record> find_room(const std::string& code);
    std::optional<Loaded_room> load_room(const std::string& code);
    // Every room's code, in order.
    std::vector<std::string> room_codes();
    // Ops with seq in (after, upto], for history and replays beyond memory.
    std::vector<Op_record> ops_between(const std::string& code, std::uint64_t after,
                                       std::uint64_t upto);

    // Queues the append; `done(ok)` runs on the writer thread after the transaction that
    // holds it committed (ok) or failed (not ok). Appends are committed in call order.
    // Once an append of a room failed, every later append of that room fails too without
    // being written (each op's patch builds on the one before, so the log must not get a
    // gap), until the room has rolled back to what is durable and calls accept_appends.
    void append(Append step, std::function<void(bool ok)> done);
    // The same, with questionnaire answers written in the op's own transaction, in the order
    // given (store_meetings.cpp): the op and the answers are durable together or not at all.
    void append(Append step, std::vector<Rating_submission> answers, std::function<void(bool ok)> done);
    void accept_appends(const std::string& code);
    // Blocks until everything appended so far is committed.
    void flush();

    // Counters for the benchmark and tests.
    std::uint64_t commits() const;

    // ---- health (store_health.cpp) ----
    // Whether the store can write now, for /readyz: after everything queued, the writer takes
    // the write lock for a moment and changes the file in a transaction it rolls back (no
    // sync). Once a commit has failed, it commits that small change instead, so the answer
    // turns good only when writing really works again. `done(problem)` runs on the writer
    // thread with an empty problem when the store can write, else a sentence without paths.
    void check_writable(std::function<void(const std::string& problem)> done);
    // The sizes of the database file and of its write-ahead log, in bytes (0 for ":memory:").
    struct File_sizes {
        std::uint64_t database = 0, wal = 0;
    };
    File_sizes file_sizes() const;

    // ---- processes, questionnaires and history (store_meetings.cpp) ----
    // Synchronous, through the writer; throws Store_error (e.g. the id exists).
    void create_process(const Process_record& process);
    std::optional<Process_record> find_process(const std::string& id);
    // The rooms of a process, oldest first.
    std::vector<Room_record> rooms_of_process(const std::string& id);
    Rating_rows ratings_of(const std::string& code);
    // The state document at `seq` (clamped to the last seq stored): the newest snapshot at or
    // before it with the ops after it applied. Nothing for an unknown room.
    struct History {
        std::uint64_t seq = 0;
        std::uint64_t last_seq = 0;
        std::string state;          // JSON text
        std::string initial_phase;  // the current phase of the room as created
    };
    std::optional<History> state_at(const std::string& code, std::uint64_t seq);
    // The time of every op up to `upto`, with its patch only when it changes "/phase" (empty
    // otherwise): what the notes need for the start, the end and the time in each phase.
    std::vector<std::pair<std::int64_t, std::string>> op_times(const std::string& code, std::uint64_t upto);
    // The bytes of patches each author ("p3", "server") has stored in the room's history, for
    // the limits of a room reopened from the store.
    std::map<std::string, std::uint64_t> op_bytes(const std::string& code);

    // ---- retention, erasure and the access log (store_retention.cpp) ----
    // Queues a row; it is committed with the next batch of appends.
    void log_access(Access_entry entry);
    // Oldest first: every row, or a meeting's rows written since `since_ms` (its creation, so a
    // code given again to a new meeting never shows an earlier meeting's rows).
    std::vector<Access_entry> access_log(const std::optional<std::string>& room, std::int64_t since_ms = 0);
    // Deletes the meeting: its ops, snapshots, tokens, questionnaire answers and its row, but
    // not its access-log rows. Runs after everything queued before it; `done(ok)` runs on the
    // writer thread. The WAL is checkpointed and truncated after it.
    void delete_room(const std::string& code, std::function<void(bool ok)> done);
    // Rewrites the room's stored ops and snapshots that hold the item's text (keha/erase.hpp).
    // Queued: it is committed with the next batch of appends (so an op appended after it is
    // acknowledged only once the text is gone), and the WAL is checkpointed after that commit.
    void erase_item(const std::string& code, const std::string& board, const std::string& id);
    // The meetings whose time is up at `now_ms`: closed more than `days` ago, or never closed
    // and unchanged for more than `days`.
    std::vector<std::string> expired_rooms(std::int64_t now_ms, unsigned days);
    // Deletes the access-log rows older than `days` whose meeting no longer exists; how many.
    // Synchronous, through the writer.
    std::int64_t prune_access_log(std::int64_t now_ms, unsigned days);

private:
    // One queued unit of work for the writer: an append, or a room to create (which gets
    // a transaction of its own so a code collision cannot fail other rooms' appends).
    struct Job {
        Append step;
        std::function<void(bool ok)> done;
        bool create = false;
        Room_record room;
        std::string initial_state;
        // With the error (empty when created) and whether it is that the id exists.
        std::function<void(const std::string& error, bool conflict)> created;
        std::optional<Process_record> process;    // a process to create, in its own transaction
        std::function<bool()> batched;  // more rows written in the appends' transaction; false fails it
        std::function<void()> alone;    // work that runs its own transactions, between batches
        std::vector<Rating_submission> ratings;   // answers, committed with this append's op
        std::chrono::steady_clock::time_point queued_at{};  // for the commit latency (metrics.hpp)
    };
    // Runs `work` on the writer thread after everything queued so far, and waits for it.
    void run_alone(std::function<void()> work);
    void checkpoint();
    bool checkpoint_due_ = false;  // writer thread only: a batch erased text
    bool write_failed_ = false;    // writer thread only: the last commit failed (store_health.cpp)
    std::string write_check();
    std::string run_create_process(const Process_record& process, bool& conflict);
    bool write_rating(const Rating_submission& answer);

    void open_write_connection();
    void open_read_connection();
    void migrate();
    void prepare_statements();
    void prepare_read_statements();
    void finalize_statements();
    void writer_loop();
    void run_batch(std::vector<Job>& batch);
    bool commit_appends(const std::vector<Job*>& jobs);
    std::string run_create(const Job& job, bool& conflict);
    // The room an append belongs to; empty for other rows written with the appends.
    static const std::string& room_of(const Job& job);
    void enqueue(Job job);

    std::string path_;
    bool shared_connection_ = false;  // ":memory:": one connection, reads wait for the writer
    bool read_only_ = false;          // no writer connection nor thread (Read_only)
    sqlite3* write_db_ = nullptr;
    sqlite3* read_db_ = nullptr;

    // Writer-connection statements, used only on the writer thread.
    sqlite3_stmt* begin_ = nullptr;
    sqlite3_stmt* commit_ = nullptr;
    sqlite3_stmt* rollback_ = nullptr;
    sqlite3_stmt* insert_room_ = nullptr;
    sqlite3_stmt* insert_op_ = nullptr;
    sqlite3_stmt* insert_snapshot_ = nullptr;
    sqlite3_stmt* prune_snapshots_ = nullptr;
    sqlite3_stmt* upsert_token_ = nullptr;

    // Read-connection statements, used under read_mutex_.
    sqlite3_stmt* read_begin_ = nullptr;
    sqlite3_stmt* read_end_ = nullptr;
    sqlite3_stmt* select_room_ = nullptr;
    sqlite3_stmt* select_snapshot_ = nullptr;
    sqlite3_stmt* select_ops_ = nullptr;
    sqlite3_stmt* select_tokens_ = nullptr;
    std::mutex read_mutex_;

    std::mutex queue_mutex_;
    std::condition_variable queue_cv_;     // work arrived, or stop
    std::condition_variable progress_cv_;  // a batch finished
    std::deque<Job> queue_;
    std::uint64_t queued_ = 0;     // jobs ever queued
    std::uint64_t finished_ = 0;   // jobs whose callbacks have run
    bool stop_ = false;
    std::atomic<std::uint64_t> commits_{0};
    std::mutex refused_mutex_;
    std::set<std::string> refused_rooms_;  // rooms whose appends fail until accept_appends
    std::thread writer_;
};

// Hex SHA-256, for keys and tokens.
std::string sha256_hex(const std::string& text);

}  // namespace keha::server
