#include "support/store_place.hpp"

#include "pg_cluster.hpp"

namespace keha::itest {

Store_place::Store_place(Backend backend, const std::string& name) : backend_(backend), file_(dir_.path() / name)
{
    db_ = backend == Backend::sqlite ? file_.string() : store_test::Pg_cluster::shared().new_database();
}

std::unique_ptr<Server_process> Store_place::start(const std::vector<std::string>& flags) const
{
    if (backend_ == Backend::sqlite) return std::make_unique<Server_process>(file_, flags);
    std::vector<std::string> args = {"--port", "0", "--bind", "127.0.0.1", "--db", db_, "--assets", KEHA_TEST_ASSETS};
    args.insert(args.end(), flags.begin(), flags.end());
    return std::make_unique<Server_process>(file_, Server_process::Exact_args{args});
}

std::string backend_name(Backend backend) { return backend == Backend::sqlite ? "sqlite" : "postgresql"; }

}  // namespace keha::itest
