#include "support/stored_log.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <functional>
#include <stdexcept>

namespace keha::itest {

using json = nlohmann::json;

Durable read_durable(const std::filesystem::path& db, const std::string& code)
{
    sqlite3* h = nullptr;
    if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(h);
        throw std::runtime_error("cannot open " + db.string());
    }
    Durable d;
    auto rows = [&](const char* sql, const std::function<void(sqlite3_stmt*)>& row) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(h, sql, -1, &s, nullptr) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(h));
        sqlite3_bind_text(s, 1, code.c_str(), -1, SQLITE_TRANSIENT);
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) row(s);
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(h));
    };
    auto text = [](sqlite3_stmt* s, int i) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, i))); };
    sqlite3_exec(h, "BEGIN", nullptr, nullptr, nullptr);
    rows("SELECT state FROM snapshots WHERE room = ?1 AND seq = 0", [&](sqlite3_stmt* s) { d.state = json::parse(text(s, 0)); });
    rows("SELECT seq, patch FROM ops WHERE room = ?1 ORDER BY seq", [&](sqlite3_stmt* s) {
        const auto seq = static_cast<std::uint64_t>(sqlite3_column_int64(s, 0));
        d.patches[seq] = json::parse(text(s, 1));
        d.last = seq;
    });
    sqlite3_exec(h, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(h);
    for (const auto& [seq, patch] : d.patches) d.state.patch_inplace(patch);  // in place: a copy per op is quadratic
    return d;
}

int expect_nothing_acknowledged_lost(const Durable& d, const std::map<std::uint64_t, std::string>& acked)
{
    std::uint64_t expected = 1;
    for (const auto& [seq, patch] : d.patches) EXPECT_EQ(seq, expected++) << "a gap in the stored log";
    int lost = 0;
    for (const auto& [seq, text] : acked) {
        auto it = d.patches.find(seq);
        if (it == d.patches.end() || it->second.at(0).at("value").value("text", "") != text) ++lost;
    }
    EXPECT_EQ(lost, 0) << lost << " of " << acked.size() << " acknowledged commands are not in the store";
    return lost;
}

std::vector<std::vector<std::string>> db_rows(const std::filesystem::path& db, const std::string& sql, bool writable)
{
    sqlite3* h = nullptr;
    if (sqlite3_open_v2(db.c_str(), &h, writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(h);
        throw std::runtime_error("cannot open " + db.string());
    }
    sqlite3_busy_timeout(h, 5000);
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(h, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
        std::string e = sqlite3_errmsg(h);
        sqlite3_close(h);
        throw std::runtime_error(e + " in: " + sql);
    }
    std::vector<std::vector<std::string>> out;
    while (sqlite3_step(s) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int i = 0; i < sqlite3_column_count(s); ++i) {
            auto* t = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
            row.push_back(t ? t : "");
        }
        out.push_back(std::move(row));
    }
    sqlite3_finalize(s);
    sqlite3_close(h);
    return out;
}

}  // namespace keha::itest
