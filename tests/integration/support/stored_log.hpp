#pragma once
// What the store holds for a room, read from the SQLite file as another program would: the
// proof that what was acknowledged is durable.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace keha::itest {

struct Durable {
    std::map<std::uint64_t, nlohmann::json> patches;  // seq -> patch
    std::uint64_t last = 0;
    nlohmann::json state;  // the seq-0 snapshot with every op applied
};

Durable read_durable(const std::filesystem::path& db, const std::string& code);

// The stored log of the room runs 1..last without a gap, and every acknowledged item.add is
// there at its seq with its text. Adds a test failure for each that is not; the number lost.
int expect_nothing_acknowledged_lost(const Durable& stored, const std::map<std::uint64_t, std::string>& acked);

// Every row of `sql` on the file, each column as text. A copy of a store with its WAL needs
// `writable` (SQLite recovers the WAL into it); a live server's file is read without.
std::vector<std::vector<std::string>> db_rows(const std::filesystem::path& db, const std::string& sql,
                                              bool writable = false);

}  // namespace keha::itest
