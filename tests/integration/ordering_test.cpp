// docs/protocol.md §9.1 and §9.6: one seq per accepted command, gapless and increasing per room, one
// patch to every member, then one ack to the sender; a refused command gets one error and
// consumes no seq; the server's own commands follow the same rule.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

json timeline_item(const std::string& text) { return {{"board", "timeline"}, {"column", "event"}, {"text", text}}; }

struct Room_with_members {
    Room_keys keys;
    std::unique_ptr<Member> facilitator, alice, bob, screen;
    std::vector<Member*> all() { return {facilitator.get(), alice.get(), bob.get(), screen.get()}; }

    explicit Room_with_members(std::uint16_t port) : keys(create_room(port))
    {
        facilitator = std::make_unique<Member>(port, keys.code, with_key(keys.facilitator_key));
        alice = std::make_unique<Member>(port, keys.code, as_participant("Alice"));
        bob = std::make_unique<Member>(port, keys.code, as_participant("Bob", "leader"));
        screen = std::make_unique<Member>(port, keys.code, with_key(keys.screen_key));
        const auto last = screen->seq;
        for (auto* m : all()) m->catch_up(last);
        for (auto* m : all()) m->settle(100ms);
    }
};

}  // namespace

TEST(Ordering, EachAcceptedCommandGetsTheNextSeqOnePatchPerMemberThenOneAck)
{
    const auto port = shared_server().port();
    Room_with_members room(port);
    const std::uint64_t start = room.alice->seq;
    for (auto* m : room.all()) {
        m->messages.clear();
        ASSERT_EQ(m->seq, start) << m->you;
    }

    constexpr int n = 20;
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) ids.push_back(room.alice->send("item.add", timeline_item("event " + std::to_string(i))));
    room.alice->reply(ids.back());
    for (auto* m : room.all()) m->catch_up(start + n);
    for (auto* m : room.all()) m->settle(150ms);

    // The sender: patch, then its ack, for each command in the order sent.
    const auto& got = room.alice->messages;
    ASSERT_EQ(got.size(), 2u * n);
    for (int i = 0; i < n; ++i) {
        const auto& patch = got[2 * i];
        const auto& ack = got[2 * i + 1];
        const std::uint64_t seq = start + 1 + i;
        EXPECT_EQ(patch.value("type", ""), "patch");
        EXPECT_EQ(patch.value("seq", 0u), seq);
        EXPECT_EQ(patch.value("by", ""), room.alice->you);
        EXPECT_EQ(patch.value("cmd", ""), "item.add");
        EXPECT_EQ(ack, json({{"type", "ack"}, {"id", ids[i]}, {"seq", seq}}));
    }
    // Every other member: exactly one patch per command, the same seqs, nothing else.
    for (auto* m : {room.facilitator.get(), room.bob.get(), room.screen.get()}) {
        ASSERT_EQ(m->messages.size(), static_cast<std::size_t>(n)) << m->you;
        for (int i = 0; i < n; ++i) {
            EXPECT_EQ(m->messages[i].value("type", ""), "patch");
            EXPECT_EQ(m->messages[i].value("seq", 0u), start + 1 + i);
            EXPECT_EQ(m->messages[i].value("by", ""), room.alice->you);
        }
    }
    for (auto* m : room.all()) EXPECT_EQ(m->gaps, 0) << m->you;
    EXPECT_EQ(item_of(room.bob->state, "timeline", "i" + std::to_string(start + n))["text"], "event " + std::to_string(n - 1));
}

