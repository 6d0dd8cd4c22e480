#pragma once
// The SQLite store (store.hpp): one file, WAL, a versioned schema, one writer thread that
// batches the appends of all rooms into one transaction (group commit) and reports each append
// only after its commit; reads on a connection of their own.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

#include "store.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace keha::server {

class Sqlite_store final : public Store {
public:
    static constexpr int schema_version = 4;

    // Opens or creates the file (":memory:" works too), migrates forward; throws Store_error
    // with a message a person can act on (e.g. a newer schema than this program knows).
    explicit Sqlite_store(const std::string& path);
    // Opens an existing file to read only, never writing to it (keha-server check, on a live
    // store or a backup copy): the reads below work, anything that writes throws Store_error.
    // Throws Store_error when the file is missing, not a Kehä database, or of another schema
    // version than this program's (an older one is migrated by starting keha-server on it).
    struct Read_only {};
    Sqlite_store(const std::string& path, Read_only);
    ~Sqlite_store() override;  // commits pending appends
    Sqlite_store(const Sqlite_store&) = delete;
    Sqlite_store& operator=(const Sqlite_store&) = delete;

    // The Store interface (store.hpp).
    void create_room(const Room_record& room, const std::string& initial_state) override;
    void create_room_async(const Room_record& room, const std::string& initial_state,
                           std::function<void(const std::string& error)> done) override;
    std::optional<Room_record> find_room(const std::string& code) override;
    std::optional<Loaded_room> load_room(const std::string& code) override;
    std::vector<std::string> room_codes() override;
    std::vector<Op_record> ops_between(const std::string& code, std::uint64_t after, std::uint64_t upto) override;
    std::vector<Snapshot_record> snapshots(const std::string& code) override;
    using Store::append;
    void append(Append step, std::vector<Rating_submission> answers, std::function<void(bool ok)> done) override;
    void accept_appends(const std::string& code) override;
    void flush() override;
    std::uint64_t commits() const override;
    // sqlite_store_health.cpp: the writer takes the write lock for a moment and changes the file
    // in a transaction it rolls back (no sync); after a failed commit it commits that change.
    void check_writable(std::function<void(const std::string& problem)> done) override;
    File_sizes file_sizes() const override;  // the database file and its write-ahead log
    // sqlite_store_meetings.cpp
    void create_process(const Process_record& process) override;
    std::optional<Process_record> find_process(const std::string& id) override;
    std::vector<Room_record> rooms_of_process(const std::string& id) override;
    Rating_rows ratings_of(const std::string& code) override;
    std::optional<Stored_history> history_at(const std::string& code, std::uint64_t seq) override;
    std::vector<std::pair<std::int64_t, std::string>> op_times(const std::string& code, std::uint64_t upto) override;
    // sqlite_store_retention.cpp; deleting and erasing checkpoint and truncate the WAL after
    // their commit, and secure_delete overwrites the freed pages.
    void log_access(Access_entry entry) override;
    std::vector<Access_entry> access_log(const std::optional<std::string>& room, std::int64_t since_ms = 0) override;
    void delete_room(const std::string& code, std::function<void(bool ok)> done) override;
    void erase_item(const std::string& code, const std::string& board, const std::string& id) override;
    std::vector<std::string> expired_rooms(std::int64_t now_ms, unsigned days) override;
    std::int64_t prune_access_log(std::int64_t now_ms, unsigned days) override;

private:
    // One queued unit of work for the writer: an append, or a room to create (which gets
    // a transaction of its own so a code collision cannot fail other rooms' appends).
    struct Job {
        Append step;
        std::function<void(bool ok)> done;
        bool create = false;
        Room_record room;
        std::string initial_state;
        // With the error (empty when created) and whether it is that the id exists.
        std::function<void(const std::string& error, bool conflict)> created;
        std::optional<Process_record> process;    // a process to create, in its own transaction
        std::function<bool()> batched;  // more rows written in the appends' transaction; false fails it
        std::function<void()> alone;    // work that runs its own transactions, between batches
        std::vector<Rating_submission> ratings;   // answers, committed with this append's op
        std::chrono::steady_clock::time_point queued_at{};  // for the commit latency (metrics.hpp)
    };
    // Runs `work` on the writer thread after everything queued so far, and waits for it.
    void run_alone(std::function<void()> work);
    void checkpoint();
    bool checkpoint_due_ = false;  // writer thread only: a batch erased text
    bool write_failed_ = false;    // writer thread only: the last commit failed (store_health.cpp)
    std::string write_check();
    std::string run_create_process(const Process_record& process, bool& conflict);
    bool write_rating(const Rating_submission& answer);

    std::map<std::string, std::uint64_t> op_bytes(const std::string& code);  // under read_mutex_

    void open_write_connection();
    void open_read_connection();
    void migrate();
    void prepare_statements();
    void prepare_read_statements();
    void finalize_statements();
    void writer_loop();
    void run_batch(std::vector<Job>& batch);
    bool commit_appends(const std::vector<Job*>& jobs);
    std::string run_create(const Job& job, bool& conflict);
    // The room an append belongs to; empty for other rows written with the appends.
    static const std::string& room_of(const Job& job);
    void enqueue(Job job);

    std::string path_;
    bool shared_connection_ = false;  // ":memory:": one connection, reads wait for the writer
    bool read_only_ = false;          // no writer connection nor thread (Read_only)
    sqlite3* write_db_ = nullptr;
    sqlite3* read_db_ = nullptr;

    // Writer-connection statements, used only on the writer thread.
    sqlite3_stmt* begin_ = nullptr;
    sqlite3_stmt* commit_ = nullptr;
    sqlite3_stmt* rollback_ = nullptr;
    sqlite3_stmt* insert_room_ = nullptr;
    sqlite3_stmt* insert_op_ = nullptr;
    sqlite3_stmt* insert_snapshot_ = nullptr;
    sqlite3_stmt* prune_snapshots_ = nullptr;
    sqlite3_stmt* upsert_token_ = nullptr;

    // Read-connection statements, used under read_mutex_.
    sqlite3_stmt* read_begin_ = nullptr;
    sqlite3_stmt* read_end_ = nullptr;
    sqlite3_stmt* select_room_ = nullptr;
    sqlite3_stmt* select_snapshot_ = nullptr;
    sqlite3_stmt* select_ops_ = nullptr;
    sqlite3_stmt* select_tokens_ = nullptr;
    std::mutex read_mutex_;

    std::mutex queue_mutex_;
    std::condition_variable queue_cv_;     // work arrived, or stop
    std::condition_variable progress_cv_;  // a batch finished
    std::deque<Job> queue_;
    std::uint64_t queued_ = 0;     // jobs ever queued
    std::uint64_t finished_ = 0;   // jobs whose callbacks have run
    bool stop_ = false;
    std::atomic<std::uint64_t> commits_{0};
    std::mutex refused_mutex_;
    std::set<std::string> refused_rooms_;  // rooms whose appends fail until accept_appends
    std::thread writer_;
};

}  // namespace keha::server
