#pragma once
// Room leases on PostgreSQL (docs/architecture.md, "Scaling out"): at most one keha-server
// node at a time accepts commands for a room. A node takes a room's lease when it loads the
// room: a session-level advisory lock held on a connection of its own, and the room's row in
// room_leases updated with a new fencing token and that connection's backend pid. Every commit
// transaction locks the rows of its rooms (FOR SHARE) and writes a room's appends only while
// the row still names this node's token and that backend still holds the lock: a node whose
// lease session died, or whose room another node took since, never commits for the room.
// The lock goes with the session, so a node that dies frees its rooms at once.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

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

    std::string dsn_;
    std::mutex db_mutex_;  // the lease connection; never taken by the writer inside a transaction
    std::unique_ptr<Pg_connection> db_;
    int session_ = 0;  // the backend pid that holds the locks in held_
    mutable std::mutex held_mutex_;
    std::map<std::string, Held> held_;
};

}  // namespace keha::server
