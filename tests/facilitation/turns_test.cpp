#include <set>

#include "team.hpp"

using namespace keha;
using namespace keha::test;

TEST(ReflectingTeam, StartByGroupsMakesFocusSpeakAndReflectorsListen)
{
    Team t;
    t.f("turns.reflecting.start", {{"focus_group", "professional"}, {"reflect_group", "leader"}});
    EXPECT_EQ(t.turns()["mode"], "reflecting_team");
    EXPECT_EQ(t.turns()["stage"], "conversation");
    EXPECT_EQ(t.turns()["speaking"], ids(t.pro));
    EXPECT_EQ(t.turns()["listening"], ids(t.lead));
}

TEST(ReflectingTeam, StagesCycleAndSwapWhoSpeaks)
{
    Team t;
    t.f("turns.reflecting.start", {{"focus", ids(t.pro)}, {"reflectors", ids(t.lead)}});
    t.f("turns.next");
    EXPECT_EQ(t.turns()["stage"], "reflection");
    EXPECT_EQ(t.turns()["speaking"], ids(t.lead));
    EXPECT_EQ(t.turns()["listening"], ids(t.pro));
    t.f("turns.next");
    EXPECT_EQ(t.turns()["stage"], "response");
    EXPECT_EQ(t.turns()["speaking"], ids(t.pro));
    t.f("turns.next");
    EXPECT_EQ(t.turns()["stage"], "conversation");
    EXPECT_EQ(t.turns()["cycle"], 2);
    t.f("turns.stage", {{"stage", "reflection"}});
    EXPECT_EQ(t.turns()["speaking"], ids(t.lead));
    t.f("turns.end");
    EXPECT_EQ(t.turns(), json({{"mode", "none"}}));
}

TEST(ReflectingTeam, ReflectionStageIsTimeBoxedToTenMinutesByDefault)
{
    Team t;
    t.f("turns.reflecting.start", {{"focus_group", "professional"}, {"reflect_group", "leader"}});
    t.f("turns.next");
    EXPECT_EQ(t.state["timer"]["state"], "running");
    EXPECT_EQ(t.state["timer"]["duration_s"], 600);
    EXPECT_EQ(t.state["timer"]["ends_at_ms"], t.now_ms + 600'000);
}

TEST(ReflectingTeam, ListenerCannotRaiseHandOrTakeTheFloor)
{
    Team t;
    t.f("turns.reflecting.start", {{"focus_group", "professional"}, {"reflect_group", "leader"}});
    EXPECT_EQ(t.err(t.lead[0], Role::participant, "hand.raise"), Error_code::listening);
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "turns.floor.give", {{"pid", t.lead[0]}}), Error_code::forbidden);
    t.p(t.pro[0], "hand.raise");  // a speaker may
    t.f("turns.next");            // now the leaders speak
    t.p(t.lead[0], "hand.raise");
}

TEST(ReflectingTeam, ParticipantCannotAdvanceOrStartTurns)
{
    Team t;
    t.f("turns.reflecting.start", {{"focus_group", "professional"}, {"reflect_group", "leader"}});
    for (const char* cmd : {"turns.next", "turns.end", "turns.queue.start", "turns.round.start"})
        EXPECT_EQ(t.err(t.pro[0], Role::participant, cmd), Error_code::forbidden) << cmd;
    EXPECT_EQ(t.err(t.pro[0], Role::participant, "turns.stage", {{"stage", "response"}}), Error_code::forbidden);
    EXPECT_EQ(t.err("p99", Role::screen, "turns.next"), Error_code::forbidden);
}

TEST(ReflectingTeam, GroupsMustBeDisjointAndNonEmpty)
{
    Team t;
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "turns.reflecting.start", {{"focus", ids(t.pro)}, {"reflectors", ids({t.pro[0]})}}),
              Error_code::invalid);
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "turns.reflecting.start", {{"focus_group", "professional"}, {"reflect_group", "expert"}}),
              Error_code::invalid);
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "turns.reflecting.start", {{"focus_group", "professional"}}), Error_code::bad_request);
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "turns.reflecting.start", {{"focus", json::array({"p404"})}, {"reflectors", ids(t.lead)}}),
              Error_code::not_found);
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "turns.next"), Error_code::conflict);
}

