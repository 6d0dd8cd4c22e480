// The SQLite store's part for retention, erasure and the access log (store.hpp, docs/security.md).
#include "keha/erase.hpp"
#include "keha/json.hpp"
#include "sqlite_store.hpp"

namespace keha::server {
namespace {

constexpr std::int64_t ms_per_day = 24LL * 60 * 60 * 1000;

}  // namespace

// After a deletion or an erasure the old pages are still in the WAL until a checkpoint
// writes the new ones over them; TRUNCATE then empties the WAL file too.
void Sqlite_store::checkpoint()
{
    sqlite3_wal_checkpoint_v2(write_db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
}

void Sqlite_store::log_access(Access_entry entry)
{
    writer().write_rows([this, e = std::move(entry)] {
        writes_->insert_access.bind(e.at_ms, e.room, e.event, e.role, e.pid, e.name, e.address, e.detail).run();
    });
}

std::vector<Access_entry> Sqlite_store::access_log(const std::optional<std::string>& room, std::int64_t since_ms)
{
    std::lock_guard lk(read_mutex_);
    Statement st(read_db_, room ? "SELECT at_ms, room, event, role, pid, name, address, detail FROM access_log "
                                  "WHERE room = ?1 AND at_ms >= ?2 ORDER BY at_ms, id"
                                : "SELECT at_ms, room, event, role, pid, name, address, detail FROM access_log "
                                  "ORDER BY at_ms, id");
    std::vector<Access_entry> out;
    for (auto rows = room ? st.bind(*room, since_ms) : st.bind(); rows.step();)
        out.push_back({rows.integer(0), rows.text(1), rows.text(2), rows.text(3), rows.text(4), rows.text(5),
                       rows.text(6), rows.text(7)});
    return out;
}

void Sqlite_store::delete_room(const std::string& code, std::function<void(bool ok)> done)
{
    writer().queue_alone([this, code, done = std::move(done)] {
        bool ok = true;
        {
            auto lock = lock_if_shared();
            try {
                Write_transaction transaction(writes_->transaction);
                // Children first: the rooms row is what the others refer to.
                for (const char* sql : {"DELETE FROM rating_scores WHERE room = ?1", "DELETE FROM rating_comments WHERE room = ?1",
                                        "DELETE FROM poll_values WHERE room = ?1",
                                        "DELETE FROM tokens WHERE room = ?1", "DELETE FROM snapshots WHERE room = ?1",
                                        "DELETE FROM ops WHERE room = ?1", "DELETE FROM rooms WHERE code = ?1"})
                    Statement(write_db_, sql).bind(code).run();
                transaction.commit();
                writer().count_commit();
            } catch (const Store_error&) {
                ok = false;
            }
            if (ok) checkpoint();
        }
        if (done) done(ok);
    });
}

namespace {

// Rewrites the rows of `table` whose `column` holds the item's id (in a path or as its "id"),
// the JSON read to change exactly that item. On the writer thread, in its transaction.
void erase_in(sqlite3* db, const std::string& table, const std::string& column, const std::string& code,
              const std::string& board, const std::string& id)
{
    struct Row {
        std::int64_t seq;
        std::string text;
    };
    std::vector<Row> rows;
    Statement select(db, "SELECT seq, " + column + " FROM " + table + " WHERE room = ?1 AND instr(" + column + ", ?2) > 0");
    for (auto row = select.bind(code, id); row.step();) {
        json doc = json::parse(row.text(1), nullptr, false);
        const bool changed = table == "ops" ? erase_item_in_patch(doc, board, id) : erase_item_in_state(doc, board, id);
        if (changed) rows.push_back({row.integer(0), doc.dump()});
    }
    Statement update(db, "UPDATE " + table + " SET " + column + " = ?3 WHERE room = ?1 AND seq = ?2");
    for (const auto& row : rows) update.bind(code, row.seq, row.text).run();
}

}  // namespace

void Sqlite_store::erase_item(const std::string& code, const std::string& board, const std::string& id)
{
    writer().write_rows([this, code, board, id] {
        erase_in(write_db_, "ops", "patch", code, board, id);
        erase_in(write_db_, "snapshots", "state", code, board, id);
        checkpoint_due_ = true;
    });
}

std::vector<std::string> Sqlite_store::expired_rooms(std::int64_t now_ms, unsigned days)
{
    std::lock_guard lk(read_mutex_);
    // A closed meeting counts from its closing; one never closed from its last change.
    Statement st(read_db_,
                 "SELECT code FROM rooms r WHERE coalesce("
                 "(SELECT max(at_ms) FROM ops o WHERE o.room = r.code AND o.cmd = 'room.close'), "
                 "(SELECT max(at_ms) FROM ops o WHERE o.room = r.code), r.created_at_ms) < ?1 ORDER BY code");
    std::vector<std::string> out;
    for (auto rows = st.bind(now_ms - static_cast<std::int64_t>(days) * ms_per_day); rows.step();)
        out.push_back(rows.text(0));
    return out;
}

std::int64_t Sqlite_store::prune_access_log(std::int64_t now_ms, unsigned days)
{
    std::int64_t deleted = 0;
    writer().run_alone([&] {
        auto lock = lock_if_shared();
        Statement st(write_db_,
                     "DELETE FROM access_log WHERE at_ms < ?1 AND NOT EXISTS (SELECT 1 FROM rooms WHERE code = access_log.room)");
        try {
            st.bind(now_ms - static_cast<std::int64_t>(days) * ms_per_day).run();
        } catch (const Store_error& e) {
            throw Store_error(std::string("cannot delete old access-log rows: ") + e.what());
        }
        deleted = sqlite3_changes64(write_db_);
        writer().count_commit();
        if (deleted > 0) checkpoint();
    });
    return deleted;
}

}  // namespace keha::server
