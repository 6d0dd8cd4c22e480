#include "sqlite_store.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <future>
#include <iterator>
#include <limits>
#include <tuple>
#include <utility>

#include "metrics.hpp"

namespace keha::server {

namespace {

// Migrations, indexed by the version they lead to. A new database runs them all, so the
// path an old file takes is the same one every fresh database has taken.
const char* const migrations[] = {
    nullptr,
    // 1: the first schema. A room's initial state lived in the rooms row.
    R"sql(
    CREATE TABLE rooms (
        code                 TEXT PRIMARY KEY,
        facilitator_key_hash TEXT NOT NULL,
        screen_key_hash      TEXT NOT NULL,
        created_at_ms        INTEGER NOT NULL,
        initial_state        TEXT NOT NULL
    );
    CREATE TABLE ops (
        room   TEXT NOT NULL REFERENCES rooms(code),
        seq    INTEGER NOT NULL,
        by_pid TEXT NOT NULL,
        cmd    TEXT NOT NULL,
        patch  TEXT NOT NULL,
        at_ms  INTEGER NOT NULL,
        PRIMARY KEY (room, seq)
    ) WITHOUT ROWID;
    CREATE TABLE tokens (
        room       TEXT NOT NULL REFERENCES rooms(code),
        pid        TEXT NOT NULL,
        token_hash TEXT NOT NULL,
        PRIMARY KEY (room, pid)
    );
    )sql",
    // 2: snapshots. The initial state becomes each room's seq-0 snapshot.
    R"sql(
    CREATE TABLE snapshots (
        room  TEXT NOT NULL REFERENCES rooms(code),
        seq   INTEGER NOT NULL,
        state TEXT NOT NULL,
        PRIMARY KEY (room, seq)
    ) WITHOUT ROWID;
    INSERT INTO snapshots (room, seq, state) SELECT code, 0, initial_state FROM rooms;
    ALTER TABLE rooms DROP COLUMN initial_state;
    )sql",
    // 3: processes that group meetings, and the anonymous answers of closing questionnaires.
    // A score row has a random key and names only its room and question: no participant, no
    // seq, no time, so nothing in the file links a score to a person or to the op that said
    // someone answered. Rooms made before gain the boards and the questionnaire of today's state.
    R"sql(
    CREATE TABLE processes (
        id            TEXT PRIMARY KEY,
        title         TEXT NOT NULL,
        teams         TEXT NOT NULL,
        key_hash      TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL
    );
    ALTER TABLE rooms ADD COLUMN process TEXT REFERENCES processes(id);
    CREATE INDEX rooms_by_process ON rooms (process, created_at_ms);
    CREATE TABLE rating_scores (
        id       BLOB PRIMARY KEY,
        room     TEXT NOT NULL REFERENCES rooms(code),
        question TEXT NOT NULL,
        score    INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10)
    ) WITHOUT ROWID;
    CREATE TABLE rating_comments (
        id   BLOB PRIMARY KEY,
        room TEXT NOT NULL REFERENCES rooms(code),
        text TEXT NOT NULL
    ) WITHOUT ROWID;
    UPDATE snapshots SET state = json_set(state, '$.boards.hypotheses', json('{"items":{}}'))
        WHERE json_type(state, '$.boards') = 'object' AND json_type(state, '$.boards.hypotheses') IS NULL;
    UPDATE snapshots SET state = json_set(state, '$.boards.commitments', json('{"items":{}}'))
        WHERE json_type(state, '$.boards') = 'object' AND json_type(state, '$.boards.commitments') IS NULL;
    UPDATE snapshots SET state = json_set(state, '$.ratings',
        json('{"questions":[],"open":false,"answered":0,"results":null}'))
        WHERE json_type(state, '$.boards') = 'object' AND json_type(state, '$.ratings') IS NULL;
    )sql",
    // 4: the access log (docs/security.md). It names the room by its code without a reference,
    // so the rows outlive the meeting; they are never changed, only deleted by age.
    R"sql(
    CREATE TABLE access_log (
        id      INTEGER PRIMARY KEY,
        at_ms   INTEGER NOT NULL,
        room    TEXT NOT NULL,
        event   TEXT NOT NULL,
        role    TEXT NOT NULL,
        pid     TEXT NOT NULL,
        name    TEXT NOT NULL,
        address TEXT NOT NULL,
        detail  TEXT NOT NULL
    );
    CREATE INDEX access_log_by_room ON access_log (room, at_ms);
    CREATE INDEX access_log_by_time ON access_log (at_ms);
    CREATE TRIGGER access_log_append_only BEFORE UPDATE ON access_log
        BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
    )sql",
};
static_assert(std::size(migrations) == Sqlite_store::schema_version + 1);

