// The timed voting session over a real keha-server (docs/protocol.md §8.5 "Grouping and voting",
// §7): counts hidden from everyone — the facilitator too — until the vote ends; the server ends
// a timed vote itself; then the board sorts by votes. Grouping's roles and errors on the wire.
#include <gtest/gtest.h>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

struct Voting_room {
    Room_keys keys;
    std::unique_ptr<Member> f, aino, bertil, wall;
    std::string c1, c2, c3;

    explicit Voting_room(std::uint16_t port) : keys(create_room(port))
    {
        f = std::make_unique<Member>(port, keys.code, with_key(keys.facilitator_key));
        aino = std::make_unique<Member>(port, keys.code, as_participant("Aino"));
        bertil = std::make_unique<Member>(port, keys.code, as_participant("Bertil", "leader"));
        wall = std::make_unique<Member>(port, keys.code, with_key(keys.screen_key));
        c1 = add("Liian vähän aikaa");
        c2 = add("Ei aikaa tavata");
        c3 = add("Yhteinen lounas");
        settle_all(f->seq);
    }
    std::string add(const std::string& text)
    {
        return "i" + std::to_string(f->ok("item.add", {{"board", "vision"}, {"column", "hinders"}, {"text", text}}));
    }
    std::vector<Member*> all() { return {f.get(), aino.get(), bertil.get(), wall.get()}; }
    void settle_all(std::uint64_t seq)
    {
        for (auto* m : all()) m->catch_up(seq);
    }
    json vote(Member& who, const std::string& id) { return who.run("item.vote", {{"board", "vision"}, {"id", id}}); }
};

// Everything a member received names no one's ballot but its own and no count above zero.
void expect_nothing_counted(const Member& m, std::uint64_t after)
{
    for (const auto& p : m.patches) {
        if (p["seq"].get<std::uint64_t>() <= after) continue;
        for (const auto& op : p["patch"]) {
            const std::string path = op.value("path", "");
            if (path.starts_with("/voting/ballots/")) {
                EXPECT_TRUE(path.starts_with("/voting/ballots/" + m.you)) << m.you << " " << op.dump();
            }
            if (path.starts_with("/boards/vision/items/") && op.contains("value") && op["value"].is_object()) {
                EXPECT_EQ(op["value"].value("votes", 0), 0) << m.you << " " << op.dump();
            }
        }
    }
}

}  // namespace

TEST(VotingSession, CountsStayHiddenFromTheFacilitatorTooAndTheServerEndsTheVoteOnTime)
{
    const auto port = shared_server().port();
    Voting_room room(port);
    const auto started = room.f->ok("vote.start", {{"board", "vision"}, {"limit", 2}, {"duration_s", 2}});
    room.settle_all(started);
    for (auto* m : room.all()) EXPECT_EQ(m->state["voting"]["state"], "running") << m->you;

    EXPECT_EQ(room.vote(*room.aino, room.c1)["type"], "ack");
    EXPECT_EQ(room.vote(*room.aino, room.c2)["type"], "ack");
    const json over = room.vote(*room.aino, room.c3);
    EXPECT_EQ(over["code"], "conflict") << over.dump();
    EXPECT_EQ(room.vote(*room.bertil, room.c1)["type"], "ack");
    EXPECT_EQ(room.vote(*room.f, room.c3)["type"], "ack");
    const auto last = room.f->ok("room.update", {{"title", "Kokous"}});  // a marker everyone receives
    room.settle_all(last);

    // The facilitator's own ballot only; Aino's her own; the wall none.
    EXPECT_EQ(room.f->state["voting"]["ballots"], (json{{room.f->you, json::array({room.c3})}}));
    EXPECT_EQ(room.aino->state["voting"]["ballots"], (json{{room.aino->you, json::array({room.c1, room.c2})}}));
    EXPECT_EQ(room.wall->state["voting"]["ballots"], json::object());
    for (auto* m : room.all()) expect_nothing_counted(*m, started);
    // A fresh welcome says the same as the patches did.
    EXPECT_EQ(fresh_welcome(port, room.keys.code, room.f->token)["state"]["voting"]["ballots"], room.f->state["voting"]["ballots"]);

    // Nobody ends it: the server does, at its time, and everyone sees the counts at once.
    json ended;
    while (ended.is_null()) {
        const json m = room.wall->next(std::chrono::seconds(10));
        if (m.value("type", "") == "patch" && m.value("cmd", "") == "vote.end") ended = m;
    }
    EXPECT_EQ(ended["by"], "server");
    room.settle_all(ended["seq"].get<std::uint64_t>());
    for (auto* m : room.all()) {
        SCOPED_TRACE(m->you);
        EXPECT_EQ(m->state["voting"]["state"], "ended");
        EXPECT_FALSE(m->state["voting"].contains("ballots"));
        EXPECT_EQ(item_of(m->state, "vision", room.c1)["votes"], 2);
        EXPECT_EQ(item_of(m->state, "vision", room.c2)["votes"], 1);
        EXPECT_EQ(item_of(m->state, "vision", room.c3)["votes"], 1);
    }
    // Then the board is sorted for the discussion; everyone's state says so.
    room.settle_all(room.f->ok("board.sort", {{"board", "vision"}, {"by", "votes"}}));
    for (auto* m : room.all()) EXPECT_EQ(m->state["boards"]["vision"]["sort"], "votes") << m->you;
    EXPECT_EQ(room.f->gaps + room.aino->gaps + room.wall->gaps, 0);
}

