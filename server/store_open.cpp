// Which backend a --db value names; the one place a new backend is chosen.
#include "pg_connection.hpp"
#include "pg_store.hpp"
#include "sqlite_store.hpp"
#include "store.hpp"

namespace keha::server {

static_assert(Pg_store::schema_version == Sqlite_store::schema_version,
              "a new schema version needs its migration in both stores (pg_schema.cpp too)");

std::unique_ptr<Store> open_store(const std::string& db)
{
    if (is_postgres_dsn(db)) return std::make_unique<Pg_store>(db);
    return std::make_unique<Sqlite_store>(db);
}

}  // namespace keha::server
