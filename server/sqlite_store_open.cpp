// Opening the SQLite store: the schema and its migrations, the connections, the statements
// kept for the store's lifetime.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iterator>
#include <optional>

#include "sqlite_store.hpp"

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
    // 5: the op log in the order it was written. Keyed by (room, seq), every room's next op went
    // into the middle of the table, and with many rooms a commit rewrote a page (and often split
    // it and its neighbours) for each room it carried; now the ops of one commit go together at
    // the table's end and (room, seq) is a narrow unique index beside it (docs/performance.md,
    // "Page writes per commit"). The ops kept are copied room by room, so an old room still
    // reads from contiguous pages; secure_delete zeroes the old table's pages.
    R"sql(
    CREATE TABLE ops_in_order (
        id     INTEGER PRIMARY KEY,
        room   TEXT NOT NULL REFERENCES rooms(code),
        seq    INTEGER NOT NULL,
        by_pid TEXT NOT NULL,
        cmd    TEXT NOT NULL,
        patch  TEXT NOT NULL,
        at_ms  INTEGER NOT NULL
    );
    INSERT INTO ops_in_order (room, seq, by_pid, cmd, patch, at_ms)
        SELECT room, seq, by_pid, cmd, patch, at_ms FROM ops ORDER BY room, seq;
    DROP TABLE ops;
    ALTER TABLE ops_in_order RENAME TO ops;
    CREATE UNIQUE INDEX ops_by_room ON ops (room, seq);
    )sql",
    // 6: the anonymous values of quick polls (docs/privacy.md, "Anonymous polls"): a row has a
    // random key and names only its room and poll. Rooms made before gain the polls of today's state.
    R"sql(
    CREATE TABLE poll_values (
        id    BLOB PRIMARY KEY,
        room  TEXT NOT NULL REFERENCES rooms(code),
        poll  TEXT NOT NULL,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    UPDATE snapshots SET state = json_set(state, '$.polls', json('{}'))
        WHERE json_type(state, '$.boards') = 'object' AND json_type(state, '$.polls') IS NULL;
    )sql",
};
static_assert(std::size(migrations) == Sqlite_store::schema_version + 1);

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
    try {
        auto row = Statement(db, sql).bind();
        if (row.step()) return row.integer(0);
    } catch (const Store_error&) {
    }
    open_failed(db, path, doing);
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
        close();
        throw;
    }
    start_writer([this](const Store_writer::Group& group) { return commit_group(group); });
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
        prepare_statements();
    } catch (...) {
        close();
        throw;
    }
}

Sqlite_store::~Sqlite_store() {
    stop_writer();  // it commits what is queued first
    close();
}

void Sqlite_store::open_write_connection() {
    write_db_ = open_connection(path_);
    // Check the version before anything writes to the file: a newer program's database, or
    // a file that is not a database, must be left exactly as it was.
    check_version(user_version(write_db_, path_), path_);
    bool switched = false;
    try {
        switched = Statement(write_db_, "PRAGMA journal_mode=WAL").bind().step();
    } catch (const Store_error&) {
    }
    if (!switched) open_failed(write_db_, path_, "switching to WAL");
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
    std::optional<Write_transaction> transaction;
    try {
        transaction.emplace(write_db_);
    } catch (const Store_error&) {
        open_failed(write_db_, path_, "starting the migration");
    }
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
    try {
        transaction->commit();
    } catch (const Store_error&) {
        open_failed(write_db_, path_, "committing the migration");
    }
}

Sqlite_store::Writes::Writes(sqlite3* db)
    : transaction(db),
      insert_room(db, "INSERT INTO rooms (code, facilitator_key_hash, screen_key_hash, created_at_ms, process) "
                      "VALUES (?1, ?2, ?3, ?4, ?5)", true),
      insert_op(db, "INSERT INTO ops (room, seq, by_pid, cmd, patch, at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", true),
      insert_snapshot(db, "INSERT INTO snapshots (room, seq, state) VALUES (?1, ?2, ?3)", true),
      // Seq 0 stays: it is the room as created, which a full replay starts from. So does one
      // snapshot every 1000 ops, so the state at any seq (history) is at most ~1000 ops away.
      prune_snapshots(db, "DELETE FROM snapshots WHERE room = ?1 AND seq > 0 AND seq < ?2 AND seq % 1000 != 0", true),
      upsert_token(db, "INSERT INTO tokens (room, pid, token_hash) VALUES (?1, ?2, ?3) "
                       "ON CONFLICT (room, pid) DO UPDATE SET token_hash = excluded.token_hash", true),
      // The keys come from SQLite's randomness, so the rows' order in the table says nothing
      // about when they were written.
      insert_score(db, "INSERT INTO rating_scores (id, room, question, score) VALUES (randomblob(16), ?1, ?2, ?3)", true),
      insert_comment(db, "INSERT INTO rating_comments (id, room, text) VALUES (randomblob(16), ?1, ?2)", true),
      insert_poll_value(db, "INSERT INTO poll_values (id, room, poll, value) VALUES (randomblob(16), ?1, ?2, ?3)", true),
      insert_access(db, "INSERT INTO access_log (at_ms, room, event, role, pid, name, address, detail) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", true)
{
}

Sqlite_store::Reads::Reads(sqlite3* db)
    : select_room(db, "SELECT code, facilitator_key_hash, screen_key_hash, created_at_ms, process FROM rooms "
                      "WHERE code = ?1", true),
      select_snapshot(db, "SELECT seq, state FROM snapshots WHERE room = ?1 ORDER BY seq DESC LIMIT 1", true),
      select_ops(db, "SELECT seq, by_pid, cmd, patch, at_ms FROM ops WHERE room = ?1 AND seq > ?2 AND seq <= ?3 "
                     "ORDER BY seq", true),
      select_tokens(db, "SELECT pid, token_hash FROM tokens WHERE room = ?1", true),
      op_bytes(db, "SELECT by_pid, sum(length(CAST(patch AS BLOB))) FROM ops WHERE room = ?1 GROUP BY by_pid", true)
{
}

void Sqlite_store::prepare_statements()
{
    try {
        if (!read_only_) writes_.emplace(write_db_);
        reads_.emplace(read_db_);
    } catch (const Store_error&) {
        open_failed(read_only_ ? read_db_ : write_db_, path_, "preparing a statement");
    }
}

void Sqlite_store::close()
{
    writes_.reset();
    reads_.reset();
    if (read_db_ != write_db_) sqlite3_close(read_db_);
    sqlite3_close(write_db_);
    read_db_ = write_db_ = nullptr;
}

}  // namespace keha::server
