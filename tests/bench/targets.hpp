// The servers the benchmark measures side by side: keha-server (SQLite, or PostgreSQL when a
// URL is given) and the peers in tests/bench/peers (a Node `ws` relay persisting nothing, the
// same relay with SQLite group commit). Each run starts a fresh process with a fresh store
// under the soft file-descriptor limit a systemd service gets by default (1,024).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace bench {

struct Target {
    std::string name;  // "keha", "keha-pg", "ws-relay", "ws-relay-sqlite"
    enum class Kind { keha, relay } kind = Kind::keha;
    std::string store;  // keha: "" (a SQLite file), "pg" (a throw-away cluster) or a postgresql:// URL;
                        // relay: "" or "sqlite"
    std::vector<std::string> wrapper;  // a program the server runs under (valgrind)
    bool unit_file_limit = false;      // the shipped unit's LimitNOFILE=65536, not systemd's default
    std::string binary = {};           // keha: another build of keha-server (--baseline), "" for this one
};

class Server {
public:
    Server(const Target& target, const std::string& dir);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;
    unsigned short port() const { return port_; }
    pid_t pid() const { return pid_; }
    double cpu_s() const;   // user + system time of the whole process so far
    long rss_kib() const;
    std::string create_room(const std::string& title) const;  // the new room's code ("" when refused)
    std::string store_file() const { return db_; }  // a SQLite file in the bench's folder, or ""
    void keep_store() { keep_store_ = true; }       // not removed when the server stops
    // A counter of keha-server's /metrics without labels (-1: not a keha-server, or no such counter).
    double metric(const std::string& name) const;

private:
    void remove_store() const;
    std::string http(const std::string& head, const std::string& body) const;
    bool keha_ = false;
    bool keep_store_ = false;
    pid_t pid_ = -1;
    std::string db_;  // the store's file, removed when the server has stopped
    unsigned short port_ = 0;
    int stop_s_ = 10;
};

double own_cpu_s();  // the generator's user + system time
std::string machine_description();
std::string load_average();

// The commands of the minimal protocol both keha-server and the peers speak.
std::string hello_json(const std::string& code, const std::string& name);
std::string add_json(const std::string& id, const std::string& text, const char* board = "plan",
                     const char* column = "action");
std::string edit_json(const std::string& id, const std::string& item, const std::string& text);

}  // namespace bench
