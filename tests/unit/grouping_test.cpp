// Grouping cards, votes on groups, the timed voting session and sorting a board by votes
// (docs/protocol.md §8.5 "Grouping and voting", §5 "Groups and sorting", §7 ballots).
#include <gtest/gtest.h>

#include "helpers.hpp"
#include "keha/board_order.hpp"
#include "keha/view.hpp"
#include "keha/voting.hpp"

namespace keha::test {
namespace {

class Grouping : public Four_people {
protected:
    void SetUp() override
    {
        Four_people::SetUp();
        c1 = room.add(a(), "vision", "hinders", "Too little time");
        c2 = room.add(b(), "vision", "hinders", "No time to meet");
        c3 = room.add(a(), "vision", "enables", "Shared lunch");
    }

    json group_args(const std::string& id, const std::string& onto) const
    {
        return {{"board", "vision"}, {"id", id}, {"onto", onto}};
    }
    const json& groups() const { return room.state["boards"]["vision"]["groups"]; }
    std::string group_of(const std::string& id) const { return room.item("vision", id).value("group", ""); }

    Viewer as(const Actor& who) const { return {std::string(who.pid), who.role}; }

    // Every member's view, patched with what it receives, equals its next view.
    json checked(const Actor& actor, const std::string& cmd, json args)
    {
        std::vector<std::pair<Viewer, json>> members;
        for (const Actor& who : {a(), b(), fac(), screen()}) members.emplace_back(as(who), view_for(room.state, as(who)));
        auto patch = room.ok(actor, cmd, std::move(args));
        auto split = split_patch(patch, room.state, std::string(actor.pid));
        for (auto& [viewer, view] : members) {
            SCOPED_TRACE(cmd + " seen by " + viewer.pid);
            const json& received = split.for_viewer(viewer);
            EXPECT_NO_THROW(view = view.patch(received)) << received.dump();
            EXPECT_EQ(view, view_for(room.state, viewer));
        }
        return split.for_viewer(as(fac()));
    }

