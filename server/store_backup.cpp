#include "store_backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <thread>

#include "sqlite_statement.hpp"
#include "sqlite_store.hpp"

namespace keha::server {
namespace fs = std::filesystem;
namespace {

struct Connection {
    sqlite3* db = nullptr;
    ~Connection() { sqlite3_close(db); }
};

std::string errno_text() { return std::strerror(errno); }

std::int64_t single_integer(sqlite3* db, const char* sql, const std::string& what)
{
    try {
        if (auto row = Statement(db, sql).bind(); row.step()) return row.integer(0);
    } catch (const Store_error&) {
    }
    throw Store_error(what + ": " + sqlite3_errmsg(db));
}

// The temporary copy, removed (with a journal SQLite may have left) unless it was renamed into place.
struct Temp_copy {
    std::string path;
    bool kept = false;
    ~Temp_copy()
    {
        if (kept || path.empty()) return;
        ::unlink(path.c_str());
        ::unlink((path + "-journal").c_str());
    }
};

void sync_path(const std::string& path, int flags)
{
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) throw Store_error("cannot open " + path + " to write it out: " + errno_text());
    const bool ok = ::fsync(fd) == 0;
    const std::string error = ok ? "" : errno_text();
    ::close(fd);
    if (!ok) throw Store_error("cannot write out " + path + ": " + error);
}

// Every page of `source` into the file at `copy` (made already, empty), as one consistent state;
// the rooms and ops the copy holds. `db` names the source in messages.
Backup_copied copy_pages(sqlite3* source, const std::string& copy, const std::string& db)
{
    Backup_copied copied;
    Connection dest;
    if (sqlite3_open_v2(copy.c_str(), &dest.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK)
        throw Store_error("cannot open the copy '" + copy + "': " + sqlite3_errmsg(dest.db));
    sqlite3_backup* backup = sqlite3_backup_init(dest.db, "main", source, "main");
    if (!backup) throw Store_error(std::string("cannot start the backup: ") + sqlite3_errmsg(dest.db));
    // All pages in one step: one read transaction, so one consistent state of the store. A
    // busy or locked source (a checkpoint, a recovery) is tried again for up to a minute.
    int rc;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    while ((rc = sqlite3_backup_step(backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        if (std::chrono::steady_clock::now() > deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE)
        throw Store_error("the backup of '" + db + "' failed: " + sqlite3_errstr(rc) +
                          (rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? " (the database stayed busy for a minute)"
                                                                    : ""));
    // One self-contained file: no WAL beside it, whatever mode the source was in.
    if (sqlite3_exec(dest.db, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr) != SQLITE_OK)
        throw Store_error(std::string("cannot finish the copy: ") + sqlite3_errmsg(dest.db));
    copied.rooms = single_integer(dest.db, "SELECT count(*) FROM rooms", "cannot count the rooms copied");
    copied.ops = single_integer(dest.db, "SELECT count(*) FROM ops", "cannot count the ops copied");
    return copied;
}

}  // namespace

Backup_copied backup_store(const std::string& db, const std::string& file, bool force)
{
    std::error_code ec;
    if (!fs::is_regular_file(db, ec))
        throw Store_error("there is no database at '" + db + "'; name it with --db or db = in the config file");
    if (fs::is_directory(file, ec))
        throw Store_error("'" + file + "' is a folder; give the copy a file name, e.g. " +
                          (fs::path(file) / "keha-backup.db").string());
    if (fs::exists(file, ec)) {
        if (fs::equivalent(db, file, ec)) throw Store_error("the copy cannot replace the database itself");
        if (!force) throw Store_error("'" + file + "' exists already; give --force to replace it");
    }

    // The source, read only: the server's WAL lets it keep writing while this reads a snapshot.
    Connection source;
    if (sqlite3_open_v2(db.c_str(), &source.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
        throw Store_error("cannot open the database '" + db + "': " + sqlite3_errmsg(source.db));
    sqlite3_busy_timeout(source.db, 5000);
    const auto version = single_integer(source.db, "PRAGMA user_version", "cannot read the database '" + db + "'");
    if (version <= 0) throw Store_error("'" + db + "' is not a Kehä database");
    if (version > Sqlite_store::schema_version)
        throw Store_error("'" + db + "' was written by a newer Kehä (schema version " + std::to_string(version) +
                          "); back it up with that version's keha-server");

    const fs::path target(file);
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    Temp_copy temp{(folder / ("." + target.filename().string() + ".XXXXXX")).string()};
    const int fd = ::mkstemp(temp.path.data());  // 0600 whatever the umask
    if (fd < 0) {
        const auto error = errno_text();
        temp.path.clear();
        throw Store_error("cannot write the copy in the folder '" + folder.string() + "': " + error);
    }
    ::fchmod(fd, 0600);
    ::close(fd);

    Backup_copied copied = copy_pages(source.db, temp.path, db);
    sync_path(temp.path, O_RDONLY);

    // Into place: without --force never over a file that appeared meanwhile.
    int renamed = force ? std::rename(temp.path.c_str(), file.c_str())
                        : ::renameat2(AT_FDCWD, temp.path.c_str(), AT_FDCWD, file.c_str(), RENAME_NOREPLACE);
    if (renamed != 0 && !force && errno == EINVAL) {  // a file system without RENAME_NOREPLACE
        renamed = ::link(temp.path.c_str(), file.c_str());
        if (renamed == 0) ::unlink(temp.path.c_str());
    }
    if (renamed != 0) {
        if (errno == EEXIST) throw Store_error("'" + file + "' appeared meanwhile; give --force to replace it");
        throw Store_error("cannot put the copy at '" + file + "': " + errno_text());
    }
    temp.kept = true;
    sync_path(folder.string(), O_RDONLY | O_DIRECTORY);
    copied.bytes = static_cast<std::int64_t>(fs::file_size(file, ec));
    return copied;
}

}  // namespace keha::server
