// participant.merge: two participants that are the same person become the kept one
// (docs/protocol.md §8): items, votes, hands, turns and the questionnaire's "answered" flag.
#include "keha/notes.hpp"
#include "team.hpp"

using namespace keha;
using namespace keha::test;

namespace {

std::string add(Team& m, const std::string& pid, Role role, const std::string& board, const std::string& column,
                const std::string& text, bool hidden = false)
{
    m.ok(pid, role, "item.add", {{"board", board}, {"column", column}, {"text", text}, {"hidden", hidden}});
    return "i" + std::to_string(m.seq);
}

}  // namespace

TEST(Merge, ItemsVotesAndHandsFollowTheKeptPersonAndADoubleVoteCountsOnce)
{
    Team t;
    const std::string aino = t.pro[0];
    const std::string again = t.join("Aino", "professional");  // the same person on a second device
    const std::string shared = add(t, t.fac, Role::facilitator, "vision", "vision", "Yhteinen");
    const std::string other = add(t, t.fac, Role::facilitator, "vision", "vision", "Toinen");
    const std::string mine = add(t, again, Role::participant, "vision", "hinders", "Oma", true);
    t.p(aino, "item.vote", {{"board", "vision"}, {"id", shared}});
    t.p(t.pro[1], "item.vote", {{"board", "vision"}, {"id", shared}});
    t.p(again, "item.vote", {{"board", "vision"}, {"id", shared}});
    t.p(again, "item.vote", {{"board", "vision"}, {"id", other}});
    t.now_ms += 5000;
    t.p(again, "hand.raise");

    t.f("participant.merge", {{"from", again}, {"into", aino}});
    const json& items = t.state["boards"]["vision"]["items"];
    EXPECT_EQ(items[mine]["author"], aino);
    EXPECT_EQ(items[shared]["voters"], json::array({aino, t.pro[1]}));
    EXPECT_EQ(items[shared]["votes"], 2);
    EXPECT_EQ(items[other]["voters"], json::array({aino}));
    EXPECT_TRUE(t.state["participants"][aino]["hand"].get<bool>());
    EXPECT_EQ(t.state["participants"][again]["merged_into"], aino);
    EXPECT_TRUE(t.state["participants"][again]["removed"].get<bool>());
    EXPECT_FALSE(t.state["participants"][again]["hand"].get<bool>());
    // Her own view now holds the private item in full.
    EXPECT_EQ(view_for(t.state, {aino, Role::participant})["boards"]["vision"]["items"][mine]["text"], "Oma");
    // Taking back the vote works once, as one person's vote.
    t.p(aino, "item.vote", {{"board", "vision"}, {"id", shared}});
    EXPECT_EQ(items[shared]["voters"], json::array({t.pro[1]}));
}

TEST(Merge, TurnsNameTheKeptPersonOnce)
{
    Team t;
    const std::string aino = t.pro[0];
    const std::string again = t.join("Aino", "professional");
    t.f("turns.reflecting.start", {{"focus", json::array({aino, again, t.pro[1]})}, {"reflectors", ids(t.lead)}});
    t.f("participant.merge", {{"from", again}, {"into", aino}});
    EXPECT_EQ(t.turns()["focus"], json::array({aino, t.pro[1]}));
    EXPECT_EQ(t.turns()["speaking"], json::array({aino, t.pro[1]}));
    EXPECT_EQ(t.turns().dump().find("\"" + again + "\""), std::string::npos);
}

TEST(Merge, RefusalsHaveTheirOwnCodesAndChangeNothing)
{
    Team t;
    const std::string aino = t.pro[0];
    const std::string co = t.join("Toinen ohjaaja", "other", "facilitator");
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "participant.merge", {{"from", aino}, {"into", aino}}), Error_code::invalid);
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "participant.merge", {{"from", "p999"}, {"into", aino}}), Error_code::not_found);
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "participant.merge", {{"from", co}, {"into", aino}}), Error_code::forbidden);
    EXPECT_EQ(t.err(aino, Role::participant, "participant.merge", {{"from", t.pro[1]}, {"into", aino}}), Error_code::forbidden);
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "participant.merge", {{"from", aino}}), Error_code::bad_request);
    // A participant into a facilitator is fine: the facilitator also joined on a phone.
    t.f("participant.merge", {{"from", t.pro[2]}, {"into", co}});
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "participant.merge", {{"from", t.pro[2]}, {"into", aino}}), Error_code::conflict);
    // Two facilitators that are one person.
    t.f("participant.merge", {{"from", co}, {"into", t.fac}});
    EXPECT_EQ(t.state["participants"][co]["merged_into"], t.fac);
}

TEST(Merge, TheNotesListTheMergedPersonOnce)
{
    Team t;
    const std::string again = t.join("Aino", "professional");
    t.f("participant.merge", {{"from", again}, {"into", t.pro[0]}});
    std::ifstream in(std::string(KEHA_SOURCE_ASSET_DIR) + "/i18n/fi.json");
    const json catalog = json::parse(in);
    const std::string md = render_notes(t.state, Notes_format::md, catalog);
    std::size_t n = 0;
    for (auto at = md.find("Aino"); at != std::string::npos; at = md.find("Aino", at + 1)) ++n;
    EXPECT_EQ(n, 1u) << md;
}
