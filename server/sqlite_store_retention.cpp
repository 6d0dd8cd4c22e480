// The store's part for retention, erasure and the access log (store.hpp, docs/security.md).
#include <sqlite3.h>

#include <future>

#include "keha/erase.hpp"
#include "keha/json.hpp"
#include "sqlite_statement.hpp"
#include "sqlite_store.hpp"

namespace keha::server {
namespace {

constexpr std::int64_t ms_per_day = 24LL * 60 * 60 * 1000;

[[noreturn]] void failed(sqlite3* db, const char* doing)
{
    throw Store_error(std::string("database read failed (") + doing + "): " + sqlite3_errmsg(db));
}

// A write transaction on the writer connection that rolls back unless committed.
struct Write_txn {
    sqlite3* db;
    bool open = false;
    explicit Write_txn(sqlite3* d) : db(d) { open = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK; }
    bool commit()
    {
        if (open && sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK) open = false;
        return !open;
    }
    ~Write_txn()
    {
        if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
};

}  // namespace

void Sqlite_store::run_alone(std::function<void()> work)
{
    if (std::this_thread::get_id() == writer_.get_id()) return work();
    std::promise<void> finished;
    auto future = finished.get_future();
    Job job;
    job.alone = [&work, &finished] {
        try {
            work();
            finished.set_value();
        } catch (...) {
            finished.set_exception(std::current_exception());
        }
    };
    enqueue(std::move(job));
    future.get();
}

// After a deletion or an erasure the old pages are still in the WAL until a checkpoint
// writes the new ones over them; TRUNCATE then empties the WAL file too.
void Sqlite_store::checkpoint()
{
    sqlite3_wal_checkpoint_v2(write_db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
}

namespace {

// A batched job runs inside the writer's transaction: an exception must not leave it, it
// fails the batch like any failed step.
template <class Work>
std::function<bool()> no_throw(Work work)
{
    return [work = std::move(work)]() mutable {
        try {
            return work();
        } catch (const std::exception&) {
            return false;
        }
    };
}

}  // namespace

void Sqlite_store::log_access(Access_entry entry)
{
    Job job;
    job.batched = no_throw([this, e = std::move(entry)] {
        Statement st(write_db_,
                     "INSERT INTO access_log (at_ms, room, event, role, pid, name, address, detail) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        st.integer(1, e.at_ms);
        st.text(2, e.room);
        st.text(3, e.event);
        st.text(4, e.role);
        st.text(5, e.pid);
        st.text(6, e.name);
        st.text(7, e.address);
        st.text(8, e.detail);
        return st.done();
    });
    enqueue(std::move(job));
}

std::vector<Access_entry> Sqlite_store::access_log(const std::optional<std::string>& room, std::int64_t since_ms)
{
    std::lock_guard lk(read_mutex_);
    Statement st(read_db_, room ? "SELECT at_ms, room, event, role, pid, name, address, detail FROM access_log "
                                  "WHERE room = ?1 AND at_ms >= ?2 ORDER BY at_ms, id"
                                : "SELECT at_ms, room, event, role, pid, name, address, detail FROM access_log "
                                  "ORDER BY at_ms, id");
    if (room) {
        st.text(1, *room);
        st.integer(2, since_ms);
    }
    std::vector<Access_entry> out;
    int rc;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW)
        out.push_back({sqlite3_column_int64(st.s, 0), st.column(1), st.column(2), st.column(3), st.column(4),
                       st.column(5), st.column(6), st.column(7)});
    if (rc != SQLITE_DONE) failed(read_db_, "access log");
    return out;
}

void Sqlite_store::delete_room(const std::string& code, std::function<void(bool ok)> done)
{
    Job job;
    job.alone = [this, code, done = std::move(done)] {
        std::unique_lock<std::mutex> shared_lock;
        if (shared_connection_) shared_lock = std::unique_lock(read_mutex_);
        bool ok = false;
        try {
            Write_txn txn(write_db_);
            ok = txn.open;
            // Children first: the rooms row is what the others refer to.
            for (const char* sql : {"DELETE FROM rating_scores WHERE room = ?1", "DELETE FROM rating_comments WHERE room = ?1",
                                    "DELETE FROM tokens WHERE room = ?1", "DELETE FROM snapshots WHERE room = ?1",
                                    "DELETE FROM ops WHERE room = ?1", "DELETE FROM rooms WHERE code = ?1"}) {
                if (!ok) break;
                Statement st(write_db_, sql);
                st.text(1, code);
                ok = st.done();
            }
            ok = ok && txn.commit();
            if (ok) commits_.fetch_add(1, std::memory_order_relaxed);
        } catch (const Store_error&) {
            ok = false;
        }
        if (ok) checkpoint();
        if (done) done(ok);
    };
    enqueue(std::move(job));
}

void Sqlite_store::erase_item(const std::string& code, const std::string& board, const std::string& id)
{
    Job job;
    job.batched = no_throw([this, code, board, id] {
        // The id is in every op and snapshot that holds the item (in a path or as its "id");
        // the JSON is then read to change exactly that item.
        for (auto [table, column] : {std::pair{"ops", "patch"}, std::pair{"snapshots", "state"}}) {
            struct Row {
                std::int64_t seq;
                std::string text;
            };
            std::vector<Row> rows;
            {
                const std::string sql = std::string("SELECT seq, ") + column + " FROM " + table +
                                        " WHERE room = ?1 AND instr(" + column + ", ?2) > 0";
                Statement st(write_db_, sql.c_str());
                st.text(1, code);
                st.text(2, id);
                int rc;
                while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) {
                    json doc = json::parse(st.column(1), nullptr, false);
                    bool changed = std::string_view(table) == "ops" ? erase_item_in_patch(doc, board, id)
                                                                    : erase_item_in_state(doc, board, id);
                    if (changed) rows.push_back({sqlite3_column_int64(st.s, 0), doc.dump()});
                }
                if (rc != SQLITE_DONE) return false;
            }
            const std::string sql = std::string("UPDATE ") + table + " SET " + column + " = ?3 WHERE room = ?1 AND seq = ?2";
            Statement update(write_db_, sql.c_str());
            for (const auto& row : rows) {
                sqlite3_reset(update.s);
                update.text(1, code);
                update.integer(2, row.seq);
                update.text(3, row.text);
                if (!update.done()) return false;
            }
        }
        checkpoint_due_ = true;
        return true;
    });
    enqueue(std::move(job));
}

std::vector<std::string> Sqlite_store::expired_rooms(std::int64_t now_ms, unsigned days)
{
    std::lock_guard lk(read_mutex_);
    // A closed meeting counts from its closing; one never closed from its last change.
    Statement st(read_db_,
                 "SELECT code FROM rooms r WHERE coalesce("
                 "(SELECT max(at_ms) FROM ops o WHERE o.room = r.code AND o.cmd = 'room.close'), "
                 "(SELECT max(at_ms) FROM ops o WHERE o.room = r.code), r.created_at_ms) < ?1 ORDER BY code");
    st.integer(1, now_ms - static_cast<std::int64_t>(days) * ms_per_day);
    std::vector<std::string> out;
    int rc;
    while ((rc = sqlite3_step(st.s)) == SQLITE_ROW) out.push_back(st.column(0));
    if (rc != SQLITE_DONE) failed(read_db_, "expired rooms");
    return out;
}

std::int64_t Sqlite_store::prune_access_log(std::int64_t now_ms, unsigned days)
{
    std::int64_t deleted = 0;
    run_alone([&] {
        std::unique_lock<std::mutex> shared_lock;
        if (shared_connection_) shared_lock = std::unique_lock(read_mutex_);
        Statement st(write_db_,
                     "DELETE FROM access_log WHERE at_ms < ?1 AND NOT EXISTS (SELECT 1 FROM rooms WHERE code = access_log.room)");
        st.integer(1, now_ms - static_cast<std::int64_t>(days) * ms_per_day);
        if (!st.done()) throw Store_error(std::string("cannot delete old access-log rows: ") + sqlite3_errmsg(write_db_));
        deleted = sqlite3_changes64(write_db_);
        commits_.fetch_add(1, std::memory_order_relaxed);
        if (deleted > 0) checkpoint();
    });
    return deleted;
}

}  // namespace keha::server
