// Several keha-server nodes on one PostgreSQL database (docs/architecture.md, "Scaling out"):
// at most one node accepts commands for a room. The node that loads a room takes its lease;
// a member who reaches the other node gets `bye moved` (docs/protocol.md) and connects again;
// the lease goes with the node's database session, so a killed node frees its rooms, and a
// node whose lease session ends sends its members on at once and never commits for the room
// again. A node asked for a room (a member or an HTTP request for it reached the other node)
// hands it off, and its members resume there; HTTP meanwhile answers 503 moved.
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

TEST(RoomLease, ANodeWhoseLeaseSessionEndsSendsItsMembersOnAtOnceAndNeverCommitsForTheRoomAgain)
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

    // Node a notices at once, not at its next commit: with nothing sent, its members are sent on.
    json got;
    for (auto m = f.ws.recv(); m; m = f.ws.recv())
        if ((*m)["type"] == "bye") {
            got = *m;
            break;
        }
    EXPECT_TRUE(is_moved(got)) << got.dump();
    EXPECT_TRUE(f.ws.wait_closed());
    EXPECT_NE(a->log_text().find("room_lease_lost room=" + keys.code), std::string::npos) << a->log_text();

    // Node b takes the room with what a committed; a sends members on.
    Member on_b(b->port(), keys.code, with_key(keys.facilitator_key));
    EXPECT_EQ(item_of(on_b.state, "timeline", "i" + std::to_string(kept))["text"], "before");
    EXPECT_EQ(on_b.state["boards"]["timeline"]["items"].size(), 1u);
    EXPECT_GT(on_b.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "on b"}}), kept);
    EXPECT_TRUE(is_moved(hello_on(a->port(), keys)));
}

namespace {

// The bye a member gets when its node lets the room go (bounded: the node first holds a room
// it took for a few seconds, room_hand_off.cpp).
json bye_of(Member& m)
{
    const auto until = Clock::now() + 20s;
    while (Clock::now() < until) {
        auto message = m.try_next(200ms);
        if (message && (*message)["type"] == "bye") return *message;
        if (!message && m.ws.closed()) break;
    }
    return json();
}

// The member's resume on `port` with its token and the seq it had, tried again (as the clients
// do) while that node is still waiting for the other to let the room go.
std::unique_ptr<Member> resume_on(std::uint16_t port, const std::string& code, const Member& m)
{
    for (auto until = Clock::now() + 10s; Clock::now() < until; std::this_thread::sleep_for(200ms)) {
        try {
            return std::make_unique<Member>(port, code, with_token(m.token, m.seq), Ws_client::Options{}, m.state);
        } catch (const std::exception&) {  // bye moved: the lease is not free yet
        }
    }
    return nullptr;
}

std::string stored_seqs(const std::string& db, const std::string& code)
{
    keha::server::Pg_connection admin(db);
    return admin.run("SELECT string_agg(seq::text, ',' ORDER BY seq) FROM ops WHERE room = $1", {code}).text(0, 0);
}

std::string seqs_upto(std::uint64_t last)
{
    std::string out;
    for (std::uint64_t s = 1; s <= last; ++s) out += (s > 1 ? "," : "") + std::to_string(s);
    return out;
}

}  // namespace

// The node the balancer sends a room's members to now asks for it (a member's hello reached
// it): the node holding it lets it go once nothing of it is in flight, its members get bye
// moved, and they resume on the other node from where they were, with the log unbroken.
TEST(RoomLease, ANodeAskedForARoomHandsItOffAndItsMembersResumeOnTheOther)
{
    Nodes nodes;
    auto a = nodes.start("a");
    auto b = nodes.start("b");
    const auto keys = create_room(a->port());
    Member f(a->port(), keys.code, with_key(keys.facilitator_key));
    Member p(a->port(), keys.code, as_participant("Pia"));
    f.ok("phase.goto", {{"phase", "timeline"}});
    const auto on_a = p.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "on a"}});

    EXPECT_TRUE(is_moved(hello_on(b->port(), keys))) << "a still holds it when b is asked";
    for (Member* m : {&f, &p}) {
        const json bye = bye_of(*m);
        EXPECT_TRUE(is_moved(bye)) << m->you << ": " << bye.dump();
        m->settle();
    }
    EXPECT_NE(a->log_text().find("room_handed_off room=" + keys.code), std::string::npos) << a->log_text();

    // Back on b with their tokens and the seq they had: the replay continues their state.
    auto resumed_f = resume_on(b->port(), keys.code, f);
    auto resumed_p = resume_on(b->port(), keys.code, p);
    ASSERT_TRUE(resumed_f && resumed_p) << "b never took the room";
    Member& f_b = *resumed_f;
    Member& p_b = *resumed_p;
    const auto on_b = p_b.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "on b"}});
    EXPECT_GT(on_b, on_a);
    f_b.catch_up(on_b);
    EXPECT_EQ(f_b.gaps, 0);
    EXPECT_EQ(p_b.gaps, 0);
    EXPECT_EQ(f_b.state, fresh_welcome(b->port(), keys.code, f.token)["state"]);
    EXPECT_EQ(item_of(f_b.state, "timeline", "i" + std::to_string(on_a))["text"], "on a");
    EXPECT_EQ(stored_seqs(nodes.db, keys.code), seqs_upto(on_b)) << "every seq once, none missing";
    EXPECT_TRUE(is_moved(hello_on(a->port(), keys))) << "b holds it now";
}

// HTTP for a room another node holds: 503 with the code `moved` and Retry-After, which the
// clients follow; the same request a moment later is answered by the node that asked.
TEST(RoomLease, HttpForARoomAnotherNodeHoldsIs503MovedWithRetryAfterThenAnsweredThere)
{
    Nodes nodes;
    auto a = nodes.start("a");
    auto b = nodes.start("b");
    const auto keys = create_room(a->port(), {{"title", "Siirtyvä kokous"}, {"language", "fi"}});
    Member f(a->port(), keys.code, with_key(keys.facilitator_key));

    const auto refused = http_get(b->port(), "/api/rooms/" + keys.code);
    EXPECT_EQ(refused.status, 503);
    EXPECT_EQ(refused.json_body().value("error", ""), "moved") << refused.body;
    EXPECT_EQ(refused.header("retry-after"), "1");
    EXPECT_EQ(b->log_text().find("store_failed"), std::string::npos) << "not a store failure";

    Http_answer answered;
    for (int tries = 0; tries < 20 && answered.status != 200; ++tries) {
        std::this_thread::sleep_for(std::chrono::seconds(std::stoi(refused.header("retry-after"))));
        answered = http_get(b->port(), "/api/rooms/" + keys.code);
    }
    ASSERT_EQ(answered.status, 200) << answered.body;
    EXPECT_EQ(answered.json_body().value("title", ""), "Siirtyvä kokous");
    EXPECT_TRUE(is_moved(bye_of(f)));
}
