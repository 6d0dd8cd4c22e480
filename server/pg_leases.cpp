#include "pg_leases.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <optional>
#include <utility>

#include "pg_connection.hpp"

namespace keha::server {

namespace {

// The advisory locks' first number, Kehä's alone ("keha" in ASCII, as the migration lock's
// single number; the two-number locks never meet that one). The second is the room's key.
constexpr const char* lock_class = "1801807969";
// The sweep lock's second number: the lease rows' keys start at 1.
constexpr const char* sweep_lock = "0";
constexpr const char* wanted_channel = "keha_room_wanted";
// How often the watcher asks the lease session whether it is still there when nothing else
// woke it (a session the server ended wakes it at once).
constexpr int watch_probe_ms = 5000;
constexpr int reconnect_ms = 1000;

// A PostgreSQL text[] literal.
std::string text_array(const std::set<std::string>& values)
{
    std::string out = "{";
    for (const auto& v : values) {
        if (out.size() > 1) out += ',';
        out += '"';
        for (char c : v) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

}  // namespace

const char* Pg_leases::table_sql()
{
    return R"sql(
    CREATE TABLE IF NOT EXISTS room_leases (
        room       TEXT PRIMARY KEY REFERENCES rooms(code),
        lock_key   INTEGER GENERATED ALWAYS AS IDENTITY UNIQUE,
        token      BIGINT NOT NULL DEFAULT 0,
        holder_pid INTEGER NOT NULL DEFAULT 0
    );
    -- holder_node: the node (host:port) that holds the room, '' once it let the room go;
    -- taken_from: the node that still held it when its session ended, until it asks for it back.
    ALTER TABLE room_leases ADD COLUMN IF NOT EXISTS holder_node TEXT NOT NULL DEFAULT '',
                            ADD COLUMN IF NOT EXISTS taken_from TEXT NOT NULL DEFAULT '';
    )sql";
}

Pg_leases::Pg_leases(std::string dsn) : dsn_(std::move(dsn)), wake_fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {}

Pg_leases::~Pg_leases()
{
    stop_watching();
    if (wake_fd_ >= 0) ::close(wake_fd_);
}

Pg_connection& Pg_leases::connection()
{
    if (!db_) {
        db_ = std::make_unique<Pg_connection>(dsn_);
    } else {
        // libpq learns that the server ended the session only when it next talks to it.
        try {
            if (db_->usable()) db_->exec("SELECT 1");
        } catch (const Store_error&) {
        }
        if (!db_->usable()) db_->recover();
    }
    if (db_->backend_pid() != session_) {
        // A new session holds none of the old one's locks: every lease of this node is lost
        // (the uses stay counted, so the rooms still in memory release what they claimed).
        lose_all();
        session_ = db_->backend_pid();
    }
    return *db_;
}

void Pg_leases::lose_all()
{
    std::lock_guard lk(held_mutex_);
    bool any = false;
    for (auto& [code, held] : held_) {
        if (held.token == 0) continue;
        held.token = 0;
        lost_.push_back(code);
        any = true;
    }
    if (any) wake();
}

void Pg_leases::collect(Pg_connection& db)
{
    auto received = db.notifications();
    std::lock_guard lk(held_mutex_);
    bool any = false;
    for (auto& n : received) {
        if (n.channel != wanted_channel || n.sender == session_) continue;
        wanted_.push_back(std::move(n.payload));
        any = true;
    }
    if (any) wake();
}

void Pg_leases::wake() const
{
    if (wake_fd_ < 0) return;
    const std::uint64_t one = 1;
    const auto written = ::write(wake_fd_, &one, sizeof one);
    (void)written;  // a counter already above zero wakes the watcher as well
}

namespace {

// Whatever a statement read besides its answer (a notification) is kept for the watcher.
template <class Collect>
struct Collect_after {
    Collect collect;
    ~Collect_after() { collect(); }
};
template <class Collect>
Collect_after(Collect) -> Collect_after<Collect>;

}  // namespace

bool Pg_leases::claim(const std::string& code)
{
    std::lock_guard db_lock(db_mutex_);
    auto& db = connection();
    Collect_after after{[&] { collect(db); }};
    {
        std::lock_guard lk(held_mutex_);
        auto it = held_.find(code);
        if (it != held_.end() && it->second.token != 0) {
            ++it->second.uses;
            return true;
        }
    }
    db.run("INSERT INTO room_leases (room) SELECT $1::text WHERE EXISTS (SELECT 1 FROM rooms WHERE code = $1::text) "
           "ON CONFLICT (room) DO NOTHING",
           {code});
    auto row = db.run("SELECT lock_key FROM room_leases WHERE room = $1", {code});
    if (row.rows() == 0) return true;  // no such room: nothing to hold
    const auto key = row.integer(0, 0);
    if (db.run("SELECT pg_try_advisory_lock($1::int, $2::int)", {lock_class, pg_int(key)}).text(0, 0) != "t")
        return false;
    std::int64_t token = 0;
    try {
        // Waits for a commit of the node that held the room before (its FOR SHARE on the row),
        // so whatever that node committed is there when this node loads the room.
        // A holder that never let the room go died with it: the room was taken from that node,
        // which asks for it back when it returns (reclaim).
        auto updated = db.run("UPDATE room_leases SET token = token + 1, holder_pid = pg_backend_pid(), "
                              "taken_from = CASE WHEN holder_node NOT IN ('', $2) THEN holder_node "
                              "WHEN taken_from = $2 THEN '' ELSE taken_from END, holder_node = $2 "
                              "WHERE room = $1 RETURNING token",
                              {code, node_});
        if (updated.rows() == 1) token = updated.integer(0, 0);
    } catch (...) {
        unlock(key);
        throw;
    }
    if (token == 0) {  // deleted meanwhile
        unlock(key);
        return true;
    }
    std::lock_guard lk(held_mutex_);
    auto& held = held_[code];
    held.key = key;
    held.token = token;
    ++held.uses;
    return true;
}

void Pg_leases::unlock(std::int64_t key)
{
    try {
        Collect_after after{[&] {
            if (db_) collect(*db_);
        }};
        if (db_ && db_->usable()) db_->run("SELECT pg_advisory_unlock($1::int, $2::int)", {lock_class, pg_int(key)});
    } catch (const Store_error&) {  // a lost session has released it already
    }
}

void Pg_leases::release(const std::string& code)
{
    std::lock_guard db_lock(db_mutex_);
    std::optional<Held> done;
    {
        std::lock_guard lk(held_mutex_);
        auto it = held_.find(code);
        if (it == held_.end() || --it->second.uses > 0) return;
        done = it->second;
        held_.erase(it);
    }
    if (done->token != 0 && db_ && db_->backend_pid() == session_) let_go(code, *done);
}

void Pg_leases::let_go(const std::string& code, const Held& held)
{
    try {
        // Let go, not lost: nobody takes it from this node (claim).
        db_->run("UPDATE room_leases SET holder_node = '' WHERE room = $1 AND token = $2", {code, pg_int(held.token)});
    } catch (const Store_error&) {  // a lost session: the row stays as it was, and so does the lock
    }
    unlock(held.key);
}

void Pg_leases::forget(const std::string& code)
{
    std::lock_guard db_lock(db_mutex_);
    std::optional<Held> done;
    {
        std::lock_guard lk(held_mutex_);
        auto it = held_.find(code);
        if (it == held_.end()) return;
        done = it->second;
        held_.erase(it);
    }
    if (done->token != 0 && db_ && db_->backend_pid() == session_) unlock(done->key);
}

void Pg_leases::want(const std::string& code)
{
    std::lock_guard db_lock(db_mutex_);
    auto& db = connection();
    Collect_after after{[&] { collect(db); }};
    db.run("SELECT pg_notify($1, $2)", {wanted_channel, code});
}

int Pg_leases::reclaim()
{
    std::lock_guard db_lock(db_mutex_);
    if (node_.empty()) return 0;
    auto& db = connection();
    Collect_after after{[&] { collect(db); }};
    // Once each: a room whose node comes back but is not where the balancer sends it is not
    // asked for again and again.
    auto asked = db.run("WITH taken AS (UPDATE room_leases SET taken_from = '' WHERE taken_from = $1 RETURNING room) "
                        "SELECT pg_notify($2, room) FROM taken",
                        {node_, wanted_channel});
    return asked.rows();
}

bool Pg_leases::lead_sweeps()
{
    std::lock_guard db_lock(db_mutex_);
    auto& db = connection();
    if (sweeper_ != 0 && sweeper_ == session_) return true;
    if (db.run("SELECT pg_try_advisory_lock($1::int, $2::int)", {lock_class, sweep_lock}).text(0, 0) != "t") return false;
    sweeper_ = session_;
    return true;
}

void Pg_leases::watch(Store::Lease_events events)
{
    const bool stop = !events.wanted && !events.lost;
    if (stop) stop_watching();
    {
        std::lock_guard db_lock(db_mutex_);
        node_ = events.node;
    }
    {
        std::lock_guard lk(events_mutex_);
        events_ = std::move(events);
    }
    if (!stop && !watcher_.joinable()) watcher_ = std::jthread([this](const std::stop_token& st) { watch_loop(st); });
}

void Pg_leases::stop_watching()
{
    if (!watcher_.joinable()) return;
    watcher_.request_stop();
    wake();
    watcher_.join();
}

void Pg_leases::watch_loop(const std::stop_token& stop)
{
    while (!stop.stop_requested()) {
        const int fd = watch_once();
        report();
        if (stop.stop_requested()) break;
        pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {fd, POLLIN, 0}};
        ::poll(fds, fd < 0 ? 1 : 2, fd < 0 ? reconnect_ms : watch_probe_ms);
        std::uint64_t woken = 0;
        const auto read = ::read(wake_fd_, &woken, sizeof woken);
        (void)read;  // nothing to read: the socket woke it
    }
}

int Pg_leases::watch_once()
{
    std::lock_guard db_lock(db_mutex_);
    try {
        auto& db = connection();  // a session found gone: its leases are reported lost
        if (listening_ != session_) {
            db.exec(std::string("LISTEN ") + wanted_channel);
            listening_ = session_;
        }
        if (!db.read_input()) {  // the server ended the session just now
            lose_all();
            session_ = 0;
            return -1;
        }
        collect(db);
        return db.socket();
    } catch (const Store_error&) {
        // No session: no lock is this node's any more, whatever PostgreSQL has noticed yet.
        // (The rooms that commit find the database gone and say so in the log.)
        if (!db_ || !db_->usable() || db_->backend_pid() != session_) {
            lose_all();
            session_ = 0;
        }
        return -1;
    }
}

void Pg_leases::report()
{
    std::vector<std::string> wanted, lost;
    {
        std::lock_guard lk(held_mutex_);
        wanted.swap(wanted_);
        lost.swap(lost_);
    }
    if (wanted.empty() && lost.empty()) return;
    std::lock_guard lk(events_mutex_);
    if (!lost.empty() && events_.lost) events_.lost(lost);
    for (const auto& code : wanted)
        if (events_.wanted && holds(code)) events_.wanted(code);
}

bool Pg_leases::holds(const std::string& code) const
{
    std::lock_guard lk(held_mutex_);
    auto it = held_.find(code);
    return it != held_.end() && it->second.token != 0;
}

std::set<std::string> Pg_leases::fence(Pg_connection& db, const std::set<std::string>& codes)
{
    if (codes.empty()) return {};
    // The row lock first, then this node's tokens: a claim here updates no row this
    // transaction has locked without waiting for its commit.
    auto rows = db.run("WITH held AS MATERIALIZED (SELECT pid, objid FROM pg_locks WHERE locktype = 'advisory' "
                       "AND granted AND classid = $2::bigint::oid AND objsubid = 2) "
                       "SELECT l.room, l.token, h.pid IS NOT NULL FROM room_leases l "
                       "LEFT JOIN held h ON h.pid = l.holder_pid AND h.objid = l.lock_key::bigint::oid "
                       "WHERE l.room = ANY($1::text[]) FOR SHARE OF l",
                       {text_array(codes), lock_class});
    std::set<std::string> refused;
    std::lock_guard lk(held_mutex_);
    for (int i = 0; i < rows.rows(); ++i) {
        auto it = held_.find(rows.text(i, 0));
        const bool alive = rows.text(i, 2) == "t";
        if (it != held_.end() && it->second.token != 0 && alive && it->second.token == rows.integer(i, 1)) continue;
        if (it != held_.end()) it->second.token = 0;  // lost: the room tells its members to go
        refused.insert(rows.text(i, 0));
    }
    return refused;
}

}  // namespace keha::server
