// The facilitation views of keha-desk's room copy — speaking or listening for me, the round
// and pairs, the lobby (mine and the facilitator's list), items held for moderation, votes
// against the limit, consent — on states the server really produces: a meeting runs through
// libkeha's reducer (the facilitation suites' Team: a facilitator, three professionals, two
// leaders), and each desk window is welcomed with the view the server gives its person and
// then sent each command's patch as the server sends it to them (split_patch).
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>

#include "desk_windows.hpp"

using keha::json;
using keha::Role;
using keha::desk::Apply_result;
using keha::desk::Document;
using keha::desk::My_turn;
using keha::desk::test::Desks;
using keha::test::ids;
using keha::test::Team;

namespace {

std::vector<std::string> pids_of(const std::vector<keha::desk::Person>& people)
{
    std::vector<std::string> out;
    for (const auto& p : people) out.push_back(p.pid);
    return out;
}

}  // namespace

TEST(Facilitation, NoTurnsMeansNeitherSpeakingNorListening)
{
    Desks d;
    Document& doc = d.open(d.t.lead[0], Role::participant);
    EXPECT_FALSE(doc.turns().running());
    EXPECT_EQ(doc.my_turn(), My_turn::none);
}

TEST(Facilitation, SpeakingAndListeningFollowTheReflectingStages)
{
    Desks d;
    Team& t = d.t;
    Document& reflector = d.open(t.lead[0], Role::participant);
    Document& focus = d.open(t.pro[0], Role::participant);
    Document& facilitator = d.open(t.fac, Role::facilitator);
    d.f("turns.reflecting.start", {{"focus", ids(t.pro)}, {"reflectors", ids(t.lead)}});
    for (const char* stage : {"conversation", "reflection", "response"}) {
        bool reflection = std::string(stage) == "reflection";
        EXPECT_EQ(reflector.my_turn(), reflection ? My_turn::speaking : My_turn::listening) << stage;
        EXPECT_EQ(focus.my_turn(), reflection ? My_turn::listening : My_turn::speaking) << stage;
        EXPECT_EQ(facilitator.my_turn(), My_turn::none) << "facilitators steer, they take no turn";
        EXPECT_EQ(reflector.turns().stage, stage);
        EXPECT_EQ(reflector.turns().cycle, 1);
        EXPECT_EQ(reflector.turns().focus, t.pro);
        EXPECT_EQ(reflector.turns().reflectors, t.lead);
        EXPECT_EQ(reflector.turns().stage_seconds("reflection"), 600);
        d.f("turns.next");
    }
    // The next cycle, then the end.
    EXPECT_EQ(focus.turns().cycle, 2);
    EXPECT_EQ(focus.my_turn(), My_turn::speaking);
    d.f("turns.end");
    EXPECT_FALSE(focus.turns().running());
    EXPECT_EQ(focus.my_turn(), My_turn::none);
}

// What the desk locks for a listener (the private box, the hand, reveals) follows the server's rule.
TEST(Facilitation, AListenersInputIsHeldOnlyWhileTheyListenInAReflectingTeam)
{
    Desks d;
    Team& t = d.t;
    Document& reflector = d.open(t.lead[0], Role::participant);
    Document& focus = d.open(t.pro[0], Role::participant);
    Document& facilitator = d.open(t.fac, Role::facilitator);
    d.f("turns.reflecting.start", {{"focus", ids(t.pro)}, {"reflectors", ids(t.lead)}});
    for (const char* stage : {"conversation", "reflection", "response"}) {
        bool reflection = std::string(stage) == "reflection";
        EXPECT_EQ(reflector.my_input_held(), !reflection) << stage;
        EXPECT_EQ(focus.my_input_held(), reflection) << stage;
        EXPECT_FALSE(facilitator.my_input_held()) << stage;
        d.f("turns.next");
    }
    // Listening in a round holds nothing: the rule is the reflecting team's.
    d.f("turns.end");
    d.f("turns.round.start", {{"order", ids({t.pro[0], t.lead[0]})}});
    EXPECT_EQ(reflector.my_turn(), My_turn::listening);
    EXPECT_FALSE(reflector.my_input_held());
    d.f("turns.end");
    EXPECT_FALSE(reflector.my_input_held());
}

