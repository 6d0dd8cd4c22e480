// The SQLite helper the store is written with (server/sqlite_statement.hpp), on a real file: a
// write transaction keeps nothing unless committed, a failed statement throws and takes the
// whole transaction back, a read transaction sees one moment, and a statement left halfway is
// reset so it holds no read open.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "sqlite_statement.hpp"
#include "store_fixture.hpp"

using namespace keha::server;
using keha::store_test::Raw;
using keha::store_test::Temp_dir;

namespace {

// A connection of the store's kind to a file with one table of numbered rows.
class Connection {
public:
    explicit Connection(const std::string& path)
    {
        if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("open failed");
        sqlite3_busy_timeout(db_, 5000);
        sqlite3_exec(db_, "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS t (n INTEGER PRIMARY KEY, s TEXT)",
                     nullptr, nullptr, nullptr);
    }
    ~Connection() { sqlite3_close(db_); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    sqlite3* db() const { return db_; }
    std::int64_t rows() { return Statement(db_, "SELECT count(*) FROM t").bind().scalar(-1); }

private:
    sqlite3* db_ = nullptr;
};

void insert(sqlite3* db, std::int64_t n, const std::string& s)
{
    Statement(db, "INSERT INTO t (n, s) VALUES (?1, ?2)").bind(n, s).run();
}

}  // namespace

TEST(SqliteStatement, AWriteTransactionNotCommittedLeavesNothing)
{
    Temp_dir dir;
    Connection c(dir.file("t.db"));
    const std::string text = "kept?";
    {
        Write_transaction transaction(c.db());
        insert(c.db(), 1, text);
        insert(c.db(), 2, text);
        EXPECT_EQ(c.rows(), 2);  // inside it, the rows are there
    }
    EXPECT_EQ(c.rows(), 0);
    EXPECT_TRUE(sqlite3_get_autocommit(c.db())) << "no transaction is left open";
}

TEST(SqliteStatement, ACommittedWriteTransactionIsSeenByAnotherConnection)
{
    Temp_dir dir;
    Connection c(dir.file("t.db"));
    const std::string text = "kept";
    {
        Write_transaction transaction(c.db());
        insert(c.db(), 1, text);
        transaction.commit();
    }
    Raw other(dir.file("t.db"));
    EXPECT_EQ(other.scalar("SELECT count(*) FROM t WHERE s = 'kept'"), "1");
}

TEST(SqliteStatement, AFailedStatementThrowsWithSqlitesMessageAndItsTransactionIsRolledBack)
{
    Temp_dir dir;
    Connection c(dir.file("t.db"));
    const std::string text = "first";
    try {
        Write_transaction transaction(c.db());
        insert(c.db(), 1, text);
        insert(c.db(), 1, text);  // the same key again
        transaction.commit();
        FAIL() << "a duplicate key was stored";
    } catch (const Store_error& e) {
        EXPECT_NE(std::string(e.what()).find("UNIQUE constraint failed"), std::string::npos) << e.what();
    }
    EXPECT_EQ(c.rows(), 0) << "the row before the failure went back too";
    // The statement and the connection can be used again.
    insert(c.db(), 1, text);
    EXPECT_EQ(c.rows(), 1);
}

TEST(SqliteStatement, AWriteTransactionThatCannotHaveTheLockThrowsAndTheOtherWriterGoesOn)
{
    Temp_dir dir;
    Connection c(dir.file("t.db"));
    Raw other(dir.file("t.db"));
    other.exec("BEGIN IMMEDIATE");
    other.exec("INSERT INTO t (n, s) VALUES (7, 'other')");
    sqlite3_busy_timeout(c.db(), 50);
    EXPECT_THROW(Write_transaction transaction(c.db()), Store_error);
    other.exec("COMMIT");
    EXPECT_EQ(c.rows(), 1);
}

TEST(SqliteStatement, AReadTransactionSeesOneMomentWhileAnotherConnectionWrites)
{
    Temp_dir dir;
    Connection reader(dir.file("t.db"));
    Raw writer(dir.file("t.db"));
    writer.exec("INSERT INTO t (n, s) VALUES (1, 'a')");
    {
        Read_transaction transaction(reader.db());
        EXPECT_EQ(reader.rows(), 1);
        writer.exec("INSERT INTO t (n, s) VALUES (2, 'b')");
        EXPECT_EQ(reader.rows(), 1) << "a read transaction's reads agree with each other";
    }
    EXPECT_EQ(reader.rows(), 2);
    EXPECT_TRUE(sqlite3_get_autocommit(reader.db()));
}

TEST(SqliteStatement, AStatementLeftHalfwayIsResetAndHoldsNoReadOpen)
{
    Temp_dir dir;
    Connection c(dir.file("t.db"));
    const std::string text = "row";
    for (std::int64_t n = 1; n <= 3; ++n) insert(c.db(), n, text);
    Statement all(c.db(), "SELECT n FROM t ORDER BY n");
    {
        auto rows = all.bind();
        ASSERT_TRUE(rows.step());
        EXPECT_EQ(rows.integer(0), 1);
        EXPECT_TRUE(sqlite3_stmt_busy(sqlite3_next_stmt(c.db(), nullptr)));
    }
    EXPECT_FALSE(sqlite3_stmt_busy(sqlite3_next_stmt(c.db(), nullptr)));
    // Used again, it starts from the first row.
    auto again = all.bind();
    ASSERT_TRUE(again.step());
    EXPECT_EQ(again.integer(0), 1);
}

TEST(SqliteStatement, BindsSeqsClampedNullsAndTextWithoutLosingBytes)
{
    Temp_dir dir;
    Connection c(dir.file("t.db"));
    const std::string text = std::string("nul") + '\0' + "inside ja ääkköset";
    Statement(c.db(), "INSERT INTO t (n, s) VALUES (?1, ?2)").bind(std::numeric_limits<std::uint64_t>::max(), text).run();
    const std::optional<std::string> none;
    Statement(c.db(), "INSERT INTO t (n, s) VALUES (?1, ?2)").bind(1, none).run();
    Statement read(c.db(), "SELECT n, s, s IS NULL FROM t ORDER BY n");
    auto rows = read.bind();
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.integer(0), 1);
    EXPECT_EQ(rows.integer(2), 1) << "an empty optional is NULL";
    ASSERT_TRUE(rows.step());
    EXPECT_EQ(rows.integer(0), std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(rows.text(1), text);
    EXPECT_FALSE(rows.step());
}

TEST(SqliteStatement, AStatementUsedOnceLivesAsLongAsItsUse)
{
    Temp_dir dir;
    Connection c(dir.file("t.db"));
    const std::string text = "row";
    for (std::int64_t n = 1; n <= 3; ++n) insert(c.db(), n, text);
    auto rows = Statement(c.db(), "SELECT n FROM t ORDER BY n").bind();
    std::vector<std::int64_t> seen;
    while (rows.step()) seen.push_back(rows.integer(0));
    EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 2, 3}));
}
