// What a node hears about its room leases (server/pg_leases.hpp, Store::Lease_events): two
// stores on one database stand for two keha-server nodes. A room asked for elsewhere is
// reported to its holder at once; a lease session that ends is reported at once, with no
// commit needed to find out; a node that comes back asks (once) for the rooms taken from it;
// one node at a time leads the sweeps.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "pg_cluster.hpp"
#include "pg_connection.hpp"
#include "pg_store.hpp"

using keha::server::Pg_connection;
using keha::server::Pg_store;
using keha::server::Room_record;
using keha::server::Store;
using keha::store_test::Pg_cluster;
using namespace std::chrono_literals;

namespace {

Room_record room(const std::string& code) { return {code, "fh-" + code, "sh-" + code, 1'700'000'000'000, ""}; }

std::string scalar(const std::string& dsn, const std::string& sql)
{
    Pg_connection db(dsn);
    auto r = db.exec(sql);
    return r.rows() ? r.text(0, 0) : "";
}

// What a store's watcher reported, waited for with a bound.
class Heard {
public:
    Store::Lease_events events(const std::string& node)
    {
        return {node,
                [this](const std::string& code) { add(wanted_, {code}); },
                [this](const std::vector<std::string>& codes) { add(lost_, codes); }};
    }
    // Waits until `code` was reported (wanted, or lost); false after 10 s.
    bool wanted(const std::string& code) { return wait(wanted_, code); }
    bool lost(const std::string& code) { return wait(lost_, code); }
    std::vector<std::string> all_wanted()
    {
        std::lock_guard lock(mutex_);
        return wanted_;
    }

private:
    void add(std::vector<std::string>& to, const std::vector<std::string>& codes)
    {
        std::lock_guard lock(mutex_);
        to.insert(to.end(), codes.begin(), codes.end());
        changed_.notify_all();
    }
    bool wait(const std::vector<std::string>& in, const std::string& code)
    {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, 10s, [&] { return std::find(in.begin(), in.end(), code) != in.end(); });
    }
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::string> wanted_, lost_;
};

// Ends the session of whoever holds the room's lease, as a network cut or an administrator would.
void end_lease_session(const std::string& dsn, const std::string& code)
{
    // With a timeout, pg_terminate_backend waits until the backend is gone.
    ASSERT_EQ(scalar(dsn, "SELECT pg_terminate_backend(holder_pid, 10000) FROM room_leases WHERE room = '" + code + "'"), "t");
}

}  // namespace

TEST(PgLeases, ARoomAskedForElsewhereIsReportedToItsHolderOnly)
{
    const auto dsn = Pg_cluster::shared().new_database();
    Pg_store a(dsn), b(dsn);
    Heard heard_a, heard_b;
    a.watch_leases(heard_a.events("a:1"));
    b.watch_leases(heard_b.events("b:1"));
    a.create_room(room("WANT01"), "{}");
    a.create_room(room("WANT02"), "{}");
    ASSERT_TRUE(a.claim_room("WANT01"));
    ASSERT_FALSE(b.claim_room("WANT01"));

    b.want_room("WANT02");  // nobody holds it: nothing to report
    b.want_room("WANT01");
    EXPECT_TRUE(heard_a.wanted("WANT01"));
    EXPECT_EQ(heard_a.all_wanted(), std::vector<std::string>{"WANT01"});
    EXPECT_TRUE(heard_b.all_wanted().empty()) << "a node does not hear its own asking";

    // The holder lets it go: the other node takes it.
    a.release_room("WANT01");
    a.flush();
    EXPECT_TRUE(b.claim_room("WANT01"));
    a.watch_leases({});
    b.watch_leases({});
}

TEST(PgLeases, ALeaseSessionThatEndsIsReportedLostAtOnceWithoutACommit)
{
    const auto dsn = Pg_cluster::shared().new_database();
    Pg_store a(dsn), b(dsn);
    Heard heard;
    a.watch_leases(heard.events("a:1"));
    for (const char* code : {"LOST01", "LOST02"}) {
        a.create_room(room(code), "{}");
        ASSERT_TRUE(a.claim_room(code));
    }
    end_lease_session(dsn, "LOST01");
    EXPECT_TRUE(heard.lost("LOST01"));
    EXPECT_TRUE(heard.lost("LOST02"));
    EXPECT_FALSE(a.holds_room("LOST01"));
    EXPECT_FALSE(a.holds_room("LOST02"));
    EXPECT_TRUE(b.claim_room("LOST01"));
    a.watch_leases({});
}

TEST(PgLeases, ANodeThatComesBackAsksOnceForTheRoomsTakenFromIt)
{
    const auto dsn = Pg_cluster::shared().new_database();
    Heard heard_b;
    Pg_store b(dsn);
    b.watch_leases(heard_b.events("b:1"));
    {
        Pg_store a(dsn);
        a.watch_leases({"a:1", [](const std::string&) {}, [](const std::vector<std::string>&) {}});
        for (const char* code : {"BACK01", "BACK02", "BACK03"}) a.create_room(room(code), "{}");
        ASSERT_TRUE(a.claim_room("BACK01"));
        ASSERT_TRUE(a.claim_room("BACK02"));
        ASSERT_TRUE(a.claim_room("BACK03"));
        a.release_room("BACK03");  // let go, not lost
        a.flush();
        end_lease_session(dsn, "BACK01");  // a dies holding BACK01 and BACK02
        a.watch_leases({});
    }
    ASSERT_TRUE(b.claim_room("BACK01"));
    ASSERT_TRUE(b.claim_room("BACK02"));
    ASSERT_TRUE(b.claim_room("BACK03"));
    EXPECT_EQ(scalar(dsn, "SELECT string_agg(room, ',' ORDER BY room) FROM room_leases WHERE taken_from = 'a:1'"),
              "BACK01,BACK02");

    Pg_store a_again(dsn);
    a_again.watch_leases({"a:1", [](const std::string&) {}, [](const std::vector<std::string>&) {}});
    a_again.reclaim_rooms();
    EXPECT_TRUE(heard_b.wanted("BACK01"));
    EXPECT_TRUE(heard_b.wanted("BACK02"));
    a_again.reclaim_rooms();  // asked once: not again
    b.release_room("BACK01");
    b.flush();
    ASSERT_TRUE(a_again.claim_room("BACK01"));
    const auto wanted = heard_b.all_wanted();
    EXPECT_EQ(std::count(wanted.begin(), wanted.end(), "BACK01"), 1);
    EXPECT_EQ(std::count(wanted.begin(), wanted.end(), "BACK03"), 0) << "a let BACK03 go: it was not taken";
    EXPECT_EQ(scalar(dsn, "SELECT count(*) FROM room_leases WHERE taken_from <> ''"), "0");
    a_again.watch_leases({});
    b.watch_leases({});
}

TEST(PgLeases, OneNodeAtATimeLeadsTheSweepsUntilItsSessionEnds)
{
    const auto dsn = Pg_cluster::shared().new_database();
    Pg_store a(dsn), b(dsn);
    EXPECT_TRUE(a.lead_sweeps());
    EXPECT_TRUE(a.lead_sweeps()) << "kept while its session lives";
    EXPECT_FALSE(b.lead_sweeps());
    ASSERT_EQ(scalar(dsn, "SELECT pg_terminate_backend(pid, 10000) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                          "AND classid = 1801807969::bigint::oid AND objid = 0 AND objsubid = 2 "
                          "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
              "t");
    EXPECT_TRUE(b.lead_sweeps());
    EXPECT_FALSE(a.lead_sweeps()) << "a's new session finds b leading";
}