TEST(Facilitation, AFreshWelcomeResetsTheTurns)
{
    Desks d;
    Team& t = d.t;
    d.f("turns.reflecting.start", {{"focus", ids(t.pro)}, {"reflectors", ids(t.lead)}});
    d.f("turns.next");
    Document& doc = d.open(t.lead[0], Role::participant);
    EXPECT_EQ(doc.my_turn(), My_turn::speaking);
    // What the window missed while it was away; every member gets a fresh welcome, which replaces everything.
    t.f("turns.end");
    t.f("room.settings", {{"hide_names", true}});
    d.welcome_again();
    EXPECT_EQ(doc.my_turn(), My_turn::none);
    EXPECT_EQ(doc.seq(), t.seq);
}

TEST(Facilitation, ARoundNamesTheCurrentAndNextSpeakerAndMyTurn)
{
    Desks d;
    Team& t = d.t;
    Document& liisa = d.open(t.lead[0], Role::participant);
    Document& aino = d.open(t.pro[0], Role::participant);
    d.f("turns.round.start", {{"order", ids({t.pro[0], t.lead[0], t.pro[1]})}, {"per_speaker_s", 90}});
    d.p(t.pro[0], "turns.round.pass");
    EXPECT_TRUE(liisa.my_round_turn());
    EXPECT_FALSE(aino.my_round_turn());
    EXPECT_EQ(liisa.my_turn(), My_turn::speaking);
    EXPECT_EQ(aino.my_turn(), My_turn::listening);
    const auto& turns = liisa.turns();
    EXPECT_EQ(turns.current_speaker(), t.lead[0]);
    EXPECT_EQ(turns.next, t.pro[1]);
    EXPECT_EQ(turns.passed, (std::vector<std::string>{t.pro[0]}));
    EXPECT_EQ(turns.per_speaker_s, 90);

    d.p(t.lead[0], "turns.round.done");
    d.f("turns.next");
    EXPECT_FALSE(liisa.my_round_turn());
    EXPECT_EQ(liisa.turns().current_speaker(), "");
    EXPECT_EQ(liisa.turns().next, "");
}

TEST(Facilitation, PairsNameMyPartnerAndSwap)
{
    Desks d;
    Team& t = d.t;
    Document& liisa = d.open(t.lead[0], Role::participant);
    d.f("turns.pairs.start", {{"pairs", json::array({ids({t.pro[0], t.lead[0]}), ids({t.pro[1], t.lead[1]})})}});
    EXPECT_EQ(liisa.my_pair_partners(), (std::vector<std::string>{t.pro[0]}));
    EXPECT_EQ(liisa.my_turn(), My_turn::listening);
    d.f("turns.next");
    EXPECT_EQ(liisa.my_turn(), My_turn::speaking);
    EXPECT_EQ(liisa.turns().half, 2);
    ASSERT_EQ(liisa.turns().pairs.size(), 2u);
}

TEST(Facilitation, TheHandQueueNamesTheSpeaker)
{
    Desks d;
    Team& t = d.t;
    Document& eero = d.open(t.pro[1], Role::participant);
    d.f("turns.queue.start");
    d.p(t.pro[1], "hand.raise");
    d.f("turns.floor.give");
    EXPECT_EQ(eero.turns().speaker, t.pro[1]);
    EXPECT_EQ(eero.my_turn(), My_turn::speaking);
}

TEST(Facilitation, MyPrivateNotesAreTheHiddenOnesIWrote)
{
    Desks d;
    Team& t = d.t;
    Document& liisa = d.open(t.lead[0], Role::participant);
    auto reflection = [](const char* text, bool hidden) {
        return json{{"board", "reflections"}, {"column", "reflection"}, {"text", text}, {"hidden", hidden}};
    };
    d.p(t.lead[0], "item.add", reflection("Mietin, voisiko…", true));
    const std::string mine = d.last_item();
    d.p(t.lead[0], "item.add", reflection("Kaikille näkyvä", false));
    d.p(t.lead[1], "item.add", reflection("Matin oma", true));  // reaches Liisa without its text
    auto held = liisa.my_private_items("reflections");
    ASSERT_EQ(held.size(), 1u);
    EXPECT_EQ((*held[0])["id"], mine);
    // Revealed: no longer private.
    d.p(t.lead[0], "item.reveal", {{"board", "reflections"}, {"id", mine}});
    EXPECT_TRUE(liisa.my_private_items("reflections").empty());
}

