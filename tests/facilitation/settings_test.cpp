#include "team.hpp"

using namespace keha;
using namespace keha::test;

TEST(Lobby, AdmitJoinersHoldsNewParticipantsUntilAdmitted)
{
    Team t;
    t.f("room.settings", {{"admit_joiners", true}});
    auto guest = t.join("Vieras", "expert");
    EXPECT_FALSE(t.state["participants"][guest]["admitted"].get<bool>());
    EXPECT_EQ(t.err(guest, Role::participant, "hand.raise"), Error_code::forbidden);
    auto co = t.join("Toinen ohjaaja", "other", "facilitator");
    EXPECT_TRUE(t.state["participants"][co]["admitted"].get<bool>());  // facilitators never wait
    t.f("participant.admit", {{"pid", guest}});
    t.p(guest, "hand.raise");
}

TEST(Consent, RoomAdmitsNoOneButFacilitatorsUntilConsentIsRecorded)
{
    Team t;
    t.f("room.settings", {{"consent_required", true}});
    auto young = t.join("Nuori", "expert");
    EXPECT_FALSE(t.state["participants"][young]["admitted"].get<bool>());
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "participant.admit", {{"pid", young}}), Error_code::conflict);
    t.f("consent.record", {{"given_by", "Nuori itse"}, {"scope", "Tiimi hänen tukenaan syksyn ajan"}});
    EXPECT_TRUE(t.state["participants"][young]["admitted"].get<bool>());
    EXPECT_EQ(t.state["consent"]["given_by"], "Nuori itse");
    EXPECT_EQ(t.state["consent"]["recorded_by"], t.fac);
    EXPECT_EQ(t.err(young, Role::participant, "consent.record", {{"given_by", "x"}, {"scope", "y"}}), Error_code::forbidden);
}

TEST(HiddenNames, OthersAndTheProjectorSeeNoNamesButFacilitatorsAndSelfDo)
{
    Team t;
    t.f("room.settings", {{"hide_names", true}});
    json mine = view_for(t.state, {t.pro[0], Role::participant});
    EXPECT_EQ(mine["participants"][t.pro[0]]["name"], "Aino");
    EXPECT_FALSE(mine["participants"][t.pro[1]].contains("name"));
    EXPECT_FALSE(view_for(t.state, {"p99", Role::screen})["participants"][t.pro[0]].contains("name"));
    EXPECT_EQ(view_for(t.state, {t.fac, Role::facilitator})["participants"][t.pro[1]]["name"], "Eero");

    json before = view_for(t.state, {t.pro[0], Role::participant});
    json patch = t.ok("server", Role::server, "participant.join", {{"name", "Salanimi"}, {"group", "expert"}, {"role", "participant"}});
    auto views = split_patch(patch, t.state);
    EXPECT_EQ(before.patch(views.redacted), view_for(t.state, {t.pro[0], Role::participant}));
    EXPECT_EQ(views.redacted.dump().find("Salanimi"), std::string::npos);
}

TEST(Moderation, ParticipantsItemsWaitForApprovalAndReachOthersOnlyThen)
{
    Team t;
    t.f("room.settings", {{"moderated", true}});
    json before = view_for(t.state, {t.pro[1], Role::participant});
    json patch = t.p(t.pro[0], "item.add", {{"board", "vision"}, {"column", "enables"}, {"text", "Yhteiset asiakastapaamiset"}});
    const std::string id = "i" + std::to_string(t.seq);
    EXPECT_TRUE(t.state["boards"]["vision"]["items"][id]["pending"].get<bool>());
    auto views = split_patch(patch, t.state);
    EXPECT_EQ(views.redacted.dump().find("Yhteiset"), std::string::npos);
    json other = before.patch(views.redacted);

    json approve = t.f("item.approve", {{"board", "vision"}, {"id", id}});
    other = other.patch(split_patch(approve, t.state).redacted);
    EXPECT_EQ(other, view_for(t.state, {t.pro[1], Role::participant}));
    EXPECT_EQ(other["boards"]["vision"]["items"][id]["text"], "Yhteiset asiakastapaamiset");

    t.f("item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "Ohjaajan oma"}});
    EXPECT_FALSE(t.state["boards"]["vision"]["items"]["i" + std::to_string(t.seq)].value("pending", false));
}

TEST(Moderation, DeclinedItemStaysWithItsAuthorWithTheReason)
{
    Team t;
    t.f("room.settings", {{"moderated", true}});
    t.p(t.pro[0], "item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Nimi ja henkilötunnus"}});
    const std::string id = "i" + std::to_string(t.seq);
    t.f("item.decline", {{"board", "plan"}, {"id", id}, {"reason", "Ei henkilötietoja, kiitos"}});
    json author = view_for(t.state, {t.pro[0], Role::participant});
    EXPECT_TRUE(author["boards"]["plan"]["items"][id]["declined"].get<bool>());
    EXPECT_EQ(author["boards"]["plan"]["items"][id]["decline_reason"], "Ei henkilötietoja, kiitos");
    EXPECT_FALSE(view_for(t.state, {t.pro[1], Role::participant})["boards"]["plan"]["items"][id].contains("text"));
}

