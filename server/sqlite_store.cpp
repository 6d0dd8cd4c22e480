// The SQLite store's part of the writer (store_writer.hpp: one transaction a group), its
// creations and its room reads.
#include "sqlite_store.hpp"

#include <limits>

namespace keha::server {

// ---- the writer's part ---------------------------------------------------------------------

std::unique_lock<std::mutex> Sqlite_store::lock_if_shared()
{
    return shared_connection_ ? std::unique_lock(read_mutex_) : std::unique_lock<std::mutex>();
}

std::set<std::string> Sqlite_store::commit_group(const Store_writer::Group& group)
{
    auto lock = lock_if_shared();
    Write_transaction transaction(writes_->transaction);  // rolled back when a write throws
    group.write([this](const Store_writer::Append_job& job) { write_append(job); });
    transaction.commit();
    writer().count_commit();
    if (checkpoint_due_) {
        checkpoint_due_ = false;
        checkpoint();
    }
    return {};  // one node: every room is this one's
}

void Sqlite_store::write_append(const Store_writer::Append_job& job)
{
    const Append& a = job.step;
    auto& w = *writes_;
    w.insert_op.bind(a.code, a.op.seq, a.op.by, a.op.cmd, a.op.patch, a.op.at_ms).run();
    if (a.snapshot) {
        w.insert_snapshot.bind(a.code, a.op.seq, *a.snapshot).run();
        w.prune_snapshots.bind(a.code, a.op.seq).run();
    }
    if (a.token) w.upsert_token.bind(a.code, a.token->first, a.token->second).run();
    for (const auto& answer : job.ratings) write_rating(answer);
    for (const auto& v : a.poll_values) w.insert_poll_value.bind(a.code, v.poll, v.value).run();
}

// ---- creating rooms and processes ---------------------------------------------------------

void Sqlite_store::insert_room(const Room_record& room, const std::string& initial_state)
{
    const auto process = room.process.empty() ? std::nullopt : std::optional(room.process);
    writes_->insert_room
        .bind(room.code, room.facilitator_key_hash, room.screen_key_hash, room.created_at_ms, process)
        .run();
    writes_->insert_snapshot.bind(room.code, std::uint64_t{0}, initial_state).run();
}

std::string Sqlite_store::run_create(const std::string& what, const std::function<void()>& insert, bool& conflict)
{
    auto lock = lock_if_shared();
    try {
        Write_transaction transaction(writes_->transaction);
        try {
            insert();
        } catch (const Store_error&) {
            conflict = sqlite3_extended_errcode(write_db_) == SQLITE_CONSTRAINT_PRIMARYKEY;
            throw;
        }
        transaction.commit();
        writer().count_commit();
    } catch (const std::exception& e) {
        return conflict ? what + " already exists" : "cannot create the " + what + ": " + e.what();
    }
    return {};
}

void Sqlite_store::create_room(const Room_record& room, const std::string& initial_state)
{
    writer().create([&](bool& conflict) {
        return run_create("room " + room.code, [&] { insert_room(room, initial_state); }, conflict);
    });
}

void Sqlite_store::create_room_async(const Room_record& room, const std::string& initial_state,
                                     std::function<void(const std::string& error)> done)
{
    writer().create_async(
        [this, room, initial_state](bool& conflict) {
            return run_create("room " + room.code, [&] { insert_room(room, initial_state); }, conflict);
        },
        std::move(done));
}

void Sqlite_store::create_process(const Process_record& p)
{
    writer().create([&](bool& conflict) {
        return run_create("process " + p.id, [&] {
            Statement(write_db_, "INSERT INTO processes (id, title, teams, key_hash, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)")
                .bind(p.id, p.title, p.teams, p.key_hash, p.created_at_ms)
                .run();
        }, conflict);
    });
}

// ---- room reads -----------------------------------------------------------------------------

namespace {

Room_record room_of(const Bound& row)
{
    return {row.text(0), row.text(1), row.text(2), row.integer(3), row.text(4)};
}

std::vector<Op_record> ops_of(Bound rows)
{
    std::vector<Op_record> ops;
    while (rows.step()) ops.push_back({rows.seq(0), rows.text(1), rows.text(2), rows.text(3), rows.integer(4)});
    return ops;
}

}  // namespace

std::optional<Room_record> Sqlite_store::find_room(const std::string& code)
{
    std::lock_guard lk(read_mutex_);
    auto row = reads_->select_room.bind(code);
    if (!row.step()) return std::nullopt;
    return room_of(row);
}

std::optional<Loaded_room> Sqlite_store::load_room(const std::string& code)
{
    std::lock_guard lk(read_mutex_);
    // One read transaction, so the snapshot, the ops after it and the tokens agree.
    Read_transaction transaction(read_db_);
    Loaded_room loaded;
    {
        auto row = reads_->select_room.bind(code);
        if (!row.step()) return std::nullopt;
        loaded.room = room_of(row);
    }
    {
        auto row = reads_->select_snapshot.bind(code);
        if (!row.step())
            throw Store_error("room " + code + " has no stored state; the database is damaged, restore it from a backup");
        loaded.snapshot_seq = row.seq(0);
        loaded.snapshot = row.text(1);
    }
    loaded.ops = ops_of(reads_->select_ops.bind(code, loaded.snapshot_seq, std::numeric_limits<std::uint64_t>::max()));
    auto tokens = reads_->select_tokens.bind(code);
    while (tokens.step()) loaded.token_hashes.emplace(tokens.text(0), tokens.text(1));
    loaded.op_bytes = op_bytes(code);
    return loaded;
}

std::map<std::string, std::uint64_t> Sqlite_store::op_bytes(const std::string& code)
{
    std::map<std::string, std::uint64_t> out;
    auto rows = reads_->op_bytes.bind(code);
    while (rows.step()) out[rows.text(0)] = rows.seq(1);
    return out;
}

std::vector<std::string> Sqlite_store::room_codes()
{
    std::lock_guard lk(read_mutex_);
    Statement st(read_db_, "SELECT code FROM rooms ORDER BY code");
    auto rows = st.bind();
    std::vector<std::string> codes;
    while (rows.step()) codes.push_back(rows.text(0));
    return codes;
}

std::vector<Op_record> Sqlite_store::ops_between(const std::string& code, std::uint64_t after, std::uint64_t upto)
{
    if (upto <= after) return {};
    std::lock_guard lk(read_mutex_);
    return ops_of(reads_->select_ops.bind(code, after, upto));
}

}  // namespace keha::server