TEST(Facilitation, TheLobbyMessageMeansWaitingAndTheWelcomeEndsIt)
{
    Desks d;
    Team& t = d.t;
    t.f("room.settings", {{"admit_joiners", true}});
    const std::string eeva = t.join("Eeva", "expert");
    Document doc;
    // The server's lobby message (docs/protocol.md §4): who this is, nothing of the room.
    ASSERT_EQ(doc.apply_lobby({{"type", "lobby"}, {"you", eeva}, {"token", "tok"}}), Apply_result::applied);
    EXPECT_TRUE(doc.in_lobby());
    EXPECT_FALSE(doc.has_state());
    EXPECT_EQ(doc.you(), eeva);
    EXPECT_EQ(doc.apply_patch_message({{"type", "patch"}, {"seq", t.seq + 1}, {"patch", json::array()}}), Apply_result::gap)
        << "no state to patch while waiting";
    t.f("participant.admit", {{"pid", eeva}});
    Document& admitted = d.open(eeva, Role::participant);
    EXPECT_FALSE(admitted.in_lobby());
    EXPECT_TRUE(admitted.has_state());
}

TEST(Facilitation, TheFacilitatorSeesWhoWaitsInTheLobby)
{
    Desks d;
    Team& t = d.t;
    t.f("room.settings", {{"admit_joiners", true}});
    const std::string tuomas = t.join("Tuomas", "professional");
    const std::string eeva = t.join("Eeva", "expert");
    const std::string gone = t.join("Poistettu", "other");
    t.f("participant.remove", {{"pid", gone}});
    Document& doc = d.open(t.fac, Role::facilitator);
    ASSERT_EQ(doc.lobby().size(), 2u);
    EXPECT_EQ(doc.lobby()[0].pid, tuomas) << "first come, first in the list";
    EXPECT_EQ(doc.lobby()[1].name, "Eeva");
    for (const auto& p : doc.people()) EXPECT_NE(p.pid, eeva) << "waiting people are not in the room yet";
    for (const auto& p : doc.turn_people()) EXPECT_NE(p.pid, tuomas);
    // Admitted: out of the lobby, into the room.
    d.f("participant.admit", {{"pid", eeva}});
    ASSERT_EQ(doc.lobby().size(), 1u);
    auto in_room = pids_of(doc.people());
    EXPECT_NE(std::find(in_room.begin(), in_room.end(), eeva), in_room.end());
}

TEST(Facilitation, TurnPeopleAreAdmittedParticipantsInJoiningOrder)
{
    Desks d;
    Team& t = d.t;
    t.join("Seinä", "other", "screen");
    Document& doc = d.open(t.fac, Role::facilitator);
    std::vector<std::string> want = t.pro;
    want.insert(want.end(), t.lead.begin(), t.lead.end());
    EXPECT_EQ(pids_of(doc.turn_people()), want) << "no facilitator, no screen";
}

TEST(Facilitation, HeldItemsForModerationAndMyDeclinedOne)
{
    Desks d;
    Team& t = d.t;
    t.f("room.settings", {{"moderated", true}});
    Document& facilitator = d.open(t.fac, Role::facilitator);
    Document& author = d.open(t.pro[0], Role::participant);
    d.p(t.lead[0], "item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Yhteinen kalenteri"}});
    const std::string waiting_id = d.last_item();
    d.p(t.pro[0], "item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Nimi ja henkilötunnus"}});
    d.f("item.decline", {{"board", "plan"}, {"id", d.last_item()}, {"reason", "Ei nimiä, kiitos."}});
    auto held = facilitator.held_items();
    ASSERT_EQ(held.size(), 2u);
    int waiting = 0;
    for (const auto& h : held) waiting += !h.declined;
    EXPECT_EQ(waiting, 1);
    auto declined = author.my_declined_items();
    ASSERT_EQ(declined.size(), 1u);
    EXPECT_EQ((*declined[0].item)["decline_reason"], "Ei nimiä, kiitos.");
    EXPECT_TRUE(facilitator.my_declined_items().empty());
    // Approved: no longer held.
    d.f("item.approve", {{"board", "plan"}, {"id", waiting_id}});
    EXPECT_EQ(facilitator.held_items().size(), 1u);
}