TEST(VotingSession, RolesAndBadInputGetClearErrors)
{
    const auto port = shared_server().port();
    Voting_room room(port);
    EXPECT_EQ(room.aino->run("vote.start", {{"board", "vision"}, {"limit", 3}})["code"], "forbidden");
    EXPECT_EQ(room.wall->run("vote.start", {{"board", "vision"}, {"limit", 3}})["code"], "forbidden");
    EXPECT_EQ(room.f->run("vote.start", {{"board", "vision"}, {"limit", 101}})["code"], "invalid");
    EXPECT_EQ(room.f->run("vote.start", {{"board", "vision"}, {"limit", "3"}})["code"], "bad_request");
    EXPECT_EQ(room.f->run("vote.end")["code"], "conflict");
    room.f->ok("vote.start", {{"board", "vision"}, {"limit", 3}});
    EXPECT_EQ(room.aino->run("vote.end")["code"], "forbidden");
    EXPECT_EQ(room.f->run("board.sort", {{"board", "vision"}, {"by", "votes"}})["code"], "conflict");
    room.f->ok("vote.end");

    // Grouping: facilitators only, until the room lets everyone.
    const json refused = room.aino->run("item.group", {{"board", "vision"}, {"id", room.c2}, {"onto", room.c1}});
    EXPECT_EQ(refused["code"], "forbidden");
    EXPECT_FALSE(refused.value("message", "").empty());
    EXPECT_EQ(room.wall->run("item.group", {{"board", "vision"}, {"id", room.c2}, {"onto", room.c1}})["code"], "forbidden");
    room.f->ok("room.settings", {{"grouping", "everyone"}});
    const auto grouped = room.aino->ok("item.group", {{"board", "vision"}, {"id", room.c2}, {"onto", room.c1}, {"title", "Aika"}});
    room.settle_all(grouped);
    const std::string gid = "g" + std::to_string(grouped);
    for (auto* m : room.all()) {
        EXPECT_EQ(m->state["boards"]["vision"]["groups"][gid]["title"], "Aika") << m->you;
        EXPECT_EQ(item_of(m->state, "vision", room.c2)["group"], gid) << m->you;
    }
    EXPECT_EQ(room.bertil->run("item.group", {{"board", "vision"}, {"id", room.c1}, {"onto", room.c1}})["code"], "invalid");
    EXPECT_EQ(room.bertil->run("item.vote", {{"board", "vision"}, {"group", "g1"}})["code"], "not_found");
    EXPECT_EQ(room.bertil->run("item.vote", {{"board", "vision"}, {"group", gid}})["type"], "ack");
}
