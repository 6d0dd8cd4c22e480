// docs/protocol.md §9.4: hello with a token and a since gets a replay of exactly the patches after
// since (none if since is current), otherwise the full state; the member's own
// participant.online comes after the welcome as an ordinary patch.
#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

json timeline_item(const std::string& text, bool hidden = false)
{
    return {{"board", "timeline"}, {"column", "event"}, {"text", text}, {"hidden", hidden}};
}

// The replay entry a patch message corresponds to.
json as_replay_entry(const json& patch_message)
{
    json e = patch_message;
    e.erase("type");
    return e;
}

Member& expect_nothing_more(Member& m, std::chrono::milliseconds quiet = 200ms)
{
    auto extra = m.ws.recv(quiet);
    EXPECT_FALSE(extra) << m.you << " got an unexpected message: " << extra->dump();
    return m;
}

}  // namespace

TEST(Resume, ReplayHoldsExactlyThePatchesAfterSinceAndNoneWhenSinceIsCurrent)
{
    const auto port = shared_server().port();
    auto keys = create_room(port);
    Member f(port, keys.code, with_key(keys.facilitator_key));
    Member a(port, keys.code, as_participant("Alice"));
    Member b(port, keys.code, as_participant("Bob"));
    f.catch_up(b.seq);
    a.catch_up(b.seq);
    a.patches.clear();

    std::map<std::uint64_t, json> a_state_at = {{a.seq, a.state}};
    const std::uint64_t first = a.seq;
    for (int i = 0; i < 12; ++i) {
        Member& who = i % 3 == 0 ? b : f;
        who.ok("item.add", timeline_item("item " + std::to_string(i), i % 4 == 0));  // some of Bob's are hidden
    }
    const std::uint64_t current = f.seq;
    while (a.seq < current) {
        a.next();
        a_state_at[a.seq] = a.state;
    }
    ASSERT_EQ(a.patches.size(), current - first);

    for (std::uint64_t since : {first, first + 1, first + 5, current - 1, current}) {
        SCOPED_TRACE("since " + std::to_string(since));
        Member again(port, keys.code, with_token(a.token, since), {}, a_state_at.at(since));
        EXPECT_EQ(again.you, a.you);
        EXPECT_EQ(again.role, "participant");
        EXPECT_EQ(again.welcome["seq"], current);
        ASSERT_TRUE(again.welcome.contains("replay")) << again.welcome.dump();
        EXPECT_FALSE(again.welcome.contains("state"));
        json expected = json::array();
        for (const auto& p : a.patches)
            if (p["seq"].get<std::uint64_t>() > since) expected.push_back(as_replay_entry(p));
        EXPECT_EQ(again.welcome["replay"], expected);
        // The replay applied to Alice's state at since is her state now.
        EXPECT_EQ(again.state, a.state);
        // Alice was online all along (her first connection stays): no presence patch follows.
        expect_nothing_more(again, 100ms);
        again.ws.close();
    }
    // The replay from 0 holds every patch of the room, gapless.
    Member from_zero(port, keys.code, with_token(a.token, 0));
    ASSERT_TRUE(from_zero.welcome.contains("replay"));
    ASSERT_EQ(from_zero.welcome["replay"].size(), current);
    for (std::uint64_t i = 0; i < current; ++i) EXPECT_EQ(from_zero.welcome["replay"][i]["seq"], i + 1);
}

TEST(Resume, AResumedMembersOwnOnlineArrivesAfterItsWelcomeAsAnOrdinaryPatch)
{
    const auto port = shared_server().port();
    auto keys = create_room(port);
    Member f(port, keys.code, with_key(keys.facilitator_key));
    std::uint64_t bob_seq;
    json bob_state;
    std::string bob_token, bob_id;
    {
        Member b(port, keys.code, as_participant("Bob"));
        f.ok("item.add", timeline_item("before Bob left"));
        b.catch_up(f.seq);
        bob_seq = b.seq;
        bob_state = b.state;
        bob_token = b.token;
        bob_id = b.you;
        b.ws.close();
    }
    // The facilitator sees Bob go offline, then more happens while he is away.
    f.catch_up(bob_seq + 1);
    EXPECT_EQ(f.patches.back()["cmd"], "participant.offline");
    EXPECT_EQ(f.state["participants"][bob_id]["online"], false);
    f.ok("item.add", timeline_item("while Bob was away"));
    const std::uint64_t away = f.seq;

    Member b(port, keys.code, with_token(bob_token, bob_seq), {}, bob_state);
    EXPECT_EQ(b.you, bob_id);
    EXPECT_EQ(b.welcome["seq"], away);
    ASSERT_EQ(b.welcome["replay"].size(), away - bob_seq);
    EXPECT_EQ(b.welcome["replay"][0]["cmd"], "participant.offline");
    EXPECT_EQ(b.state["participants"][bob_id]["online"], false);

    // Then his own participant.online, by the server, with the next seq — to him and to the others.
    json online = b.next();
    EXPECT_EQ(online["type"], "patch");
    EXPECT_EQ(online["seq"], away + 1);
    EXPECT_EQ(online["by"], "server");
    EXPECT_EQ(online["cmd"], "participant.online");
    EXPECT_EQ(b.state["participants"][bob_id]["online"], true);
    f.catch_up(away + 1);
    EXPECT_EQ(f.patches.back(), online);
    EXPECT_EQ(b.state, fresh_welcome(port, keys.code, b.token)["state"]);
    expect_nothing_more(b);
}

