// The SQLite store's answers for /readyz and /metrics.
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <optional>

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
    writer().check_writable([this](bool failed_before) { return write_check(failed_before); }, std::move(done));
}

std::string Sqlite_store::write_check(bool failed_before)
{
    auto lock = lock_if_shared();
    if (struct statvfs disk {}; !shared_connection_ && ::statvfs(path_.c_str(), &disk) == 0 &&
                                static_cast<std::uint64_t>(disk.f_bavail) * disk.f_frsize < least_free_bytes)
        return "less than 1 MiB free on the database's disk";

    // SQLite's messages name no files ("database is locked", "disk I/O error").
    const auto failed = [this](const char* doing) { return std::string(doing) + ": " + sqlite3_errmsg(write_db_); };
    std::optional<Write_transaction> transaction;
    sqlite3_busy_timeout(write_db_, lock_wait_ms);
    try {
        transaction.emplace(writes_->transaction);
    } catch (const Store_error&) {
    }
    sqlite3_busy_timeout(write_db_, 5000);
    if (!transaction) return failed("cannot take the write lock");
    // Writing the schema version it already has changes the first page and nothing else.
    std::int64_t version = -1;
    try {
        version = Statement(write_db_, "PRAGMA user_version").bind().scalar(-1);
    } catch (const Store_error&) {
    }
    if (version < 0) return failed("cannot read the schema version");
    try {
        Statement(write_db_, "PRAGMA user_version = " + std::to_string(version)).bind().run();
    } catch (const Store_error&) {
        return failed("cannot write");
    }
    if (!failed_before) return {};  // the transaction rolls back: nothing is synced
    try {
        transaction->commit();
    } catch (const Store_error&) {
        return failed("cannot commit");
    }
    return {};
}

Sqlite_store::File_sizes Sqlite_store::file_sizes() const
{
    if (shared_connection_ || path_.rfind("file:", 0) == 0) return {};
    return {size_of(path_), size_of(path_ + "-wal")};
}

}  // namespace keha::server
