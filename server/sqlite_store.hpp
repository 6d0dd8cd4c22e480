#pragma once
// The SQLite store (store.hpp): one file, WAL, a versioned schema, the stores' writer thread
// (store_writer.hpp) that batches the appends of all rooms into one transaction (group commit)
// and reports each append only after its commit; reads on a connection of their own.
#include <memory>
#include <mutex>
#include <set>

#include "sqlite_statement.hpp"
#include "store.hpp"
#include "store_writer.hpp"

namespace keha::server {

class Sqlite_store final : public Batched_store {
public:
    static constexpr int schema_version = 6;

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
    // sqlite_store_health.cpp: the writer takes the write lock for a moment and changes the file
    // in a transaction it rolls back (no sync); after a failed commit it commits that change.
    void check_writable(std::function<void(const std::string& problem)> done) override;
    File_sizes file_sizes() const override;  // the database file and its write-ahead log
    // sqlite_store_meetings.cpp
    void create_process(const Process_record& process) override;
    std::optional<Process_record> find_process(const std::string& id) override;
    std::vector<Room_record> rooms_of_process(const std::string& id) override;
    Rating_rows ratings_of(const std::string& code) override;
    std::vector<Poll_value> poll_values_of(const std::string& code) override;
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
    // sqlite_store_open.cpp
    void open_write_connection();
    void open_read_connection();
    void migrate();
    void prepare_statements();
    void close();

    // The writer's part (store_writer.hpp; sqlite_store.cpp): one group of appends and rows in
    // one transaction.
    std::set<std::string> commit_group(const Store_writer::Group& group);
    void write_append(const Store_writer::Append_job& job);
    // A room or a process in a transaction of its own (Store_writer::create).
    std::string run_create(const std::string& what, const std::function<void()>& insert, bool& conflict);
    void insert_room(const Room_record& room, const std::string& initial_state);
    void write_rating(const Rating_submission& answer);  // sqlite_store_meetings.cpp
    // Holds the reads back while the writer writes, where both share one connection (":memory:").
    std::unique_lock<std::mutex> lock_if_shared();
    void checkpoint();
    std::string write_check(bool failed_before);  // sqlite_store_health.cpp

    std::map<std::string, std::uint64_t> op_bytes(const std::string& code);  // under read_mutex_

    std::string path_;
    bool shared_connection_ = false;  // ":memory:": one connection, reads wait for the writer
    bool read_only_ = false;          // no writer connection nor thread (Read_only)
    sqlite3* write_db_ = nullptr;
    sqlite3* read_db_ = nullptr;

    // Statements kept for the store's lifetime: the writer's (writer thread only) and the
    // reads' (under read_mutex_). Finalized before the connections close.
    struct Writes {
        explicit Writes(sqlite3* db);
        Write_statements transaction;
        Statement insert_room, insert_op, insert_snapshot, prune_snapshots, upsert_token, insert_score,
            insert_comment, insert_poll_value, insert_access;
    };
    struct Reads {
        explicit Reads(sqlite3* db);
        Statement select_room, select_snapshot, select_ops, select_tokens, op_bytes;
    };
    std::optional<Writes> writes_;
    std::optional<Reads> reads_;
    std::mutex read_mutex_;

    bool checkpoint_due_ = false;  // writer thread only: a batch erased text
    std::string name_for_messages() const override { return "the database '" + path_ + "'"; }
};

}  // namespace keha::server
