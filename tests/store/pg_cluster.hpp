#pragma once
// A throw-away PostgreSQL 15 cluster for tests: initdb and pg_ctl of Debian's postgresql-15 in
// a temporary folder, listening only on a Unix socket in that folder (no TCP port), run as the
// `postgres` user when the tests run as root (PostgreSQL refuses to run as root). Removed when
// the owner stops it.
#include <string>

namespace keha::store_test {

class Pg_cluster {
public:
    // Creates and starts a new cluster in a new temporary folder; throws std::runtime_error
    // with what went wrong (and the server's log) when it cannot.
    static Pg_cluster start();
    // A cluster another process started (the tests' ctest fixture), by its folder; not stopped
    // by this object.
    static Pg_cluster attach(const std::string& folder);
    // The cluster of this test process: the fixture's when KEHA_TEST_PG_FOLDER names one, else
    // one started on first use and stopped when the process ends.
    static Pg_cluster& shared();

    Pg_cluster(Pg_cluster&& other) noexcept;
    Pg_cluster& operator=(Pg_cluster&&) = delete;
    Pg_cluster(const Pg_cluster&) = delete;
    ~Pg_cluster();  // stops and removes an owned cluster

    const std::string& folder() const { return folder_; }
    // A DSN for database `name` of the cluster, as keha-server's --db takes it.
    std::string dsn(const std::string& name) const;
    // A new empty database of its own; its DSN.
    std::string new_database();
    // Stops the server at once, as a crash would (pg_ctl stop -m immediate), and starts it
    // again: what was committed must come back.
    void crash_and_restart();
    // Lets the cluster outlive this object (for another process to stop); its folder.
    std::string keep_running()
    {
        owned_ = false;
        return folder_;
    }
    // Stops the server (fast) and removes the folder.
    void stop();

private:
    Pg_cluster(std::string folder, bool owned) : folder_(std::move(folder)), owned_(owned) {}
    void run_server(const char* action, const char* mode = nullptr);
    std::string folder_;
    bool owned_ = false;
};

}  // namespace keha::store_test
