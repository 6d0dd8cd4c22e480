// What only the PostgreSQL store has: its DSN and password, its schema in PostgreSQL, another
// program's locks, a database server that crashes and comes back, and several nodes starting
// on one database. The store's behaviour common to both backends is in the other files here.
#include <gtest/gtest.h>

#include <future>
#include <string>
#include <thread>
#include <vector>

#include "keha/json.hpp"
#include "pg_cluster.hpp"
#include "pg_connection.hpp"
#include "pg_schema.hpp"
#include "pg_store.hpp"

using keha::server::Append;
using keha::server::Pg_connection;
using keha::server::Pg_store;
using keha::server::Room_record;
using keha::server::Store_error;
using keha::server::Store_unavailable;
using keha::store_test::Pg_cluster;

namespace {

Room_record room(const std::string& code) { return {code, "fh-" + code, "sh-" + code, 1'700'000'000'000, ""}; }

Append step(const std::string& code, std::uint64_t seq)
{
    Append a;
    a.code = code;
    a.op = {seq, "p1", "item.add", R"([{"op":"add","path":"/n/)" + std::to_string(seq) + R"(","value":1}])",
            static_cast<std::int64_t>(seq)};
    return a;
}

bool append_sync(Pg_store& store, Append a)
{
    std::promise<bool> done;
    store.append(std::move(a), [&](bool ok) { done.set_value(ok); });
    return done.get_future().get();
}

std::string scalar(const std::string& dsn, const std::string& sql)
{
    Pg_connection db(dsn);
    auto r = db.exec(sql);
    return r.rows() ? r.text(0, 0) : "";
}

}  // namespace

TEST(PgStore, DsnIsRecognisedAndItsPasswordNeverShown)
{
    using keha::server::dsn_has_password;
    using keha::server::is_postgres_dsn;
    using keha::server::without_password;
    EXPECT_TRUE(is_postgres_dsn("postgresql://keha@db.example/keha"));
    EXPECT_TRUE(is_postgres_dsn("postgres://db.example/keha"));
    EXPECT_FALSE(is_postgres_dsn("./keha.db"));
    EXPECT_FALSE(is_postgres_dsn("postgresql.db"));
    EXPECT_EQ(without_password("postgresql://keha:s3cret@db.example:5432/keha?sslmode=verify-full"),
              "postgresql://keha:***@db.example:5432/keha?sslmode=verify-full");
    EXPECT_EQ(without_password("postgresql://db.example/keha?user=keha&password=s3cret&sslmode=require"),
              "postgresql://db.example/keha?user=keha&password=***&sslmode=require");
    EXPECT_EQ(without_password("postgresql://keha@db.example/keha"), "postgresql://keha@db.example/keha");
    EXPECT_TRUE(dsn_has_password("postgresql://keha:s3cret@db.example/keha"));
    EXPECT_TRUE(dsn_has_password("postgresql://db.example/keha?password=s3cret"));
    EXPECT_FALSE(dsn_has_password("postgresql://keha@db.example/keha"));
}

TEST(PgStore, AnUnreachableServerIsNamedWithoutThePassword)
{
    try {
        Pg_store store("postgresql://keha:s3cret@/keha?host=/nonexistent-keha-socket-dir");
        FAIL() << "expected Store_error";
    } catch (const Store_error& e) {
        const std::string message = e.what();
        EXPECT_EQ(message.find("s3cret"), std::string::npos) << message;
        EXPECT_NE(message.find("cannot connect to PostgreSQL"), std::string::npos) << message;
        EXPECT_NE(message.find("/nonexistent-keha-socket-dir"), std::string::npos) << message;
    }
}

TEST(PgStore, NewDatabaseHasEveryTableAtTheCurrentSchemaVersion)
{
    const auto dsn = Pg_cluster::shared().new_database();
    { Pg_store store(dsn); }
    EXPECT_EQ(scalar(dsn, "SELECT version FROM keha_schema"), std::to_string(Pg_store::schema_version));
    EXPECT_EQ(scalar(dsn, "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables "
                          "WHERE schemaname = current_schema()"),
              "access_log,keha_schema,ops,poll_values,processes,rating_comments,rating_scores,room_leases,rooms,snapshots,tokens");
    Pg_connection db(dsn);
    EXPECT_THROW(db.exec("INSERT INTO access_log (at_ms, room, event, role, pid, name, address, detail) "
                         "VALUES (1, 'R', 'join', '', '', '', '', ''); UPDATE access_log SET name = 'x'"),
                 Store_error)
        << "the access log is append-only";
}