TEST(ReflectingTeam, ListenersPrivateNotesCarryTheirTurnAndStayHiddenUntilRevealed)
{
    Team t;
    t.f("turns.reflecting.start", {{"focus_group", "professional"}, {"reflect_group", "leader"}});
    t.p(t.lead[0], "item.add", {{"board", "reflections"}, {"column", "reflection"}, {"text", "Mietin, kuulivatko he toisiaan"}, {"hidden", true}});
    const std::string id = "i" + std::to_string(t.seq);
    const json& item = t.state["boards"]["reflections"]["items"][id];
    EXPECT_EQ(item["turn"], "1:conversation");
    json other = view_for(t.state, {t.pro[0], Role::participant});
    EXPECT_FALSE(other["boards"]["reflections"]["items"][id].contains("text"));
    t.f("turns.next");
    t.p(t.lead[0], "item.reveal", {{"board", "reflections"}});
    other = view_for(t.state, {t.pro[0], Role::participant});
    EXPECT_EQ(other["boards"]["reflections"]["items"][id]["text"], "Mietin, kuulivatko he toisiaan");
}

// A listener's input is private until their group speaks, whatever the client asks for.
TEST(ReflectingTeam, ListenersInputIsHeldWhateverTheClientSends)
{
    Team t;
    t.p(t.lead[1], "item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "Ennen tiimiä kirjoitettu"}});
    const std::string before = "i" + std::to_string(t.seq);
    t.f("turns.reflecting.start", {{"focus_group", "professional"}, {"reflect_group", "leader"}});
    t.p(t.lead[0], "item.add", {{"board", "reflections"}, {"column", "reflection"}, {"text", "Kuulin huolen"}, {"hidden", false}});
    const std::string id = "i" + std::to_string(t.seq);
    EXPECT_EQ(t.state["boards"]["reflections"]["items"][id]["hidden"], true);
    t.p(t.lead[0], "item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Oma ehdotus"}});
    EXPECT_EQ(t.state["boards"]["plan"]["items"]["i" + std::to_string(t.seq)]["hidden"], true) << "every board";
    EXPECT_FALSE(view_for(t.state, {t.pro[0], Role::participant})["boards"]["reflections"]["items"][id].contains("text"));
    EXPECT_EQ(view_for(t.state, {t.fac, Role::facilitator})["boards"]["reflections"]["items"][id]["text"], "Kuulin huolen");

    // No reveal and no change to a visible item while listening; a private note may be edited.
    EXPECT_EQ(t.err(t.lead[0], Role::participant, "item.reveal", {{"board", "reflections"}, {"id", id}}), Error_code::listening);
    EXPECT_EQ(t.err(t.lead[0], Role::participant, "item.reveal", {{"board", "reflections"}}), Error_code::listening);
    EXPECT_EQ(t.err(t.lead[1], Role::participant, "item.edit", {{"board", "vision"}, {"id", before}, {"text", "Muutettu"}}),
              Error_code::listening);
    t.p(t.lead[0], "item.edit", {{"board", "reflections"}, {"id", id}, {"text", "Kuulin huolen ja toivon"}});
    EXPECT_EQ(t.state["boards"]["reflections"]["items"][id]["hidden"], true);

    // A speaker writes as they choose.
    t.p(t.pro[0], "item.add", {{"board", "reflections"}, {"column", "reflection"}, {"text", "Puhujan ajatus"}});
    EXPECT_EQ(t.state["boards"]["reflections"]["items"]["i" + std::to_string(t.seq)]["hidden"], false);

    // Their group's turn: the note stays private until its author reveals it.
    t.f("turns.next");
    EXPECT_EQ(t.state["boards"]["reflections"]["items"][id]["hidden"], true);
    t.p(t.lead[0], "item.reveal", {{"board", "reflections"}, {"id", id}});
    EXPECT_EQ(view_for(t.state, {t.pro[0], Role::participant})["boards"]["reflections"]["items"][id]["text"], "Kuulin huolen ja toivon");
    // Now the focus group listens, and what they write is held in turn.
    t.p(t.pro[1], "item.add", {{"board", "reflections"}, {"column", "reflection"}, {"text", "Fokuksen muistiinpano"}});
    EXPECT_EQ(t.state["boards"]["reflections"]["items"]["i" + std::to_string(t.seq)]["hidden"], true);
    t.f("turns.end");
    t.p(t.pro[1], "item.add", {{"board", "reflections"}, {"column", "reflection"}, {"text", "Tiimin jälkeen"}});
    EXPECT_EQ(t.state["boards"]["reflections"]["items"]["i" + std::to_string(t.seq)]["hidden"], false);
}

