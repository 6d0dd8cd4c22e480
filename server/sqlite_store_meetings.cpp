// The store's part for processes, anonymous questionnaire answers and history (store.hpp).
#include <sqlite3.h>

#include <future>
#include <limits>

#include "sqlite_statement.hpp"
#include "sqlite_store.hpp"

namespace keha::server {
namespace {

std::int64_t db_seq(std::uint64_t seq)
{
    constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    return static_cast<std::int64_t>(seq > max ? max : seq);
}

[[noreturn]] void failed(sqlite3* db, const char* doing)
{
    throw Store_error(std::string("database read failed (") + doing + "): " + sqlite3_errmsg(db));
}

// The read connection is used under read_mutex_ one statement at a time; several reads that
// must agree run in one transaction.
struct Read_txn {
    sqlite3* db;
    explicit Read_txn(sqlite3* d) : db(d)
    {
        if (sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) failed(db, "begin");
    }
    ~Read_txn()
    {
        if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
};

}  // namespace

std::string Sqlite_store::run_create_process(const Process_record& p, bool& conflict)
{
    std::unique_lock<std::mutex> shared_lock;
    if (shared_connection_) shared_lock = std::unique_lock(read_mutex_);
    Statement st(write_db_,
                 "INSERT INTO processes (id, title, teams, key_hash, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)");
    st.text(1, p.id);
    st.text(2, p.title);
    st.text(3, p.teams);
    st.text(4, p.key_hash);
    st.integer(5, p.created_at_ms);
    if (sqlite3_step(st.s) != SQLITE_DONE) {
        conflict = sqlite3_extended_errcode(write_db_) == SQLITE_CONSTRAINT_PRIMARYKEY;
        return conflict ? "process " + p.id + " already exists"
                        : std::string("cannot create the process: ") + sqlite3_errmsg(write_db_);
    }
    commits_.fetch_add(1, std::memory_order_relaxed);
    return {};
}

// Runs inside the appends' transaction on the writer thread. The keys come from SQLite's
// randomness, so the rows' order in the table says nothing about when they were written.
bool Sqlite_store::write_rating(const Rating_submission& a)
{
    Statement score(write_db_, "INSERT INTO rating_scores (id, room, question, score) VALUES (randomblob(16), ?1, ?2, ?3)");
    for (const auto& [question, value] : a.scores) {
        sqlite3_reset(score.s);
        score.text(1, a.code);
        score.text(2, question);
        score.integer(3, value);
        if (sqlite3_step(score.s) != SQLITE_DONE) return false;
    }
    if (a.comment) {
        Statement comment(write_db_, "INSERT INTO rating_comments (id, room, text) VALUES (randomblob(16), ?1, ?2)");
        comment.text(1, a.code);
        comment.text(2, *a.comment);
        if (sqlite3_step(comment.s) != SQLITE_DONE) return false;
    }
    return true;
}

void Sqlite_store::create_process(const Process_record& process)
{
    Job job;
    job.process = process;
    std::promise<std::pair<std::string, bool>> result;
    auto future = result.get_future();
    job.created = [&result](const std::string& e, bool conflict) { result.set_value({e, conflict}); };
    enqueue(std::move(job));
    auto [error, conflict] = future.get();
    if (error.empty()) return;
    if (conflict) throw Store_error(error);
    throw Store_unavailable(error);
}

std::optional<Process_record> Sqlite_store::find_process(const std::string& id)
{
    std::lock_guard lk(read_mutex_);
    Statement st(read_db_, "SELECT id, title, teams, key_hash, created_at_ms FROM processes WHERE id = ?1");
    st.text(1, id);
    int rc = sqlite3_step(st.s);
    if (rc == SQLITE_DONE) return std::nullopt;
    if (rc != SQLITE_ROW) failed(read_db_, "process");
    return Process_record{st.column(0), st.column(1), st.column(2), st.column(3), sqlite3_column_int64(st.s, 4)};
}

std::vector<Room_record> Sqlite_store::rooms_of_process(const std::string& id)
{
    std::lock_guard lk(read_mutex_);
    Statement st(read_db_,
                 "SELECT code, facilitator_key_hash, screen_key_hash, created_at_ms, process FROM rooms "
                 "WHERE process = ?1 ORDER BY created_at_ms, rowid");  // same millisecond: in the order created
    st.text(1, id);
    std::vector<Room_record> out;
    int rc;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW)
        out.push_back({st.column(0), st.column(1), st.column(2), sqlite3_column_int64(st.s, 3), st.column(4)});
    if (rc != SQLITE_DONE) failed(read_db_, "rooms of a process");
    return out;
}

void Sqlite_store::append(Append step, std::vector<Rating_submission> answers, std::function<void(bool ok)> done)
{
    Job job;
    job.step = std::move(step);
    job.ratings = std::move(answers);
    job.done = std::move(done);
    enqueue(std::move(job));
}

Rating_rows Sqlite_store::ratings_of(const std::string& code)
{
    std::lock_guard lk(read_mutex_);
    Read_txn txn(read_db_);
    Rating_rows out;
    {
        Statement st(read_db_, "SELECT question, score FROM rating_scores WHERE room = ?1 ORDER BY question, score");
        st.text(1, code);
        int rc;
        while ((rc = sqlite3_step(st.s)) == SQLITE_ROW)
            out.scores.emplace_back(st.column(0), static_cast<int>(sqlite3_column_int64(st.s, 1)));
        if (rc != SQLITE_DONE) failed(read_db_, "ratings");
    }
    {
        Statement st(read_db_, "SELECT text FROM rating_comments WHERE room = ?1 ORDER BY text");
        st.text(1, code);
        int rc;
        while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) out.comments.push_back(st.column(0));
        if (rc != SQLITE_DONE) failed(read_db_, "rating comments");
    }
    return out;
}

