#pragma once
// One libpq connection to PostgreSQL, with results freed however their use ends, statements
// prepared once per connection, and errors as the store's exceptions (store.hpp). Used by one
// thread at a time (the PostgreSQL store's writer, or readers under its read mutex).
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store.hpp"

struct pg_conn;
struct pg_result;

namespace keha::server {

// Whether `db` names a PostgreSQL database (postgresql://… or postgres://…) rather than a file.
bool is_postgres_dsn(const std::string& db);
// The DSN with its password (if any) replaced by "***", for logs and messages.
std::string without_password(const std::string& dsn);
// Whether the DSN itself carries a password (a passfile or PGPASSFILE is the better place).
bool dsn_has_password(const std::string& dsn);

// A parameter as text (PostgreSQL converts it to the column's type); nothing is SQL NULL.
using Pg_param = std::optional<std::string>;
inline Pg_param pg_int(std::int64_t v) { return std::to_string(v); }
// A seq as PostgreSQL's bigint: the largest ones clamp, as in the SQLite store.
Pg_param pg_seq(std::uint64_t seq);

class Pg_result {
public:
    explicit Pg_result(pg_result* r);
    int rows() const;
    int columns() const;
    std::string text(int row, int column) const;
    std::int64_t integer(int row, int column) const;
    bool null(int row, int column) const;
    // The number of rows an INSERT, UPDATE or DELETE changed.
    std::int64_t changed() const;
    // The command's status tag ("COMMIT", "INSERT 0 1" …).
    std::string command() const;
    pg_result* release() { return r_.release(); }

private:
    std::unique_ptr<pg_result, void (*)(pg_result*)> r_;
};

class Pg_connection {
public:
    // Connects; throws Store_unavailable (server not reachable) or Store_error (refused:
    // wrong password, no such database), with a message that never holds the password.
    explicit Pg_connection(std::string dsn);
    Pg_connection(const Pg_connection&) = delete;
    Pg_connection& operator=(const Pg_connection&) = delete;

    // Runs `sql` (one statement, $1… parameters), prepared on its first use on this
    // connection. Throws Store_error, or Store_unavailable when the connection is lost.
    Pg_result run(const char* sql, std::initializer_list<Pg_param> params = {});
    // Queues `sql` to run with the next statement of this connection (or its commit): the
    // queued ones go in one round trip, and the first that fails throws there.
    void queue(const char* sql, std::initializer_list<Pg_param> params);
    void queue(const char* sql, std::vector<Pg_param> params);
    // Sends what is queued now (a long copy keeps its memory bounded); throws as run does.
    void send() { send_queued(); }
    // The same without preparing, for statements that run once (migrations, BEGIN …).
    Pg_result exec(const std::string& sql);
    // The SQLSTATE of the last statement that failed ("23505": the key exists).
    const std::string& last_state() const { return last_state_; }

    // Starts a transaction (`sql` is BEGIN and its options). When that fails (a connection
    // found lost only now), nothing was sent yet: it connects again and tries once more.
    void begin(const char* sql);
    // Commits; throws when the transaction did not commit (an earlier statement had failed).
    void commit();

    // Whether the connection is up and idle (not inside a transaction).
    bool usable() const;
    bool in_transaction() const;
    // The server process of this session (0 when not connected): a new one after a reconnect.
    int backend_pid() const;
    // Rolls back a transaction left open; reconnects a lost connection (throws as the
    // constructor does when it cannot).
    void recover();

    // For a session that LISTENs (pg_leases.cpp): its socket to wait on (-1 when none); what
    // the server sent meanwhile read without blocking (false: the session is gone); and the
    // notifications received so far, by whichever call read them.
    struct Notification {
        std::string channel, payload;
        int sender = 0;  // the backend pid of the session that sent it
    };
    int socket() const;
    bool read_input();
    std::vector<Notification> notifications();

private:
    void connect();
    // The name of `sql` prepared on this connection, preparing it on its first use.
    const std::string& prepared(const char* sql);
    void send_queued();
    struct Queued {
        std::string name;
        std::vector<Pg_param> params;
    };
    std::vector<Queued> queued_;
    Pg_result checked(pg_result* r, const char* doing);
    std::string dsn_;
    std::unique_ptr<pg_conn, void (*)(pg_conn*)> c_;
    std::map<std::string, std::string> prepared_;
    std::string last_state_;  // sql -> statement name on this connection
};

}  // namespace keha::server
