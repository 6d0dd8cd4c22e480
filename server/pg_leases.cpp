#include "pg_leases.hpp"

#include <optional>
#include <utility>

#include "pg_connection.hpp"

namespace keha::server {

namespace {

// The advisory locks' first number, Kehä's alone ("keha" in ASCII, as the migration lock's
// single number; the two-number locks never meet that one). The second is the room's key.
constexpr const char* lock_class = "1801807969";

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
    )sql";
}

Pg_leases::Pg_leases(std::string dsn) : dsn_(std::move(dsn)) {}

Pg_leases::~Pg_leases() = default;

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
        std::lock_guard lk(held_mutex_);
        for (auto& [code, held] : held_) held.token = 0;
        session_ = db_->backend_pid();
    }
    return *db_;
}

bool Pg_leases::claim(const std::string& code)
{
    std::lock_guard db_lock(db_mutex_);
    auto& db = connection();
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
        auto updated = db.run("UPDATE room_leases SET token = token + 1, holder_pid = pg_backend_pid() "
                              "WHERE room = $1 RETURNING token",
                              {code});
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
    if (done->token != 0 && db_ && db_->backend_pid() == session_) unlock(done->key);
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
