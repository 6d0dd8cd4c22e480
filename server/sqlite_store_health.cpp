// The store's answers for /readyz and /metrics.
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "sqlite_store.hpp"

namespace keha::server {
namespace {

// Below this much free space a commit (a snapshot, a checkpoint) may well fail: not ready.
constexpr std::uint64_t least_free_bytes = 1024 * 1024;
// How long the check waits for another program's write lock; appends wait 5 s, a probe not.
constexpr int lock_wait_ms = 250;

std::uint64_t size_of(const std::string& file)
{
    struct stat st {};
    return ::stat(file.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

}  // namespace

void Sqlite_store::check_writable(std::function<void(const std::string& problem)> done)
{
    Job job;
    job.alone = [this, done = std::move(done)] {
        std::string problem;
        try {
            problem = write_check();
        } catch (const std::exception& e) {
            problem = e.what();
        }
        done(problem);
    };
    enqueue(std::move(job));
}

std::string Sqlite_store::write_check()
{
    std::unique_lock<std::mutex> shared_lock;
    if (shared_connection_) shared_lock = std::unique_lock(read_mutex_);
    else if (struct statvfs disk {}; ::statvfs(path_.c_str(), &disk) == 0 &&
             static_cast<std::uint64_t>(disk.f_bavail) * disk.f_frsize < least_free_bytes)
        return "less than 1 MiB free on the database's disk";

    // SQLite's messages name no files ("database is locked", "disk I/O error").
    const auto failed = [this](const char* doing) {
        std::string problem = std::string(doing) + ": " + sqlite3_errmsg(write_db_);
        if (!sqlite3_get_autocommit(write_db_)) sqlite3_exec(write_db_, "ROLLBACK", nullptr, nullptr, nullptr);
        return problem;
    };
    sqlite3_busy_timeout(write_db_, lock_wait_ms);
    const int begun = sqlite3_exec(write_db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_busy_timeout(write_db_, 5000);
    if (begun != SQLITE_OK) return failed("cannot take the write lock");
    // Writing the schema version it already has changes the first page and nothing else.
    sqlite3_stmt* read = nullptr;
    std::int64_t version = -1;
    if (sqlite3_prepare_v2(write_db_, "PRAGMA user_version", -1, &read, nullptr) == SQLITE_OK &&
        sqlite3_step(read) == SQLITE_ROW)
        version = sqlite3_column_int64(read, 0);
    sqlite3_finalize(read);
    if (version < 0) return failed("cannot read the schema version");
    const std::string write = "PRAGMA user_version = " + std::to_string(version);
    if (sqlite3_exec(write_db_, write.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) return failed("cannot write");
    if (write_failed_) {
        if (sqlite3_exec(write_db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) return failed("cannot commit");
        write_failed_ = false;
        return {};
    }
    sqlite3_exec(write_db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return {};
}

Sqlite_store::File_sizes Sqlite_store::file_sizes() const
{
    if (shared_connection_ || path_.rfind("file:", 0) == 0) return {};
    return {size_of(path_), size_of(path_ + "-wal")};
}

}  // namespace keha::server
