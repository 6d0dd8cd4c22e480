#include "store_migrate.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>
#include <vector>

#include "pg_connection.hpp"
#include "pg_store.hpp"
#include "sqlite_statement.hpp"
#include "sqlite_store.hpp"

namespace keha::server {

namespace {

// Every table of the schema, parents first; the columns the same in both stores. Rooms and
// access-log rows go in the order they were written (the order PostgreSQL numbers them in).
// A questionnaire answer's random key becomes the uuid it is in PostgreSQL.
struct Table {
    const char* name;
    const char* select;  // SQLite
    const char* insert;  // PostgreSQL
    int columns;
};
constexpr Table tables[] = {
    {"processes", "SELECT id, title, teams, key_hash, created_at_ms FROM processes ORDER BY rowid",
     "INSERT INTO processes (id, title, teams, key_hash, created_at_ms) VALUES ($1, $2, $3, $4, $5)", 5},
    {"rooms", "SELECT code, facilitator_key_hash, screen_key_hash, created_at_ms, process FROM rooms ORDER BY rowid",
     "INSERT INTO rooms (code, facilitator_key_hash, screen_key_hash, created_at_ms, process) "
     "VALUES ($1, $2, $3, $4, NULLIF($5, ''))",
     5},
    {"snapshots", "SELECT room, seq, state FROM snapshots ORDER BY room, seq",
     "INSERT INTO snapshots (room, seq, state) VALUES ($1, $2, $3)", 3},
    {"ops", "SELECT room, seq, by_pid, cmd, patch, at_ms FROM ops ORDER BY room, seq",
     "INSERT INTO ops (room, seq, by_pid, cmd, patch, at_ms) VALUES ($1, $2, $3, $4, $5, $6)", 6},
    {"tokens", "SELECT room, pid, token_hash FROM tokens ORDER BY room, pid",
     "INSERT INTO tokens (room, pid, token_hash) VALUES ($1, $2, $3)", 3},
    {"rating_scores", "SELECT hex(id), room, question, score FROM rating_scores",
     "INSERT INTO rating_scores (id, room, question, score) VALUES ($1::uuid, $2, $3, $4)", 4},
    {"rating_comments", "SELECT hex(id), room, text FROM rating_comments",
     "INSERT INTO rating_comments (id, room, text) VALUES ($1::uuid, $2, $3)", 3},
    {"poll_values", "SELECT hex(id), room, poll, value FROM poll_values",
     "INSERT INTO poll_values (id, room, poll, value) VALUES ($1::uuid, $2, $3, $4)", 4},
    {"access_log", "SELECT at_ms, room, event, role, pid, name, address, detail FROM access_log ORDER BY id",
     "INSERT INTO access_log (at_ms, room, event, role, pid, name, address, detail) "
     "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
     8},
};

// The source file, to read only, in one read transaction: what is copied is one moment of
// the file even if a server still writes to it. (A room's process, the one column that may
// be NULL, is read as "" and written back as NULL.)
struct Source {
    sqlite3* db = nullptr;
    std::optional<Read_transaction> reading;
    explicit Source(const std::string& path)
    {
        if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
            const std::string why = db ? sqlite3_errmsg(db) : "out of memory";
            sqlite3_close(db);
            throw Store_error("cannot open '" + path + "': " + why);
        }
        sqlite3_busy_timeout(db, 5000);
        try {
            reading.emplace(db);
        } catch (...) {
            sqlite3_close(db);
            throw;
        }
    }
    ~Source()
    {
        reading.reset();
        sqlite3_close(db);
    }
    Source(const Source&) = delete;
    Source& operator=(const Source&) = delete;
};

// Copies one table's rows into the open transaction; how many.
std::int64_t copy_table(const Source& source, Pg_connection& target, const Table& table)
{
    auto rows = Statement(source.db, table.select).bind();
    std::int64_t copied = 0;
    while (rows.step()) {
        std::vector<Pg_param> values;
        for (int c = 0; c < table.columns; ++c) values.emplace_back(rows.text(c));
        target.queue(table.insert, std::move(values));
        if (++copied % 2000 == 0) target.send();  // memory stays bounded on a big file
    }
    target.send();
    return copied;
}

// Refuses a database that already holds anything of Kehä's.
void require_empty(Pg_connection& target, const std::string& shown)
{
    for (const auto& table : tables) {
        const auto n = target.exec(std::string("SELECT count(*) FROM ") + table.name).integer(0, 0);
        if (n > 0)
            throw Store_error("the database " + shown + " is not empty (" + table.name + " has " + std::to_string(n) +
                              " rows); migrate copies only into a new, empty database");
    }
}

Migrated copy_all(const std::string& from, const std::string& to, const std::string& shown)
{
    Source source(from);
    Pg_connection target(to);
    Migrated out;
    target.begin("BEGIN");
    try {
        require_empty(target, shown);
        for (const auto& table : tables) out.rows[table.name] = copy_table(source, target, table);
        target.commit();
    } catch (...) {
        try {
            target.recover();
        } catch (...) {
        }
        throw;
    }
    return out;
}

// A room's questionnaire answers in one order whatever the database's collation.
std::pair<std::vector<std::pair<std::string, int>>, std::vector<std::string>> sorted_answers(Rating_rows rows)
{
    std::sort(rows.scores.begin(), rows.scores.end());
    std::sort(rows.comments.begin(), rows.comments.end());
    return {std::move(rows.scores), std::move(rows.comments)};
}

// The copy read back through both stores: the same rooms, each with the same record,
// tokens, bytes per author, last seq, latest state, questionnaire answers and poll values.
void compare_rooms(Store& source, Store& target, Migrated& out)
{
    const auto codes = source.room_codes();
    if (codes != target.room_codes()) throw Store_error("the copy differs: not the same rooms");
    constexpr auto last = std::numeric_limits<std::uint64_t>::max();
    for (const auto& code : codes) {
        const auto a = source.load_room(code);
        const auto b = target.load_room(code);
        const bool same_room = a && b && a->room.facilitator_key_hash == b->room.facilitator_key_hash &&
                               a->room.screen_key_hash == b->room.screen_key_hash &&
                               a->room.created_at_ms == b->room.created_at_ms && a->room.process == b->room.process &&
                               a->token_hashes == b->token_hashes && a->op_bytes == b->op_bytes;
        const auto x = source.state_at(code, last);
        const auto y = target.state_at(code, last);
        if (!same_room || !x || !y || x->last_seq != y->last_seq ||
            nlohmann::json::parse(x->state) != nlohmann::json::parse(y->state))
            throw Store_error("the copy differs: room " + code + " does not read back the same");
        // The anonymous answers too: the counts alone would let a changed value through.
        if (sorted_answers(source.ratings_of(code)) != sorted_answers(target.ratings_of(code)))
            throw Store_error("the copy differs: room " + code + "'s questionnaire answers do not read back the same");
        if (source.poll_values_of(code) != target.poll_values_of(code))
            throw Store_error("the copy differs: room " + code + "'s poll values do not read back the same");
        ++out.rooms_compared;
    }
}

// Every table counted again in the target, after its commit.
void compare_counts(Pg_connection& target, const Migrated& out)
{
    for (const auto& table : tables) {
        const auto n = target.exec(std::string("SELECT count(*) FROM ") + table.name).integer(0, 0);
        if (n != out.rows.at(table.name))
            throw Store_error(std::string("the copy differs: ") + table.name + " has " + std::to_string(n) +
                              " rows in the database, " + std::to_string(out.rows.at(table.name)) + " were copied");
    }
}

}  // namespace

Migrated migrate_store(const std::string& from, const std::string& to)
{
    if (!is_postgres_dsn(to))
        throw Store_error("--to must name a PostgreSQL database (postgresql://…); a file is copied with backup");
    if (is_postgres_dsn(from)) throw Store_error("--from must be a SQLite file");
    const auto shown = without_password(to);
    Sqlite_store source(from, Sqlite_store::Read_only{});  // a Kehä file at this program's version
    { Pg_store schema(to); }  // the tables, at the same version (refuses another program's database)
    Migrated out = copy_all(from, to, shown);
    try {
        Pg_store target(to, Pg_store::Read_only{});
        compare_rooms(source, target, out);
        Pg_connection check(to);
        compare_counts(check, out);
    } catch (const Store_error& e) {
        // Committed but not the same: say so, and leave the copy for a person to look at.
        throw Store_error(std::string(e.what()) + "; the copy in " + shown +
                          " is not to be used: empty the database and migrate again");
    }
    return out;
}

}  // namespace keha::server