TEST(Ordering, RefusedCommandGetsOneErrorWithItsIdAndConsumesNoSeq)
{
    const auto port = shared_server().port();
    Room_with_members room(port);
    const std::uint64_t start = room.alice->seq;
    for (auto* m : room.all()) m->messages.clear();

    // Pipelined: accepted, refused in several ways, accepted.
    const auto a1 = room.alice->send("item.add", timeline_item("first"));
    const auto r1 = room.alice->send("item.edit", {{"board", "timeline"}, {"id", "i999999"}, {"text", "x"}});
    const auto r2 = room.alice->send("phase.goto", {{"phase", "vision"}});
    const auto r3 = room.alice->send("item.add", {{"board", "nowhere"}, {"column", "event"}, {"text", "x"}});
    const auto a2 = room.alice->send("item.add", timeline_item("second"));
    room.alice->reply(a2);
    for (auto* m : room.all()) m->catch_up(start + 2);
    for (auto* m : room.all()) m->settle(150ms);

    const auto& got = room.alice->messages;
    ASSERT_EQ(got.size(), 7u);
    EXPECT_EQ(got[0].value("seq", 0u), start + 1);
    EXPECT_EQ(got[1], json({{"type", "ack"}, {"id", a1}, {"seq", start + 1}}));
    const std::vector<std::pair<std::string, std::string>> refused = {{r1, "not_found"}, {r2, "forbidden"}, {r3, "invalid"}};
    for (std::size_t i = 0; i < refused.size(); ++i) {
        const auto& e = got[2 + i];
        EXPECT_EQ(e.value("type", ""), "error");
        EXPECT_EQ(e.value("id", json()), refused[i].first);
        EXPECT_EQ(e.value("code", ""), refused[i].second);
        EXPECT_TRUE(e.contains("message") && e["message"].is_string() && !e["message"].get<std::string>().empty());
    }
    EXPECT_EQ(got[5].value("type", ""), "patch");
    EXPECT_EQ(got[5].value("seq", 0u), start + 2) << "a refused command consumed a seq";
    EXPECT_EQ(got[6], json({{"type", "ack"}, {"id", a2}, {"seq", start + 2}}));

    for (auto* m : {room.facilitator.get(), room.bob.get(), room.screen.get()}) {
        ASSERT_EQ(m->messages.size(), 2u) << m->you << " saw something of the refused commands";
        EXPECT_EQ(m->messages[0].value("seq", 0u), start + 1);
        EXPECT_EQ(m->messages[1].value("seq", 0u), start + 2);
    }
    // The refused commands changed nothing.
    EXPECT_EQ(room.bob->state["phase"], room.bob->welcome["state"]["phase"]);
    EXPECT_EQ(room.bob->state, fresh_welcome(port, room.keys.code, room.bob->token)["state"]);
}

TEST(Ordering, ConcurrentSendersGetOneGaplessOrderThatEveryMemberSeesAlike)
{
    const auto port = shared_server().port();
    Room_with_members room(port);
    const std::uint64_t start = room.alice->seq;
    for (auto* m : room.all()) m->messages.clear();

    constexpr int per_sender = 60;
    std::vector<Member*> senders = {room.facilitator.get(), room.alice.get(), room.bob.get()};
    std::map<std::string, std::vector<std::string>> sent;  // sender -> ids in order
    {
        std::vector<std::thread> threads;
        std::vector<std::vector<std::string>> ids(senders.size());
        for (std::size_t s = 0; s < senders.size(); ++s)
            threads.emplace_back([&, s] {
                for (int i = 0; i < per_sender; ++i) {
                    auto id = next_command_id();
                    ids[s].push_back(id);
                    senders[s]->ws.send(do_message(id, "item.add", timeline_item(senders[s]->you + " " + id)));
                }
            });
        for (auto& t : threads) t.join();
        for (std::size_t s = 0; s < senders.size(); ++s) sent[senders[s]->you] = ids[s];
    }
    const std::uint64_t end = start + per_sender * senders.size();
    for (auto* m : room.all()) m->catch_up(end, 15s);
    for (auto* m : room.all()) m->settle(150ms);

    // Everyone saw the same patches in the same order, seqs start+1..end without gaps.
    std::vector<json> reference;
    for (const auto& m : room.facilitator->messages)
        if (m["type"] == "patch") reference.push_back(m);
    ASSERT_EQ(reference.size(), end - start);
    for (std::size_t i = 0; i < reference.size(); ++i) EXPECT_EQ(reference[i]["seq"], start + 1 + i);
    for (auto* m : room.all()) {
        std::vector<json> patches;
        for (const auto& x : m->messages)
            if (x["type"] == "patch") patches.push_back(x);
        EXPECT_EQ(patches, reference) << m->you;
        EXPECT_EQ(m->gaps, 0);
    }

    // Each sender: one ack per command, in the order sent, each after the patch with its seq,
    // and that patch is the one the command made.
    for (auto* s : senders) {
        std::set<std::uint64_t> patch_seen;
        std::vector<std::string> acked;
        for (const auto& x : s->messages) {
            if (x["type"] == "patch") patch_seen.insert(x["seq"].get<std::uint64_t>());
            if (x["type"] == "error") ADD_FAILURE() << "refused: " << x.dump();
            if (x["type"] != "ack") continue;
            const std::uint64_t seq = x["seq"];
            acked.push_back(x["id"]);
            EXPECT_TRUE(patch_seen.count(seq)) << "ack before its patch: " << x.dump();
            const auto& patch = reference.at(seq - start - 1);
            EXPECT_EQ(patch["by"], s->you);
            EXPECT_EQ(patch["patch"][0]["value"]["text"], s->you + " " + x["id"].get<std::string>());
        }
        EXPECT_EQ(acked, sent[s->you]) << s->you;
    }
}