TEST(PgStore, MigratesVersionOneDatabaseLosslessly)
{
    const auto dsn = Pg_cluster::shared().new_database();
    {
        // As a version-1 program would have left it.
        Pg_connection old(dsn);
        old.exec(std::string("CREATE TABLE keha_schema (version INTEGER NOT NULL); INSERT INTO keha_schema VALUES (1);") +
                 keha::server::pg_migration(1));
        old.exec(R"sql(
            INSERT INTO rooms (code, facilitator_key_hash, screen_key_hash, created_at_ms, initial_state) VALUES
                ('K7Q4MX', 'fh1', 'sh1', 1000, '{"room":{"code":"K7Q4MX"},"boards":{"b":{"items":{}}}}'),
                ('B2C3D4', 'fh2', 'sh2', 2000, '{"room":{"code":"B2C3D4"}}');
            INSERT INTO ops VALUES ('K7Q4MX', 1, 'server', 'participant.join', '[{"op":"add","path":"/participants/p1","value":{}}]', 1001);
            INSERT INTO ops VALUES ('B2C3D4', 1, 'server', 'participant.join', '[]', 2001);
            INSERT INTO ops VALUES ('K7Q4MX', 2, 'p1', 'item.add', '[{"op":"add","path":"/x","value":"Ä ö å"}]', 1002);
            INSERT INTO tokens VALUES ('K7Q4MX', 'p1', 'th1');
        )sql");
    }
    Pg_store store(dsn);
    // Version 5 rewrote the ops written before room by room; new ones follow in write order.
    EXPECT_EQ(scalar(dsn, "SELECT string_agg(room || '/' || seq, ' ' ORDER BY ctid) FROM ops"),
              "B2C3D4/1 K7Q4MX/1 K7Q4MX/2");
    auto a = store.load_room("K7Q4MX");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->room.facilitator_key_hash, "fh1");
    EXPECT_EQ(a->room.created_at_ms, 1000);
    EXPECT_EQ(a->snapshot_seq, 0u);
    // Version 3 gave the rooms of before the boards and the questionnaire of today's state.
    auto state = keha::json::parse(a->snapshot);
    EXPECT_EQ(state["boards"]["hypotheses"], keha::json::parse(R"({"items":{}})"));
    EXPECT_EQ(state["ratings"]["open"], false);
    ASSERT_EQ(a->ops.size(), 2u);
    EXPECT_EQ(a->ops[1].patch, R"([{"op":"add","path":"/x","value":"Ä ö å"}])");
    EXPECT_EQ(a->token_hashes, (std::map<std::string, std::string>{{"p1", "th1"}}));
    EXPECT_EQ(store.load_room("B2C3D4")->snapshot, R"({"room":{"code":"B2C3D4"}})") << "no boards: left as it was";
    EXPECT_TRUE(append_sync(store, step("K7Q4MX", 3)));
    EXPECT_EQ(scalar(dsn, "SELECT string_agg(room || '/' || seq, ' ' ORDER BY ctid) FROM ops"),
              "B2C3D4/1 K7Q4MX/1 K7Q4MX/2 K7Q4MX/3");
    EXPECT_EQ(scalar(dsn, "SELECT version FROM keha_schema"), std::to_string(Pg_store::schema_version));
}

TEST(PgStore, RefusesDatabaseWrittenByNewerVersionAndLeavesItAlone)
{
    const auto dsn = Pg_cluster::shared().new_database();
    const auto newer = std::to_string(Pg_store::schema_version + 1);
    scalar(dsn, "CREATE TABLE keha_schema (version INTEGER NOT NULL); INSERT INTO keha_schema VALUES (" + newer + ")");
    try {
        Pg_store store(dsn);
        FAIL() << "expected Store_error";
    } catch (const Store_error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("newer Kehä"), std::string::npos) << message;
        EXPECT_NE(message.find("upgrade keha-server"), std::string::npos) << message;
    }
    EXPECT_EQ(scalar(dsn, "SELECT version FROM keha_schema"), newer);
    EXPECT_EQ(scalar(dsn, "SELECT to_regclass('rooms') IS NULL"), "t");
}

TEST(PgStore, RefusesDatabaseOfAnotherProgram)
{
    const auto dsn = Pg_cluster::shared().new_database();
    scalar(dsn, "CREATE TABLE invoices (id INTEGER PRIMARY KEY)");
    try {
        Pg_store store(dsn);
        FAIL() << "expected Store_error";
    } catch (const Store_error& e) {
        EXPECT_NE(std::string(e.what()).find("another program"), std::string::npos) << e.what();
    }
    EXPECT_EQ(scalar(dsn, "SELECT to_regclass('keha_schema') IS NULL"), "t") << "nothing was added";
}

