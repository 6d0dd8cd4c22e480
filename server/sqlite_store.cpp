// The SQLite store's writer (one thread, group commit) and its room reads.
#include "sqlite_store.hpp"

#include <algorithm>
#include <future>
#include <iterator>
#include <limits>

#include "appends_coming.hpp"
#include "metrics.hpp"

namespace keha::server {

// ---- the writer ---------------------------------------------------------------------------

void Sqlite_store::enqueue(Job job)
{
    if (read_only_) throw Store_error("the database '" + path_ + "' is open to read only");
    {
        std::lock_guard lk(queue_mutex_);
        queue_.push_back(std::move(job));
        ++queued_;
    }
    queue_cv_.notify_one();
}

std::unique_lock<std::mutex> Sqlite_store::lock_if_shared()
{
    return shared_connection_ ? std::unique_lock(read_mutex_) : std::unique_lock<std::mutex>();
}

void Sqlite_store::append(Append step, std::vector<Rating_submission> answers, std::function<void(bool ok)> done)
{
    enqueue(Append_job{std::move(step), std::move(answers), std::move(done), std::chrono::steady_clock::now()});
}

void Sqlite_store::accept_appends(const std::string& code)
{
    std::lock_guard lk(refused_mutex_);
    refused_rooms_.erase(code);
}

void Sqlite_store::flush()
{
    // From a done callback the writer would wait for itself; what it has committed so far
    // is all that can be committed until the callback returns.
    if (std::this_thread::get_id() == writer_.get_id()) return;
    std::unique_lock lk(queue_mutex_);
    auto target = queued_;
    progress_cv_.wait(lk, [&] { return finished_ >= target; });
}

std::uint64_t Sqlite_store::commits() const { return commits_.load(std::memory_order_relaxed); }

void Sqlite_store::run_alone(std::function<void()> work)
{
    if (std::this_thread::get_id() == writer_.get_id()) return work();
    std::promise<void> finished;
    auto future = finished.get_future();
    enqueue(Alone_job{[&work, &finished] {
        try {
            work();
            finished.set_value();
        } catch (...) {
            finished.set_exception(std::current_exception());
        }
    }});
    future.get();
}

void Sqlite_store::writer_loop()
{
    std::vector<Job> batch;
    for (;;) {
        {
            std::unique_lock lk(queue_mutex_);
            queue_cv_.wait(lk, [&] { return stop_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and everything is committed
            // While rooms are applying commands, their appends join this commit: a bounded
            // wait, re-checked as each append arrives and every 100 µs.
            const auto until = std::chrono::steady_clock::now() + max_commit_delay;
            while (!stop_ && appends_coming.load() > 0 && std::chrono::steady_clock::now() < until)
                queue_cv_.wait_for(lk, std::chrono::microseconds(100));
            batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
            queue_.clear();
        }
        run_batch(batch);
        {
            std::lock_guard lk(queue_mutex_);
            finished_ += batch.size();
        }
        progress_cv_.notify_all();
        batch.clear();
    }
}

void Sqlite_store::run_batch(std::vector<Job>& batch)
{
    // Runs of appends and rows share one transaction; the other jobs run one by one between.
    const auto alone = [](const Job& job) {
        return std::holds_alternative<Create_job>(job) || std::holds_alternative<Alone_job>(job);
    };
    for (auto it = batch.begin(); it != batch.end();) {
        if (auto* create = std::get_if<Create_job>(&*it)) {
            run_create(*create);
            ++it;
        } else if (auto* work = std::get_if<Alone_job>(&*it)) {
            // Like a done callback, it must not take the writer down.
            try {
                work->work();
            } catch (...) {
            }
            ++it;
        } else {
            auto last = std::find_if(it, batch.end(), alone);
            run_group(it, last);
            it = last;
        }
    }
}

void Sqlite_store::run_group(std::vector<Job>::iterator first, std::vector<Job>::iterator last)
{
    // Appends of a room that has a failed append behind it are not written at all.
    std::vector<Job*> written;
    std::vector<bool> refused;
    {
        std::lock_guard lk(refused_mutex_);
        for (auto job = first; job != last; ++job) {
            auto* append = std::get_if<Append_job>(&*job);
            refused.push_back(append && refused_rooms_.count(append->step.code) > 0);
            if (!refused.back()) written.push_back(&*job);
        }
    }
    const bool ok = written.empty() || commit_group(written);
    if (!written.empty()) write_failed_ = !ok;
    if (!ok) {
        std::lock_guard lk(refused_mutex_);
        for (Job* job : written)
            if (auto* append = std::get_if<Append_job>(job)) refused_rooms_.insert(append->step.code);
    }
    for (std::size_t i = 0; first != last; ++first, ++i) {
        auto* append = std::get_if<Append_job>(&*first);
        if (!append || !append->done) continue;
        // A throwing callback must not take the writer, and every later append, down.
        try {
            append->done(ok && !refused[i]);
        } catch (...) {
        }
    }
}

bool Sqlite_store::commit_group(const std::vector<Job*>& jobs)
{
    auto lock = lock_if_shared();
    try {
        Write_transaction transaction(write_db_);
        for (Job* job : jobs) {
            if (auto* append = std::get_if<Append_job>(job)) write_append(*append);
            else std::get<Rows_job>(*job).write();
        }
        transaction.commit();
    } catch (const std::exception&) {
        return false;  // rolled back
    }
    commits_.fetch_add(1, std::memory_order_relaxed);
    const auto committed = std::chrono::steady_clock::now();
    for (Job* job : jobs)
        if (auto* append = std::get_if<Append_job>(job)) metrics().oplog_commit.observe(committed - append->queued_at);
    if (checkpoint_due_) {
        checkpoint_due_ = false;
        checkpoint();
    }
    return true;
}

void Sqlite_store::write_append(const Append_job& job)
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
}

// ---- creating rooms and processes ---------------------------------------------------------

void Sqlite_store::create(const Room_to_create& r)
{
    const auto& room = r.room;
    const auto process = room.process.empty() ? std::nullopt : std::optional(room.process);
    writes_->insert_room
        .bind(room.code, room.facilitator_key_hash, room.screen_key_hash, room.created_at_ms, process)
        .run();
    writes_->insert_snapshot.bind(room.code, std::uint64_t{0}, r.initial_state).run();
}

void Sqlite_store::create(const Process_record& p)
{
    Statement(write_db_, "INSERT INTO processes (id, title, teams, key_hash, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(p.id, p.title, p.teams, p.key_hash, p.created_at_ms)
        .run();
}

void Sqlite_store::run_create(Create_job& job)
{
    const auto* room = std::get_if<Room_to_create>(&job.what);
    const std::string what = room ? "room " + room->room.code : "process " + std::get<Process_record>(job.what).id;
    std::string error;
    bool conflict = false;
    {
        auto lock = lock_if_shared();
        try {
            Write_transaction transaction(write_db_);
            try {
                std::visit([this](const auto& record) { create(record); }, job.what);
            } catch (const Store_error&) {
                conflict = sqlite3_extended_errcode(write_db_) == SQLITE_CONSTRAINT_PRIMARYKEY;
                throw;
            }
            transaction.commit();
            commits_.fetch_add(1, std::memory_order_relaxed);
        } catch (const std::exception& e) {
            error = conflict ? what + " already exists" : "cannot create the " + what + ": " + e.what();
        }
    }
    // A taken code says nothing about whether the store can write.
    if (!conflict) write_failed_ = !error.empty();
    if (job.done) job.done(error, conflict);
}

namespace {

// Waits for the writer's answer to a creation; throws as create_room and create_process say.
void throw_unless_created(const std::string& error, bool conflict)
{
    if (error.empty()) return;
    if (conflict) throw Store_error(error);
    throw Store_unavailable(error);
}

}  // namespace

void Sqlite_store::create_room(const Room_record& room, const std::string& initial_state)
{
    Create_job job{Room_to_create{room, initial_state}, {}};
    std::string error;
    bool conflict = false;
    job.done = [&](const std::string& e, bool c) { std::tie(error, conflict) = std::pair(e, c); };
    if (std::this_thread::get_id() == writer_.get_id()) {
        run_create(job);  // from a done callback: the writer is between transactions
    } else {
        std::promise<void> created;
        auto answer = created.get_future();
        job.done = [&](const std::string& e, bool c) {
            std::tie(error, conflict) = std::pair(e, c);
            created.set_value();
        };
        enqueue(std::move(job));
        answer.get();
    }
    throw_unless_created(error, conflict);
}

void Sqlite_store::create_room_async(const Room_record& room, const std::string& initial_state,
                                     std::function<void(const std::string& error)> done)
{
    enqueue(Create_job{Room_to_create{room, initial_state},
                       [done = std::move(done)](const std::string& error, bool) { done(error); }});
}

void Sqlite_store::create_process(const Process_record& process)
{
    std::promise<std::pair<std::string, bool>> result;
    auto answer = result.get_future();
    enqueue(Create_job{process, [&result](const std::string& e, bool c) { result.set_value({e, c}); }});
    auto [error, conflict] = answer.get();
    throw_unless_created(error, conflict);
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
