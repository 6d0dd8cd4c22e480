// docs/protocol.md §7: while the facilitator keeps vote counts back (votes_visible false),
// a participant still sees its own votes — the item's `voters` holds only itself — and
// never anyone else's vote or a count: in welcomes, patches and replays alike.
#include <gtest/gtest.h>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

struct Kept_back_votes {
    Room_keys keys;
    std::unique_ptr<Member> f, aino, bertil;
    std::string id;

    explicit Kept_back_votes(std::uint16_t port) : keys(create_room(port))
    {
        f = std::make_unique<Member>(port, keys.code, with_key(keys.facilitator_key));
        aino = std::make_unique<Member>(port, keys.code, as_participant("Aino"));
        bertil = std::make_unique<Member>(port, keys.code, as_participant("Bertil", "leader"));
        f->ok("room.settings", {{"votes_visible", false}, {"vote_limit", 3}});
        const auto added = f->ok("item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "Yhteinen tavoite"}});
        id = "i" + std::to_string(added);
        for (auto* m : all()) m->catch_up(added);
    }
    std::vector<Member*> all() { return {f.get(), aino.get(), bertil.get()}; }
    void settle_all(std::uint64_t seq)
    {
        for (auto* m : all()) m->catch_up(seq);
    }
};

// The voters a member sees of an item; fails when it sees a count.
json voters_seen(const json& state, const std::string& id, const std::string& who)
{
    const json item = item_of(state, "vision", id);
    EXPECT_TRUE(item.is_object()) << who;
    EXPECT_FALSE(item.contains("votes")) << who << " sees a vote count";
    return item.value("voters", json());
}

}  // namespace

TEST(OwnVotes, AParticipantSeesItsOwnVoteButNoOneElsesWhileCountsAreKeptBack)
{
    const auto port = shared_server().port();
    Kept_back_votes room(port);
    room.settle_all(room.bertil->ok("item.vote", {{"board", "vision"}, {"id", room.id}}));
    room.settle_all(room.aino->ok("item.vote", {{"board", "vision"}, {"id", room.id}}));

    // Patched views: each sees itself among the voters, and only itself.
    EXPECT_EQ(voters_seen(room.aino->state, room.id, "Aino"), json::array({room.aino->you}));
    EXPECT_EQ(voters_seen(room.bertil->state, room.id, "Bertil"), json::array({room.bertil->you}));
    // The facilitator sees everything.
    EXPECT_EQ(item_of(room.f->state, "vision", room.id)["votes"], 2);

    // A fresh welcome says the same.
    const json aino_welcome = fresh_welcome(port, room.keys.code, room.aino->token);
    EXPECT_EQ(voters_seen(aino_welcome["state"], room.id, "Aino's welcome"), json::array({room.aino->you}));

    // Nothing Aino received names Bertil as a voter or carries a count.
    for (const auto& p : room.aino->patches)
        for (const auto& op : p["patch"]) {
            const std::string path = op.value("path", "");
            EXPECT_FALSE(path.ends_with("/votes")) << op.dump();
            if (path.find("/voters") != std::string::npos || path == "/boards/vision/items/" + room.id) {
                EXPECT_EQ(op.dump().find(room.bertil->you + "\""), std::string::npos) << op.dump();
            }
        }
}

TEST(OwnVotes, TakingAVoteBackShowsAtOnceAndInAReplay)
{
    const auto port = shared_server().port();
    Kept_back_votes room(port);
    const auto before = room.aino->seq;
    const json base = room.aino->state;
    room.settle_all(room.aino->ok("item.vote", {{"board", "vision"}, {"id", room.id}}));
    room.settle_all(room.bertil->ok("item.vote", {{"board", "vision"}, {"id", room.id}}));
    EXPECT_EQ(voters_seen(room.aino->state, room.id, "Aino"), json::array({room.aino->you}));

    // Aino takes her vote back: she sees it gone; Bertil's stays his.
    room.settle_all(room.aino->ok("item.vote", {{"board", "vision"}, {"id", room.id}}));
    EXPECT_EQ(voters_seen(room.aino->state, room.id, "Aino"), json::array());
    EXPECT_EQ(voters_seen(room.bertil->state, room.id, "Bertil"), json::array({room.bertil->you}));
    EXPECT_EQ(item_of(room.f->state, "vision", room.id)["votes"], 1);

    // She votes again and resumes from before all this: the replay gives her own vote back.
    room.settle_all(room.aino->ok("item.vote", {{"board", "vision"}, {"id", room.id}}));
    Member resumed(port, room.keys.code, with_token(room.aino->token, before), {}, base);
    ASSERT_TRUE(resumed.welcome.contains("replay"));
    EXPECT_EQ(voters_seen(resumed.state, room.id, "Aino resumed"), json::array({room.aino->you}));
    EXPECT_EQ(resumed.state, fresh_welcome(port, room.keys.code, room.aino->token)["state"]);

    // Counts shown again: everyone sees every voter and the count.
    room.f->ok("room.settings", {{"votes_visible", true}});
    EXPECT_EQ(item_of(fresh_welcome(port, room.keys.code, room.aino->token)["state"], "vision", room.id)["votes"], 2);
}
