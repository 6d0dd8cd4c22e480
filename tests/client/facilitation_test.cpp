// The facilitation views of the client's document: speaking or listening for me, the
// round and pairs, the lobby (mine and the facilitator's list), items held for
// moderation, votes against the limit, consent, and the defaults the console offers.
#include <gtest/gtest.h>

#include "document.hpp"

using keha::json;
using keha::desk::Apply_result;
using keha::desk::Document;
using keha::desk::My_turn;

namespace {

json person(const std::string& name, const std::string& group, const std::string& joined, json extra = {})
{
    json p = {{"name", name}, {"role", "participant"}, {"group", group}, {"online", true},
              {"hand", false}, {"hand_at", nullptr}, {"removed", false}, {"admitted", true}, {"joined_at", joined}};
    if (extra.is_object()) p.update(extra);
    return p;
}

json state()
{
    return {
        {"room",
         {{"code", "K7Q4MX"}, {"title", "Tiimi"}, {"language", "fi"}, {"status", "open"}, {"locked", false},
          {"settings",
           {{"hide_names", false}, {"admit_joiners", false}, {"moderated", false}, {"votes_visible", true},
            {"vote_limit", 0}, {"consent_required", false}}}}},
        {"consent", nullptr},
        {"phases", json::array({{{"id", "reflecting"}, {"kind", "reflection"}, {"title", "Reflektoiva tiimi"},
                                 {"board", "reflections"}, {"timebox_s", 1500}, {"turn_mode", "reflecting_team"}}})},
        {"phase", "reflecting"},
        {"participants",
         {{"p1", person("Ohjaaja", "other", "2026-11-23T09:00:00Z", {{"role", "facilitator"}})},
          {"p2", person("Maija", "professional", "2026-11-23T09:01:00Z")},
          {"p3", person("Jussi", "professional", "2026-11-23T09:02:00Z")},
          {"p4", person("Aino", "expert", "2026-11-23T09:03:00Z")},
          {"p5", person("Leena", "leader", "2026-11-23T09:04:00Z")},
          {"p6", person("Screen", "other", "2026-11-23T09:00:30Z", {{"role", "screen"}})}}},
        {"boards",
         {{"timeline", {{"items", json::object()}}},
          {"vision", {{"items", json::object()}}},
          {"plan", {{"items", json::object()}}},
          {"reflections", {{"items", json::object()}}}}},
        {"turns", {{"mode", "none"}}},
        {"timer", {{"state", "idle"}}},
    };
}

json welcome(const std::string& you, const std::string& role, std::uint64_t seq, json s = state())
{
    return {{"type", "welcome"}, {"you", you}, {"role", role}, {"token", "t"}, {"seq", seq}, {"state", s}};
}

json patch(std::uint64_t seq, json ops)
{
    return {{"type", "patch"}, {"seq", seq}, {"by", "p1"}, {"cmd", "x"}, {"patch", ops}};
}

// What the server puts under /turns when a reflecting team starts (shared/src/turns.cpp).
json reflecting(const std::string& stage, int cycle = 1)
{
    json focus = {"p2", "p3"}, reflectors = {"p4", "p5"};
    bool focus_speaks = stage != "reflection";
    return {{"mode", "reflecting_team"},
            {"stage", stage},
            {"cycle", cycle},
            {"focus", focus},
            {"reflectors", reflectors},
            {"focus_group", nullptr},
            {"reflect_group", nullptr},
            {"stage_s", {{"conversation", 600}, {"reflection", 600}, {"response", 300}}},
            {"speaking", focus_speaks ? focus : reflectors},
            {"listening", focus_speaks ? reflectors : focus}};
}

json put_turns(const json& turns) { return json::array({{{"op", "add"}, {"path", "/turns"}, {"value", turns}}}); }

json item(const std::string& id, const std::string& author, json extra = {})
{
    json i = {{"id", id},     {"column", "reflection"}, {"text", "Mietin, voisiko…"}, {"author", author},
              {"created_at", "2026-11-23T10:00:00Z"}, {"order", 1.0}, {"votes", 0}, {"voters", json::array()},
              {"hidden", false}};
    if (extra.is_object()) i.update(extra);
    return i;
}

}  // namespace

