// Which backend a --db value names; the one place a new backend is chosen.
#include "sqlite_store.hpp"
#include "store.hpp"

namespace keha::server {

std::unique_ptr<Store> open_store(const std::string& db) { return std::make_unique<Sqlite_store>(db); }

}  // namespace keha::server
