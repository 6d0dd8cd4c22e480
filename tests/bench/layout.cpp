#include "layout.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace bench {

namespace {

using nlohmann::json;

// The op log before schema version 5 (server/sqlite_store_open.cpp's first migration).
constexpr const char* layout_before = R"sql(
    DROP INDEX IF EXISTS ops_by_room;
    DROP TABLE ops;
    CREATE TABLE ops (
        room   TEXT NOT NULL REFERENCES rooms(code),
        seq    INTEGER NOT NULL,
        by_pid TEXT NOT NULL,
        cmd    TEXT NOT NULL,
        patch  TEXT NOT NULL,
        at_ms  INTEGER NOT NULL,
        PRIMARY KEY (room, seq)
    ) WITHOUT ROWID;
)sql";

class Db {
public:
    explicit Db(const std::string& path)
    {
        if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("cannot open " + path);
    }
    ~Db() { sqlite3_close(db_); }
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
    void exec(const std::string& sql)
    {
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
            throw std::runtime_error(std::string(sqlite3_errmsg(db_)) + " in " + sql.substr(0, 60));
    }
    int pages_written()  // since the last call
    {
        int pages = 0, highwater = 0;
        sqlite3_db_status(db_, SQLITE_DBSTATUS_CACHE_WRITE, &pages, &highwater, 1);
        return pages;
    }
    sqlite3* get() { return db_; }

private:
    sqlite3* db_ = nullptr;
};

// Appends ops of the rooms in `which` in one transaction, as keha-server's writer does: an
// `item.add` with the op and patch text the server writes for one.
void commit(Db& db, sqlite3_stmt* insert, const std::vector<int>& which, std::vector<long>& seqs)
{
    db.exec("BEGIN IMMEDIATE");
    for (int r : which) {
        const long seq = ++seqs[std::size_t(r)];
        const std::string room = "R" + std::to_string(100000 + r), at = std::to_string(1764500000000 + seq);
        const std::string cmd = R"({"type":"do","id":")" + at + R"(","cmd":"item.add","args":{"board":"timeline","column":"event","text":"t=)" + at + R"(;"}})";
        const std::string patch = R"([{"op":"add","path":"/boards/timeline/items/i)" + std::to_string(seq) +
                                  R"(","value":{"text":"t=)" + at + R"(;","column":"event","by":"p3","order":)" +
                                  std::to_string(seq) + R"(,"votes":0,"voters":[],"at":)" + at + "}}]";
        sqlite3_bind_text(insert, 1, room.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(insert, 2, seq);
        sqlite3_bind_text(insert, 3, "p3", -1, SQLITE_STATIC);
        sqlite3_bind_text(insert, 4, cmd.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(insert, 5, patch.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(insert, 6, 1764500000000 + seq);
        if (sqlite3_step(insert) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db.get()));
        sqlite3_reset(insert);
    }
    db.exec("COMMIT");
}

// Each room first gets `warm` ops (a meeting under way), then commits of `per` ops of
// different rooms, drawn at random: the pages each wrote.
json measure(const std::string& path, int rooms, int warm, const std::vector<int>& per_commit)
{
    Db db(path);
    db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON;");
    db.exec("BEGIN");
    for (int r = 0; r < rooms; ++r)
        db.exec("INSERT INTO rooms (code, facilitator_key_hash, screen_key_hash, created_at_ms) VALUES ('R" +
                std::to_string(100000 + r) + "', 'f', 's', 1)");
    db.exec("COMMIT");
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(db.get(), "INSERT INTO ops (room, seq, by_pid, cmd, patch, at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                       -1, &insert, nullptr);
    std::vector<long> seqs(std::size_t(rooms), 0);
    std::vector<int> order(static_cast<std::size_t>(rooms));
    for (int r = 0; r < rooms; ++r) order[std::size_t(r)] = r;
    std::mt19937 random(15);
    for (int w = 0; w < warm; ++w) {
        std::shuffle(order.begin(), order.end(), random);
        for (int at = 0; at < rooms; at += 25)
            commit(db, insert, std::vector<int>(order.begin() + at, order.begin() + std::min(rooms, at + 25)), seqs);
    }
    json out = json::array();
    for (int per : per_commit) {
        constexpr int commits = 300;
        db.pages_written();
        for (int c = 0; c < commits; ++c) {
            std::shuffle(order.begin(), order.end(), random);
            commit(db, insert, std::vector<int>(order.begin(), order.begin() + per), seqs);
        }
        out.push_back({{"ops_per_commit", per}, {"pages_per_commit", double(db.pages_written()) / commits}});
    }
    sqlite3_finalize(insert);
    return out;
}

}  // namespace

json layout_pages(const std::string& dir, int rooms)
{
    // The layout now: the schema keha-server makes in a new file.
    Target keha{"keha", Target::Kind::keha, "", {}};
    std::string now;
    {
        Server server(keha, dir);
        now = server.store_file();
        server.keep_store();
    }
    const std::string before = dir + "/layout-before.db";
    std::filesystem::copy_file(now, before, std::filesystem::copy_options::overwrite_existing);
    Db(before).exec(layout_before);
    const int warm = 60;
    const std::vector<int> per{1, 4, 16};
    json out = {{"rooms", rooms}, {"ops_per_room_before", warm},
                {"before", measure(before, rooms, warm, per)}, {"now", measure(now, rooms, warm, per)}};
    for (std::size_t i = 0; i < per.size(); ++i)
        std::printf("    op log layout, %d rooms, %d ops a commit: %.2f pages a commit before schema 5, %.2f now\n",
                    rooms, per[i], out["before"][i]["pages_per_commit"].get<double>(),
                    out["now"][i]["pages_per_commit"].get<double>());
    for (const char* suffix : {"", "-wal", "-shm"})
        for (const auto& file : {now, before}) std::filesystem::remove(file + suffix);
    return out;
}

}  // namespace bench
