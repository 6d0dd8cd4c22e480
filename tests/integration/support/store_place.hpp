#pragma once
// Where a test's keha-server keeps its meetings: a SQLite file in the test's folder, or a
// database of its own in the throw-away PostgreSQL cluster (tests/store/pg_cluster.hpp) that
// the ctest fixture pg_cluster starts. For the tests that run on both backends.
#include <memory>
#include <string>
#include <vector>

#include "support/server_process.hpp"

namespace keha::itest {

enum class Backend { sqlite, postgresql };

class Store_place {
public:
    Store_place(Backend backend, const std::string& name);
    // keha-server on it: --port 0 --bind 127.0.0.1 --db <this> plus `flags`; its log is in
    // the test's folder either way.
    std::unique_ptr<Server_process> start(const std::vector<std::string>& flags) const;
    const std::string& db() const { return db_; }

private:
    Backend backend_;
    Temp_dir dir_;
    std::filesystem::path file_;
    std::string db_;
};

std::string backend_name(Backend backend);

}  // namespace keha::itest