TEST(Facilitation, NoTurnsMeansNeitherSpeakingNorListening)
{
    Document doc;
    doc.apply_welcome(welcome("p4", "participant", 1));
    EXPECT_FALSE(doc.turns().running());
    EXPECT_EQ(doc.my_turn(), My_turn::none);
}

TEST(Facilitation, SpeakingAndListeningFollowTheReflectingStages)
{
    Document reflector, focus, facilitator;
    reflector.apply_welcome(welcome("p4", "participant", 1));
    focus.apply_welcome(welcome("p2", "participant", 1));
    facilitator.apply_welcome(welcome("p1", "facilitator", 1));
    const char* stages[] = {"conversation", "reflection", "response"};
    std::uint64_t seq = 1;
    for (const char* stage : stages) {
        json p = patch(++seq, put_turns(reflecting(stage)));
        for (Document* d : {&reflector, &focus, &facilitator}) ASSERT_EQ(d->apply_patch_message(p), Apply_result::applied);
        bool reflection = std::string(stage) == "reflection";
        EXPECT_EQ(reflector.my_turn(), reflection ? My_turn::speaking : My_turn::listening) << stage;
        EXPECT_EQ(focus.my_turn(), reflection ? My_turn::listening : My_turn::speaking) << stage;
        EXPECT_EQ(facilitator.my_turn(), My_turn::none) << "facilitators steer, they take no turn";
        EXPECT_EQ(reflector.turns().stage, stage);
        EXPECT_EQ(reflector.turns().cycle, 1);
        EXPECT_EQ(reflector.turns().focus, (std::vector<std::string>{"p2", "p3"}));
        EXPECT_EQ(reflector.turns().reflectors, (std::vector<std::string>{"p4", "p5"}));
        EXPECT_EQ(reflector.turns().stage_seconds("reflection"), 600);
    }
    // The next cycle, then the end.
    focus.apply_patch_message(patch(++seq, put_turns(reflecting("conversation", 2))));
    EXPECT_EQ(focus.turns().cycle, 2);
    EXPECT_EQ(focus.my_turn(), My_turn::speaking);
    focus.apply_patch_message(patch(++seq, put_turns({{"mode", "none"}})));
    EXPECT_FALSE(focus.turns().running());
    EXPECT_EQ(focus.my_turn(), My_turn::none);
}

// What the desk locks for a listener (the private box, the hand, reveals) follows the server's rule.
TEST(Facilitation, AListenersInputIsHeldOnlyWhileTheyListenInAReflectingTeam)
{
    Document reflector, focus, facilitator;
    reflector.apply_welcome(welcome("p4", "participant", 1));
    focus.apply_welcome(welcome("p2", "participant", 1));
    facilitator.apply_welcome(welcome("p1", "facilitator", 1));
    std::uint64_t seq = 1;
    for (const char* stage : {"conversation", "reflection", "response"}) {
        json p = patch(++seq, put_turns(reflecting(stage)));
        for (Document* d : {&reflector, &focus, &facilitator}) ASSERT_EQ(d->apply_patch_message(p), Apply_result::applied);
        bool reflection = std::string(stage) == "reflection";
        EXPECT_EQ(reflector.my_input_held(), !reflection) << stage;
        EXPECT_EQ(focus.my_input_held(), reflection) << stage;
        EXPECT_FALSE(facilitator.my_input_held()) << stage;
    }
    // Listening in a round holds nothing: the rule is the reflecting team's.
    json round = {{"mode", "round"}, {"order", json::array({"p2", "p4"})}, {"current", 0}, {"speaking", json::array({"p2"})},
                  {"listening", json::array({"p4"})},
                  {"passed", json::array()}, {"done", json::array()}, {"finished", false}, {"next", "p4"}};
    reflector.apply_patch_message(patch(++seq, put_turns(round)));
    EXPECT_EQ(reflector.my_turn(), My_turn::listening);
    EXPECT_FALSE(reflector.my_input_held());
    reflector.apply_patch_message(patch(++seq, put_turns({{"mode", "none"}})));
    EXPECT_FALSE(reflector.my_input_held());
}

