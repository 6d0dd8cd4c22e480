#include "pg_store.hpp"

#include <limits>
#include <utility>

#include "metrics.hpp"
#include "pg_connection.hpp"
#include "pg_leases.hpp"
#include "pg_schema.hpp"

namespace keha::server {

namespace {

// The rooms row's columns, in Room_record's order.
constexpr const char* room_columns = "code, facilitator_key_hash, screen_key_hash, created_at_ms, coalesce(process, '')";

Room_record room_at(const Pg_result& r, int row)
{
    return {r.text(row, 0), r.text(row, 1), r.text(row, 2), r.integer(row, 3), r.text(row, 4)};
}

std::vector<Op_record> ops_in(const Pg_result& r)
{
    std::vector<Op_record> ops;
    ops.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i)
        ops.push_back({static_cast<std::uint64_t>(r.integer(i, 0)), r.text(i, 1), r.text(i, 2), r.text(i, 3),
                       r.integer(i, 4)});
    return ops;
}

constexpr const char* select_ops =
    "SELECT seq, by_pid, cmd, patch, at_ms FROM ops WHERE room = $1 AND seq > $2 AND seq <= $3 ORDER BY seq";

}  // namespace

Pg_store::Pg_store(const std::string& dsn) : dsn_(dsn), shown_(without_password(dsn))
{
    write_db_ = std::make_unique<Pg_connection>(dsn_);
    pg_migrate(*write_db_, shown_, schema_version);
    leases_ = std::make_unique<Pg_leases>(dsn_);
    read_db_ = std::make_unique<Pg_connection>(dsn_);
    start_writer([this](const Store_writer::Group& group) { return commit_group(group); });
}

Pg_store::Pg_store(const std::string& dsn, Read_only) : dsn_(dsn), shown_(without_password(dsn)), read_only_(true)
{
    read_db_ = std::make_unique<Pg_connection>(dsn_);
    pg_require_version(*read_db_, shown_, schema_version);
}

Pg_store::~Pg_store()
{
    stop_writer();  // it commits what is queued first
}

// ---- the writer's part ----------------------------------------------------------------------

std::set<std::string> Pg_store::commit_group(const Store_writer::Group& group)
{
    std::set<std::string> fenced;
    write_transaction([&](Pg_connection& db) {
        // First, so the lease rows stay locked until the COMMIT (pg_leases.hpp).
        fenced = leases_->fence(db, group.rooms());
        group.write([&](const Store_writer::Append_job& append) {
            if (!fenced.count(append.step.code)) write_append(db, append);
        });
    });
    if (!vacuum_due_.empty()) vacuum(std::exchange(vacuum_due_, {}).c_str());
    return fenced;
}

// Queued: a batch's appends reach the database together with its COMMIT.
void Pg_store::write_append(Pg_connection& db, const Store_writer::Append_job& job)
{
    const Append& a = job.step;
    db.queue("INSERT INTO ops (room, seq, by_pid, cmd, patch, at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
           {a.code, pg_seq(a.op.seq), a.op.by, a.op.cmd, a.op.patch, pg_int(a.op.at_ms)});
    if (a.snapshot) {
        db.queue("INSERT INTO snapshots (room, seq, state) VALUES ($1, $2, $3)", {a.code, pg_seq(a.op.seq), *a.snapshot});
        // Seq 0 stays: it is the room as created, which a full replay starts from. So does one
        // snapshot every 1000 ops, so the state at any seq (history) is at most ~1000 ops away.
        db.queue("DELETE FROM snapshots WHERE room = $1 AND seq > 0 AND seq < $2 AND seq % 1000 != 0",
               {a.code, pg_seq(a.op.seq)});
    }
    if (a.token)
        db.queue("INSERT INTO tokens (room, pid, token_hash) VALUES ($1, $2, $3) "
               "ON CONFLICT (room, pid) DO UPDATE SET token_hash = excluded.token_hash",
               {a.code, a.token->first, a.token->second});
    if (!job.ratings.empty()) write_ratings(db, a.code, job.ratings);
    if (!a.poll_values.empty()) write_poll_values(db, a.code, a.poll_values);
}

Pg_connection& Pg_store::write_connection()
{
    if (!write_db_) write_db_ = std::make_unique<Pg_connection>(dsn_);
    else if (!write_db_->usable()) write_db_->recover();
    return *write_db_;
}

void Pg_store::write_transaction(const std::function<void(Pg_connection&)>& work)
{
    auto& db = write_connection();
    db.begin("BEGIN");
    try {
        work(db);
        db.commit();
    } catch (...) {
        try {
            db.recover();
        } catch (...) {  // the next write opens it again
        }
        throw;
    }
    writer().count_commit();
}

// ---- rooms ------------------------------------------------------------------------------

bool Pg_store::claim_room(const std::string& code)
{
    if (read_only_) return true;
    return leases_->claim(code);
}

void Pg_store::release_room(const std::string& code)
{
    // Behind the room's last appends, so they are committed under the lease.
    if (!read_only_) writer().queue_alone([this, code] { leases_->release(code); });
}

bool Pg_store::holds_room(const std::string& code) const { return read_only_ || leases_->holds(code); }
void Pg_store::watch_leases(Lease_events events) { if (!read_only_) leases_->watch(std::move(events)); }
void Pg_store::want_room(const std::string& code) { if (!read_only_) leases_->want(code); }
void Pg_store::reclaim_rooms() { if (!read_only_) leases_->reclaim(); }
bool Pg_store::lead_sweeps() { return read_only_ || leases_->lead_sweeps(); }

