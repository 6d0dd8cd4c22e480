#include "store_check.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <limits>
#include <sstream>
#include <utility>

#include "keha/json.hpp"
#include "keha/private_writing.hpp"
#include "keha/sectors.hpp"
#include "keha/spotlight.hpp"
#include "replay.hpp"
#include "sqlite_statement.hpp"
#include "sqlite_store.hpp"

namespace keha::server {
namespace {

struct Connection {
    sqlite3* db = nullptr;
    ~Connection() { sqlite3_close(db); }
};

// Runs `sql` and hands each row's text columns to `row`; false (with SQLite's message in
// `error`) when it could not run to the end.
template <typename Row>
bool each_row(sqlite3* db, const std::string& sql, std::string& error, Row row)
{
    try {
        Statement statement(db, sql);
        for (auto rows = statement.bind(); rows.step();) {
            std::vector<std::string> columns;
            for (int i = 0; i < rows.columns(); ++i) columns.push_back(rows.text(i));
            row(columns);
        }
        return true;
    } catch (const Store_error&) {
        error = sqlite3_errmsg(db);
        return false;
    }
}

// The file as SQLite sees it: the schema version, integrity and the references between tables.
// False when the rooms cannot be looked at.
bool check_file(sqlite3* db, Store_check& out)
{
    std::string error;
    if (!each_row(db, "PRAGMA user_version", error,
                  [&](const auto& c) { out.schema_version = std::stoll(c.at(0)); })) {
        out.problems.push_back("SQLite cannot read the file: " + error);
        return false;
    }
    if (out.schema_version <= 0) {
        out.problems.push_back("this is not a Kehä database (no schema version)");
        return false;
    }
    if (out.schema_version != Sqlite_store::schema_version) {
        out.problems.push_back(
            "schema version " + std::to_string(out.schema_version) + " is not this keha-server's (" +
            std::to_string(Sqlite_store::schema_version) + "): " +
            (out.schema_version > Sqlite_store::schema_version ? "check it with the newer keha-server that wrote it"
                                                        : "start keha-server on it to migrate it, then check"));
        return false;
    }
    bool whole = true;
    if (!each_row(db, "PRAGMA integrity_check(100)", error, [&](const auto& c) {
            if (c.at(0) == "ok") return;
            std::istringstream lines(c.at(0));  // one row may hold several findings, a line each
            for (std::string line; std::getline(lines, line);)
                if (!line.empty()) out.problems.push_back("integrity: " + line);
            whole = false;
        })) {
        out.problems.push_back("integrity: the check could not run: " + error);
        return false;
    }
    if (!each_row(db, "PRAGMA foreign_key_check", error, [&](const auto& c) {
            out.problems.push_back("table " + c.at(0) + ", row " + c.at(1) + ": refers to a row of " + c.at(2) +
                                   " that does not exist");
        }))
        out.problems.push_back("foreign keys: the check could not run: " + error);
    return whole;
}

// Replays `ops` onto `state`, noting the first op that does not apply; the seq reached.
std::uint64_t replay_noting(json& state, std::uint64_t from, const std::vector<Op_record>& ops,
                            const std::string& room, Store_check& out)
{
    std::uint64_t reached = from;
    try {
        replay(state, ops, [&](const Op_record& op, const json&) { reached = op.seq; });
    } catch (const std::exception& e) {
        out.problems.push_back("room " + room + ": the op after seq " + std::to_string(reached) +
                               " does not apply to the state before it: " + e.what());
    }
    return reached;
}

json normalized(json state)
{
    sector_keys_in(state);  // as loading does, for rooms stored before sectors had keys
    private_writing_defaults(state);  // ... and before private writing and spotlight
    spotlight_defaults(state);
    return state;
}

void check_room(Store& store, const std::string& code, Store_check& out)
{
    ++out.rooms;
    // The head, as the server loads the room: the newest snapshot and the ops after it.
    auto loaded = store.load_room(code);
    if (!loaded) return;  // deleted meanwhile (retention, on a live store)
    json head = normalized(json::parse(loaded->snapshot));  // as fold() does before replaying
    std::uint64_t expected = loaded->snapshot_seq;
    for (const auto& op : loaded->ops)
        if (op.seq != ++expected) {
            out.problems.push_back("room " + code + ": op " + std::to_string(expected) + " is missing (the next is " +
                                   std::to_string(op.seq) + ")");
            expected = op.seq;
        }
    const auto last = replay_noting(head, loaded->snapshot_seq, loaded->ops, code, out);
    out.ops += static_cast<std::int64_t>(last);

    // The history before it: each kept snapshot with the ops after it replays to the next one.
    const auto snapshots = store.snapshots(code);
    if (snapshots.empty() || snapshots.front().seq != 0)
        out.problems.push_back("room " + code + ": the room as created (snapshot 0) is missing");
    for (std::size_t i = 0; i + 1 < snapshots.size() && snapshots[i + 1].seq <= loaded->snapshot_seq; ++i) {
        const auto& [from, text] = snapshots[i];
        const auto to = snapshots[i + 1].seq;
        auto ops = store.ops_between(code, from, to);
        std::uint64_t next = from;
        for (const auto& op : ops)
            if (op.seq != ++next) {
                out.problems.push_back("room " + code + ": op " + std::to_string(next) + " is missing (the next is " +
                                       std::to_string(op.seq) + ")");
                next = op.seq;
            }
        if (next != to)
            out.problems.push_back("room " + code + ": ops " + std::to_string(next + 1) + " to " + std::to_string(to) +
                                   " are missing");
        json state = normalized(json::parse(text));
        if (replay_noting(state, from, ops, code, out) != next) continue;
        if (normalized(state) != normalized(json::parse(snapshots[i + 1].state)))
            out.problems.push_back("room " + code + ": replaying ops " + std::to_string(from + 1) + " to " +
                                   std::to_string(to) + " does not give the snapshot stored at seq " +
                                   std::to_string(to));
    }
}

}  // namespace

Store_check check_store(const std::string& path)
{
    Store_check out;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        out.problems.push_back("there is no database at '" + path + "'");
        return out;
    }
    Connection c;
    if (sqlite3_open_v2(path.c_str(), &c.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        out.problems.push_back(std::string("SQLite cannot open the file: ") + sqlite3_errmsg(c.db));
        return out;
    }
    sqlite3_busy_timeout(c.db, 5000);
    if (!check_file(c.db, out)) return out;
    try {
        Sqlite_store store(path, Sqlite_store::Read_only{});
        for (const auto& code : store.room_codes()) {
            try {
                check_room(store, code, out);
            } catch (const std::exception& e) {
                out.problems.push_back("room " + code + ": " + e.what());
            }
        }
    } catch (const std::exception& e) {
        out.problems.push_back(e.what());
    }
    return out;
}

}  // namespace keha::server
