#pragma once
// One prepared SQLite statement, finalized however its use ends; the store's files share it.
#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "store.hpp"

namespace keha::server {

struct Statement {
    sqlite3_stmt* s = nullptr;
    Statement(sqlite3* db, const char* sql)
    {
        if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK)
            throw Store_error(std::string("database statement failed: ") + sqlite3_errmsg(db));
    }
    ~Statement() { sqlite3_finalize(s); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    void text(int i, const std::string& v) { sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT); }
    void integer(int i, std::int64_t v) { sqlite3_bind_int64(s, i, v); }
    std::string column(int i) const
    {
        auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s, i))) : std::string();
    }
    bool done() { return sqlite3_step(s) == SQLITE_DONE; }
};

}  // namespace keha::server
