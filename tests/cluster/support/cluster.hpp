#pragma once
// Several keha-server nodes on one PostgreSQL database behind HAProxy, all on this machine: a
// throw-away PostgreSQL cluster (tests/store/pg_cluster.hpp), two keha-server processes with
// --db postgresql://… on loopback ports, and Debian's haproxy running the shipped example
// (server/dist/haproxy-keha.cfg) with only its addresses changed. Everything is the test's own
// process, with its files in a temporary folder, and is stopped when the Cluster goes away.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/server_process.hpp"

namespace keha::cluster_test {

std::uint16_t free_port();

// haproxy -db (in the foreground) with the example's frontends and backend; a `stats` page
// and an X-Keha-Node answer header (which node answered) are added for the tests.
class Haproxy {
public:
    struct Node {
        std::string name;  // node1, node2: the example's server names
        std::uint16_t port;
    };
    // `server_checks`, when given, takes the place of the example's `default-server` line
    // (its health-check timing), e.g. "default-server check" for HAProxy's own defaults.
    Haproxy(const std::filesystem::path& folder, const std::vector<Node>& nodes, const std::string& server_checks = {});
    ~Haproxy();
    Haproxy(const Haproxy&) = delete;
    Haproxy& operator=(const Haproxy&) = delete;

    std::uint16_t port() const { return port_; }  // the example's HTTPS frontend, here plain HTTP
    // HAProxy's view of a node now: its stats status ("UP", "DOWN", "NOLB", "MAINT", "UP 1/2"...).
    std::string status_of(const std::string& node) const;
    // Waits (bounded) until status_of(node) starts with `status`.
    bool wait_status(const std::string& node, const std::string& status, std::chrono::milliseconds timeout) const;
    // The node that answered GET `target` through HAProxy ("" when none did).
    std::string node_for(const std::string& target) const;
    std::string log_text() const;

private:
    std::filesystem::path folder_;
    std::uint16_t port_ = 0, stats_port_ = 0;
    pid_t pid_ = -1;
};

class Cluster {
public:
    inline static const std::vector<std::string> node_names{"node1", "node2"};

    // A new database on this test binary's PostgreSQL cluster, the nodes on it (each with
    // `flags` besides the harness's own), and HAProxy in front once both nodes answer (with
    // `server_checks` as Haproxy takes it).
    explicit Cluster(std::vector<std::string> flags = {}, const std::string& server_checks = {});
    ~Cluster();
    Cluster(const Cluster&) = delete;
    Cluster& operator=(const Cluster&) = delete;

    std::uint16_t port() const { return haproxy_->port(); }  // where clients connect
    Haproxy& haproxy() { return *haproxy_; }
    const std::string& dsn() const { return dsn_; }
    itest::Server_process& node(const std::string& name) { return *nodes_.at(name); }
    std::uint16_t node_port(const std::string& name) const { return ports_.at(name); }
    // The node HAProxy sends a room's members to.
    std::string node_of(const std::string& code) const;
    // SIGKILL, then reaped: as a machine that dies.
    void kill(const std::string& name);
    // Starts a node again on its port; returns once HAProxy counts it UP again.
    void restart(const std::string& name);
    const std::filesystem::path& folder() const { return dir_.path(); }

private:
    void start_node(const std::string& name, std::uint16_t port);

    itest::Temp_dir dir_;
    std::string dsn_;
    std::vector<std::string> flags_;
    std::map<std::string, std::unique_ptr<itest::Server_process>> nodes_;
    std::map<std::string, std::uint16_t> ports_;
    std::unique_ptr<Haproxy> haproxy_;
};

}  // namespace keha::cluster_test
