#include "sqlite_statement.hpp"

#include <limits>

#include "metrics.hpp"

namespace keha::server {

void sqlite_failed(sqlite3* db, std::string_view doing)
{
    throw Store_error("database " + std::string(doing) + " failed: " + sqlite3_errmsg(db));
}

Statement::Statement(sqlite3* db, std::string_view sql, bool persistent) : db_(db)
{
    const unsigned flags = persistent ? SQLITE_PREPARE_PERSISTENT : 0;
    if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), flags, &s_, nullptr) != SQLITE_OK)
        sqlite_failed(db, "statement");
}

void Bound::bind(int i, const std::string& v)
{
    // Not copied: the strings outlive the use, and a copy per column would cost an allocation.
    if (sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC) != SQLITE_OK)
        sqlite_failed(db_, "bind");
}

void Bound::bind(int i, std::int64_t v)
{
    if (sqlite3_bind_int64(s_, i, v) != SQLITE_OK) sqlite_failed(db_, "bind");
}

void Bound::bind(int i, std::uint64_t v)
{
    constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    bind(i, static_cast<std::int64_t>(v > max ? max : v));
}

void Bound::bind(int i, const std::optional<std::string>& v)
{
    if (v) return bind(i, *v);
    if (sqlite3_bind_null(s_, i) != SQLITE_OK) sqlite_failed(db_, "bind");
}

bool Bound::step()
{
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite_failed(db_, "step");
}

void Bound::run()
{
    while (step()) {
    }
}

std::string Bound::text(int column) const
{
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, column));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, column))) : std::string();
}

Read_transaction::Read_transaction(sqlite3* db) : db_(db)
{
    if (sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) sqlite_failed(db, "read (begin)");
}

Read_transaction::~Read_transaction()
{
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
}

Write_statements::Write_statements(sqlite3* db)
    : begin(db, "BEGIN IMMEDIATE", true), commit(db, "COMMIT", true), rollback(db, "ROLLBACK", true)
{
}

Write_transaction::Write_transaction(Write_statements& prepared) : db_(prepared.begin.db()), s_(prepared) { begin(); }

Write_transaction::Write_transaction(sqlite3* db) : db_(db), own_(std::in_place, db), s_(*own_) { begin(); }

namespace {

void run_or_fail(sqlite3* db, Statement& statement, std::string_view doing)
{
    try {
        statement.bind().run();
    } catch (const Store_error&) {
        sqlite_failed(db, doing);
    }
}

}  // namespace

void Write_transaction::begin()
{
    run_or_fail(db_, s_.begin, "write (begin)");
    // What this connection's cache writes from here on is this transaction's.
    int pages = 0, highwater = 0;
    sqlite3_db_status(db_, SQLITE_DBSTATUS_CACHE_WRITE, &pages, &highwater, 1);
}

void Write_transaction::commit()
{
    run_or_fail(db_, s_.commit, "commit");
    int pages = 0, highwater = 0;
    sqlite3_db_status(db_, SQLITE_DBSTATUS_CACHE_WRITE, &pages, &highwater, 1);
    metrics().store_commits.add();
    metrics().store_pages_written.add(static_cast<std::uint64_t>(pages));
}

Write_transaction::~Write_transaction()
{
    // A failed COMMIT (busy, a full disk) can leave the transaction open.
    if (sqlite3_get_autocommit(db_)) return;
    try {
        s_.rollback.bind().run();
    } catch (const Store_error&) {
    }
}

}  // namespace keha::server