TEST(Facilitation, AFreshWelcomeResetsTheTurns)
{
    Document doc;
    json s = state();
    s["turns"] = reflecting("reflection");
    doc.apply_welcome(welcome("p4", "participant", 7, s));
    EXPECT_EQ(doc.my_turn(), My_turn::speaking);
    // After a settings change every member gets a fresh welcome; it replaces everything.
    doc.apply_welcome(welcome("p4", "participant", 9));
    EXPECT_EQ(doc.my_turn(), My_turn::none);
    EXPECT_EQ(doc.seq(), 9u);
}

TEST(Facilitation, ARoundNamesTheCurrentAndNextSpeakerAndMyTurn)
{
    Document aino, maija;
    aino.apply_welcome(welcome("p4", "participant", 1));
    maija.apply_welcome(welcome("p2", "participant", 1));
    json round = {{"mode", "round"},  {"order", {"p2", "p4", "p3"}}, {"current", 1}, {"passed", {"p2"}},
                  {"done", json::array()}, {"per_speaker_s", 90}, {"finished", false}, {"speaking", {"p4"}},
                  {"listening", {"p2", "p3"}}, {"next", "p3"}};
    for (Document* d : {&aino, &maija}) d->apply_patch_message(patch(2, put_turns(round)));
    EXPECT_TRUE(aino.my_round_turn());
    EXPECT_FALSE(maija.my_round_turn());
    EXPECT_EQ(aino.my_turn(), My_turn::speaking);
    EXPECT_EQ(maija.my_turn(), My_turn::listening);
    const auto& t = aino.turns();
    EXPECT_EQ(t.current_speaker(), "p4");
    EXPECT_EQ(t.next, "p3");
    EXPECT_EQ(t.passed, (std::vector<std::string>{"p2"}));
    EXPECT_EQ(t.per_speaker_s, 90);

    round["finished"] = true;
    round["current"] = 3;
    round["speaking"] = json::array();
    round["listening"] = round["order"];
    round["next"] = nullptr;
    aino.apply_patch_message(patch(3, put_turns(round)));
    EXPECT_FALSE(aino.my_round_turn());
    EXPECT_EQ(aino.turns().current_speaker(), "");
    EXPECT_EQ(aino.turns().next, "");
}

TEST(Facilitation, PairsNameMyPartnerAndSwap)
{
    Document doc;
    doc.apply_welcome(welcome("p4", "participant", 1));
    json pairs = {{"mode", "pairs"}, {"pairs", json::array({json::array({"p2", "p4"}), json::array({"p3", "p5"})})}, {"half", 1}, {"half_s", 300},
                  {"speaking", {"p2", "p3"}}, {"listening", {"p4", "p5"}}};
    doc.apply_patch_message(patch(2, put_turns(pairs)));
    EXPECT_EQ(doc.my_pair_partners(), (std::vector<std::string>{"p2"}));
    EXPECT_EQ(doc.my_turn(), My_turn::listening);
    pairs["half"] = 2;
    std::swap(pairs["speaking"], pairs["listening"]);
    doc.apply_patch_message(patch(3, put_turns(pairs)));
    EXPECT_EQ(doc.my_turn(), My_turn::speaking);
    EXPECT_EQ(doc.turns().half, 2);
    ASSERT_EQ(doc.turns().pairs.size(), 2u);
}

TEST(Facilitation, TheHandQueueNamesTheSpeaker)
{
    Document doc;
    doc.apply_welcome(welcome("p3", "participant", 1));
    doc.apply_patch_message(patch(2, put_turns({{"mode", "hand_queue"}, {"speaker", "p3"}, {"speaking", {"p3"}},
                                               {"listening", {"p2", "p4", "p5"}}})));
    EXPECT_EQ(doc.turns().speaker, "p3");
    EXPECT_EQ(doc.my_turn(), My_turn::speaking);
}

