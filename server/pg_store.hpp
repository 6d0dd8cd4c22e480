#pragma once
// The PostgreSQL store (store.hpp; docs/deployment.md): the same durable log as the SQLite
// store (sqlite_store.hpp) in a PostgreSQL 15 database named by a postgresql:// DSN. The stores'
// writer thread (store_writer.hpp), on a connection of its own, batches the appends of all
// rooms into one transaction (group commit) and reports each append only after its COMMIT;
// reads use another connection. A lost connection is opened again at the next write or read.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pg_schema.hpp"
#include "store.hpp"
#include "store_writer.hpp"

namespace keha::server {

class Pg_connection;
class Pg_leases;

class Pg_store final : public Batched_store {
public:
    static constexpr int schema_version = pg_latest_schema;

    // Connects and migrates forward; throws Store_error with a message a person can act on
    // (not reachable, refused, a newer schema, another program's tables). The password is
    // never in a message: give it in a passfile (PGPASSFILE), not in the DSN.
    explicit Pg_store(const std::string& dsn);
    // To read only (keha-server check): never writes; the schema must be this program's.
    struct Read_only {};
    Pg_store(const std::string& dsn, Read_only);
    ~Pg_store() override;  // commits pending appends
    Pg_store(const Pg_store&) = delete;
    Pg_store& operator=(const Pg_store&) = delete;

    // The Store interface (store.hpp).
    void create_room(const Room_record& room, const std::string& initial_state) override;
    void create_room_async(const Room_record& room, const std::string& initial_state,
                           std::function<void(const std::string& error)> done) override;
    std::optional<Room_record> find_room(const std::string& code) override;
    std::optional<Loaded_room> load_room(const std::string& code) override;
    std::vector<std::string> room_codes() override;
    std::vector<Op_record> ops_between(const std::string& code, std::uint64_t after, std::uint64_t upto) override;
    std::vector<Snapshot_record> snapshots(const std::string& code) override;
    // pg_store_retention.cpp: the locks an append takes, and a write rolled back.
    // Room leases (pg_leases.hpp).
    bool claim_room(const std::string& code) override;
    void release_room(const std::string& code) override;
    bool holds_room(const std::string& code) const override;
    void watch_leases(Lease_events events) override;
    void want_room(const std::string& code) override;
    void reclaim_rooms() override;
    bool lead_sweeps() override;
    void check_writable(std::function<void(const std::string& problem)> done) override;
    // The database's size on its server; PostgreSQL's write-ahead log is the server's own.
    File_sizes file_sizes() const override;
    // pg_store_meetings.cpp
    void create_process(const Process_record& process) override;
    std::optional<Process_record> find_process(const std::string& id) override;
    std::vector<Room_record> rooms_of_process(const std::string& id) override;
    Rating_rows ratings_of(const std::string& code) override;
    std::vector<Poll_value> poll_values_of(const std::string& code) override;
    std::optional<Stored_history> history_at(const std::string& code, std::uint64_t seq) override;
    std::vector<std::pair<std::int64_t, std::string>> op_times(const std::string& code, std::uint64_t upto) override;
    // pg_store_retention.cpp; deleting and erasing vacuum the tables after their commit.
    void log_access(Access_entry entry) override;
    std::vector<Access_entry> access_log(const std::optional<std::string>& room, std::int64_t since_ms = 0) override;
    void delete_room(const std::string& code, std::function<void(bool ok)> done) override;
    void erase_item(const std::string& code, const std::string& board, const std::string& id) override;
    std::vector<std::string> expired_rooms(std::int64_t now_ms, unsigned days) override;
    std::int64_t prune_access_log(std::int64_t now_ms, unsigned days) override;

private:
    // The writer's part (store_writer.hpp): one group of appends and rows in one transaction,
    // after fencing its rooms (pg_leases.hpp); returns the rooms whose lease is another node's.
    std::set<std::string> commit_group(const Store_writer::Group& group);
    void write_append(Pg_connection& db, const Store_writer::Append_job& job);
    void write_ratings(Pg_connection& db, const std::string& code, const std::vector<Rating_submission>& answers);
    void write_poll_values(Pg_connection& db, const std::string& code, const std::vector<Poll_value>& values);
    // The writer's connection, opened again if it was lost (throws Store_unavailable).
    Pg_connection& write_connection();
    // Runs `work` in a transaction on the writer connection: committed (and counted), or
    // rolled back and thrown.
    void write_transaction(const std::function<void(Pg_connection&)>& work);
    std::string run_create_room(const Room_record& room, const std::string& initial_state, bool& conflict);
    std::string run_create_process(const Process_record& process, bool& conflict);
    std::string write_check(bool failed_before);
    void vacuum(const char* tables);

    // Reads: one connection under read_mutex_; `work` runs in one read-only transaction that
    // sees one moment of the database.
    void read(const std::function<void(Pg_connection&)>& work) const;

    std::string dsn_;
    std::string shown_;  // the DSN without its password, for messages
    bool read_only_ = false;
    std::unique_ptr<Pg_leases> leases_;        // none when read only
    std::unique_ptr<Pg_connection> write_db_;  // writer thread only
    std::string vacuum_due_;                   // writer thread only: tables that held erased text

    mutable std::mutex read_mutex_;
    mutable std::unique_ptr<Pg_connection> read_db_;
    std::string name_for_messages() const override { return "the database " + shown_; }
};

}  // namespace keha::server
