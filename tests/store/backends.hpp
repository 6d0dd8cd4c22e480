#pragma once
// The store suite on both backends: each test of a suite declared with On_backends runs once
// on a SQLite file and once on a PostgreSQL database of the throw-away test cluster
// (pg_cluster.hpp), each test with a database of its own.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store.hpp"
#include "store_fixture.hpp"

namespace keha::store_test {

enum class Backend { sqlite, postgresql };

// A database of its own for one test.
class Test_db {
public:
    explicit Test_db(Backend backend);
    Backend backend() const { return backend_; }
    // What --db would be: the file's path, or the DSN.
    const std::string& location() const { return location_; }
    // The store on it; opened again after the last one closed, it holds what that one wrote.
    std::unique_ptr<server::Store> open() const;

    // SQL as another program would run it on the same database (the statements the tests use
    // mean the same to both): every row's columns as text, NULL as "".
    std::vector<std::vector<std::string>> rows(const std::string& sql) const;
    std::vector<std::string> column(const std::string& sql) const;  // the first column
    std::string scalar(const std::string& sql) const;               // the first row's first column
    void exec(const std::string& sql) const;
    std::string try_exec(const std::string& sql) const;  // the error, or "" when it ran

private:
    Backend backend_;
    std::optional<Temp_dir> dir_;
    std::string location_;
};

// The fixture: `db` is the test's database on the backend of this run.
class On_backends : public ::testing::TestWithParam<Backend> {
protected:
    Test_db db{GetParam()};
};

std::string backend_name(const ::testing::TestParamInfo<Backend>& info);

// `keha-server migrate` from the SQLite `file` into the PostgreSQL `target` after `sql` ran on
// the target's (empty) schema, as a tampered copy: why migrate refused it, or "" when it did not.
std::string migrate_refusal(const Test_db& file, const Test_db& target, const std::string& sql);

}  // namespace keha::store_test

// Runs every TEST_P of `Suite` (a class deriving from On_backends) on both backends; the test
// names end in /sqlite and /postgresql.
#define KEHA_ON_BOTH_BACKENDS(Suite)                                                                                   \
    INSTANTIATE_TEST_SUITE_P(, Suite,                                                                                   \
                             ::testing::Values(keha::store_test::Backend::sqlite,                                      \
                                               keha::store_test::Backend::postgresql),                                 \
                             keha::store_test::backend_name)