std::string Pg_store::run_create_room(const Room_record& r, const std::string& initial_state, bool& conflict)
{
    try {
        write_transaction([&](Pg_connection& db) {
            db.run("INSERT INTO rooms (code, facilitator_key_hash, screen_key_hash, created_at_ms, process) "
                   "VALUES ($1, $2, $3, $4, $5)",
                   {r.code, r.facilitator_key_hash, r.screen_key_hash, pg_int(r.created_at_ms),
                    r.process.empty() ? Pg_param() : Pg_param(r.process)});
            db.run("INSERT INTO snapshots (room, seq, state) VALUES ($1, 0, $2)", {r.code, initial_state});
        });
    } catch (const Store_error& e) {
        conflict = write_db_ && write_db_->last_state() == "23505";  // unique_violation
        return conflict ? "room " + r.code + " already exists" : std::string("cannot create the room: ") + e.what();
    }
    return {};
}

void Pg_store::create_room(const Room_record& room, const std::string& initial_state)
{
    writer().create([&](bool& conflict) { return run_create_room(room, initial_state, conflict); });
}

void Pg_store::create_room_async(const Room_record& room, const std::string& initial_state,
                                 std::function<void(const std::string& error)> done)
{
    writer().create_async(
        [this, room, initial_state](bool& conflict) { return run_create_room(room, initial_state, conflict); },
        std::move(done));
}

// ---- reads ------------------------------------------------------------------------------

void Pg_store::read(const std::function<void(Pg_connection&)>& work) const
{
    std::lock_guard lk(read_mutex_);
    if (!read_db_) read_db_ = std::make_unique<Pg_connection>(dsn_);
    else if (!read_db_->usable()) read_db_->recover();
    auto& db = *read_db_;
    // One moment of the database for every statement of the read (a room's snapshot, the ops
    // after it and its tokens agree).
    db.begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
        work(db);
        db.commit();
    } catch (...) {
        try {
            db.recover();
        } catch (...) {  // the next read opens it again
        }
        throw;
    }
}

std::optional<Room_record> Pg_store::find_room(const std::string& code)
{
    std::optional<Room_record> found;
    read([&](Pg_connection& db) {
        auto r = db.run((std::string("SELECT ") + room_columns + " FROM rooms WHERE code = $1").c_str(), {code});
        if (r.rows() == 1) found = room_at(r, 0);
    });
    return found;
}

std::optional<Loaded_room> Pg_store::load_room(const std::string& code)
{
    std::optional<Loaded_room> loaded;
    read([&](Pg_connection& db) {
        auto room = db.run((std::string("SELECT ") + room_columns + " FROM rooms WHERE code = $1").c_str(), {code});
        if (room.rows() != 1) return;
        Loaded_room out;
        out.room = room_at(room, 0);
        auto snapshot = db.run("SELECT seq, state FROM snapshots WHERE room = $1 ORDER BY seq DESC LIMIT 1", {code});
        if (snapshot.rows() != 1)
            throw Store_error("room " + code + " has no stored state; the database is damaged, restore it from a backup");
        out.snapshot_seq = static_cast<std::uint64_t>(snapshot.integer(0, 0));
        out.snapshot = snapshot.text(0, 1);
        out.ops = ops_in(db.run(select_ops, {code, pg_seq(out.snapshot_seq), pg_seq(std::numeric_limits<std::uint64_t>::max())}));
        auto tokens = db.run("SELECT pid, token_hash FROM tokens WHERE room = $1", {code});
        for (int i = 0; i < tokens.rows(); ++i) out.token_hashes.emplace(tokens.text(i, 0), tokens.text(i, 1));
        auto bytes = db.run("SELECT by_pid, sum(octet_length(patch)) FROM ops WHERE room = $1 GROUP BY by_pid", {code});
        for (int i = 0; i < bytes.rows(); ++i) out.op_bytes[bytes.text(i, 0)] = static_cast<std::uint64_t>(bytes.integer(i, 1));
        loaded = std::move(out);
    });
    return loaded;
}

std::vector<std::string> Pg_store::room_codes()
{
    std::vector<std::string> codes;
    read([&](Pg_connection& db) {
        auto r = db.run("SELECT code FROM rooms ORDER BY code COLLATE \"C\"");
        for (int i = 0; i < r.rows(); ++i) codes.push_back(r.text(i, 0));
    });
    return codes;
}

std::vector<Snapshot_record> Pg_store::snapshots(const std::string& code)
{
    std::vector<Snapshot_record> out;
    read([&](Pg_connection& db) {
        auto r = db.run("SELECT seq, state FROM snapshots WHERE room = $1 ORDER BY seq", {code});
        for (int i = 0; i < r.rows(); ++i) out.push_back({static_cast<std::uint64_t>(r.integer(i, 0)), r.text(i, 1)});
    });
    return out;
}

std::vector<Op_record> Pg_store::ops_between(const std::string& code, std::uint64_t after, std::uint64_t upto)
{
    if (upto <= after) return {};
    std::vector<Op_record> ops;
    read([&](Pg_connection& db) { ops = ops_in(db.run(select_ops, {code, pg_seq(after), pg_seq(upto)})); });
    return ops;
}

}  // namespace keha::server