// Resets a statement when a use of it ends, however it ends, so it can be reused.
struct Stmt_use {
    sqlite3_stmt* stmt;
    explicit Stmt_use(sqlite3_stmt* s) : stmt(s) {}
    ~Stmt_use() {
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
    }
    Stmt_use(const Stmt_use&) = delete;
    Stmt_use& operator=(const Stmt_use&) = delete;
};

std::string column_text(sqlite3_stmt* s, int i) {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s, i))) : std::string();
}

bool bind_text(sqlite3_stmt* s, int i, const std::string& text) {
    // Transient copies would cost an allocation per column; the strings outlive the step.
    return sqlite3_bind_text(s, i, text.data(), static_cast<int>(text.size()), SQLITE_STATIC) ==
           SQLITE_OK;
}

std::int64_t to_db_seq(std::uint64_t seq) {
    constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    return static_cast<std::int64_t>(seq > max ? max : seq);
}

// Runs a statement that returns no rows; true when it finished.
bool run(sqlite3_stmt* s) {
    Stmt_use use(s);
    return sqlite3_step(s) == SQLITE_DONE;
}

// A message a person can act on, for an error while opening the file.
[[noreturn]] void open_failed(sqlite3* db, const std::string& path, const std::string& doing) {
    int code = db ? sqlite3_errcode(db) : SQLITE_NOMEM;
    std::string detail = db ? sqlite3_errmsg(db) : "out of memory";
    if (code == SQLITE_NOTADB)
        throw Store_error("'" + path +
                          "' is not a Kehä database (it is not an SQLite file at all); "
                          "pass --db with the right file, or move this one away");
    if (code == SQLITE_CORRUPT)
        throw Store_error("the database '" + path + "' is damaged (" + detail +
                          "); restore it from a backup");
    if (code == SQLITE_BUSY)
        throw Store_error("the database '" + path +
                          "' is locked by another program (is another keha-server using it?)");
    if (code == SQLITE_CANTOPEN || code == SQLITE_PERM || code == SQLITE_READONLY)
        throw Store_error("cannot open the database '" + path + "' (" + detail +
                          "); check that its directory exists and is writable");
    throw Store_error("database '" + path + "': " + doing + " failed: " + detail);
}

sqlite3* open_connection(const std::string& path, bool read_only = false) {
    sqlite3* db = nullptr;
    // Each connection is used by one thread at a time (the writer thread, or readers under
    // the read mutex), so SQLite's own per-connection mutex is not needed.
    int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
        try {
            open_failed(db, path, "opening");
        } catch (...) {
            sqlite3_close(db);
            throw;
        }
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 5000);
    return db;
}

void exec(sqlite3* db, const std::string& path, const char* sql, const char* doing) {
    if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) open_failed(db, path, doing);
}

// The one number a pragma or a count(*) answers; a file that cannot say is not ours to open.
std::int64_t single_number(sqlite3* db, const std::string& path, const char* sql, const char* doing) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) open_failed(db, path, doing);
    std::int64_t n = 0;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW) open_failed(db, path, doing);
    return n;
}

std::int64_t user_version(sqlite3* db, const std::string& path) {
    return single_number(db, path, "PRAGMA user_version", "reading the schema version");
}

std::int64_t table_count(sqlite3* db, const std::string& path) {
    return single_number(db, path, "SELECT count(*) FROM sqlite_schema", "reading the schema");
}

void check_version(std::int64_t version, const std::string& path) {
    if (version > Sqlite_store::schema_version)
        throw Store_error("the database '" + path + "' was written by a newer Kehä (schema version " +
                          std::to_string(version) + ", this keha-server knows up to " +
                          std::to_string(Sqlite_store::schema_version) +
                          "); upgrade keha-server, or start it with another --db file");
    if (version < 0)
        throw Store_error("the database '" + path + "' has an unknown schema version (" +
                          std::to_string(version) + "); it was not written by Kehä");
}

