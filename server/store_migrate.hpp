#pragma once
// keha-server migrate --from FILE --to postgresql://…: moves a SQLite store into an empty
// PostgreSQL database (docs/deployment.md, "Moving the meetings from the file"), all in one
// transaction, then checks the copy: the same number of rows in every table, and every
// room's latest state, tokens, history length and poll values the same read through both
// stores.
#include <cstdint>
#include <map>
#include <string>

namespace keha::server {

struct Migrated {
    std::map<std::string, std::int64_t> rows;  // table -> rows copied
    std::int64_t rooms_compared = 0;
};

// Throws Store_error with a message a person can act on (the source is no Kehä file or not
// at this version, the target is not empty or cannot be reached, the copy differs); nothing
// is left in the target then. Messages never hold the target's password.
Migrated migrate_store(const std::string& from, const std::string& to);

}  // namespace keha::server
