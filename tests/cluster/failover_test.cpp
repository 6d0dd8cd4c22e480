// Failover (docs/deployment.md, "Several nodes behind HAProxy"): twenty rooms with members
// spread over two nodes send commands through HAProxy; one node is killed with SIGKILL in the
// middle of it. Every member of its rooms reconnects through HAProxy, as the browser view does
// (the same backoff), resumes on the other node and sends again; members of the other node's
// rooms never notice. Afterwards every acknowledged command is in the database at its seq, the
// seqs are gapless, no seq was acknowledged for two commands, and every member's state equals
// a fresh welcome. The test prints how long members took from the node's death until they
// were back and had a command acknowledged (p50, p99, max).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <thread>

#include "pg_connection.hpp"
#include "support/cluster.hpp"
#include "support/failover_load.hpp"
#include "support/meeting.hpp"

using namespace keha::itest;
using keha::cluster_test::Cluster;
using keha::cluster_test::Failover;
using keha::cluster_test::percentile;
using keha::cluster_test::Person;
using keha::cluster_test::routed;

namespace {

constexpr int rooms_count = 20;

// A fresh welcome (full state) through HAProxy for the participant behind `token`.
json routed_welcome(std::uint16_t port, const std::string& code, const std::string& token)
{
    Ws_client ws(port, routed(code));
    ws.send(hello_message(code, with_token(token)));
    auto w = ws.recv();
    if (!w || w->value("type", "") != "welcome" || !w->contains("state"))
        throw std::runtime_error("fresh welcome failed: " + (w ? w->dump() : std::string("nothing")));
    ws.close();
    return *w;
}

// The seqs of the room's ops as the database has them, in order.
std::vector<std::uint64_t> stored_seqs(const std::string& dsn, const std::string& code)
{
    keha::server::Pg_connection db(dsn);
    auto rows = db.run("SELECT seq FROM ops WHERE room = $1 ORDER BY seq", {code});
    std::vector<std::uint64_t> seqs;
    for (int r = 0; r < rows.rows(); ++r) seqs.push_back(static_cast<std::uint64_t>(rows.integer(r, 0)));
    return seqs;
}

// The first message on a new connection through HAProxy after a hello as a newcomer.
json newcomer_answer(std::uint16_t port, const std::string& code)
{
    Ws_client ws(port, routed(code));
    ws.send(hello_message(code, as_participant("Newcomer")));
    auto answer = ws.recv();
    return answer ? *answer : json();
}

// node1 comes back. A room that moved to node2 stays there while its members are in it: a
// newcomer HAProxy sends to node1 is told to come back (bye moved), and node2 goes on taking
// the members' commands. Once everyone has left and node2 unloaded it (--idle-unload 1), the
// next hello takes the room on node1, and its seqs go on from node2's.
void the_room_moves_back(Cluster& cluster, const std::string& code, std::vector<Member*> members)
{
    cluster.restart("node1");
    const json refused = newcomer_answer(cluster.port(), code);
    EXPECT_EQ(refused.value("type", ""), "bye") << refused.dump();
    EXPECT_EQ(refused.value("reason", ""), "moved") << refused.dump();
    const auto on_node2 = members.front()->ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "still on node2"}});

    for (Member* m : members) m->ws.close();
    std::unique_ptr<Member> back;
    for (auto until = Clock::now() + 20s; !back && Clock::now() < until;) {
        try {
            back = std::make_unique<Member>(cluster.port(), code, as_participant("Back on node1"), routed(code));
        } catch (const std::exception&) {
            std::this_thread::sleep_for(300ms);
        }
    }
    ASSERT_TRUE(back) << "the room never moved back to node1";
    const auto seq = back->ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "on node1 again"}});
    EXPECT_GT(seq, on_node2);
    EXPECT_EQ(item_of(back->state, "timeline", "i" + std::to_string(on_node2))["text"], "still on node2");
    EXPECT_NE(cluster.node("node1").log_text().find("room_loaded room=" + code), std::string::npos);
}

}  // namespace

TEST(Failover, ANodeKilledMidLoadItsMembersResumeOnTheOtherAndNothingAcknowledgedIsLost)
{
    Cluster cluster({"--rate", "100000", "--burst", "100000", "--idle-unload", "1"});
    const auto run = keha::cluster_test::kill_mid_load(cluster, rooms_count, "node1");
    const auto& rooms = run->rooms;
    auto& people = run->people;

    std::vector<double> back;
    for (auto& person : people) {
        ASSERT_TRUE(person->problems().empty()) << person->code() << ": " << person->problems().front();
        ASSERT_TRUE(person->member());
        const auto& who = person->member()->you;
        if (run->was_on(*person, "node1")) {
            EXPECT_TRUE(person->back_after_ms()) << who << " in " << person->code() << " never sent again";
            if (person->back_after_ms()) back.push_back(*person->back_after_ms());
        } else {
            EXPECT_EQ(person->reconnects(), 0) << who << " of a room on the surviving node lost its connection";
        }
    }
    ASSERT_FALSE(back.empty());
    std::printf("failover: node1 (%ld of %d rooms, %zu members) killed with SIGKILL; back and acknowledged again after "
                "p50 %.0f ms, p99 %.0f ms, max %.0f ms\n",
                run->rooms_on("node1"), rooms_count, back.size(), percentile(back, 0.5),
                percentile(back, 0.99), percentile(back, 1.0));

    for (const auto& room : rooms) {
        std::map<std::uint64_t, std::string> acked;
        for (auto& person : people) {
            if (person->code() != room.code) continue;
            for (const auto& [seq, text] : person->acked())
                EXPECT_TRUE(acked.emplace(seq, text).second) << room.code << " seq " << seq << " acknowledged twice";
        }
        const auto seqs = stored_seqs(cluster.dsn(), room.code);
        for (std::size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], i + 1) << room.code << ": a gap in the stored seqs";
        for (auto& person : people) {
            if (person->code() != room.code) continue;
            auto& member = *person->member();
            member.settle();
            EXPECT_EQ(member.gaps, 0);
            const json fresh = routed_welcome(cluster.port(), room.code, person->token());
            EXPECT_EQ(member.state, fresh["state"]) << room.code << " " << member.you;
            for (const auto& [seq, text] : acked)
                EXPECT_EQ(item_of(fresh["state"], "timeline", "i" + std::to_string(seq))["text"], text)
                    << room.code << " seq " << seq << " was acknowledged and is not there";
        }
    }

    // The killed node returns; one of the rooms it had moves back, never on two nodes at once.
    const auto moved = std::find_if(rooms.begin(), rooms.end(), [&](const auto& r) { return run->node_of.at(r.code) == "node1"; });
    std::vector<Member*> members;
    for (auto& person : people)
        if (person->code() == moved->code) members.push_back(person->member());
    the_room_moves_back(cluster, moved->code, members);
    const auto seqs = stored_seqs(cluster.dsn(), moved->code);
    for (std::size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], i + 1) << moved->code << ": a gap after the move";
}