TEST(Voting, PerBoardLimitAndHiddenResults)
{
    Team t;
    t.f("room.settings", {{"vote_limit", 2}, {"votes_visible", false}});
    std::vector<std::string> items;
    for (const char* text : {"A", "B", "C"}) {
        t.f("item.add", {{"board", "hypotheses"}, {"column", "hypothesis"}, {"text", text}});
        items.push_back("i" + std::to_string(t.seq));
    }
    t.p(t.pro[0], "item.vote", {{"board", "hypotheses"}, {"id", items[0]}});
    t.p(t.pro[0], "item.vote", {{"board", "hypotheses"}, {"id", items[1]}});
    EXPECT_EQ(t.err(t.pro[0], Role::participant, "item.vote", {{"board", "hypotheses"}, {"id", items[2]}}), Error_code::conflict);
    t.p(t.pro[0], "item.vote", {{"board", "hypotheses"}, {"id", items[0]}});  // takes it back
    t.p(t.pro[0], "item.vote", {{"board", "hypotheses"}, {"id", items[2]}});
    EXPECT_FALSE(view_for(t.state, {t.pro[1], Role::participant})["boards"]["hypotheses"]["items"][items[2]].contains("votes"));
    // Each sees their own votes, never another's.
    EXPECT_EQ(view_for(t.state, {t.pro[0], Role::participant})["boards"]["hypotheses"]["items"][items[2]]["voters"], json::array({t.pro[0]}));
    EXPECT_EQ(view_for(t.state, {t.pro[1], Role::participant})["boards"]["hypotheses"]["items"][items[2]]["voters"], json::array());
    EXPECT_EQ(view_for(t.state, {t.fac, Role::facilitator})["boards"]["hypotheses"]["items"][items[2]]["votes"], 1);
    t.f("room.settings", {{"votes_visible", true}});
    EXPECT_EQ(view_for(t.state, {t.pro[1], Role::participant})["boards"]["hypotheses"]["items"][items[2]]["votes"], 1);
}

TEST(CoFacilitator, FacilitatorGivesTheRoleAndCannotStepDownAlone)
{
    Team t;
    t.f("participant.role", {{"pid", t.pro[0]}, {"role", "facilitator"}});
    EXPECT_EQ(t.state["participants"][t.pro[0]]["role"], "facilitator");
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "participant.role", {{"pid", t.fac}, {"role", "participant"}}), Error_code::forbidden);
    EXPECT_EQ(t.err(t.pro[1], Role::participant, "participant.role", {{"pid", t.pro[1]}, {"role", "facilitator"}}), Error_code::forbidden);
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "participant.role", {{"pid", t.pro[1]}, {"role", "screen"}}), Error_code::invalid);
}

TEST(Views, WholeExactlyWhenNothingIsKeptFromTheViewer)
{
    Team t;
    auto whole_matches = [&](const Viewer& v) { EXPECT_EQ(view_is_whole(t.state, v), view_for(t.state, v) == t.state) << v.pid; };
    const std::vector<Viewer> viewers{{t.fac, Role::facilitator}, {t.pro[0], Role::participant}, {t.pro[1], Role::participant}, {"p99", Role::screen}};
    for (const auto& v : viewers) whole_matches(v);
    t.p(t.pro[0], "item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "oma"}, {"hidden", true}});
    for (const auto& v : viewers) whole_matches(v);
    EXPECT_TRUE(view_is_whole(t.state, {t.pro[0], Role::participant}));
    EXPECT_FALSE(view_is_whole(t.state, {t.pro[1], Role::participant}));
    t.p(t.pro[0], "item.reveal", {{"board", "timeline"}});
    t.f("room.settings", {{"hide_names", true}});
    for (const auto& v : viewers) whole_matches(v);
    t.f("room.settings", {{"hide_names", false}, {"votes_visible", false}});
    t.f("item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "yhteinen"}});
    t.p(t.pro[1], "item.vote", {{"board", "vision"}, {"id", "i" + std::to_string(t.seq)}});
    for (const auto& v : viewers) whole_matches(v);
    t.f("room.settings", {{"votes_visible", true}, {"moderated", true}});
    t.p(t.pro[1], "item.add", {{"board", "plan"}, {"column", "action"}, {"text", "odottaa"}});
    for (const auto& v : viewers) whole_matches(v);
}
