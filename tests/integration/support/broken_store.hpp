#pragma once
// Another program breaking a keha-server's SQLite file, the ways the store-failure tests need
// (docs/security.md, "Store failures"): holding its write lock, or making one meeting's
// stored state unreadable. Each throws std::runtime_error when it cannot do so.
#include <sqlite3.h>

#include <filesystem>
#include <string>

namespace keha::itest {

// Takes the file's write lock (BEGIN IMMEDIATE) and keeps it, well past keha-server's 5 s busy
// timeout, until released or destroyed.
class Write_lock_holder {
public:
    explicit Write_lock_holder(const std::filesystem::path& db);
    ~Write_lock_holder();
    Write_lock_holder(const Write_lock_holder&) = delete;
    Write_lock_holder& operator=(const Write_lock_holder&) = delete;

private:
    sqlite3* db_ = nullptr;
};

// Every read of the meeting's stored snapshots ends in an SQLite error (abs() of the smallest
// integer overflows), while every other meeting's read as before: the table keeps its rows
// under another name, behind a view of the old name.
void make_snapshots_unreadable(const std::filesystem::path& db, const std::string& code);

}  // namespace keha::itest
