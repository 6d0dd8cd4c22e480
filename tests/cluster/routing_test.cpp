// Two keha-server nodes on one PostgreSQL database behind the example HAProxy configuration
// (docs/deployment.md, "Several nodes behind HAProxy"): every address of a room reaches the
// same node, however the code is written; the rooms spread over both nodes; a meeting on one
// node imports from a meeting on the other; a draining node is taken out of rotation; a room
// held by the node it does not hash to moves to its own, and keha-desk follows the 503 moved.
#include <gtest/gtest.h>

#include <signal.h>

#include <set>
#include <thread>

#include "support/cluster.hpp"
#include "support/meeting.hpp"

#ifdef KEHA_TEST_DESK
#include "http_client.hpp"
#include "url.hpp"
#endif

using namespace keha::itest;
using keha::cluster_test::Cluster;

namespace {

// The code as a person may type it: lower case, a dash between the halves.
std::string typed(const std::string& code)
{
    std::string lower;
    for (char c : code) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower.substr(0, 4) + "-" + lower.substr(4);
}

Ws_client::Options routed(const std::string& code)
{
    Ws_client::Options options;
    options.target = "/ws?room=" + code;
    return options;
}

std::string id_of(const Member& m, const std::string& board, const std::string& text)
{
    for (const auto& [id, item] : m.state["boards"][board]["items"].items())
        if (item["text"] == text) return id;
    return "";
}

}  // namespace

TEST(ClusterRouting, EveryAddressOfARoomReachesOneNodeAndTheRoomsSpreadOverBoth)
{
    Cluster cluster;
    EXPECT_EQ(http_get(cluster.port(), "/healthz").status, 200);
    std::map<std::string, int> rooms_on;
    std::vector<Room_keys> rooms;
    for (int i = 0; i < 20; ++i) rooms.push_back(create_room(cluster.port()));
    for (const auto& room : rooms) {
        const auto node = cluster.node_of(room.code);
        ASSERT_TRUE(node == "node1" || node == "node2") << node;
        ++rooms_on[node];
        for (const auto& target : {"/r/" + room.code, "/r/" + typed(room.code), "/screen/" + room.code,
                                   "/api/rooms/" + typed(room.code) + "/qr.svg", "/ws?room=" + room.code,
                                   "/ws?room=" + typed(room.code), "/ws?lang=fi&room=" + room.code})
            EXPECT_EQ(cluster.haproxy().node_for(target), node) << target;
    }
    EXPECT_GE(rooms_on["node1"], 1);
    EXPECT_GE(rooms_on["node2"], 1);

    // Members who join through HAProxy are in one place: each sees the others' commands.
    for (const auto& room : {rooms.front(), rooms.back()}) {
        Member f(cluster.port(), room.code, with_key(room.facilitator_key), routed(room.code));
        Member p(cluster.port(), room.code, as_participant("Pia"), routed(typed(room.code)));
        f.ok("phase.goto", {{"phase", "timeline"}});
        const auto seq = p.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "one place"}});
        f.catch_up(seq);
        EXPECT_EQ(item_of(f.state, "timeline", "i" + std::to_string(seq))["text"], "one place");
        EXPECT_EQ(f.gaps, 0);
    }
}

// Processes and imports across nodes: the leaders' meeting lives on one node, the
// professionals' meeting it imports from on the other.
TEST(ClusterRouting, AMeetingOnOneNodeImportsFromAMeetingOnTheOther)
{
    Cluster cluster;
    auto made = http_request(cluster.port(), "POST", "/api/processes",
                             json{{"title", "Across nodes"}, {"teams", {"Pros", "Leaders"}}}.dump());
    ASSERT_EQ(made.status, 201) << made.body;
    const std::string process = made.json_body()["id"], key = made.json_body()["key"];
    auto meeting = [&](const std::string& title, const std::string& team) {
        return create_room(cluster.port(), {{"title", title}, {"process", process}, {"process_key", key},
                                            {"team", team}, {"language", "en"}});
    };
    const auto pros = meeting("Professionals", "Pros");
    const auto pros_node = cluster.node_of(pros.code);
    std::optional<Room_keys> leaders;
    for (int i = 0; i < 16 && !leaders; ++i) {
        auto candidate = meeting("Leaders " + std::to_string(i), "Leaders");
        if (cluster.node_of(candidate.code) != pros_node) leaders = candidate;
    }
    ASSERT_TRUE(leaders) << "no leaders' meeting hashed to the other node in 16 tries";

    {
        Member f(cluster.port(), pros.code, with_key(pros.facilitator_key), routed(pros.code));
        for (const char* e : {"First report from school", "Network meeting"})
            f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", e}});
        f.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Shared calendar"}});
    }
    Member l(cluster.port(), leaders->code, with_key(leaders->facilitator_key), routed(leaders->code));
    const json ack = l.run("item.import", {{"from", pros.code}});
    ASSERT_EQ(ack["type"], "ack") << ack.dump();
    EXPECT_EQ(ack["imported"], (json{{"event", 2}, {"action", 1}}));
    l.settle();
    EXPECT_NE(id_of(l, "timeline", "Network meeting"), "");
    EXPECT_NE(id_of(l, "plan", "Shared calendar"), "");

    // The process's report reads both meetings, whichever node answers it.
    auto report = http_get(cluster.port(), "/api/processes/" + process, {{"Authorization", "Bearer " + key}});
    EXPECT_EQ(report.status, 200) << report.body;
}

