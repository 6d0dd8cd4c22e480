// Several keha-server nodes on one PostgreSQL database (docs/architecture.md, "Scaling out"):
// at most one node accepts commands for a room. The node that loads a room takes its lease;
// a member who reaches the other node gets `bye moved` (docs/protocol.md) and connects again;
// the lease goes with the node's database session, so a killed node frees its rooms, and a
// node whose lease session died never commits for the room again.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>

#include <array>
#include <latch>
#include <memory>
#include <thread>

#include "pg_cluster.hpp"
#include "pg_connection.hpp"
#include "support/meeting.hpp"

using namespace keha::itest;
using keha::store_test::Pg_cluster;

namespace {

// Two nodes (or more) on one database, each with its own log.
struct Nodes {
    Temp_dir dir;
    std::string db = Pg_cluster::shared().new_database();

    std::unique_ptr<Server_process> start(const std::string& name) const
    {
        return std::make_unique<Server_process>(
            dir.path() / name,
            Server_process::Exact_args{
                {"--port", "0", "--bind", "127.0.0.1", "--db", db, "--assets", KEHA_TEST_ASSETS}});
    }
};

bool is_welcome(const json& m) { return m.is_object() && m.value("type", "") == "welcome"; }
bool is_moved(const json& m) { return m.is_object() && m.value("type", "") == "bye" && m.value("reason", "") == "moved"; }

// A hello to each node at the same moment, on connections already open: the two answers.
std::array<json, 2> race(const std::array<std::uint16_t, 2>& ports, const json& hello,
                         std::array<std::unique_ptr<Ws_client>, 2>& ws)
{
    std::array<json, 2> first;
    std::latch ready(2);
    auto racer = [&](int i) {
        ws[i] = std::make_unique<Ws_client>(ports[i]);
        ready.arrive_and_wait();
        ws[i]->send(hello);
        first[i] = ws[i]->recv().value_or(json());
    };
    std::thread other(racer, 1);
    racer(0);
    other.join();
    return first;
}

// A member's first answer to a hello on `port`: a welcome, or the bye moved (then closed).
json hello_on(std::uint16_t port, const Room_keys& keys)
{
    auto answer = hello_answer(port, hello_message(keys.code, with_key(keys.facilitator_key)));
    if (answer.message && is_moved(*answer.message)) {
        EXPECT_TRUE(answer.closed);
    }
    return answer.message.value_or(json());
}

}  // namespace

TEST(RoomLease, TwoNodesRacingForOneRoomExactlyOneAcceptsAndTheOtherSaysMoved)
{
    Nodes nodes;
    auto a = nodes.start("a");
    auto b = nodes.start("b");
    for (int round = 0; round < 6; ++round) {
        const auto keys = create_room(round % 2 ? a->port() : b->port());
        std::array<std::unique_ptr<Ws_client>, 2> ws;
        const auto first = race({a->port(), b->port()}, hello_message(keys.code, with_key(keys.facilitator_key)), ws);
        const int welcomed = is_welcome(first[0]) + is_welcome(first[1]);
        ASSERT_EQ(welcomed, 1) << first[0].dump() << "\n" << first[1].dump();
        const int winner = is_welcome(first[0]) ? 0 : 1;
        const int loser = 1 - winner;
        EXPECT_TRUE(is_moved(first[loser])) << first[loser].dump();
        EXPECT_TRUE(ws[loser]->wait_closed());

        // The winner accepts commands; the other node keeps sending members away.
        ws[winner]->send(do_message("c1", "item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "here"}}));
        json reply;
        for (auto m = ws[winner]->recv(); m; m = ws[winner]->recv())
            if ((*m)["type"] == "ack" || (*m)["type"] == "error") {
                reply = *m;
                break;
            }
        EXPECT_EQ(reply["type"], "ack") << reply.dump();
        const std::uint16_t other_port = loser == 0 ? a->port() : b->port();
        EXPECT_TRUE(is_moved(hello_on(other_port, keys)));
    }
}

TEST(RoomLease, AKilledNodesRoomsOpenOnTheOtherWithEverythingAcknowledged)
{
    Nodes nodes;
    auto a = nodes.start("a");
    auto b = nodes.start("b");
    const auto keys = create_room(a->port());
    std::uint64_t seq = 0;
    {
        Member f(a->port(), keys.code, with_key(keys.facilitator_key));
        for (int i = 0; i < 5; ++i)
            seq = f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "kept " + std::to_string(i)}});
        EXPECT_TRUE(is_moved(hello_on(b->port(), keys)));
        a->signal(SIGKILL);
        ASSERT_TRUE(a->wait_exit(10s).has_value());
    }
    // The dead node's database session, and with it the lease, goes once PostgreSQL has seen its
    // connection close, a moment after the kill: until then b says `moved`, and the member
    // comes again, as the clients do.
    std::unique_ptr<Member> f;
    for (const auto until = Clock::now() + 10s; !f;) {
        try {
            f = std::make_unique<Member>(b->port(), keys.code, with_key(keys.facilitator_key));
        } catch (const std::exception&) {
            if (Clock::now() > until) throw;
            std::this_thread::sleep_for(100ms);
        }
    }
    EXPECT_GE(f->seq, seq);
    EXPECT_EQ(item_of(f->state, "timeline", "i" + std::to_string(seq))["text"], "kept 4");
    EXPECT_EQ(f->state["boards"]["timeline"]["items"].size(), 5u);
    EXPECT_GT(f->ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "on b"}}), seq);
}

TEST(RoomLease, ANodeWhoseLeaseSessionDiedNeverCommitsForTheRoomAgain)
{
    Nodes nodes;
    auto a = nodes.start("a");
    auto b = nodes.start("b");
    const auto keys = create_room(a->port());
    Member f(a->port(), keys.code, with_key(keys.facilitator_key));
    const auto kept = f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "before"}});

    // The database ends node a's lease session, as a network cut or an administrator would.
    keha::server::Pg_connection admin(nodes.db);
    const auto holder = admin.run("SELECT holder_pid FROM room_leases WHERE room = $1", {keys.code});
    ASSERT_EQ(holder.rows(), 1);
    // pg_terminate_backend only signals the backend: wait until it is gone.
    ASSERT_EQ(admin.run("SELECT pg_terminate_backend($1::int, 10000)", {holder.text(0, 0)}).text(0, 0), "t");

    // Node a's next commit for the room fails its fence: no ack, and its members are sent on.
    const auto id = f.send("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "never stored"}});
    json got;
    for (auto m = f.ws.recv(); m; m = f.ws.recv())
        if ((*m)["type"] == "bye" || (*m)["id"] == id) {
            got = *m;
            break;
        }
    EXPECT_TRUE(is_moved(got)) << got.dump();
    EXPECT_TRUE(f.ws.wait_closed());

    // Node b takes the room with what a committed, and nothing a could not; a sends members on.
    Member on_b(b->port(), keys.code, with_key(keys.facilitator_key));
    EXPECT_EQ(item_of(on_b.state, "timeline", "i" + std::to_string(kept))["text"], "before");
    EXPECT_EQ(on_b.state["boards"]["timeline"]["items"].size(), 1u) << "what a could not commit is not there";
    EXPECT_GT(on_b.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "on b"}}), kept);
    EXPECT_TRUE(is_moved(hello_on(a->port(), keys)));
}