TEST(Facilitation, VotesLeftAgainstTheLimit)
{
    Desks d;
    Team& t = d.t;
    t.f("room.settings", {{"vote_limit", 3}});
    Document& liisa = d.open(t.lead[0], Role::participant);
    std::vector<std::string> items;
    for (const char* text : {"Mietin, voisiko…", "Kuulin, että…"}) {
        d.p(t.pro[0], "item.add", {{"board", "reflections"}, {"column", "reflection"}, {"text", text}});
        items.push_back(d.last_item());
    }
    for (const auto& id : items) d.p(t.lead[0], "item.vote", {{"board", "reflections"}, {"id", id}});
    d.p(t.lead[1], "item.vote", {{"board", "reflections"}, {"id", items[0]}});
    auto b = liisa.votes("reflections");
    EXPECT_EQ(b.limit, 3);
    EXPECT_EQ(b.used, 2);
    EXPECT_EQ(b.left(), 1);
    EXPECT_TRUE(b.known);
    EXPECT_EQ(liisa.votes("vision").left(), 3) << "the limit is per board";
    // Counts kept back from participants: the server still gives each their own votes, so
    // ours are counted.
    t.f("room.settings", {{"votes_visible", false}});
    d.welcome_again();
    EXPECT_FALSE(liisa.state()["boards"]["reflections"]["items"][items[0]].contains("votes"));
    EXPECT_TRUE(liisa.votes("reflections").known);
    EXPECT_EQ(liisa.votes("reflections").left(), 1);
}

TEST(Facilitation, SettingsAndConsent)
{
    Desks d;
    Team& t = d.t;
    t.f("room.settings", {{"consent_required", true}, {"hide_names", true}});
    Document& doc = d.open(t.fac, Role::facilitator);
    EXPECT_TRUE(doc.setting("hide_names"));
    EXPECT_TRUE(doc.setting("votes_visible"));
    EXPECT_FALSE(doc.setting("no_such_setting"));
    EXPECT_TRUE(doc.consent_pending());
    EXPECT_EQ(doc.consent(), nullptr);
    d.f("consent.record", {{"given_by", "Nuori itse"}, {"scope", "Tiimin kokoaminen"}});
    EXPECT_FALSE(doc.consent_pending());
    ASSERT_NE(doc.consent(), nullptr);
    EXPECT_EQ((*doc.consent())["given_by"], "Nuori itse");
}

TEST(Facilitation, StageTimesFromThePhasesTimeBox)
{
    using keha::desk::stage_times_for;
    auto t = stage_times_for(1500);  // 25 min: 10 + 10 + 5
    EXPECT_EQ(t.conversation_s, 600);
    EXPECT_EQ(t.reflection_s, 600);
    EXPECT_EQ(t.response_s, 300);
    auto none = stage_times_for(0);
    EXPECT_EQ(none.reflection_s, 600) << "reflection defaults to ten minutes";
    auto short_box = stage_times_for(900);
    EXPECT_EQ(short_box.reflection_s, 600);
    EXPECT_GE(short_box.conversation_s, 60);
    EXPECT_GE(short_box.response_s, 60);
}

TEST(Facilitation, TheSoftSignalLastsAMomentAfterTheTimeBoxEnds)
{
    using keha::desk::timebox_signal;
    EXPECT_FALSE(timebox_signal(std::nullopt));
    EXPECT_FALSE(timebox_signal(1000));
    EXPECT_TRUE(timebox_signal(0));
    EXPECT_TRUE(timebox_signal(-5000));
    EXPECT_FALSE(timebox_signal(-keha::desk::timebox_signal_ms - 1));
}