// The files hold what meetings said: only the server's own user may read them, whatever the
// umask and also for a file an earlier version made. SQLite gives the -wal and -shm files it
// creates the database file's mode.
void restrict_files(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::fchmod(fd, 0600);
        ::close(fd);
    }
    for (const char* suffix : {"-wal", "-shm"}) ::chmod((path + suffix).c_str(), 0600);
}

sqlite3_stmt* prepare(sqlite3* db, const std::string& path, const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
        open_failed(db, path, "preparing a statement");
    return s;
}

}  // namespace

Sqlite_store::Sqlite_store(const std::string& path) : path_(path) {
    shared_connection_ = path.empty() || path == ":memory:" || path.rfind("file::memory:", 0) == 0;
    if (!shared_connection_ && path.rfind("file:", 0) != 0) restrict_files(path);
    try {
        open_write_connection();
        migrate();
        open_read_connection();
        prepare_statements();
    } catch (...) {
        finalize_statements();
        if (read_db_ != write_db_) sqlite3_close(read_db_);
        sqlite3_close(write_db_);
        throw;
    }
    writer_ = std::thread([this] { writer_loop(); });
}

Sqlite_store::Sqlite_store(const std::string& path, Read_only) : path_(path), read_only_(true) {
    try {
        read_db_ = open_connection(path_, true);
        const auto version = user_version(read_db_, path_);
        check_version(version, path_);
        if (version == 0)
            throw Store_error("'" + path_ + "' is not a Kehä database (" +
                              (table_count(read_db_, path_) ? "an SQLite file of another program" : "it is empty") + ")");
        if (version < schema_version)
            throw Store_error("the database '" + path_ + "' has the older schema version " + std::to_string(version) +
                              "; keha-server migrates it to version " + std::to_string(schema_version) +
                              " when it starts on it");
        exec(read_db_, path_, "PRAGMA query_only=ON;", "setting pragmas");
        prepare_read_statements();
    } catch (...) {
        finalize_statements();
        sqlite3_close(read_db_);
        throw;
    }
}

Sqlite_store::~Sqlite_store() {
    {
        std::lock_guard lk(queue_mutex_);
        stop_ = true;
    }
    queue_cv_.notify_all();
    if (writer_.joinable()) writer_.join();  // the writer drains the queue before it stops
    finalize_statements();
    if (read_db_ != write_db_) sqlite3_close(read_db_);
    sqlite3_close(write_db_);
}

void Sqlite_store::open_write_connection() {
    write_db_ = open_connection(path_);
    // Check the version before anything writes to the file: a newer program's database, or
    // a file that is not a database, must be left exactly as it was.
    check_version(user_version(write_db_, path_), path_);
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(write_db_, "PRAGMA journal_mode=WAL", -1, &s, nullptr) != SQLITE_OK)
        open_failed(write_db_, path_, "switching to WAL");
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_ROW) open_failed(write_db_, path_, "switching to WAL");
    // secure_delete: deleted and erased text is overwritten with zeros, not left in free space.
    exec(write_db_, path_, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;",
         "setting pragmas");
}

void Sqlite_store::open_read_connection() {
    if (shared_connection_) {
        // A second ":memory:" connection would be another, empty database.
        read_db_ = write_db_;
        return;
    }
    read_db_ = open_connection(path_);
    exec(read_db_, path_, "PRAGMA foreign_keys=ON; PRAGMA query_only=ON;", "setting pragmas");
}

