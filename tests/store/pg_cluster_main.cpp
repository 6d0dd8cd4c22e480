// pg-test-cluster start|stop FILE: the ctest fixture around the PostgreSQL store tests. `start`
// makes a throw-away cluster (pg_cluster.hpp) and writes its folder to FILE, after stopping one
// an interrupted run left named there; `stop` stops it and removes its folder.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "pg_cluster.hpp"

using keha::store_test::Pg_cluster;

namespace {

void stop_named_in(const std::string& file)
{
    std::ifstream in(file);
    std::string folder;
    if (std::getline(in, folder) && !folder.empty() && std::filesystem::exists(folder)) {
        auto cluster = Pg_cluster::attach(folder);
        cluster.stop();
    }
    std::filesystem::remove(file);
}

}  // namespace

int main(int argc, char** argv)
{
    const std::string action = argc == 3 ? argv[1] : "";
    if (action != "start" && action != "stop") {
        std::cerr << "usage: pg-test-cluster start|stop FILE\n";
        return 2;
    }
    try {
        stop_named_in(argv[2]);
        if (action == "stop") return 0;
        const auto folder = Pg_cluster::start().keep_running();  // it outlives this program
        std::ofstream(argv[2]) << folder << "\n";
        std::cout << "PostgreSQL test cluster in " << folder << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "pg-test-cluster " << action << ": " << e.what() << "\n";
        return 1;
    }
}