TEST(Ordering, ServerPresenceCommandsTakeASeqAndReachEveryMemberLikeAnyOther)
{
    const auto port = shared_server().port();
    Room_with_members room(port);
    const std::uint64_t start = room.alice->seq;
    for (auto* m : room.all()) m->messages.clear();

    // A join: one seq, one patch to every member already there; the welcome is at that seq.
    Member carol(port, room.keys.code, as_participant("Carol", "expert"));
    EXPECT_EQ(carol.seq, start + 1);
    EXPECT_TRUE(carol.state["participants"].contains(carol.you));
    for (auto* m : room.all()) {
        m->catch_up(start + 1);
        m->settle(100ms);
        ASSERT_EQ(m->messages.size(), 1u) << m->you;
        EXPECT_EQ(m->messages[0]["by"], "server");
        EXPECT_EQ(m->messages[0]["cmd"], "participant.join");
        EXPECT_EQ(m->state["participants"][carol.you]["online"], true);
        m->messages.clear();
    }

    // A leave: participant.offline by the server, the next seq, to everyone left.
    carol.ws.close();
    for (auto* m : room.all()) {
        m->catch_up(start + 2);
        m->settle(100ms);
        ASSERT_EQ(m->messages.size(), 1u) << m->you;
        EXPECT_EQ(m->messages[0]["by"], "server");
        EXPECT_EQ(m->messages[0]["cmd"], "participant.offline");
        EXPECT_EQ(m->state["participants"][carol.you]["online"], false);
        m->messages.clear();
    }

    // A removal: the facilitator's command; the removed member gets bye removed.
    const auto seq = room.facilitator->ok("participant.remove", {{"pid", room.bob->you}});
    EXPECT_EQ(seq, start + 3);
    bool bye = false;
    for (int i = 0; i < 10 && !bye; ++i) {
        auto m = room.bob->ws.recv(2s);
        if (!m) break;
        if ((*m)["type"] == "bye") {
            EXPECT_EQ((*m)["reason"], "removed");
            bye = true;
        }
    }
    EXPECT_TRUE(bye) << "the removed member got no bye";
    EXPECT_TRUE(room.bob->ws.wait_closed(6s));
    room.alice->catch_up(seq);
    room.alice->settle(200ms);
    EXPECT_EQ(room.alice->gaps, 0);
    EXPECT_EQ(room.alice->state, fresh_welcome(port, room.keys.code, room.alice->token)["state"]);
}
