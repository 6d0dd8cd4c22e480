// The stores' one writer thread and its group commit (store_writer.hpp).
#include "store_writer.hpp"

#include <algorithm>
#include <future>
#include <iterator>

#include "appends_coming.hpp"
#include "metrics.hpp"

namespace keha::server {

std::set<std::string> Store_writer::Group::rooms() const
{
    std::set<std::string> rooms;
    for (const Job* job : entries_)
        if (const auto* append = std::get_if<Append_job>(job)) rooms.insert(append->step.code);
    return rooms;
}

void Store_writer::Group::write(const std::function<void(const Append_job&)>& append) const
{
    for (const Job* job : entries_) {
        if (const auto* a = std::get_if<Append_job>(job)) append(*a);
        else std::get<Rows_job>(*job).write();
    }
}

Store_writer::Store_writer(Commit commit) : commit_(std::move(commit))
{
    thread_ = std::thread([this] { loop(); });
}

Store_writer::~Store_writer() { stop(); }

void Store_writer::stop()
{
    {
        std::lock_guard lk(queue_mutex_);
        stop_ = true;
    }
    queue_cv_.notify_all();
    if (thread_.joinable()) thread_.join();  // the writer drains the queue before it stops
}

void Store_writer::enqueue(Job job)
{
    {
        std::lock_guard lk(queue_mutex_);
        queue_.push_back(std::move(job));
        ++queued_;
    }
    queue_cv_.notify_one();
}

void Store_writer::append(Append step, std::vector<Rating_submission> ratings, std::function<void(bool ok)> done)
{
    enqueue(Append_job{std::move(step), std::move(ratings), std::move(done), std::chrono::steady_clock::now()});
}

void Store_writer::write_rows(std::function<void()> write) { enqueue(Rows_job{std::move(write)}); }

void Store_writer::queue_alone(std::function<void()> work) { enqueue(Alone_job{std::move(work)}); }

void Store_writer::accept_appends(const std::string& code)
{
    std::lock_guard lk(refused_mutex_);
    refused_rooms_.erase(code);
}

void Store_writer::flush()
{
    // From a done callback the writer would wait for itself; what it has committed so far
    // is all that can be committed until the callback returns.
    if (std::this_thread::get_id() == thread_.get_id()) return;
    std::unique_lock lk(queue_mutex_);
    auto target = queued_;
    progress_cv_.wait(lk, [&] { return finished_ >= target; });
}

void Store_writer::run_alone(const std::function<void()>& work)
{
    if (std::this_thread::get_id() == thread_.get_id()) return work();
    std::promise<void> finished;
    auto future = finished.get_future();
    queue_alone([&work, &finished] {
        try {
            work();
            finished.set_value();
        } catch (...) {
            finished.set_exception(std::current_exception());
        }
    });
    future.get();
}

void Store_writer::check_writable(std::function<std::string(bool failed_before)> probe,
                                  std::function<void(const std::string& problem)> done)
{
    queue_alone([this, probe = std::move(probe), done = std::move(done)] {
        std::string problem;
        try {
            problem = probe(write_failed_);
        } catch (const std::exception& e) {
            problem = e.what();
        }
        if (problem.empty()) write_failed_ = false;  // the probe committed what it wrote
        done(problem);
    });
}

std::string Store_writer::run_create(const Create& attempt, bool& conflict)
{
    auto error = attempt(conflict);
    if (!conflict) write_failed_ = !error.empty();  // a taken code says nothing about the store
    return error;
}

void Store_writer::create(const Create& attempt)
{
    std::string error;
    bool conflict = false;
    run_alone([&] { error = run_create(attempt, conflict); });
    if (error.empty()) return;
    if (conflict) throw Store_error(error);
    throw Store_unavailable(error);
}

void Store_writer::create_async(Create attempt, std::function<void(const std::string& error)> done)
{
    queue_alone([this, attempt = std::move(attempt), done = std::move(done)] {
        bool conflict = false;
        const auto error = run_create(attempt, conflict);
        done(error);
    });
}

// ---- the thread -------------------------------------------------------------------------

void Store_writer::loop()
{
    std::vector<Job> batch;
    for (;;) {
        take_batch(batch);
        if (batch.empty()) return;  // stopping, and everything is committed
        run_batch(batch);
        {
            std::lock_guard lk(queue_mutex_);
            finished_ += batch.size();
        }
        progress_cv_.notify_all();
        batch.clear();
    }
}

void Store_writer::take_batch(std::vector<Job>& batch)
{
    std::unique_lock lk(queue_mutex_);
    queue_cv_.wait(lk, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;
    // While rooms are applying commands, their appends join this commit: a bounded wait,
    // re-checked as each append arrives and every 100 µs.
    const auto until = std::chrono::steady_clock::now() + max_commit_delay;
    while (!stop_ && appends_coming.load() > 0 && std::chrono::steady_clock::now() < until)
        queue_cv_.wait_for(lk, std::chrono::microseconds(100));
    batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
    queue_.clear();
}

void Store_writer::run_batch(std::vector<Job>& batch)
{
    // Runs of appends and rows share one transaction; work alone runs between them.
    const auto alone = [](const Job& job) { return std::holds_alternative<Alone_job>(job); };
    for (auto it = batch.begin(); it != batch.end();) {
        if (auto* work = std::get_if<Alone_job>(&*it)) {
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

void Store_writer::run_group(std::vector<Job>::iterator first, std::vector<Job>::iterator last)
{
    // Appends of a room that has a failed append behind it are not written at all: each op's
    // patch builds on the one before, so the log must not get a gap.
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
    bool ok = true;
    const auto fenced = written.empty() ? std::set<std::string>() : commit_group(written, ok);
    {
        std::lock_guard lk(refused_mutex_);
        for (Job* job : written)
            if (auto* append = std::get_if<Append_job>(job); append && (!ok || fenced.count(append->step.code)))
                refused_rooms_.insert(append->step.code);
    }
    for (std::size_t i = 0; first != last; ++first, ++i) {
        auto* append = std::get_if<Append_job>(&*first);
        if (!append || !append->done) continue;
        // A throwing callback must not take the writer, and every later append, down.
        try {
            append->done(ok && !refused[i] && !fenced.count(append->step.code));
        } catch (...) {
        }
    }
}

std::set<std::string> Store_writer::commit_group(const std::vector<Job*>& written, bool& ok)
{
    Group group;
    group.entries_.assign(written.begin(), written.end());
    std::set<std::string> fenced;
    try {
        fenced = commit_(group);
    } catch (...) {
        ok = false;  // rolled back
        write_failed_ = true;
        return {};
    }
    write_failed_ = false;
    const auto committed = std::chrono::steady_clock::now();
    for (Job* job : written)
        if (auto* append = std::get_if<Append_job>(job)) metrics().oplog_commit.observe(committed - append->queued_at);
    return fenced;
}

// ---- Batched_store ------------------------------------------------------------------------

void Batched_store::start_writer(Store_writer::Commit commit) { writer_ = std::make_unique<Store_writer>(std::move(commit)); }

void Batched_store::stop_writer()
{
    if (writer_) writer_->stop();
}

Store_writer& Batched_store::writer()
{
    if (!writer_) throw Store_error(name_for_messages() + " is open to read only");
    return *writer_;
}

void Batched_store::append(Append step, std::vector<Rating_submission> answers, std::function<void(bool ok)> done)
{
    writer().append(std::move(step), std::move(answers), std::move(done));
}

void Batched_store::accept_appends(const std::string& code)
{
    if (writer_) writer_->accept_appends(code);
}

void Batched_store::flush()
{
    if (writer_) writer_->flush();
}

std::uint64_t Batched_store::commits() const { return writer_ ? writer_->commits() : 0; }

}  // namespace keha::server