void Sqlite_store::migrate() {
    exec(write_db_, path_, "BEGIN IMMEDIATE", "starting the migration");
    try {
        // Read again inside the write lock: another process may have migrated meanwhile.
        std::int64_t version = user_version(write_db_, path_);
        check_version(version, path_);
        if (version == 0 && table_count(write_db_, path_) != 0)
            throw Store_error("'" + path_ +
                              "' is an SQLite database of another program, not a Kehä database; "
                              "pass --db with another file");
        for (auto v = version + 1; v <= schema_version; ++v) {
            exec(write_db_, path_, migrations[v], "migrating the schema");
            auto set = "PRAGMA user_version=" + std::to_string(v);
            exec(write_db_, path_, set.c_str(), "migrating the schema");
        }
        exec(write_db_, path_, "COMMIT", "committing the migration");
    } catch (...) {
        sqlite3_exec(write_db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

void Sqlite_store::prepare_statements() {
    auto* w = write_db_;
    begin_ = prepare(w, path_, "BEGIN IMMEDIATE");
    commit_ = prepare(w, path_, "COMMIT");
    rollback_ = prepare(w, path_, "ROLLBACK");
    insert_room_ = prepare(w, path_,
                           "INSERT INTO rooms (code, facilitator_key_hash, screen_key_hash, "
                           "created_at_ms, process) VALUES (?1, ?2, ?3, ?4, ?5)");
    insert_op_ = prepare(w, path_,
                         "INSERT INTO ops (room, seq, by_pid, cmd, patch, at_ms) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    insert_snapshot_ =
        prepare(w, path_, "INSERT INTO snapshots (room, seq, state) VALUES (?1, ?2, ?3)");
    // Seq 0 stays: it is the room as created, which a full replay starts from. So does one
    // snapshot every 1000 ops, so the state at any seq (history) is at most ~1000 ops away.
    prune_snapshots_ = prepare(
        w, path_, "DELETE FROM snapshots WHERE room = ?1 AND seq > 0 AND seq < ?2 AND seq % 1000 != 0");
    upsert_token_ = prepare(w, path_,
                            "INSERT INTO tokens (room, pid, token_hash) VALUES (?1, ?2, ?3) "
                            "ON CONFLICT (room, pid) DO UPDATE SET token_hash = excluded.token_hash");
    prepare_read_statements();
}

void Sqlite_store::prepare_read_statements() {
    auto* r = read_db_;
    read_begin_ = prepare(r, path_, "BEGIN");
    read_end_ = prepare(r, path_, "COMMIT");
    select_room_ = prepare(r, path_,
                           "SELECT code, facilitator_key_hash, screen_key_hash, created_at_ms, "
                           "process FROM rooms WHERE code = ?1");
    select_snapshot_ = prepare(
        r, path_, "SELECT seq, state FROM snapshots WHERE room = ?1 ORDER BY seq DESC LIMIT 1");
    select_ops_ = prepare(r, path_,
                          "SELECT seq, by_pid, cmd, patch, at_ms FROM ops "
                          "WHERE room = ?1 AND seq > ?2 AND seq <= ?3 ORDER BY seq");
    select_tokens_ = prepare(r, path_, "SELECT pid, token_hash FROM tokens WHERE room = ?1");
}

void Sqlite_store::finalize_statements() {
    for (auto** s : {&begin_, &commit_, &rollback_, &insert_room_, &insert_op_, &insert_snapshot_,
                     &prune_snapshots_, &upsert_token_, &read_begin_, &read_end_, &select_room_,
                     &select_snapshot_, &select_ops_, &select_tokens_}) {
        sqlite3_finalize(*s);  // a null statement is a no-op
        *s = nullptr;
    }
}

// ---- writer -----------------------------------------------------------------------------

void Sqlite_store::enqueue(Job job) {
    if (read_only_) throw Store_error("the database '" + path_ + "' is open to read only");
    job.queued_at = std::chrono::steady_clock::now();
    {
        std::lock_guard lk(queue_mutex_);
        queue_.push_back(std::move(job));
        ++queued_;
    }
    queue_cv_.notify_one();
}

void Sqlite_store::flush() {
    // From a done callback the writer would wait for itself; what it has committed so far
    // is all that can be committed until the callback returns.
    if (std::this_thread::get_id() == writer_.get_id()) return;
    std::unique_lock lk(queue_mutex_);
    auto target = queued_;
    progress_cv_.wait(lk, [&] { return finished_ >= target; });
}

std::uint64_t Sqlite_store::commits() const { return commits_.load(std::memory_order_relaxed); }

void Sqlite_store::writer_loop() {
    std::vector<Job> batch;
    for (;;) {
        {
            std::unique_lock lk(queue_mutex_);
            queue_cv_.wait(lk, [&] { return stop_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and everything is committed
            batch.assign(std::make_move_iterator(queue_.begin()),
                         std::make_move_iterator(queue_.end()));
            queue_.clear();
        }
        run_batch(batch);
        {
            std::lock_guard lk(queue_mutex_);
            finished_ += batch.size();
        }
        progress_cv_.notify_all();
        batch.clear();
    }
}

const std::string& Sqlite_store::room_of(const Job& job) { return job.step.code; }

void Sqlite_store::accept_appends(const std::string& code) {
    std::lock_guard lk(refused_mutex_);
    refused_rooms_.erase(code);
}

void Sqlite_store::run_batch(std::vector<Job>& batch) {
    // Runs of appends share one transaction; a room creation gets its own, in queue order.
    auto it = batch.begin();
    while (it != batch.end()) {
        if (it->alone) {
            // Like a done callback, it must not take the writer down.
            try {
                it->alone();
            } catch (...) {
            }
            ++it;
            continue;
        }
        if (it->create || it->process) {
            std::string error;
            bool conflict = false;
            try {
                error = it->process ? run_create_process(*it->process, conflict) : run_create(*it, conflict);
            } catch (const std::exception& e) {
                error = e.what();
            }
            if (error.empty() || !conflict) write_failed_ = !error.empty();
            if (it->created) it->created(error, conflict);
            ++it;
            continue;
        }
        auto last = it;
        while (last != batch.end() && !last->create && !last->process && !last->alone) ++last;
        // Appends of a room that has a failed append behind it are not written at all.
        std::vector<Job*> written;
        std::vector<bool> refused;
        {
            std::lock_guard lk(refused_mutex_);
            for (auto j = it; j != last; ++j) {
                const auto& code = room_of(*j);
                refused.push_back(!code.empty() && refused_rooms_.count(code) > 0);
                if (!refused.back()) written.push_back(&*j);
            }
        }
        bool ok = true;
        if (!written.empty()) {
            try {
                ok = commit_appends(written);
            } catch (const std::exception&) {
                ok = false;
            }
            write_failed_ = !ok;
            if (ok) {
                const auto committed = std::chrono::steady_clock::now();
                for (const Job* j : written)
                    if (!j->batched) metrics().oplog_commit.observe(committed - j->queued_at);
            }
            if (!ok) {
                if (!sqlite3_get_autocommit(write_db_)) run(rollback_);
                std::lock_guard lk(refused_mutex_);
                for (const Job* j : written)
                    if (!room_of(*j).empty()) refused_rooms_.insert(room_of(*j));
            }
        }
        for (std::size_t i = 0; it != last; ++it, ++i) {
            if (!it->done) continue;
            // A throwing callback must not take the writer, and every later append, down.
            try {
                it->done(ok && !refused[i]);
            } catch (...) {
            }
        }
    }
}

bool Sqlite_store::commit_appends(const std::vector<Job*>& jobs) {
    std::unique_lock<std::mutex> shared_lock;
    if (shared_connection_) shared_lock = std::unique_lock(read_mutex_);

    if (!run(begin_)) return false;
    bool ok = true;
    for (auto jt = jobs.begin(); ok && jt != jobs.end(); ++jt) {
        const Job* it = *jt;
        if (it->batched) {
            ok = it->batched();
            continue;
        }
        const Append& a = it->step;
        {
            Stmt_use use(insert_op_);
            ok = bind_text(insert_op_, 1, a.code) &&
                 sqlite3_bind_int64(insert_op_, 2, to_db_seq(a.op.seq)) == SQLITE_OK &&
                 bind_text(insert_op_, 3, a.op.by) && bind_text(insert_op_, 4, a.op.cmd) &&
                 bind_text(insert_op_, 5, a.op.patch) &&
                 sqlite3_bind_int64(insert_op_, 6, a.op.at_ms) == SQLITE_OK &&
                 sqlite3_step(insert_op_) == SQLITE_DONE;
        }
        if (ok && a.snapshot) {
            {
                Stmt_use use(insert_snapshot_);
                ok = bind_text(insert_snapshot_, 1, a.code) &&
                     sqlite3_bind_int64(insert_snapshot_, 2, to_db_seq(a.op.seq)) == SQLITE_OK &&
                     bind_text(insert_snapshot_, 3, *a.snapshot) &&
                     sqlite3_step(insert_snapshot_) == SQLITE_DONE;
            }
            if (ok) {
                Stmt_use use(prune_snapshots_);
                ok = bind_text(prune_snapshots_, 1, a.code) &&
                     sqlite3_bind_int64(prune_snapshots_, 2, to_db_seq(a.op.seq)) == SQLITE_OK &&
                     sqlite3_step(prune_snapshots_) == SQLITE_DONE;
            }
        }
        if (ok && a.token) {
            Stmt_use use(upsert_token_);
            ok = bind_text(upsert_token_, 1, a.code) && bind_text(upsert_token_, 2, a.token->first) &&
                 bind_text(upsert_token_, 3, a.token->second) &&
                 sqlite3_step(upsert_token_) == SQLITE_DONE;
        }
        for (const auto& answer : it->ratings) ok = ok && write_rating(answer);
    }
    if (ok) ok = run(commit_);
    // A failed COMMIT (e.g. SQLITE_BUSY, disk full) can leave the transaction open: the
    // caller rolls it back.
    if (!ok) return false;
    commits_.fetch_add(1, std::memory_order_relaxed);
    if (checkpoint_due_) {
        checkpoint_due_ = false;
        checkpoint();
    }
    return true;
}

std::string Sqlite_store::run_create(const Job& job, bool& conflict) {
    std::unique_lock<std::mutex> shared_lock;
    if (shared_connection_) shared_lock = std::unique_lock(read_mutex_);

    if (!run(begin_))
        return std::string("cannot start a transaction: ") + sqlite3_errmsg(write_db_);
    const Room_record& r = job.room;
    bool ok;
    {
        Stmt_use use(insert_room_);
        ok = bind_text(insert_room_, 1, r.code) && bind_text(insert_room_, 2, r.facilitator_key_hash) &&
             bind_text(insert_room_, 3, r.screen_key_hash) &&
             sqlite3_bind_int64(insert_room_, 4, r.created_at_ms) == SQLITE_OK &&
             (r.process.empty() ? sqlite3_bind_null(insert_room_, 5) == SQLITE_OK
                                : bind_text(insert_room_, 5, r.process)) &&
             sqlite3_step(insert_room_) == SQLITE_DONE;
    }
    std::string error;
    if (!ok) {
        conflict = sqlite3_extended_errcode(write_db_) == SQLITE_CONSTRAINT_PRIMARYKEY;
        error = conflict ? "room " + r.code + " already exists"
                         : std::string("cannot create the room: ") + sqlite3_errmsg(write_db_);
    } else {
        Stmt_use use(insert_snapshot_);
        ok = bind_text(insert_snapshot_, 1, r.code) &&
             sqlite3_bind_int64(insert_snapshot_, 2, 0) == SQLITE_OK &&
             bind_text(insert_snapshot_, 3, job.initial_state) &&
             sqlite3_step(insert_snapshot_) == SQLITE_DONE;
        if (!ok) error = std::string("cannot store the room's state: ") + sqlite3_errmsg(write_db_);
    }
    if (ok && !run(commit_)) {
        ok = false;
        error = std::string("cannot commit the new room: ") + sqlite3_errmsg(write_db_);
    }
    if (!ok) {
        if (!sqlite3_get_autocommit(write_db_)) run(rollback_);
        return error;
    }
    commits_.fetch_add(1, std::memory_order_relaxed);
    return {};
}

void Sqlite_store::create_room(const Room_record& room, const std::string& initial_state) {
    Job job;
    job.create = true;
    job.room = room;
    job.initial_state = initial_state;
    std::string error;
    bool conflict = false;
    if (std::this_thread::get_id() == writer_.get_id()) {
        // Called from a done callback: the writer is between transactions, run it here.
        error = run_create(job, conflict);
    } else {
        std::promise<std::pair<std::string, bool>> result;
        auto future = result.get_future();
        job.created = [&result](const std::string& e, bool c) { result.set_value({e, c}); };
        enqueue(std::move(job));
        std::tie(error, conflict) = future.get();
    }
    if (error.empty()) return;
    if (conflict) throw Store_error(error);
    throw Store_unavailable(error);
}

void Sqlite_store::create_room_async(const Room_record& room, const std::string& initial_state,
                              std::function<void(const std::string& error)> done) {
    Job job;
    job.create = true;
    job.room = room;
    job.initial_state = initial_state;
    job.created = [done = std::move(done)](const std::string& e, bool) { done(e); };
    enqueue(std::move(job));
}

// ---- reads ------------------------------------------------------------------------------

namespace {

// Ends a read transaction however the read ends, so the WAL can be checkpointed past it.
struct Read_transaction {
    sqlite3* db;
    sqlite3_stmt* end;
    ~Read_transaction() {
        if (!sqlite3_get_autocommit(db)) run(end);
    }
};

[[noreturn]] void read_failed(sqlite3* db, const char* doing) {
    throw Store_error(std::string("database read failed (") + doing + "): " + sqlite3_errmsg(db));
}

Op_record read_op(sqlite3_stmt* s) {
    Op_record op;
    op.seq = static_cast<std::uint64_t>(sqlite3_column_int64(s, 0));
    op.by = column_text(s, 1);
    op.cmd = column_text(s, 2);
    op.patch = column_text(s, 3);
    op.at_ms = sqlite3_column_int64(s, 4);
    return op;
}

std::vector<Op_record> select_ops(sqlite3* db, sqlite3_stmt* s, const std::string& code,
                                  std::uint64_t after, std::uint64_t upto) {
    Stmt_use use(s);
    if (!bind_text(s, 1, code) || sqlite3_bind_int64(s, 2, to_db_seq(after)) != SQLITE_OK ||
        sqlite3_bind_int64(s, 3, to_db_seq(upto)) != SQLITE_OK)
        read_failed(db, "ops");
    std::vector<Op_record> ops;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) ops.push_back(read_op(s));
    if (rc != SQLITE_DONE) read_failed(db, "ops");
    return ops;
}

std::optional<Room_record> select_room(sqlite3* db, sqlite3_stmt* s, const std::string& code) {
    Stmt_use use(s);
    if (!bind_text(s, 1, code)) read_failed(db, "room");
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) return std::nullopt;
    if (rc != SQLITE_ROW) read_failed(db, "room");
    Room_record r;
    r.code = column_text(s, 0);
    r.facilitator_key_hash = column_text(s, 1);
    r.screen_key_hash = column_text(s, 2);
    r.created_at_ms = sqlite3_column_int64(s, 3);
    r.process = column_text(s, 4);
    return r;
}

}  // namespace


std::optional<Room_record> Sqlite_store::find_room(const std::string& code) {
    std::lock_guard lk(read_mutex_);
    return select_room(read_db_, select_room_, code);
}

std::optional<Loaded_room> Sqlite_store::load_room(const std::string& code) {
    std::lock_guard lk(read_mutex_);
    // One read transaction, so the snapshot, the ops after it and the tokens agree.
    if (!run(read_begin_)) read_failed(read_db_, "begin");
    Read_transaction txn{read_db_, read_end_};

    auto room = select_room(read_db_, select_room_, code);
    if (!room) return std::nullopt;
    Loaded_room loaded;
    loaded.room = std::move(*room);
    {
        Stmt_use use(select_snapshot_);
        if (!bind_text(select_snapshot_, 1, code)) read_failed(read_db_, "snapshot");
        int rc = sqlite3_step(select_snapshot_);
        if (rc == SQLITE_DONE)
            throw Store_error("room " + code +
                              " has no stored state; the database is damaged, restore it from a backup");
        if (rc != SQLITE_ROW) read_failed(read_db_, "snapshot");
        loaded.snapshot_seq = static_cast<std::uint64_t>(sqlite3_column_int64(select_snapshot_, 0));
        loaded.snapshot = column_text(select_snapshot_, 1);
    }
    loaded.ops = select_ops(read_db_, select_ops_, code, loaded.snapshot_seq,
                            std::numeric_limits<std::uint64_t>::max());
    {
        Stmt_use use(select_tokens_);
        if (!bind_text(select_tokens_, 1, code)) read_failed(read_db_, "tokens");
        int rc;
        while ((rc = sqlite3_step(select_tokens_)) == SQLITE_ROW)
            loaded.token_hashes.emplace(column_text(select_tokens_, 0), column_text(select_tokens_, 1));
        if (rc != SQLITE_DONE) read_failed(read_db_, "tokens");
    }
    loaded.op_bytes = op_bytes(code);
    return loaded;
}

std::vector<std::string> Sqlite_store::room_codes() {
    std::lock_guard lk(read_mutex_);
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(read_db_, "SELECT code FROM rooms ORDER BY code", -1, &s, nullptr) != SQLITE_OK)
        read_failed(read_db_, "rooms");
    std::vector<std::string> codes;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) codes.push_back(column_text(s, 0));
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) read_failed(read_db_, "rooms");
    return codes;
}

std::vector<Op_record> Sqlite_store::ops_between(const std::string& code, std::uint64_t after,
                                          std::uint64_t upto) {
    if (upto <= after) return {};
    std::lock_guard lk(read_mutex_);
    return select_ops(read_db_, select_ops_, code, after, upto);
}

}  // namespace keha::server