TEST(Facilitation, MyPrivateNotesAreTheHiddenOnesIWrote)
{
    Document doc;
    json s = state();
    auto& items = s["boards"]["reflections"]["items"];
    items["i1"] = item("i1", "p4", {{"hidden", true}});
    items["i2"] = item("i2", "p4");
    items["i3"] = {{"id", "i3"}, {"column", "reflection"}, {"author", "p5"}, {"hidden", true}, {"order", 2.0}};  // redacted
    doc.apply_welcome(welcome("p4", "participant", 1, s));
    auto mine = doc.my_private_items("reflections");
    ASSERT_EQ(mine.size(), 1u);
    EXPECT_EQ((*mine[0])["id"], "i1");
    // Revealed: no longer private.
    doc.apply_patch_message(patch(2, json::array({{{"op", "replace"}, {"path", "/boards/reflections/items/i1/hidden"},
                                                   {"value", false}}})));
    EXPECT_TRUE(doc.my_private_items("reflections").empty());
}

TEST(Facilitation, TheLobbyMessageMeansWaitingAndTheWelcomeEndsIt)
{
    Document doc;
    ASSERT_EQ(doc.apply_lobby({{"type", "lobby"}, {"you", "p7"}, {"token", "tok"}}), Apply_result::applied);
    EXPECT_TRUE(doc.in_lobby());
    EXPECT_FALSE(doc.has_state());
    EXPECT_EQ(doc.you(), "p7");
    EXPECT_EQ(doc.apply_patch_message(patch(3, json::array())), Apply_result::gap) << "no state to patch while waiting";
    doc.apply_welcome(welcome("p7", "participant", 4));
    EXPECT_FALSE(doc.in_lobby());
    EXPECT_TRUE(doc.has_state());
}

TEST(Facilitation, TheFacilitatorSeesWhoWaitsInTheLobby)
{
    json s = state();
    s["room"]["settings"]["admit_joiners"] = true;
    s["participants"]["p7"] = person("Eeva", "expert", "2026-11-23T09:10:00Z", {{"admitted", false}});
    s["participants"]["p8"] = person("Tuomas", "professional", "2026-11-23T09:09:00Z", {{"admitted", false}});
    s["participants"]["p9"] = person("Poistettu", "other", "2026-11-23T09:08:00Z", {{"admitted", false}, {"removed", true}});
    Document doc;
    doc.apply_welcome(welcome("p1", "facilitator", 1, s));
    ASSERT_EQ(doc.lobby().size(), 2u);
    EXPECT_EQ(doc.lobby()[0].name, "Tuomas") << "first come, first in the list";
    EXPECT_EQ(doc.lobby()[1].name, "Eeva");
    for (const auto& p : doc.people()) EXPECT_NE(p.pid, "p7") << "waiting people are not in the room yet";
    for (const auto& p : doc.turn_people()) EXPECT_NE(p.pid, "p8");
    // Admitted: out of the lobby, into the room.
    doc.apply_patch_message(patch(2, json::array({{{"op", "replace"}, {"path", "/participants/p7/admitted"}, {"value", true}}})));
    ASSERT_EQ(doc.lobby().size(), 1u);
    bool in = false;
    for (const auto& p : doc.people()) in |= p.pid == "p7";
    EXPECT_TRUE(in);
}

TEST(Facilitation, TurnPeopleAreAdmittedParticipantsInJoiningOrder)
{
    Document doc;
    doc.apply_welcome(welcome("p1", "facilitator", 1));
    std::vector<std::string> pids;
    for (const auto& p : doc.turn_people()) pids.push_back(p.pid);
    EXPECT_EQ(pids, (std::vector<std::string>{"p2", "p3", "p4", "p5"})) << "no facilitator, no screen";
}

