#pragma once
// keha-server backup: a consistent copy of a store, also while a server keeps writing to it.
#include <cstdint>
#include <string>

namespace keha::server {

struct Backup_copied {
    std::int64_t rooms = 0;
    std::int64_t ops = 0;
    std::int64_t bytes = 0;  // the size of the copy
};

// Copies the database `db` to `file` with SQLite's online backup, reading `db` without writing
// to it (a running server's WAL lets it go on writing meanwhile). The copy is one file, mode
// 0600, written under a temporary name in `file`'s folder and renamed into place, so `file`
// is either absent or complete. An existing `file` is replaced only with `force`. Throws
// Store_error with a message a person can act on.
Backup_copied backup_store(const std::string& db, const std::string& file, bool force);

}  // namespace keha::server