    std::string c1, c2, c3;
};

TEST_F(Grouping, DraggingACardOntoAnotherMakesAGroupInThatColumn)
{
    auto patch = room.ok(fac(), "item.group", {{"board", "vision"}, {"id", c3}, {"onto", c1}, {"title", "Time"}});
    const std::string gid = "g" + std::to_string(room.seq);
    EXPECT_EQ(groups()[gid], (json{{"id", gid}, {"title", "Time"}, {"column", "hinders"}, {"votes", 0}, {"voters", json::array()}}));
    EXPECT_EQ(group_of(c1), gid);
    EXPECT_EQ(group_of(c3), gid);
    EXPECT_EQ(room.item("vision", c3)["column"], "hinders");  // a group stands in one column
    // A second card joins the same group; the card stays an ordinary, editable item.
    room.ok(fac(), "item.group", group_args(c2, c3));
    EXPECT_EQ(group_of(c2), gid);
    room.ok(b(), "item.edit", {{"board", "vision"}, {"id", c2}, {"text", "Never time to meet"}});
    EXPECT_EQ(room.item("vision", c2)["group"], gid);
    EXPECT_FALSE(patch.empty());
}

TEST_F(Grouping, AnEmptiedGroupGoesAndMovingOrDeletingACardLeavesItsGroup)
{
    room.ok(fac(), "item.group", group_args(c2, c1));
    const std::string gid = group_of(c1);
    room.ok(fac(), "item.ungroup", {{"board", "vision"}, {"id", c2}});
    EXPECT_FALSE(room.item("vision", c2).contains("group"));
    EXPECT_TRUE(groups().contains(gid));  // c1 is still in it
    room.ok(a(), "item.move", {{"board", "vision"}, {"id", c1}, {"column", "enables"}});
    EXPECT_FALSE(room.item("vision", c1).contains("group"));
    EXPECT_FALSE(groups().contains(gid));
    room.ok(fac(), "item.group", group_args(c2, c3));
    const std::string g2 = group_of(c3);
    room.ok(a(), "item.delete", {{"board", "vision"}, {"id", c3}});
    room.ok(b(), "item.delete", {{"board", "vision"}, {"id", c2}});
    EXPECT_FALSE(groups().contains(g2));
    // Ungrouping a card in no group changes nothing.
    EXPECT_EQ(room.ok(fac(), "item.ungroup", {{"board", "vision"}, {"id", c1}}), json::array());
}

TEST_F(Grouping, OnlyFacilitatorsGroupUnlessTheRoomLetsEveryone)
{
    room.fails(Error_code::forbidden, a(), "item.group", group_args(c2, c1));
    room.fails(Error_code::forbidden, screen(), "item.group", group_args(c2, c1));
    room.fails(Error_code::invalid, fac(), "room.settings", {{"grouping", "anyone"}});
    room.ok(fac(), "room.settings", {{"grouping", "everyone"}});
    room.ok(a(), "item.group", group_args(c2, c1));
    room.ok(b(), "group.rename", {{"board", "vision"}, {"group", group_of(c1)}, {"title", "Aika"}});
    EXPECT_EQ(groups()[group_of(c1)]["title"], "Aika");
}

TEST_F(Grouping, BadGroupingIsRefusedWithAClearError)
{
    room.fails(Error_code::invalid, fac(), "item.group", group_args(c1, c1));
    room.fails(Error_code::not_found, fac(), "item.group", group_args("i999", c1));
    room.fails(Error_code::bad_request, fac(), "item.group", {{"board", "vision"}, {"id", c1}});
    room.fails(Error_code::invalid, fac(), "item.group", {{"board", "vision"}, {"id", c1}, {"onto", c2}, {"title", repeat("x", 201)}});
    room.fails(Error_code::not_found, fac(), "group.rename", {{"board", "vision"}, {"group", "g1"}, {"title", "x"}});
    auto held = room.add(a(), "vision", "hinders", "private", {{"hidden", true}});
    room.fails(Error_code::conflict, fac(), "item.group", group_args(held, c1));
}

TEST_F(Grouping, VotesGoToGroupsAndCountTowardTheLimit)
{
    room.ok(fac(), "item.group", group_args(c2, c1));
    const std::string gid = group_of(c1);
    room.ok(fac(), "room.settings", {{"vote_limit", 2}});
    room.ok(a(), "item.vote", {{"board", "vision"}, {"group", gid}});
    EXPECT_EQ(groups()[gid]["votes"], 1);
    room.ok(a(), "item.vote", {{"board", "vision"}, {"id", c3}});
    room.fails(Error_code::conflict, a(), "item.vote", {{"board", "vision"}, {"id", c1}});
    room.ok(a(), "item.vote", {{"board", "vision"}, {"group", gid}});  // taken back
    EXPECT_EQ(groups()[gid]["votes"], 0);
    room.fails(Error_code::bad_request, a(), "item.vote", {{"board", "vision"}, {"id", c1}, {"group", gid}});
    room.fails(Error_code::not_found, a(), "item.vote", {{"board", "vision"}, {"group", "g404"}});
}

TEST_F(Grouping, GroupVotesAreKeptBackLikeCardVotes)
{
    room.ok(fac(), "item.group", group_args(c2, c1));
    const std::string gid = group_of(c1);
    room.ok(fac(), "room.settings", {{"votes_visible", false}});
    checked(a(), "item.vote", {{"board", "vision"}, {"group", gid}});
    checked(b(), "item.vote", {{"board", "vision"}, {"group", gid}});
    const json mine = view_for(room.state, as(a()))["boards"]["vision"]["groups"][gid];
    EXPECT_FALSE(mine.contains("votes"));
    EXPECT_EQ(mine["voters"], json::array({a_id}));
}

class Voting : public Grouping {
protected:
    json start(std::int64_t limit, std::int64_t duration_s)
    {
        return checked(fac(), "vote.start", {{"board", "vision"}, {"limit", limit}, {"duration_s", duration_s}});
    }
    json vote(const Actor& who, const std::string& id) { return checked(who, "item.vote", {{"board", "vision"}, {"id", id}}); }
};

TEST_F(Voting, CountsAreHiddenFromEveryoneFacilitatorsIncludedUntilTheEnd)
{
    room.ok(a(), "item.vote", {{"board", "vision"}, {"id", c1}});  // before the session: starts from nothing
    start(3, 300);
    EXPECT_EQ(room.item("vision", c1)["votes"], 0);
    const json& v = room.state["voting"];
    EXPECT_EQ(v["state"], "running");
    EXPECT_EQ(v["ends_at_ms"], room.now_ms + 300'000);
    EXPECT_EQ(voting_ends_at(room.state), room.now_ms + 300'000);
    auto seen_by_fac = vote(a(), c1);
    EXPECT_EQ(seen_by_fac, json::array()) << "the facilitator must not learn of a vote while the session runs";
    vote(b(), c1);
    vote(fac(), c2);
    vote(a(), c3);
    EXPECT_EQ(room.item("vision", c1)["votes"], 0);  // no count exists yet
    const json fac_view = view_for(room.state, as(fac()));
    EXPECT_EQ(fac_view["voting"]["ballots"], (json{{fac_id, json::array({c2})}}));
    EXPECT_EQ(view_for(room.state, as(a()))["voting"]["ballots"], (json{{a_id, json::array({c1, c3})}}));
    EXPECT_EQ(view_for(room.state, as(screen()))["voting"]["ballots"], json::object());
    EXPECT_FALSE(view_is_whole(room.state, as(fac())));

    checked(fac(), "vote.end", json::object());
    EXPECT_EQ(room.state["voting"]["state"], "ended");
    EXPECT_FALSE(room.state["voting"].contains("ballots"));
    EXPECT_EQ(room.item("vision", c1)["votes"], 2);
    EXPECT_EQ(room.item("vision", c2)["voters"], json::array({fac_id}));
    EXPECT_EQ(room.item("vision", c3)["votes"], 1);
    EXPECT_FALSE(voting_ends_at(room.state));
}

TEST_F(Voting, TheSessionsLimitHoldsAndAVoteCanBeTakenBack)
{
    start(2, 0);
    EXPECT_TRUE(room.state["voting"]["ends_at_ms"].is_null());
    EXPECT_FALSE(voting_ends_at(room.state));
    vote(a(), c1);
    vote(a(), c2);
    room.fails(Error_code::conflict, a(), "item.vote", {{"board", "vision"}, {"id", c3}});
    vote(a(), c2);  // taken back
    vote(a(), c3);
    EXPECT_EQ(room.state["voting"]["ballots"][a_id], json::array({c1, c3}));
    // Other boards vote as usual meanwhile.
    auto t = room.add(b(), "timeline", "event", "Kick-off");
    room.ok(a(), "item.vote", {{"board", "timeline"}, {"id", t}});
    EXPECT_EQ(room.item("timeline", t)["votes"], 1);
}

TEST_F(Voting, TheServerEndsATimedSessionOnlyWhenItsTimeIsUp)
{
    start(3, 60);
    vote(a(), c1);
    room.now_ms += 59'999;
    room.fails(Error_code::conflict, Meeting::server, "vote.end");
    room.now_ms += 1;
    room.ok(Meeting::server, "vote.end");
    EXPECT_EQ(room.item("vision", c1)["votes"], 1);
    room.fails(Error_code::conflict, fac(), "vote.end");  // nothing runs any more
}

TEST_F(Voting, WhoMayRunAVoteAndBadArguments)
{
    room.fails(Error_code::forbidden, a(), "vote.start", {{"board", "vision"}, {"limit", 3}});
    room.fails(Error_code::forbidden, screen(), "vote.start", {{"board", "vision"}, {"limit", 3}});
    room.fails(Error_code::invalid, fac(), "vote.start", {{"board", "vision"}, {"limit", 0}});
    room.fails(Error_code::invalid, fac(), "vote.start", {{"board", "vision"}, {"limit", 3}, {"duration_s", 14401}});
    room.fails(Error_code::invalid, fac(), "vote.start", {{"board", "nowhere"}, {"limit", 3}});
    room.fails(Error_code::bad_request, fac(), "vote.start", {{"board", "vision"}});
    room.fails(Error_code::conflict, fac(), "vote.end");
    start(3, 0);
    room.fails(Error_code::conflict, fac(), "vote.start", {{"board", "plan"}, {"limit", 3}});
    room.fails(Error_code::forbidden, a(), "vote.end");
    room.fails(Error_code::conflict, fac(), "board.sort", {{"board", "vision"}, {"by", "votes"}});
    room.fails(Error_code::invalid, fac(), "board.sort", {{"board", "vision"}, {"by", "size"}});
    room.fails(Error_code::forbidden, a(), "board.sort", {{"board", "vision"}, {"by", "order"}});
}

TEST_F(Voting, GroupsTakeVotesInASessionAndTheBoardSortsByThem)
{
    room.ok(fac(), "item.group", group_args(c2, c3));  // c3 and c2 together, in "enables"
    const std::string gid = group_of(c3);
    auto c4 = room.add(b(), "vision", "enables", "Visits");
    start(3, 120);
    checked(a(), "item.vote", {{"board", "vision"}, {"group", gid}});
    vote(b(), c4);
    vote(fac(), c4);
    vote(a(), c2);
    room.now_ms += 120'000;
    room.ok(Meeting::server, "vote.end");
    EXPECT_EQ(groups()[gid]["votes"], 1);
    checked(fac(), "board.sort", {{"board", "vision"}, {"by", "votes"}});
    EXPECT_EQ(room.state["boards"]["vision"]["sort"], "votes");

    std::vector<const json*> cards;
    for (const auto& [id, item] : room.state["boards"]["vision"]["items"].items())
        if (item["column"] == "enables") cards.push_back(&item);
    auto units = arrange_board(cards, room.state["boards"]["vision"], "vision");
    ASSERT_EQ(units.size(), 2u);
    // The group (1 + 1 = 2 votes) and c4 (2 votes) tie: the board's own order decides.
    EXPECT_EQ(units[0].group_id, gid);
    EXPECT_EQ(unit_votes(units[0]), 2);
    EXPECT_EQ((*units[0].items[0])["id"], c2);  // in the group, by votes
    EXPECT_EQ((*units[1].items[0])["id"], c4);
    room.ok(a(), "item.vote", {{"board", "vision"}, {"id", c4}});  // after the session, votes count at once
    units = arrange_board(cards, room.state["boards"]["vision"], "vision");
    EXPECT_EQ((*units[0].items[0])["id"], c4);
    EXPECT_EQ(unit_votes(units[0]), 3);
    // Sorting by order again gives the board's order.
    room.ok(fac(), "board.sort", {{"board", "vision"}, {"by", "order"}});
    units = arrange_board(cards, room.state["boards"]["vision"], "vision");
    EXPECT_EQ(units[0].group_id, gid);
}

}  // namespace
}  // namespace keha::test

namespace keha::test {
namespace {

// The same room the browser's test arranges (tests/e2e/board_order.test.mjs): one rule.
TEST(BoardGroups, ArrangedAsTheBrowserArrangesThem)
{
    const json fixture = load_json(KEHA_TEST_DATA_DIR "/board_groups.json");
    for (const std::string sort : {"order", "votes"}) {
        json board = fixture["board"];
        board["sort"] = sort;
        std::vector<const json*> items;
        for (const auto& [id, item] : board["items"].items()) items.push_back(&item);
        json places = json::array();
        for (const auto& unit : arrange_board(items, board, "vision")) {
            json place = json::array({unit.group ? json(unit.group_id) : json(nullptr)});
            for (const json* item : unit.items) place.push_back((*item)["id"]);
            places.push_back(place);
        }
        EXPECT_EQ(places, fixture["expected"][sort]) << sort;
    }
}

}  // namespace
}  // namespace keha::test
