#pragma once
// The one way the SQLite store talks to SQLite (sqlite_store*.cpp): a prepared statement that
// is bound, stepped and read, and reset however its use ends, throwing Store_error with
// SQLite's message when a step fails; a read transaction; a write transaction that rolls back
// unless committed.
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "store.hpp"

namespace keha::server {

// Throws Store_error("database <doing> failed: <SQLite's message>").
[[noreturn]] void sqlite_failed(sqlite3* db, std::string_view doing);

// A statement bound to its values for one use: stepped, read, and reset when it goes out of
// scope (an unfinished SELECT would otherwise keep its read transaction open). Bound from a
// Statement that is itself going away, it owns the statement and finalizes it instead.
class Bound {
public:
    Bound(sqlite3* db, sqlite3_stmt* s, bool owns) : db_(db), s_(s), owns_(owns) {}
    ~Bound()
    {
        if (!s_) return;
        if (owns_) {
            sqlite3_finalize(s_);
            return;
        }
        sqlite3_reset(s_);
        sqlite3_clear_bindings(s_);
    }
    Bound(Bound&& other) noexcept : db_(other.db_), s_(std::exchange(other.s_, nullptr)), owns_(other.owns_) {}
    Bound(const Bound&) = delete;
    Bound& operator=(const Bound&) = delete;

    // The next row: true when there is one, false at the end; throws Store_error on failure.
    bool step();
    // Runs a statement that returns no rows; throws Store_error on failure.
    void run();
    // The first column of the first row as an integer, `fallback` when there is no row.
    std::int64_t scalar(std::int64_t fallback = 0) { return step() ? integer(0) : fallback; }

    int columns() const { return sqlite3_column_count(s_); }
    std::string text(int column) const;
    std::int64_t integer(int column) const { return sqlite3_column_int64(s_, column); }
    std::uint64_t seq(int column) const { return static_cast<std::uint64_t>(integer(column)); }

    // ?i: strings as text (not copied: they must outlive the use), integers, seqs (clamped
    // to SQLite's largest integer), an empty optional as NULL.
    void bind(int i, const std::string& v);
    void bind(int i, std::int64_t v);
    void bind(int i, std::uint64_t v);
    void bind(int i, int v) { bind(i, static_cast<std::int64_t>(v)); }
    void bind(int i, const std::optional<std::string>& v);
    void bind(int i, const char* v) = delete;  // a temporary string would be gone before the step

private:
    sqlite3* db_;
    sqlite3_stmt* s_;
    bool owns_;
};

class Statement {
    template <class T>
    static constexpr bool holds_text = std::is_same_v<std::remove_cvref_t<T>, std::string> ||
                                       std::is_same_v<std::remove_cvref_t<T>, std::optional<std::string>>;

public:
    Statement() = default;
    // Prepares `sql`; `persistent` for statements kept for the store's lifetime.
    Statement(sqlite3* db, std::string_view sql, bool persistent = false);
    ~Statement() { sqlite3_finalize(s_); }
    Statement(Statement&& other) noexcept
        : db_(std::exchange(other.db_, nullptr)), s_(std::exchange(other.s_, nullptr)) {}
    Statement& operator=(Statement&& other) noexcept
    {
        std::swap(db_, other.db_);
        std::swap(s_, other.s_);
        return *this;
    }

    // The statement with `values` bound to ?1, ?2, ... in order. Strings are bound without a
    // copy, so a temporary string cannot be bound: it would be gone before the step.
    template <class... Values>
    Bound bind(Values&&... values) &
    {
        return bound(Bound(db_, s_, false), std::forward<Values>(values)...);
    }
    // A statement used once (`Statement(db, sql).bind(...)`): the use keeps it.
    template <class... Values>
    Bound bind(Values&&... values) &&
    {
        return bound(Bound(db_, std::exchange(s_, nullptr), true), std::forward<Values>(values)...);
    }

    sqlite3* db() const { return db_; }

private:
    template <class... Values>
    static Bound bound(Bound use, Values&&... values)
    {
        static_assert(((!holds_text<Values> || std::is_lvalue_reference_v<Values>) && ...),
                      "bind a named string: a temporary one is gone before the statement is stepped");
        int i = 0;
        (use.bind(++i, values), ...);
        return use;
    }

    sqlite3* db_ = nullptr;
    sqlite3_stmt* s_ = nullptr;
};

// A read transaction: what is read inside it agrees. It ends however the read ends, so the
// WAL can be checkpointed past it.
class Read_transaction {
public:
    explicit Read_transaction(sqlite3* db);  // throws Store_error
    ~Read_transaction();
    Read_transaction(const Read_transaction&) = delete;
    Read_transaction& operator=(const Read_transaction&) = delete;

private:
    sqlite3* db_;
};

// BEGIN IMMEDIATE, COMMIT and ROLLBACK prepared once for a connection's lifetime (the writer's),
// so a commit does not parse them again.
struct Write_statements {
    explicit Write_statements(sqlite3* db);  // throws Store_error
    Statement begin, commit, rollback;
};

// A write transaction (BEGIN IMMEDIATE: the write lock at once), rolled back unless committed.
// A commit adds to the store's counts of commits and of pages written (metrics.hpp).
class Write_transaction {
public:
    explicit Write_transaction(Write_statements& prepared);  // throws Store_error when the lock is not had
    explicit Write_transaction(sqlite3* db);  // prepares its own statements: for a one-off (migrating)
    ~Write_transaction();
    Write_transaction(const Write_transaction&) = delete;
    Write_transaction& operator=(const Write_transaction&) = delete;
    void commit();  // throws Store_error (then the destructor rolls back)

private:
    void begin();
    sqlite3* db_;
    std::optional<Write_statements> own_;
    Write_statements& s_;
};

}  // namespace keha::server
