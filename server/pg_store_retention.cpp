// The PostgreSQL store's part for retention, erasure, the access log and health (pg_store.hpp;
// the SQLite store's are store_retention.cpp and store_health.cpp).
#include "keha/erase.hpp"
#include "keha/json.hpp"
#include "pg_connection.hpp"
#include "pg_leases.hpp"
#include "pg_store.hpp"

namespace keha::server {

namespace {

constexpr std::int64_t ms_per_day = 24LL * 60 * 60 * 1000;

constexpr const char* access_columns = "at_ms, room, event, role, pid, name, address, detail";

// Rewrites the rows of `table` whose `column` holds the item's id (in a path or as its "id").
void erase_in(Pg_connection& db, const std::string& table, const std::string& column, const std::string& code,
              const std::string& board, const std::string& id)
{
    const std::string select = "SELECT seq, " + column + " FROM " + table + " WHERE room = $1 AND strpos(" + column +
                               ", $2) > 0";
    const std::string update = "UPDATE " + table + " SET " + column + " = $3 WHERE room = $1 AND seq = $2";
    auto rows = db.run(select.c_str(), {code, id});
    for (int i = 0; i < rows.rows(); ++i) {
        json doc = json::parse(rows.text(i, 1), nullptr, false);
        const bool changed = table == "ops" ? erase_item_in_patch(doc, board, id) : erase_item_in_state(doc, board, id);
        if (changed) db.run(update.c_str(), {code, pg_int(rows.integer(i, 0)), doc.dump()});
    }
}

}  // namespace

// PostgreSQL keeps a deleted or rewritten row's old version until VACUUM finds it (the SQLite
// store checkpoints its WAL for the same reason): after a deletion or an erasure the tables that
// held the text are vacuumed, so what the meeting said does not wait for autovacuum.
void Pg_store::vacuum(const char* tables)
{
    try {
        write_connection().exec(std::string("VACUUM ") + tables);
    } catch (const Store_error&) {  // autovacuum still comes
    }
}

void Pg_store::log_access(Access_entry entry)
{
    writer().write_rows([this, e = std::move(entry)] {
        write_db_->run("INSERT INTO access_log (at_ms, room, event, role, pid, name, address, detail) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
               {pg_int(e.at_ms), e.room, e.event, e.role, e.pid, e.name, e.address, e.detail});
    });
}

std::vector<Access_entry> Pg_store::access_log(const std::optional<std::string>& room, std::int64_t since_ms)
{
    std::vector<Access_entry> out;
    read([&](Pg_connection& db) {
        const std::string all = std::string("SELECT ") + access_columns + " FROM access_log ORDER BY at_ms, id";
        const std::string one =
            std::string("SELECT ") + access_columns + " FROM access_log WHERE room = $1 AND at_ms >= $2 ORDER BY at_ms, id";
        auto r = room ? db.run(one.c_str(), {*room, pg_int(since_ms)}) : db.run(all.c_str());
        for (int i = 0; i < r.rows(); ++i)
            out.push_back({r.integer(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5),
                           r.text(i, 6), r.text(i, 7)});
    });
    return out;
}

void Pg_store::delete_room(const std::string& code, std::function<void(bool ok)> done)
{
    writer().queue_alone([this, code, done = std::move(done)] {
        bool ok = true;
        try {
            write_transaction([&](Pg_connection& db) {
                // Children first: the rooms row is what the others refer to.
                for (const char* sql : {"DELETE FROM rating_scores WHERE room = $1", "DELETE FROM poll_values WHERE room = $1",
                                        "DELETE FROM rating_comments WHERE room = $1", "DELETE FROM tokens WHERE room = $1",
                                        "DELETE FROM snapshots WHERE room = $1", "DELETE FROM ops WHERE room = $1",
                                        "DELETE FROM room_leases WHERE room = $1", "DELETE FROM rooms WHERE code = $1"})
                    db.run(sql, {code});
            });
            leases_->forget(code);
        } catch (const Store_error&) {
            ok = false;
        }
        if (ok) vacuum("rating_scores, rating_comments, poll_values, tokens, snapshots, ops, rooms");
        if (done) done(ok);
    });
}

void Pg_store::erase_item(const std::string& code, const std::string& board, const std::string& id)
{
    // In the appends' transaction, on the writer's connection.
    writer().write_rows([this, code, board, id] {
        erase_in(*write_db_, "ops", "patch", code, board, id);
        erase_in(*write_db_, "snapshots", "state", code, board, id);
        vacuum_due_ = "ops, snapshots";
    });
}

std::vector<std::string> Pg_store::expired_rooms(std::int64_t now_ms, unsigned days)
{
    std::vector<std::string> out;
    read([&](Pg_connection& db) {
        // A closed meeting counts from its closing; one never closed from its last change.
        auto r = db.run("SELECT code FROM rooms r WHERE coalesce("
                        "(SELECT max(at_ms) FROM ops o WHERE o.room = r.code AND o.cmd = 'room.close'), "
                        "(SELECT max(at_ms) FROM ops o WHERE o.room = r.code), r.created_at_ms) < $1 "
                        "ORDER BY code COLLATE \"C\"",
                        {pg_int(now_ms - static_cast<std::int64_t>(days) * ms_per_day)});
        for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
    });
    return out;
}

std::int64_t Pg_store::prune_access_log(std::int64_t now_ms, unsigned days)
{
    std::int64_t deleted = 0;
    writer().run_alone([&] {
        try {
            write_transaction([&](Pg_connection& db) {
                deleted = db.run("DELETE FROM access_log WHERE at_ms < $1 AND "
                                 "NOT EXISTS (SELECT 1 FROM rooms WHERE code = access_log.room)",
                                 {pg_int(now_ms - static_cast<std::int64_t>(days) * ms_per_day)})
                              .changed();
            });
        } catch (const Store_error& e) {
            throw Store_error(std::string("cannot delete old access-log rows: ") + e.what());
        }
        if (deleted > 0) vacuum("access_log");
    });
    return deleted;
}

// ---- health -----------------------------------------------------------------------------

void Pg_store::check_writable(std::function<void(const std::string& problem)> done)
{
    writer().check_writable([this](bool failed_before) { return write_check(failed_before); }, std::move(done));
}

// After everything queued: the locks an append takes, held for a moment (another program's
// lock waits 250 ms here, not the appends' 5 s), and a write in a transaction that is rolled
// back, or committed once a commit has failed, so the answer turns good only when writing
// really works again.
std::string Pg_store::write_check(bool failed_before)
{
    Pg_connection* connected = nullptr;
    try {
        connected = &write_connection();
        connected->begin("BEGIN");
    } catch (const Store_error&) {
        // libpq's message names the host or socket path: not for /readyz.
        return "cannot reach the PostgreSQL server";
    }
    auto& db = *connected;
    try {
        db.exec("SET LOCAL lock_timeout = '250ms'");
        db.exec("LOCK TABLE rooms IN ROW SHARE MODE");
        db.exec("LOCK TABLE ops, snapshots, tokens IN ROW EXCLUSIVE MODE");
        db.run("UPDATE keha_schema SET version = version");
        if (!failed_before) {
            db.exec("ROLLBACK");
            return {};
        }
        db.commit();
    } catch (const Store_error& e) {
        try {
            db.recover();
        } catch (...) {
        }
        return std::string("cannot write: ") + e.what();
    }
    return {};
}

Pg_store::File_sizes Pg_store::file_sizes() const
{
    File_sizes sizes;
    try {
        read([&](Pg_connection& db) {
            sizes.database = static_cast<std::uint64_t>(db.run("SELECT pg_database_size(current_database())").integer(0, 0));
        });
    } catch (const Store_error&) {  // a metric, not worth failing the scrape for
    }
    return sizes;
}

}  // namespace keha::server