TEST(PgStore, NodesStartingTogetherMigrateOnce)
{
    const auto dsn = Pg_cluster::shared().new_database();
    std::vector<std::future<void>> nodes;
    for (int i = 0; i < 4; ++i) nodes.push_back(std::async(std::launch::async, [&] { Pg_store store(dsn); }));
    for (auto& node : nodes) EXPECT_NO_THROW(node.get());
    EXPECT_EQ(scalar(dsn, "SELECT version FROM keha_schema"), std::to_string(Pg_store::schema_version));
}

TEST(PgStore, ReadOnlyStoreReadsAndNeverWrites)
{
    const auto dsn = Pg_cluster::shared().new_database();
    EXPECT_THROW(Pg_store(dsn, Pg_store::Read_only{}), Store_error) << "an empty database is not a Kehä database";
    {
        Pg_store store(dsn);
        store.create_room(room("K7Q4MX"), "{}");
    }
    Pg_store reader(dsn, Pg_store::Read_only{});
    EXPECT_TRUE(reader.room_exists("K7Q4MX"));
    EXPECT_THROW(reader.create_room(room("B2C3D4"), "{}"), Store_error);
}

// Another program holding a lock past the lock timeout (5 s) is "try again later", as a busy
// SQLite file is; once it lets go, writing works again.
TEST(PgStore, ALockHeldByAnotherProgramMakesWritesUnavailableUntilReleased)
{
    const auto dsn = Pg_cluster::shared().new_database();
    Pg_store store(dsn);
    store.create_room(room("K7Q4MX"), "{}");
    Pg_connection other(dsn);
    other.exec("BEGIN");
    other.exec("LOCK TABLE rooms IN ACCESS EXCLUSIVE MODE");
    EXPECT_THROW(store.create_room(room("AAAAAA"), "{}"), Store_unavailable);
    std::promise<std::string> problem;
    store.check_writable([&](const std::string& p) { problem.set_value(p); });
    EXPECT_NE(problem.get_future().get(), "") << "not ready while it cannot write";
    other.exec("ROLLBACK");
    store.create_room(room("AAAAAA"), "{}");
    EXPECT_TRUE(store.room_exists("AAAAAA"));
    EXPECT_THROW(store.create_room(room("AAAAAA"), "{}"), Store_error);
}

// The database server crashes and comes back: what was acknowledged is there, an append whose
// connection was lost is reported failed (never acknowledged), and the store goes on with new
// connections of its own.
TEST(PgStore, ADatabaseServerCrashLosesNothingAcknowledgedAndTheStoreGoesOn)
{
    auto cluster = Pg_cluster::start();  // its own: the others' tests must not see it crash
    const auto dsn = cluster.new_database();
    Pg_store store(dsn);
    store.create_room(room("K7Q4MX"), "{}");
    for (std::uint64_t seq = 1; seq <= 20; ++seq) ASSERT_TRUE(append_sync(store, step("K7Q4MX", seq)));

    cluster.crash_and_restart();

    // The first write on the old connection cannot be known to have committed: not acknowledged.
    std::uint64_t next = 21;
    if (!append_sync(store, step("K7Q4MX", next))) {
        EXPECT_FALSE(append_sync(store, step("K7Q4MX", next + 1))) << "later appends of the room wait for the rollback";
        store.accept_appends("K7Q4MX");
        next = store.ops_between("K7Q4MX", 0, UINT64_MAX).back().seq + 1;
    } else {
        ++next;
    }
    EXPECT_TRUE(append_sync(store, step("K7Q4MX", next)));
    auto ops = store.ops_between("K7Q4MX", 0, UINT64_MAX);
    ASSERT_EQ(ops.size(), next);
    for (std::size_t i = 0; i < ops.size(); ++i) EXPECT_EQ(ops[i].seq, i + 1);
    std::promise<std::string> problem;
    store.check_writable([&](const std::string& p) { problem.set_value(p); });
    EXPECT_EQ(problem.get_future().get(), "");
}

// Every answer rewrites its room's answer rows: they all carry one transaction id, so none of
// them is linked by it to the op that says who answered.
TEST(PgStore, RatingRowsCarryNoTransactionOfTheirOwn)
{
    const auto dsn = Pg_cluster::shared().new_database();
    Pg_store store(dsn);
    store.create_room(room("K7Q4MX"), "{}");
    for (std::uint64_t seq = 1; seq <= 3; ++seq) {
        std::promise<bool> done;
        store.append(step("K7Q4MX", seq),
                     {{"K7Q4MX", {{"heard", static_cast<int>(seq)}, {"useful", 5}}, "kommentti " + std::to_string(seq)}},
                     [&](bool ok) { done.set_value(ok); });
        ASSERT_TRUE(done.get_future().get());
    }
    EXPECT_EQ(store.ratings_of("K7Q4MX").scores.size(), 6u);
    EXPECT_EQ(store.ratings_of("K7Q4MX").comments,
              (std::vector<std::string>{"kommentti 1", "kommentti 2", "kommentti 3"}));
    EXPECT_EQ(scalar(dsn, "SELECT count(DISTINCT xmin::text) FROM rating_scores"), "1");
    EXPECT_EQ(scalar(dsn, "SELECT count(DISTINCT xmin::text) FROM rating_comments"), "1");
    EXPECT_EQ(scalar(dsn, "SELECT count(*) FROM ops o WHERE o.seq < 3 AND o.xmin::text = "
                          "(SELECT min(xmin::text) FROM rating_scores)"),
              "0");
}