TEST(Facilitation, HeldItemsForModerationAndMyDeclinedOne)
{
    json s = state();
    s["room"]["settings"]["moderated"] = true;
    auto& items = s["boards"]["reflections"]["items"];
    items["i1"] = item("i1", "p4", {{"pending", true}});
    items["i2"] = item("i2", "p2", {{"pending", true}, {"declined", true}, {"decline_reason", "Ei nimiä, kiitos."}});
    items["i3"] = item("i3", "p2");
    Document facilitator, author;
    facilitator.apply_welcome(welcome("p1", "facilitator", 1, s));
    author.apply_welcome(welcome("p2", "participant", 1, s));
    auto held = facilitator.held_items();
    ASSERT_EQ(held.size(), 2u);
    int waiting = 0;
    for (const auto& h : held) waiting += !h.declined;
    EXPECT_EQ(waiting, 1);
    auto declined = author.my_declined_items();
    ASSERT_EQ(declined.size(), 1u);
    EXPECT_EQ((*declined[0].item)["decline_reason"], "Ei nimiä, kiitos.");
    EXPECT_TRUE(facilitator.my_declined_items().empty());
    // Approved: the server puts the whole item with pending false.
    json approved = item("i1", "p4", {{"pending", false}});
    facilitator.apply_patch_message(patch(2, json::array({{{"op", "add"}, {"path", "/boards/reflections/items/i1"},
                                                           {"value", approved}}})));
    EXPECT_EQ(facilitator.held_items().size(), 1u);
}

TEST(Facilitation, VotesLeftAgainstTheLimit)
{
    json s = state();
    s["room"]["settings"]["vote_limit"] = 3;
    auto& items = s["boards"]["reflections"]["items"];
    items["i1"] = item("i1", "p2", {{"votes", 2}, {"voters", {"p4", "p5"}}});
    items["i2"] = item("i2", "p3", {{"votes", 1}, {"voters", {"p4"}}});
    Document doc;
    doc.apply_welcome(welcome("p4", "participant", 1, s));
    auto b = doc.votes("reflections");
    EXPECT_EQ(b.limit, 3);
    EXPECT_EQ(b.used, 2);
    EXPECT_EQ(b.left(), 1);
    EXPECT_TRUE(b.known);
    EXPECT_EQ(doc.votes("vision").left(), 3) << "the limit is per board";
    // Counts kept back from participants: the server still gives each their own votes
    // (voters holding only them), so ours are counted.
    for (auto* it : {&items["i1"], &items["i2"]}) {
        it->erase("votes");
        (*it)["voters"] = json::array({"p4"});
    }
    doc.apply_welcome(welcome("p4", "participant", 2, s));
    EXPECT_TRUE(doc.votes("reflections").known);
    EXPECT_EQ(doc.votes("reflections").left(), 1);
    // A server that kept even those back: we cannot count ours.
    items["i1"].erase("voters");
    doc.apply_welcome(welcome("p4", "participant", 3, s));
    EXPECT_FALSE(doc.votes("reflections").known);
}

TEST(Facilitation, SettingsAndConsent)
{
    json s = state();
    s["room"]["settings"]["consent_required"] = true;
    s["room"]["settings"]["hide_names"] = true;
    Document doc;
    doc.apply_welcome(welcome("p1", "facilitator", 1, s));
    EXPECT_TRUE(doc.setting("hide_names"));
    EXPECT_TRUE(doc.setting("votes_visible"));
    EXPECT_FALSE(doc.setting("no_such_setting"));
    EXPECT_TRUE(doc.consent_pending());
    EXPECT_EQ(doc.consent(), nullptr);
    doc.apply_patch_message(patch(2, json::array({{{"op", "replace"}, {"path", "/consent"},
                                                   {"value", {{"given_by", "Nuori itse"}, {"scope", "Tiimin kokoaminen"},
                                                              {"recorded_at", "2026-11-23T09:30:00Z"}, {"recorded_by", "p1"}}}}})));
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