std::optional<Stored_history> Sqlite_store::history_at(const std::string& code, std::uint64_t seq)
{
    std::lock_guard lk(read_mutex_);
    Read_txn txn(read_db_);
    Stored_history h;
    {
        Statement st(read_db_, "SELECT coalesce(max(seq), 0) FROM ops WHERE room = ?1");
        st.text(1, code);
        if (sqlite3_step(st.s) != SQLITE_ROW) failed(read_db_, "last seq");
        h.last_seq = static_cast<std::uint64_t>(sqlite3_column_int64(st.s, 0));
    }
    h.seq = std::min(seq, h.last_seq);
    {
        Statement st(read_db_, "SELECT seq, state FROM snapshots WHERE room = ?1 AND seq <= ?2 ORDER BY seq DESC LIMIT 1");
        st.text(1, code);
        st.integer(2, db_seq(h.seq));
        int rc = sqlite3_step(st.s);
        if (rc == SQLITE_DONE) return std::nullopt;  // no such room
        if (rc != SQLITE_ROW) failed(read_db_, "snapshot");
        h.snapshot = {static_cast<std::uint64_t>(sqlite3_column_int64(st.s, 0)), st.column(1)};
    }
    {
        Statement st(read_db_, "SELECT json_extract(state, '$.phase') FROM snapshots WHERE room = ?1 AND seq = 0");
        st.text(1, code);
        if (sqlite3_step(st.s) == SQLITE_ROW) h.initial_phase = st.column(0);
    }
    if (h.snapshot.seq < h.seq) {
        Statement st(read_db_, "SELECT seq, patch FROM ops WHERE room = ?1 AND seq > ?2 AND seq <= ?3 ORDER BY seq");
        st.text(1, code);
        st.integer(2, db_seq(h.snapshot.seq));
        st.integer(3, db_seq(h.seq));
        int rc;
        while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
            h.ops.emplace_back();
            h.ops.back().seq = static_cast<std::uint64_t>(sqlite3_column_int64(st.s, 0));
            h.ops.back().patch = st.column(1);
        }
        if (rc != SQLITE_DONE) failed(read_db_, "ops");
    }
    return h;
}

std::vector<Snapshot_record> Sqlite_store::snapshots(const std::string& code)
{
    std::lock_guard lk(read_mutex_);
    Statement st(read_db_, "SELECT seq, state FROM snapshots WHERE room = ?1 ORDER BY seq");
    st.text(1, code);
    std::vector<Snapshot_record> out;
    int rc;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW)
        out.push_back({static_cast<std::uint64_t>(sqlite3_column_int64(st.s, 0)), st.column(1)});
    if (rc != SQLITE_DONE) failed(read_db_, "snapshots");
    return out;
}

std::vector<std::pair<std::int64_t, std::string>> Sqlite_store::op_times(const std::string& code, std::uint64_t upto)
{
    std::lock_guard lk(read_mutex_);
    Statement st(read_db_,
                 "SELECT at_ms, CASE WHEN instr(patch, '\"path\":\"/phase\"') > 0 THEN patch ELSE '' END FROM ops "
                 "WHERE room = ?1 AND seq <= ?2 ORDER BY seq");
    st.text(1, code);
    st.integer(2, db_seq(upto));
    std::vector<std::pair<std::int64_t, std::string>> out;
    int rc;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) out.emplace_back(sqlite3_column_int64(st.s, 0), st.column(1));
    if (rc != SQLITE_DONE) failed(read_db_, "op times");
    return out;
}

std::map<std::string, std::uint64_t> Sqlite_store::op_bytes(const std::string& code)
{
    Statement st(read_db_, "SELECT by_pid, sum(length(CAST(patch AS BLOB))) FROM ops WHERE room = ?1 GROUP BY by_pid");
    st.text(1, code);
    std::map<std::string, std::uint64_t> out;
    int rc;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW)
        out[st.column(0)] = static_cast<std::uint64_t>(sqlite3_column_int64(st.s, 1));
    if (rc != SQLITE_DONE) failed(read_db_, "op bytes");
    return out;
}

}  // namespace keha::server