TEST(Round, GoesThroughEveryoneWithPassAndDone)
{
    Team t;
    t.f("turns.round.start", {{"order", ids({t.pro[0], t.lead[0], t.pro[1]})}, {"per_speaker_s", 120}});
    EXPECT_EQ(t.turns()["speaking"], ids({t.pro[0]}));
    EXPECT_EQ(t.turns()["next"], t.lead[0]);
    EXPECT_EQ(t.state["timer"]["duration_s"], 120);
    EXPECT_EQ(t.err(t.pro[1], Role::participant, "turns.round.pass"), Error_code::forbidden);  // not their turn
    t.p(t.pro[0], "turns.round.done");
    t.p(t.lead[0], "turns.round.pass");
    EXPECT_EQ(t.turns()["speaking"], ids({t.pro[1]}));
    EXPECT_EQ(t.turns()["next"], nullptr);
    t.f("turns.next");
    EXPECT_TRUE(t.turns()["finished"].get<bool>());
    EXPECT_EQ(t.turns()["done"], ids({t.pro[0], t.pro[1]}));
    EXPECT_EQ(t.turns()["passed"], ids({t.lead[0]}));
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "turns.next"), Error_code::conflict);
}

TEST(Round, WithoutOrderTakesEveryParticipantAndShuffleKeepsEveryoneOnce)
{
    Team t;
    t.f("turns.round.start", {{"shuffle", true}});
    std::set<std::string> got;
    for (const auto& p : t.turns()["order"]) got.insert(p.get<std::string>());
    std::set<std::string> want(t.pro.begin(), t.pro.end());
    want.insert(t.lead.begin(), t.lead.end());
    EXPECT_EQ(got, want);
    EXPECT_EQ(t.turns()["order"].size(), want.size());
}

TEST(HandQueue, FloorGoesToTheLongestRaisedHandAndLowersIt)
{
    Team t;
    t.f("turns.queue.start");
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "turns.floor.give"), Error_code::conflict);  // no hands
    t.p(t.lead[1], "hand.raise");
    t.now_ms += 500;
    t.p(t.pro[2], "hand.raise");
    t.f("turns.floor.give");
    EXPECT_EQ(t.turns()["speaker"], t.lead[1]);
    EXPECT_FALSE(t.state["participants"][t.lead[1]]["hand"].get<bool>());
    EXPECT_TRUE(t.state["participants"][t.pro[2]]["hand"].get<bool>());
    t.f("turns.floor.give", {{"pid", t.pro[2]}});
    EXPECT_EQ(t.turns()["speaking"], ids({t.pro[2]}));
    EXPECT_EQ(t.err(t.pro[0], Role::participant, "turns.floor.give", {{"pid", t.pro[0]}}), Error_code::forbidden);
}

TEST(Pairs, RandomPairsMixGroupsAndSwapHalves)
{
    Team t;
    t.f("turns.pairs.start", {{"half_s", 180}});
    const json& pairs = t.turns()["pairs"];
    ASSERT_EQ(pairs.size(), 2u);  // five people: a pair and a trio
    std::size_t mixed = 0, people = 0;
    for (const auto& g : pairs) {
        std::set<std::string> groups;
        for (const auto& p : g) groups.insert(t.state["participants"][p.get<std::string>()]["group"].get<std::string>());
        mixed += groups.size() > 1;
        people += g.size();
    }
    EXPECT_EQ(people, 5u);
    EXPECT_GE(mixed, 1u);
    const json speaking = t.turns()["speaking"], listening = t.turns()["listening"];
    t.f("turns.next");
    EXPECT_EQ(t.turns()["half"], 2);
    EXPECT_EQ(t.turns()["speaking"], listening);
    EXPECT_EQ(t.turns()["listening"], speaking);
    t.f("turns.next");
    EXPECT_EQ(t.turns()["mode"], "none");
}