// SIGTERM with --drain: /healthz says 503, HAProxy takes the node out, and the rooms it had go
// to the other node for new connections once the draining node let them go (a room nobody is
// in leaves memory and its lease after --idle-unload); a second SIGTERM stops it.
TEST(ClusterRouting, ADrainingNodeIsTakenOutOfRotationAndItsRoomsGoToTheOther)
{
    Cluster cluster({"--drain", "60", "--idle-unload", "1"});
    std::vector<std::string> on_node1;
    for (int i = 0; i < 12; ++i) {
        auto room = create_room(cluster.port());
        if (cluster.node_of(room.code) == "node1") on_node1.push_back(room.code);
    }
    ASSERT_FALSE(on_node1.empty());

    cluster.node("node1").signal(SIGTERM);
    ASSERT_TRUE(cluster.haproxy().wait_status("node1", "DOWN", 15s)) << cluster.haproxy().status_of("node1");
    EXPECT_TRUE(cluster.node("node1").running());
    for (const auto& code : on_node1) {
        EXPECT_EQ(cluster.node_of(code), "node2") << code;
        std::unique_ptr<Member> p;
        for (auto until = Clock::now() + 10s; !p && Clock::now() < until;) {
            try {
                p = std::make_unique<Member>(cluster.port(), code, as_participant("Moved"), routed(code));
            } catch (const std::exception&) {
                std::this_thread::sleep_for(200ms);  // bye moved: node1 still holds the room's lease
            }
        }
        ASSERT_TRUE(p) << code << " never opened on node2";
        EXPECT_EQ(p->role, "participant");
    }
    cluster.node("node1").signal(SIGTERM);
    EXPECT_TRUE(cluster.node("node1").wait_exit(10s));
}

#ifdef KEHA_TEST_DESK
// A member reached the node the room does not hash to (as HAProxy's redispatch may send one
// while the room's own node is briefly out), and that node took the room. A request for the
// room through HAProxy reaches its own node, which answers 503 moved with Retry-After and asks
// the holder for it; keha-desk's HTTP client asks again after Retry-After and gets the answer
// once the holder has handed the room over; the member there was sent on with bye moved.
TEST(ClusterRouting, ARoomHeldByTheOtherNodeMovesToItsOwnAndKehaDeskFollowsThe503)
{
    Cluster cluster;
    const auto room = create_room(cluster.port());
    // The room's page does not load the room: only where HAProxy sends it.
    const auto own = cluster.haproxy().node_for("/r/" + room.code);
    const auto other = own == "node1" ? "node2" : "node1";
    Member stray(cluster.node_port(other), room.code, with_key(room.facilitator_key));
    stray.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "on the other node"}});

    const auto refused = http_get(cluster.port(), "/api/rooms/" + room.code);
    EXPECT_EQ(refused.status, 503);
    EXPECT_EQ(refused.json_body().value("error", ""), "moved") << refused.body;
    EXPECT_EQ(refused.header("retry-after"), "1");
    EXPECT_EQ(refused.header("x-keha-node"), own);

    const auto server = *keha::desk::parse_server_url("http://127.0.0.1:" + std::to_string(cluster.port()));
    const auto answered = keha::desk::http_get(server, "/api/rooms/" + room.code);
    EXPECT_EQ(answered.status, 200) << answered.error << " " << answered.body;
    bool moved = false;
    for (auto until = Clock::now() + 10s; !moved && Clock::now() < until;)
        if (auto m = stray.try_next(200ms); m && (*m)["type"] == "bye") moved = (*m)["reason"] == "moved";
    EXPECT_TRUE(moved) << "the member on the other node was not sent on";
    Member back(cluster.port(), room.code, with_key(room.facilitator_key), routed(room.code));
    EXPECT_EQ(back.state["boards"]["timeline"]["items"].size(), 1u);
    EXPECT_EQ(cluster.node_of(room.code), own);
}
#endif
