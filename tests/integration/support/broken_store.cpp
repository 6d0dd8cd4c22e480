#include "support/broken_store.hpp"

#include <stdexcept>

namespace keha::itest {
namespace {

// A connection of another program, waiting for keha-server's own write lock as SQLite does.
sqlite3* open_other(const std::filesystem::path& db)
{
    sqlite3* other = nullptr;
    if (sqlite3_open_v2(db.c_str(), &other, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        const std::string error = other ? sqlite3_errmsg(other) : "out of memory";
        sqlite3_close(other);
        throw std::runtime_error("cannot open " + db.string() + ": " + error);
    }
    sqlite3_busy_timeout(other, 5000);
    return other;
}

void run(sqlite3* other, const std::string& sql)
{
    char* error = nullptr;
    if (sqlite3_exec(other, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK) return;
    const std::string message = error ? error : sqlite3_errmsg(other);
    sqlite3_free(error);
    sqlite3_close(other);
    throw std::runtime_error(message + " (" + sql + ")");
}

}  // namespace

Write_lock_holder::Write_lock_holder(const std::filesystem::path& db) : db_(open_other(db))
{
    run(db_, "BEGIN IMMEDIATE");
}

Write_lock_holder::~Write_lock_holder()
{
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
}

void make_snapshots_unreadable(const std::filesystem::path& db, const std::string& code)
{
    sqlite3* other = open_other(db);
    run(other, "BEGIN IMMEDIATE; ALTER TABLE snapshots RENAME TO kept_snapshots; "
               "CREATE VIEW snapshots AS SELECT room, seq, CASE WHEN room = '" + code +
                   "' THEN abs(-9223372036854775807 - 1) ELSE state END AS state FROM kept_snapshots; COMMIT;");
    sqlite3_close(other);
}

}  // namespace keha::itest
