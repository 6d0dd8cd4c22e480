#pragma once
// keha-server check: whether a store (live, or a backup copy) is whole, without changing it.
#include <cstdint>
#include <string>
#include <vector>

namespace keha::server {

struct Store_check {
    std::vector<std::string> problems;  // one line each, naming the room or table
    std::int64_t schema_version = 0;
    std::int64_t rooms = 0;
    std::int64_t ops = 0;  // ops replayed
    bool ok() const { return problems.empty(); }
};

// SQLite's integrity and foreign-key checks, the schema version, and for every room: its
// stored history replays (the load path of the server, replay.hpp) from the room as created
// to the latest snapshot and on to the last op, without a gap, every kept snapshot agreeing
// with the replay. Opens `db` read only.
Store_check check_store(const std::string& db);

}  // namespace keha::server
