#pragma once
// The PostgreSQL store's schema: the same versions as the SQLite file's (store.cpp), each
// migration written in PostgreSQL's dialect, and the version kept in a table of its own.
#include <cstdint>
#include <string>

namespace keha::server {

class Pg_connection;

// The newest schema version; the SQLite store's (pg_store.cpp checks that they agree).
inline constexpr int pg_latest_schema = 6;

// The steps to each version, indexed by the version they lead to (1 … schema_version).
const char* pg_migration(std::int64_t version);

// The database's schema version: 0 when it has no Kehä tables.
std::int64_t pg_schema_version(Pg_connection& db);

// Migrates forward to `target` in one transaction, under a lock that lets one node at a time
// migrate (several keha-server nodes may start together). Throws Store_error with a message a
// person can act on: a newer schema than this program knows, or tables of another program.
// `shown` names the database in messages (the DSN without its password).
void pg_migrate(Pg_connection& db, const std::string& shown, std::int64_t target);

// Throws Store_error unless the database has exactly this program's schema version (for a
// store opened to read only, which never migrates).
void pg_require_version(Pg_connection& db, const std::string& shown, std::int64_t version);

}  // namespace keha::server
