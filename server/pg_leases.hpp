#pragma once
// Room leases on PostgreSQL (docs/architecture.md, "Scaling out"): at most one keha-server
// node at a time accepts commands for a room. A node takes a room's lease when it loads the
// room: a session-level advisory lock held on a connection of its own, and the room's row in
// room_leases updated with a new fencing token and that connection's backend pid. Every commit
// transaction locks the rows of its rooms (FOR SHARE) and writes a room's appends only while
// the row still names this node's token and that backend still holds the lock: a node whose
// lease session died, or whose room another node took since, never commits for the room.
// The lock goes with the session, so a node that dies frees its rooms at once.
//
// The lease session also LISTENs on `keha_room_wanted`: a node that was asked for a room another
// node holds says so there (want), and a watcher thread waits on the session's socket, so the
// holder hears it at once, and so does a node whose lease session ended (Store::Lease_events).
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "store.hpp"

namespace keha::server {

class Pg_connection;

class Pg_leases {
public:
    explicit Pg_leases(std::string dsn);
    ~Pg_leases();
    Pg_leases(const Pg_leases&) = delete;
    Pg_leases& operator=(const Pg_leases&) = delete;

    // The table, created when missing; it holds no meeting data, so it is not part of the
    // versioned schema (pg_schema.cpp), and runs inside pg_migrate's transaction.
    static const char* table_sql();

    // Takes the room's lease, or counts one more use of a lease this node holds. False when
    // another node holds it. A room that does not exist needs no lease (true). Blocking; may
    // throw Store_unavailable when the database cannot be reached.
    bool claim(const std::string& code);
    // One use fewer; at none the lock is released and another node may take the room.
    void release(const std::string& code);
    // Forgets the room's lease (its rows are being deleted).
    void forget(const std::string& code);
    bool holds(const std::string& code) const;

    // Starts (or, with no events, stops) the watcher thread that reports rooms wanted by other
    // nodes and leases lost with their session.
    void watch(Store::Lease_events events);
    // NOTIFY keha_room_wanted, CODE: the holder, if any, lets the room go. Throws Store_error.
    void want(const std::string& code);
    // Asks (once) for the rooms other nodes took from this one when its session ended; how many.
    int reclaim();
    // Takes (and keeps while the session lives) the sweep lock; false when another node has it.
    bool lead_sweeps();

    // Inside a commit transaction on `db` (another connection): locks the lease rows of
    // `codes` until the commit and returns the rooms whose appends may not be written: those
    // with a lease row that does not name this node's live session and token. A room nobody
    // ever leased (a store used without a server: tests, keha-server migrate) may be written.
    std::set<std::string> fence(Pg_connection& db, const std::set<std::string>& codes);

private:
    struct Held {
        std::int64_t key = 0;    // the advisory lock's second number
        std::int64_t token = 0;  // the fencing token this node wrote
        int uses = 0;
    };
    // The lease connection, opened again if lost; every lock went with a lost session.
    Pg_connection& connection();
    void unlock(std::int64_t key);
    // Records that this node let the room go (not lost it), then unlocks.
    void let_go(const std::string& code, const Held& held);
    // Every lease this node held is gone with its session: counted for the watcher to report.
    void lose_all();
    // Under db_mutex_: the notifications the session received, kept for the watcher.
    void collect(Pg_connection& db);
    void watch_loop(const std::stop_token& stop);
    // One turn of the watcher: what the session received; its socket to wait on (-1: none).
    int watch_once();
    void report();
    void wake() const;
    void stop_watching();

    std::string dsn_;
    std::mutex db_mutex_;  // the lease connection; never taken by the writer inside a transaction
    std::unique_ptr<Pg_connection> db_;
    int session_ = 0;  // the backend pid that holds the locks in held_
    std::string node_;   // this node's name (Store::Lease_events::node), stored with its leases
    int listening_ = 0;  // the session that LISTENs
    int sweeper_ = 0;    // the session that holds the sweep lock
    mutable std::mutex held_mutex_;
    std::map<std::string, Held> held_;
    // For the watcher to report (under held_mutex_).
    std::vector<std::string> wanted_, lost_;
    std::mutex events_mutex_;  // taken while a report runs: watch({}) waits for it
    Store::Lease_events events_;
    int wake_fd_ = -1;  // an eventfd: stop, or something to report
    std::jthread watcher_;
};

}  // namespace keha::server
