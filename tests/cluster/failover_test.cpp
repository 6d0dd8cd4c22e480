// Failover (docs/deployment.md, "Several nodes behind HAProxy"): twenty rooms with members
// spread over two nodes send commands through HAProxy; one node is killed with SIGKILL in the
// middle of it. Every member of its rooms reconnects through HAProxy, as the browser view does
// (the same backoff), resumes on the other node and sends again; members of the other node's
// rooms never notice. Then the killed node comes back, with the members still sending: it asks
// for the rooms taken from it (docs/deployment.md, "When a node comes back"), the other node
// hands each off, and their members follow through HAProxy. Afterwards every room is held by
// the node HAProxy hashes it to, every acknowledged command is in the database at its seq, the
// seqs are gapless, no seq was acknowledged for two commands (two nodes never both accepted
// commands for a room), and every member's state equals a fresh welcome. The test prints how
// long members took from the node's death, and from its new start, until they were back and
// had a command acknowledged (p50, p99, max).
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
using keha::cluster_test::Failover_run;
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

std::vector<double> back_times(const Failover_run& run, const std::string& node, bool after_return)
{
    std::vector<double> back;
    for (const auto& person : run.people) {
        if (!run.was_on(*person, node)) continue;
        const auto ms = after_return ? person->back_after_return_ms() : person->back_after_ms();
        EXPECT_TRUE(ms) << person->code() << ": a member never sent again after " << (after_return ? "the return" : "the kill");
        if (ms) back.push_back(*ms);
    }
    return back;
}

void print_figure(const char* what, const std::vector<double>& back)
{
    if (back.empty()) return;
    std::printf("failover: %s: %zu members back and acknowledged again after p50 %.0f ms, p99 %.0f ms, max %.0f ms\n",
                what, back.size(), percentile(back, 0.5), percentile(back, 0.99), percentile(back, 1.0));
}

// Afterwards, room by room: held by the node HAProxy hashes it to, and never accepting commands
// on two nodes at once — no seq acknowledged for two commands, none stored twice or missing,
// every acknowledged command stored at its seq, every member's state a fresh welcome's.
void check_rooms(Cluster& cluster, Failover_run& run)
{
    for (const auto& room : run.rooms) {
        // Held by the node HAProxy hashes it to: that node answers for it (only the holder can).
        const auto info = http_get(cluster.port(), "/api/rooms/" + room.code);
        EXPECT_EQ(info.status, 200) << room.code << ": " << info.body;
        EXPECT_EQ(info.header("x-keha-node"), run.node_of.at(room.code)) << room.code << " ended on the wrong node";
        if (run.node_of.at(room.code) == "node1") {
            EXPECT_NE(cluster.node("node2").log_text().find("room_handed_off room=" + room.code), std::string::npos)
                << room.code << " was not handed back by node2";
        }
        std::map<std::uint64_t, std::string> acked;
        for (auto& person : run.people) {
            if (person->code() != room.code) continue;
            for (const auto& [seq, text] : person->acked())
                EXPECT_TRUE(acked.emplace(seq, text).second) << room.code << " seq " << seq << " acknowledged twice";
        }
        const auto seqs = stored_seqs(cluster.dsn(), room.code);
        for (std::size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], i + 1) << room.code << ": a gap in the stored seqs";
        for (auto& person : run.people) {
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
}

}  // namespace

TEST(Failover, ANodeKilledMidLoadItsMembersResumeOnTheOtherAndNothingAcknowledgedIsLost)
{
    Cluster cluster({"--rate", "100000", "--burst", "100000", "--idle-unload", "1"});
    const auto run = keha::cluster_test::kill_mid_load(cluster, rooms_count, "node1", true);
    // node1 returns while everyone goes on sending: its rooms come back to it.
    const double up_after_ms = keha::cluster_test::bring_back(cluster, *run, "node1");

    for (auto& person : run->people) {
        ASSERT_TRUE(person->problems().empty()) << person->code() << ": " << person->problems().front();
        ASSERT_TRUE(person->member());
        if (!run->was_on(*person, "node1")) {
            EXPECT_EQ(person->reconnects(), 0) << person->member()->you << " of a room on node2 lost its connection";
        }
    }
    const auto after_kill = back_times(*run, "node1", false);
    const auto after_return = back_times(*run, "node1", true);
    ASSERT_FALSE(after_kill.empty());
    std::printf("failover: node1 (%ld of %d rooms) killed with SIGKILL\n", run->rooms_on("node1"), rooms_count);
    print_figure("after the kill", after_kill);
    std::printf("failover: node1 started again, UP in HAProxy after %.0f ms\n", up_after_ms);
    print_figure("its rooms moved back to it, from its start", after_return);
    std::vector<double> after_up;
    for (double ms : after_return) after_up.push_back(std::max(0.0, ms - up_after_ms));
    print_figure("its rooms moved back to it, from HAProxy counting it up", after_up);
    check_rooms(cluster, *run);
}