TEST(Pairs, GivenPairsAreCheckedAndUsed)
{
    Team t;
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "turns.pairs.start", {{"pairs", json::array({ids({t.pro[0], t.pro[0]})})}}),
              Error_code::invalid);
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "turns.pairs.start", {{"pairs", json::array({ids({t.pro[0]})})}}), Error_code::invalid);
    t.f("turns.pairs.start", {{"pairs", json::array({ids({t.pro[0], t.lead[0]}), ids({t.pro[1], t.lead[1]})})}});
    EXPECT_EQ(t.turns()["speaking"], ids({t.pro[0], t.pro[1]}));
}

TEST(ReflectingTeam, FloorToASpeakerKeepsTheCycleGoing)
{
    Team t;
    t.f("turns.reflecting.start", {{"focus_group", "professional"}, {"reflect_group", "leader"}});
    t.p(t.pro[1], "hand.raise");
    t.f("turns.floor.give");
    EXPECT_EQ(t.turns()["mode"], "reflecting_team");
    EXPECT_EQ(t.turns()["stage"], "conversation");
    EXPECT_EQ(t.turns()["speaker"], t.pro[1]);
}

// docs/facilitator-guide.md: "a stage without its own time leaves the timer as it was".
TEST(ReflectingTeam, StageWithoutTimeBoxLeavesTheTimerAsItWas)
{
    Team t;
    t.f("turns.reflecting.start", {{"focus_group", "professional"}, {"reflect_group", "leader"}, {"response_s", 0}});
    t.f("turns.next");
    const json reflection_clock = t.state["timer"];
    EXPECT_EQ(reflection_clock["state"], "running");
    t.now_ms += 120'000;
    t.f("turns.next");  // response: no time box of its own
    EXPECT_EQ(t.turns()["stage"], "response");
    EXPECT_EQ(t.state["timer"], reflection_clock);

    // A paused clock stays paused, and a conversation without a time box starts none.
    t.f("timer.pause");
    const json paused = t.state["timer"];
    t.f("turns.stage", {{"stage", "response"}});
    EXPECT_EQ(t.state["timer"], paused);
    t.f("timer.reset");
    t.f("turns.next");  // cycle 2, conversation: no time box
    EXPECT_EQ(t.turns()["stage"], "conversation");
    EXPECT_EQ(t.state["timer"]["state"], "idle");
}

TEST(ReflectingTeam, StartWithoutConversationTimeLeavesTheRunningTimer)
{
    Team t;
    t.f("timer.start", {{"duration_s", 1500}});
    const json phase_clock = t.state["timer"];
    t.f("turns.reflecting.start", {{"focus_group", "professional"}, {"reflect_group", "leader"}});
    EXPECT_EQ(t.state["timer"], phase_clock);
}

TEST(Round, SpeakersWithoutTimeLeaveTheTimerAsItWas)
{
    Team t;
    t.f("timer.start", {{"duration_s", 600}});
    const json phase_clock = t.state["timer"];
    t.f("turns.round.start");
    t.f("turns.next");
    EXPECT_EQ(t.state["timer"], phase_clock);
}

TEST(Round, DefaultOrderAndGroupsLeaveOutThoseWhoAreAway)
{
    Team t;
    t.ok("server", Role::server, "participant.offline", {{"pid", t.pro[2]}});
    t.f("turns.round.start");
    EXPECT_EQ(t.turns()["order"].size(), 4u);
    for (const auto& p : t.turns()["order"]) EXPECT_NE(p, t.pro[2]);
    t.f("turns.reflecting.start", {{"focus_group", "professional"}, {"reflect_group", "leader"}});
    EXPECT_EQ(t.turns()["focus"], ids({t.pro[0], t.pro[1]}));
}