TEST(Resume, ATokenWithoutSinceGetsTheFullStateWithTheSameIdAndRole)
{
    const auto port = shared_server().port();
    auto keys = create_room(port);
    std::string ftoken, fid, stoken, sid;
    {
        Member f(port, keys.code, with_key(keys.facilitator_key));
        Member s(port, keys.code, with_key(keys.screen_key));
        ftoken = f.token, fid = f.you, stoken = s.token, sid = s.you;
    }
    Member f(port, keys.code, with_token(ftoken));
    EXPECT_EQ(f.you, fid);
    EXPECT_EQ(f.role, "facilitator");
    ASSERT_TRUE(f.welcome.contains("state"));
    EXPECT_FALSE(f.welcome.contains("replay"));
    f.ok("phase.goto", {{"phase", "plan"}});  // still the facilitator

    Member s(port, keys.code, with_token(stoken));
    EXPECT_EQ(s.you, sid);
    EXPECT_EQ(s.role, "screen");
    auto r = s.run("hand.raise");
    EXPECT_EQ(r["code"], "forbidden");
}

TEST(Resume, SinceBeyondTheCurrentSeqGetsTheFullState)
{
    const auto port = shared_server().port();
    auto keys = create_room(port);
    Member f(port, keys.code, with_key(keys.facilitator_key));
    f.ok("item.add", timeline_item("something"));
    Member again(port, keys.code, with_token(f.token, f.seq + 100));
    EXPECT_EQ(again.welcome["seq"], f.seq);
    ASSERT_TRUE(again.welcome.contains("state"));
    EXPECT_FALSE(again.welcome.contains("replay"));
    EXPECT_EQ(again.state, f.state);
}

TEST(Resume, AnInvalidTokenIsUnauthorizedAndTheConnectionIsClosed)
{
    const auto port = shared_server().port();
    auto keys = create_room(port);
    auto other = create_room(port);
    Member elsewhere(port, other.code, as_participant("Eve"));

    for (const json& token : {json("not-a-token"), json(elsewhere.token), json(std::string(43, 'A'))}) {
        auto answer = hello_answer(port, hello_message(keys.code, {{"token", token}, {"since", 0}}));
        ASSERT_TRUE(answer.message);
        EXPECT_EQ((*answer.message)["type"], "error");
        EXPECT_EQ((*answer.message)["code"], "unauthorized");
        EXPECT_EQ((*answer.message)["id"], nullptr);
        EXPECT_TRUE(answer.closed);
    }
}

TEST(Resume, ARemovedParticipantsTokenIsRefusedAndAClosedRoomRefusesParticipants)
{
    const auto port = shared_server().port();
    auto keys = create_room(port);
    Member f(port, keys.code, with_key(keys.facilitator_key));
    Member gone(port, keys.code, as_participant("Gone"));
    Member stays(port, keys.code, as_participant("Stays"));
    f.ok("participant.remove", {{"pid", gone.you}});
    auto removed = hello_answer(port, hello_message(keys.code, with_token(gone.token)));
    ASSERT_TRUE(removed.message);
    EXPECT_EQ((*removed.message)["code"], "unauthorized");
    EXPECT_TRUE(removed.closed);

    f.ok("room.close");
    for (int i = 0; i < 20; ++i) {
        auto m = stays.ws.recv(2s);
        ASSERT_TRUE(m) << "no bye room_closed";
        if ((*m)["type"] == "bye") {
            EXPECT_EQ((*m)["reason"], "room_closed");
            break;
        }
    }
    EXPECT_TRUE(stays.ws.wait_closed(6s));
    for (const json& fields : {with_token(stays.token), as_participant("Late")}) {
        auto closed = hello_answer(port, hello_message(keys.code, fields));
        ASSERT_TRUE(closed.message);
        EXPECT_EQ((*closed.message)["code"], "room_closed") << fields.dump();
        EXPECT_TRUE(closed.closed);
    }
    // The facilitator may still look (and export).
    Member again(port, keys.code, with_key(keys.facilitator_key));
    EXPECT_EQ(again.state["room"]["status"], "closed");
}

TEST(Resume, AfterTheRoomWasUnloadedFromMemoryResumesReplayFromTheStore)
{
    Temp_dir dir;
    Server_process server(dir.path() / "unload.db", {"--idle-unload", "1", "--snapshot-every", "0"});
    const auto port = server.port();
    auto keys = create_room(port);
    json state;
    std::uint64_t seq;
    std::string token;
    {
        Member a(port, keys.code, as_participant("Alice"));
        for (int i = 0; i < 8; ++i)
            a.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "kept " + std::to_string(i)}, {"hidden", i % 2 == 0}});
        state = a.state, seq = a.seq, token = a.token;
        a.ws.close();
    }
    // The room has no member: it leaves memory within a couple of seconds.
    bool unloaded = false;
    for (int i = 0; i < 40 && !unloaded; ++i) {
        std::this_thread::sleep_for(100ms);
        unloaded = server.log_text().find("room_unloaded") != std::string::npos;
    }
    ASSERT_TRUE(unloaded) << server.log_text();

    // Without snapshots the reloaded room holds its whole log, so it can replay. (With a
    // snapshot newer than `since` the full state would be a correct answer too.)
    Member a(port, keys.code, with_token(token, seq));
    ASSERT_TRUE(a.welcome.contains("replay")) << a.welcome.dump().substr(0, 300);
    json expected = state;
    for (const auto& r : a.welcome["replay"]) expected = expected.patch(r["patch"]);
    EXPECT_EQ(a.welcome["replay"][0]["seq"], seq + 1);
    a.next();  // her own online
    EXPECT_EQ(a.patches.back()["cmd"], "participant.online");
    EXPECT_EQ(expected.patch(a.patches.back()["patch"]), fresh_welcome(port, keys.code, a.token)["state"]);
    EXPECT_EQ(a.ok("hand.raise"), a.welcome["seq"].get<std::uint64_t>() + 2);
}
