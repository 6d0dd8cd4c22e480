#pragma once
// The stores' one writer (store.hpp, "appends (group commit)"): a thread that takes everything
// queued meanwhile and writes the appends and rows of it in one transaction, reporting each
// append only after that COMMIT. Both Sqlite_store and Pg_store use it; a backend gives only
// how to commit one group (and runs its other transactions as work "alone", between groups).
// Here, the same for both: the queue, the short wait for appends coming (appends_coming.hpp),
// the rooms whose appends are refused after a failure, flush and run_alone, the commit count
// and whether the last write failed (for check_writable).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "store.hpp"

namespace keha::server {

class Store_writer {
public:
    // An op, with what is durable with it (a snapshot, a token, questionnaire answers).
    struct Append_job {
        Append step;
        std::vector<Rating_submission> ratings;
        std::function<void(bool ok)> done;
        std::chrono::steady_clock::time_point queued_at{};  // for the commit latency (metrics.hpp)
    };
    // More rows written in the appends' transaction (an access-log row, an erasure); throwing
    // fails that transaction like any failed append.
    struct Rows_job {
        std::function<void()> write;
    };
    // Work that runs its own transactions between groups (queue_alone).
    struct Alone_job {
        std::function<void()> work;
    };
    using Job = std::variant<Append_job, Rows_job, Alone_job>;
    // What one transaction writes, in call order: appends and rows jobs.
    class Group {
    public:
        // The rooms whose appends are in it.
        std::set<std::string> rooms() const;
        // Runs the rows jobs and hands each append to `append`, in order.
        void write(const std::function<void(const Append_job&)>& append) const;

    private:
        friend class Store_writer;
        std::vector<const Job*> entries_;
    };
    // The backend's part: writes `group` in one transaction and commits it, or rolls it back
    // and throws. Returns the rooms whose appends it did not write because another node holds
    // their lease: those fail as if the transaction had.
    using Commit = std::function<std::set<std::string>(const Group& group)>;

    explicit Store_writer(Commit commit);
    ~Store_writer();  // stop()
    Store_writer(const Store_writer&) = delete;
    Store_writer& operator=(const Store_writer&) = delete;
    // Commits what is queued and ends the thread; later calls do nothing.
    void stop();

    void append(Append step, std::vector<Rating_submission> ratings, std::function<void(bool ok)> done);
    void write_rows(std::function<void()> write);
    void accept_appends(const std::string& code);
    // Runs `work` on the writer thread after everything queued so far, between transactions:
    // it runs its own and reports its own outcome (a throw is swallowed).
    void queue_alone(std::function<void()> work);
    // The same, waiting for it and throwing what it threw; from the writer thread, at once.
    void run_alone(const std::function<void()>& work);
    // Blocks until everything queued so far is done; from the writer thread it returns at once.
    void flush();
    // A room or a process created in a transaction of its own, so that a taken code cannot fail
    // other rooms' appends: `attempt(conflict)` returns the error (empty when created) and sets
    // `conflict` when the id exists. create waits, and throws Store_error when the id exists,
    // Store_unavailable when the write failed; create_async hands `done` the error.
    using Create = std::function<std::string(bool& conflict)>;
    void create(const Create& attempt);
    void create_async(Create attempt, std::function<void(const std::string& error)> done);

    // Health. After everything queued: `probe(failed_before)` tries a write (committing it when a
    // write failed before) and returns the problem, or nothing; `done` gets that problem.
    void check_writable(std::function<std::string(bool failed_before)> probe,
                        std::function<void(const std::string& problem)> done);
    // Transactions committed (Store::commits): each backend counts its own as it commits them.
    std::uint64_t commits() const { return commits_.load(std::memory_order_relaxed); }
    void count_commit() { commits_.fetch_add(1, std::memory_order_relaxed); }

private:
    void enqueue(Job job);
    void loop();
    void take_batch(std::vector<Job>& batch);
    void run_batch(std::vector<Job>& batch);
    void run_group(std::vector<Job>::iterator first, std::vector<Job>::iterator last);
    std::set<std::string> commit_group(const std::vector<Job*>& written, bool& ok);
    std::string run_create(const Create& attempt, bool& conflict);

    Commit commit_;
    bool write_failed_ = false;  // writer thread only: the last write failed
    std::atomic<std::uint64_t> commits_{0};

    std::mutex queue_mutex_;
    std::condition_variable queue_cv_;     // work arrived, or stop
    std::condition_variable progress_cv_;  // a batch finished
    std::deque<Job> queue_;
    std::uint64_t queued_ = 0;    // jobs ever queued
    std::uint64_t finished_ = 0;  // jobs whose callbacks have run
    bool stop_ = false;
    std::mutex refused_mutex_;
    std::set<std::string> refused_rooms_;  // rooms whose appends fail until accept_appends
    std::thread thread_;
};

// A Store whose writes all go through one Store_writer (Sqlite_store, Pg_store): the Store
// calls that only queue for the writer or wait on it, once for both. A store opened to read
// only has no writer: then a write throws Store_error and flush has nothing to wait for.
class Batched_store : public Store {
public:
    using Store::append;
    void append(Append step, std::vector<Rating_submission> answers, std::function<void(bool ok)> done) final;
    void accept_appends(const std::string& code) final;
    void flush() final;
    std::uint64_t commits() const final;

protected:
    Batched_store() = default;
    // Last in the backend's constructor, once it can commit.
    void start_writer(Store_writer::Commit commit);
    // First in the backend's destructor, while it can still commit what is queued.
    void stop_writer();
    // Throws Store_error naming the store as open to read only when it has no writer.
    Store_writer& writer();
    // "the database '…'", for that message.
    virtual std::string name_for_messages() const = 0;

private:
    std::unique_ptr<Store_writer> writer_;
};

}  // namespace keha::server