TEST(PgStore, ANulCharacterInAnAccessLogNameDoesNotFailOtherRoomsAppends)
{
    const auto dsn = Pg_cluster::shared().new_database();
    Pg_store store(dsn);
    store.create_room(room("K7Q4MX"), "{}");
    store.log_access({1, "K7Q4MX", "join", "participant", "p1", std::string("Ma\0ija", 6), "127.0.0.1", ""});
    EXPECT_TRUE(append_sync(store, step("K7Q4MX", 1)));
    auto log = store.access_log(std::string("K7Q4MX"));
    ASSERT_EQ(log.size(), 1u);
    EXPECT_EQ(log[0].name, "Maija");
}

// Room leases (docs/architecture.md, "Scaling out"): two stores on one database stand for two
// keha-server nodes.
TEST(PgStore, OneNodeAtATimeHoldsARoomAndOnlyItsAppendsAreWritten)
{
    const auto dsn = Pg_cluster::shared().new_database();
    Pg_store a(dsn), b(dsn);
    a.create_room(room("LEASE1"), "{}");
    ASSERT_TRUE(a.claim_room("LEASE1"));
    EXPECT_FALSE(b.claim_room("LEASE1")) << "another node holds it";
    EXPECT_TRUE(a.holds_room("LEASE1"));
    EXPECT_FALSE(b.holds_room("LEASE1"));
    EXPECT_TRUE(append_sync(a, step("LEASE1", 1)));
    EXPECT_FALSE(append_sync(b, step("LEASE1", 2))) << "a node without the lease never commits for the room";
    b.accept_appends("LEASE1");

    // Claimed twice (the room reloaded), released once: still a's.
    ASSERT_TRUE(a.claim_room("LEASE1"));
    a.release_room("LEASE1");
    a.flush();
    EXPECT_FALSE(b.claim_room("LEASE1"));
    a.release_room("LEASE1");
    a.flush();
    ASSERT_TRUE(b.claim_room("LEASE1")) << "released: the other node takes it";
    EXPECT_TRUE(append_sync(b, step("LEASE1", 2)));
    EXPECT_FALSE(append_sync(a, step("LEASE1", 3))) << "a gave the room up";
    EXPECT_EQ(scalar(dsn, "SELECT string_agg(seq::text, ',' ORDER BY seq) FROM ops WHERE room = 'LEASE1'"), "1,2");
    EXPECT_TRUE(b.claim_room("NO-SUCH-ROOM")) << "a room that does not exist needs no lease";
}

TEST(PgStore, ALeaseGoesWithItsDatabaseSession)
{
    const auto dsn = Pg_cluster::shared().new_database();
    Pg_store a(dsn), b(dsn);
    a.create_room(room("LEASE2"), "{}");
    ASSERT_TRUE(a.claim_room("LEASE2"));
    EXPECT_TRUE(append_sync(a, step("LEASE2", 1)));
    // With a timeout, pg_terminate_backend waits until the backend is gone.
    ASSERT_EQ(scalar(dsn, "SELECT pg_terminate_backend(holder_pid, 10000) FROM room_leases WHERE room = 'LEASE2'"), "t");
    // The session is gone, and with it the lease: a's next append fails even before b takes the room.
    EXPECT_FALSE(append_sync(a, step("LEASE2", 2)));
    EXPECT_FALSE(a.holds_room("LEASE2"));
    ASSERT_TRUE(b.claim_room("LEASE2"));
    EXPECT_TRUE(append_sync(b, step("LEASE2", 2)));
    a.accept_appends("LEASE2");
    EXPECT_FALSE(append_sync(a, step("LEASE2", 3)));
    EXPECT_FALSE(a.claim_room("LEASE2")) << "a's new session finds b holding it";
}

TEST(PgStore, AStoreWithoutLeasesWritesRoomsNoNodeEverClaimed)
{
    // Tools and the tests write without a server (keha-server migrate); a room nobody leased is theirs.
    const auto dsn = Pg_cluster::shared().new_database();
    Pg_store a(dsn);
    a.create_room(room("LEASE3"), "{}");
    EXPECT_TRUE(append_sync(a, step("LEASE3", 1)));
}
