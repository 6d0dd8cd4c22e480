#pragma once
// What every store test needs: a folder of its own, and the file opened the way another
// program would open it.
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace keha::store_test {

// A directory of its own per test, removed afterwards.
class Temp_dir {
public:
    Temp_dir()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "keha-store-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~Temp_dir()
    {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    Temp_dir(const Temp_dir&) = delete;
    Temp_dir& operator=(const Temp_dir&) = delete;
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

// A plain SQLite connection to the store's file.
class Raw {
public:
    explicit Raw(const std::string& path)
    {
        if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("open failed");
        sqlite3_busy_timeout(db_, 5000);
    }
    ~Raw() { sqlite3_close(db_); }
    Raw(const Raw&) = delete;
    Raw& operator=(const Raw&) = delete;
    // The error message, or empty when it ran.
    std::string try_exec(const std::string& sql)
    {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) == SQLITE_OK) return {};
        std::string msg = err ? err : "?";
        sqlite3_free(err);
        return msg;
    }
    void exec(const std::string& sql)
    {
        if (auto error = try_exec(sql); !error.empty()) throw std::runtime_error(error + " in: " + sql);
    }
    std::vector<std::vector<std::string>> rows(const std::string& sql)
    {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
            throw std::runtime_error(std::string(sqlite3_errmsg(db_)) + " in: " + sql);
        std::vector<std::vector<std::string>> out;
        while (sqlite3_step(s) == SQLITE_ROW) {
            std::vector<std::string> row;
            for (int i = 0; i < sqlite3_column_count(s); ++i) {
                auto* t = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
                row.push_back(t ? t : "");
            }
            out.push_back(std::move(row));
        }
        sqlite3_finalize(s);
        return out;
    }
    // The first column of every row, as text.
    std::vector<std::string> column(const std::string& sql)
    {
        std::vector<std::string> out;
        for (auto& r : rows(sql)) out.push_back(r.empty() ? "" : r[0]);
        return out;
    }
    std::string scalar(const std::string& sql)
    {
        auto r = rows(sql);
        return r.empty() || r[0].empty() ? std::string() : r[0][0];
    }

private:
    sqlite3* db_ = nullptr;
};

}  // namespace keha::store_test
