#include "backends.hpp"

#include "pg_cluster.hpp"
#include "pg_connection.hpp"
#include "pg_store.hpp"
#include "sqlite_store.hpp"
#include "store_migrate.hpp"

namespace keha::store_test {

Test_db::Test_db(Backend backend) : backend_(backend)
{
    if (backend == Backend::sqlite) {
        dir_.emplace();
        location_ = dir_->file("keha.db");
    } else {
        location_ = Pg_cluster::shared().new_database();
    }
}

std::unique_ptr<server::Store> Test_db::open() const
{
    if (backend_ == Backend::sqlite) return std::make_unique<server::Sqlite_store>(location_);
    return std::make_unique<server::Pg_store>(location_);
}

std::vector<std::vector<std::string>> Test_db::rows(const std::string& sql) const
{
    if (backend_ == Backend::sqlite) return Raw(location_).rows(sql);
    server::Pg_connection db(location_);
    auto r = db.exec(sql);
    std::vector<std::vector<std::string>> out(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i)
        for (int c = 0; c < r.columns(); ++c) out[static_cast<std::size_t>(i)].push_back(r.text(i, c));
    return out;
}

std::vector<std::string> Test_db::column(const std::string& sql) const
{
    std::vector<std::string> out;
    for (auto& row : rows(sql)) out.push_back(row.empty() ? "" : row[0]);
    return out;
}

std::string Test_db::scalar(const std::string& sql) const
{
    auto r = rows(sql);
    return r.empty() || r[0].empty() ? std::string() : r[0][0];
}

void Test_db::exec(const std::string& sql) const
{
    if (backend_ == Backend::sqlite) return Raw(location_).exec(sql);
    server::Pg_connection(location_).exec(sql);
}

std::string Test_db::try_exec(const std::string& sql) const
{
    if (backend_ == Backend::sqlite) return Raw(location_).try_exec(sql);
    try {
        server::Pg_connection(location_).exec(sql);
        return {};
    } catch (const server::Store_error& e) {
        return e.what();
    }
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& info)
{
    return info.param == Backend::sqlite ? "sqlite" : "postgresql";
}

std::string migrate_refusal(const Test_db& file, const Test_db& target, const std::string& sql)
{
    target.open();  // the schema, empty
    target.exec(sql);
    try {
        server::migrate_store(file.location(), target.location());
    } catch (const server::Store_error& e) {
        return e.what();
    }
    return "";
}

}  // namespace keha::store_test
