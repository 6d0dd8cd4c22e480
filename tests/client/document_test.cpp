// The client's document without a window or a socket: welcome, patches, replay after a
// reconnect (the messages' rules, on small hand-written messages), and the views the screens
// draw from it (on rooms the reducer made, desk_windows.hpp).
#include <gtest/gtest.h>

#include <limits>

#include "desk_windows.hpp"
#include "document.hpp"
#include "keha/provenance.hpp"

using keha::json;
using keha::Role;
using keha::desk::Apply_result;
using keha::desk::Document;
using keha::desk::test::Desks;
using keha::test::Team;

namespace {

json item(const std::string& id, const std::string& column, const std::string& text, double order, json extra = {})
{
    json i = {{"id", id},       {"column", column}, {"text", text},     {"author", "p2"},
              {"created_at", "2026-11-23T09:00:00Z"}, {"order", order}, {"votes", 0}, {"hidden", false}};
    if (extra.is_object()) i.update(extra);
    return i;
}

json base_state()
{
    return {
        {"room", {{"code", "K7Q4MX"}, {"title", "Tiimi"}, {"language", "sv"}, {"status", "open"}, {"locked", false}}},
        {"phases", json::array({{{"id", "opening"}, {"kind", "opening"}, {"title", "Aloitus"}, {"board", nullptr}},
                                {{"id", "timeline"}, {"kind", "timeline"}, {"title", "Aikajana"}, {"board", "timeline"}},
                                {{"id", "plan"}, {"kind", "plan"}, {"title", "Suunnitelma"}, {"board", "plan"}}})},
        {"phase", "opening"},
        {"participants",
         {{"p1", {{"name", "Ohjaaja"}, {"role", "facilitator"}, {"group", "other"}, {"online", true}, {"hand", false}}},
          {"p2", {{"name", "Maija"}, {"role", "participant"}, {"group", "professional"}, {"online", true}, {"hand", false}}},
          {"p3", {{"name", "Screen"}, {"role", "screen"}, {"group", "other"}, {"online", true}, {"hand", false}}}}},
        {"boards",
         {{"timeline", {{"items", json::object()}}},
          {"vision", {{"items", json::object()}}},
          {"plan", {{"items", json::object()}}},
          {"reflections", {{"items", json::object()}}}}},
        {"turns", {{"mode", "none"}}},
        {"timer", {{"state", "idle"}}},
    };
}

json welcome(std::uint64_t seq, json state = base_state())
{
    return {{"type", "welcome"}, {"you", "p2"}, {"role", "participant"}, {"token", "t"}, {"seq", seq}, {"state", state}};
}

json patch(std::uint64_t seq, json ops)
{
    return {{"type", "patch"}, {"seq", seq}, {"by", "p2"}, {"cmd", "x"}, {"patch", ops}};
}

json add_item(const std::string& board, const json& value)
{
    return json::array({{{"op", "add"}, {"path", "/boards/" + board + "/items/" + value["id"].get<std::string>()},
                         {"value", value}}});
}

std::vector<std::string> ids(const std::vector<const json*>& items)
{
    std::vector<std::string> out;
    for (const json* i : items) out.push_back((*i)["id"]);
    return out;
}

}  // namespace

TEST(Document, WelcomeWithStateReplacesTheCopy)
{
    Document doc;
    EXPECT_FALSE(doc.has_state());
    EXPECT_EQ(doc.room_code(), "");  // no state: empty answers, no throw
    EXPECT_EQ(doc.apply_welcome(welcome(5)), Apply_result::applied);
    EXPECT_TRUE(doc.has_state());
    EXPECT_EQ(doc.seq(), 5u);
    EXPECT_EQ(doc.you(), "p2");
    EXPECT_EQ(doc.role(), "participant");
    EXPECT_EQ(doc.room_code(), "K7Q4MX");
    EXPECT_EQ(doc.room_language(), "sv");
    EXPECT_EQ(doc.current_phase_index(), 0);
    EXPECT_EQ(doc.current_board(), "");
}

TEST(Document, PatchesApplyInSeqOrderAndChangeTheVersion)
{
    Document doc;
    doc.apply_welcome(welcome(5));
    auto v = doc.version();
    EXPECT_EQ(doc.apply_patch_message(patch(6, add_item("timeline", item("i6", "event", "Eka", 1)))),
              Apply_result::applied);
    EXPECT_EQ(doc.seq(), 6u);
    EXPECT_GT(doc.version(), v);
    EXPECT_EQ(doc.board_items("timeline").size(), 1u);
    EXPECT_EQ(doc.apply_patch_message(patch(7, json::array({{{"op", "replace"}, {"path", "/phase"}, {"value", "timeline"}}}))),
              Apply_result::applied);
    EXPECT_EQ(doc.current_board(), "timeline");
}

TEST(Document, AnEmptyPatchStillAdvancesTheSeq)
{
    Document doc;
    doc.apply_welcome(welcome(5));
    EXPECT_EQ(doc.apply_patch_message(patch(6, json::array())), Apply_result::applied);
    EXPECT_EQ(doc.seq(), 6u);
}

TEST(Document, AStalePatchIsIgnored)
{
    Document doc;
    doc.apply_welcome(welcome(5));
    EXPECT_EQ(doc.apply_patch_message(patch(5, add_item("timeline", item("i5", "event", "Vanha", 1)))),
              Apply_result::stale);
    EXPECT_TRUE(doc.board_items("timeline").empty());
}

TEST(Document, AGapIsReportedAndNothingChanges)
{
    Document doc;
    doc.apply_welcome(welcome(5));
    EXPECT_EQ(doc.apply_patch_message(patch(7, add_item("timeline", item("i7", "event", "Myöhässä", 1)))),
              Apply_result::gap);
    EXPECT_EQ(doc.seq(), 5u);
    EXPECT_TRUE(doc.board_items("timeline").empty());
}

TEST(Document, APatchThatDoesNotApplyAsksForTheFullState)
{
    Document doc;
    doc.apply_welcome(welcome(5));
    auto bad = json::array({{{"op", "remove"}, {"path", "/boards/timeline/items/nope"}}});
    EXPECT_EQ(doc.apply_patch_message(patch(6, bad)), Apply_result::failed);
    EXPECT_EQ(doc.seq(), 5u);
}

TEST(Document, APatchBeforeAnyWelcomeIsAGap)
{
    Document doc;
    EXPECT_EQ(doc.apply_patch_message(patch(1, json::array())), Apply_result::gap);
}

TEST(Document, ReplayAfterReconnectAppliesThePatchesAfterSince)
{
    Document doc;
    doc.apply_welcome(welcome(5));
    doc.apply_patch_message(patch(6, add_item("timeline", item("i6", "event", "Eka", 1))));
    // Reconnected with since=6; the server replays 7 and 8 (and 6 again would be stale).
    json replay = {{"type", "welcome"}, {"you", "p2"}, {"role", "participant"}, {"token", "t"}, {"seq", 8},
                   {"replay", json::array({patch(6, add_item("timeline", item("i6", "event", "Eka", 1))),
                                           patch(7, add_item("timeline", item("i7", "event", "Toka", 2))),
                                           patch(8, add_item("timeline", item("i8", "event", "Kolmas", 3)))})}};
    EXPECT_EQ(doc.apply_welcome(replay), Apply_result::applied);
    EXPECT_EQ(doc.seq(), 8u);
    EXPECT_EQ(ids(doc.board_items("timeline")), (std::vector<std::string>{"i6", "i7", "i8"}));
}

TEST(Document, AnEmptyReplayAtTheCurrentSeqChangesNothing)
{
    Document doc;
    doc.apply_welcome(welcome(5));
    json replay = {{"type", "welcome"}, {"you", "p2"}, {"role", "participant"}, {"seq", 5}, {"replay", json::array()}};
    EXPECT_EQ(doc.apply_welcome(replay), Apply_result::applied);
    EXPECT_EQ(doc.seq(), 5u);
}

TEST(Document, AReplayThatMissesPatchesIsAGap)
{
    Document doc;
    doc.apply_welcome(welcome(5));
    json replay = {{"type", "welcome"}, {"you", "p2"}, {"seq", 9},
                   {"replay", json::array({patch(8, json::array()), patch(9, json::array())})}};
    EXPECT_EQ(doc.apply_welcome(replay), Apply_result::gap);
}

TEST(Document, AReplayWithNothingToApplyItToFails)
{
    Document doc;
    json replay = {{"type", "welcome"}, {"you", "p2"}, {"seq", 1}, {"replay", json::array()}};
    EXPECT_EQ(doc.apply_welcome(replay), Apply_result::failed);
}

// The views below are of rooms the reducer made (desk_windows.hpp): what a window shows.

TEST(Document, TimelineIsChronologicalWithUndatedItemsAfter)
{
    Desks d;
    Team& t = d.t;
    Document& aino = d.open(t.pro[0], Role::participant);
    auto event = [&](const char* text, json fields) {
        json args = {{"board", "timeline"}, {"column", "event"}, {"text", text}};
        args.update(fields);
        d.p(t.pro[0], "item.add", args);
        return d.last_item();
    };
    const std::string f = event("salainen", {{"when", "2020"}, {"hidden", true}});
    const std::string e = event("ei päivää", json::object());
    const std::string a = event("syksyllä", {{"when", "syksyllä"}});
    const std::string b = event("2022", {{"when", "2022"}});
    const std::string c = event("2021-09", {{"when", "2021-09"}});
    const std::string dd = event("2021-09-15", {{"when", "2021-09-15"}});
    // Dated by date, our own hidden item by its date too (as the browser shows it); undated by board order.
    EXPECT_EQ(ids(aino.timeline()), (std::vector<std::string>{f, c, dd, b, e, a}));
    // The board itself stays in board order.
    EXPECT_EQ(ids(aino.board_items("timeline")), (std::vector<std::string>{f, e, a, b, c, dd}));
}

TEST(Document, TimelineFollowsAnEditedDate)
{
    Desks d;
    Team& t = d.t;
    Document& aino = d.open(t.pro[0], Role::participant);
    d.p(t.pro[0], "item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "A"}, {"when", "2021"}});
    const std::string a = d.last_item();
    d.p(t.pro[0], "item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "B"}, {"when", "2022"}});
    const std::string b = d.last_item();
    EXPECT_EQ(ids(aino.timeline()), (std::vector<std::string>{a, b}));
    d.p(t.pro[0], "item.edit", {{"board", "timeline"}, {"id", b}, {"when", "2019-03"}});
    EXPECT_EQ(ids(aino.timeline()), (std::vector<std::string>{b, a}));
}

TEST(Document, PlanIsGroupedByStatusInBoardOrder)
{
    Desks d;
    Team& t = d.t;
    Document& doc = d.open(t.fac, Role::facilitator);
    auto action = [&](const char* text, const char* status) {
        json args = {{"board", "plan"}, {"column", "action"}, {"text", text}};
        if (status) args["status"] = status;
        d.p(t.pro[0], "item.add", args);
        return d.last_item();
    };
    const std::string b = action("B", "proposed");
    const std::string c = action("C", "agreed");
    const std::string a = action("A", "proposed");
    const std::string dd = action("D", "done");
    const std::string e = action("E", nullptr);  // no status given: proposed
    d.f("item.edit", {{"board", "plan"}, {"id", a}, {"status", "agreed"}});  // agreed later, keeps its place
    const auto& groups = doc.plan_by_status();
    EXPECT_EQ(groups[0].status, "proposed");
    EXPECT_EQ(ids(groups[0].items), (std::vector<std::string>{b, e}));
    EXPECT_EQ(groups[1].status, "agreed");
    EXPECT_EQ(ids(groups[1].items), (std::vector<std::string>{c, a}));
    EXPECT_EQ(groups[2].status, "done");
    EXPECT_EQ(ids(groups[2].items), (std::vector<std::string>{dd}));
}

TEST(Document, ColumnsOfTheVisionKeepBoardOrder)
{
    Desks d;
    Team& t = d.t;
    Document& doc = d.open(t.pro[1], Role::participant);
    d.p(t.pro[0], "item.add", {{"board", "vision"}, {"column", "hinders"}, {"text", "C"}});
    const std::string c = d.last_item();
    d.p(t.pro[0], "item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "B"}});
    d.p(t.lead[0], "item.add", {{"board", "vision"}, {"column", "hinders"}, {"text", "A"}});
    const std::string a = d.last_item();
    EXPECT_EQ(ids(doc.column_items("vision", "hinders")), (std::vector<std::string>{c, a}));
    EXPECT_EQ(ids(doc.column_items("vision", "enables")), std::vector<std::string>{});
    // Moved to the top of its column: first.
    d.p(t.lead[0], "item.move", {{"board", "vision"}, {"id", a}, {"column", "hinders"}, {"order", 0.5}});
    EXPECT_EQ(ids(doc.column_items("vision", "hinders")), (std::vector<std::string>{a, c}));
}

TEST(Document, RaisedHandsInTheOrderTheyWentUp)
{
    Desks d;
    Team& t = d.t;
    Document& eero = d.open(t.pro[1], Role::participant);
    d.f("hand.raise");
    t.minutes(1);
    d.p(t.pro[0], "hand.raise");
    t.minutes(1);
    d.p(t.pro[1], "hand.raise");
    const auto& hands = eero.raised_hands();
    ASSERT_EQ(hands.size(), 3u);
    EXPECT_EQ(hands[0].name, "Ohjaaja");
    EXPECT_EQ(hands[1].name, "Aino");
    EXPECT_EQ(hands[2].name, "Eero");
    EXPECT_TRUE(eero.my_hand_up());
    d.p(t.pro[0], "hand.lower");
    EXPECT_EQ(eero.raised_hands().size(), 2u);
}

TEST(Document, PeopleLeaveOutScreensAndRemovedParticipants)
{
    Desks d;
    Team& t = d.t;
    const std::string wall = t.join("Seinä", "other", "screen");
    Document& doc = d.open(t.pro[0], Role::participant);
    d.f("participant.remove", {{"pid", t.lead[1]}});
    d.server("participant.offline", {{"pid", t.pro[1]}});
    const auto& people = doc.people();
    ASSERT_EQ(people.size(), 5u) << "the six of the team but the one removed, and no screen";
    for (const auto& p : people) {
        EXPECT_NE(p.pid, wall);
        EXPECT_NE(p.pid, t.lead[1]);
    }
    EXPECT_EQ(people[0].name, "Ohjaaja");  // online, facilitator first
    EXPECT_EQ(people.back().pid, t.pro[1]);  // offline last
}

TEST(Document, RedactedItemsAreRecognised)
{
    Desks d;
    Team& t = d.t;
    Document& liisa = d.open(t.lead[0], Role::participant);
    d.p(t.lead[0], "item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "oma"}, {"hidden", true}});
    const json mine = liisa.state()["boards"]["timeline"]["items"][d.last_item()];
    d.p(t.lead[1], "item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Matin"}, {"hidden", true}});
    const json other = liisa.state()["boards"]["timeline"]["items"][d.last_item()];
    EXPECT_FALSE(Document::is_redacted(mine));
    EXPECT_TRUE(Document::is_redacted(other));
    EXPECT_TRUE(liisa.is_mine(mine));
    EXPECT_FALSE(liisa.is_mine(other));
}

TEST(Timer, RemainingTimeUsesTheServerClock)
{
    using keha::desk::timer_remaining_ms;
    EXPECT_FALSE(timer_remaining_ms({{"state", "idle"}}, 1000, 0));
    json running = {{"state", "running"}, {"duration_s", 300}, {"ends_at_ms", 100000}};
    EXPECT_EQ(*timer_remaining_ms(running, 40000, 0), 60000);
    EXPECT_EQ(*timer_remaining_ms(running, 40000, 5000), 55000);  // the server is 5 s ahead
    json paused = {{"state", "paused"}, {"duration_s", 300}, {"remaining_ms", 12345}};
    EXPECT_EQ(*timer_remaining_ms(paused, 99999999, 0), 12345);
}

TEST(Timer, ClockFormat)
{
    using keha::desk::format_clock;
    EXPECT_EQ(format_clock(0), "0:00");
    EXPECT_EQ(format_clock(1), "0:01");  // counting down: 0:00 only when time is up
    EXPECT_EQ(format_clock(61000), "1:01");
    EXPECT_EQ(format_clock(600000), "10:00");
    EXPECT_EQ(format_clock(3723000), "1:02:03");
    EXPECT_EQ(format_clock(-30000), "-0:30");
    EXPECT_EQ(format_clock(-400), "0:00");
}

// Found by tests/fuzz/fuzz_client_patch.cpp: whatever a server sends, the document answers
// `failed` (the client then asks for the full state) and never throws or keeps stale views.

TEST(DocumentFuzzFindings, AMalformedMessageOrReplayEntryFailsInsteadOfThrowing)
{
    Document d;
    ASSERT_EQ(d.apply_welcome(welcome(5)), Apply_result::applied);
    EXPECT_EQ(d.apply_patch_message(json(7)), Apply_result::failed);
    EXPECT_EQ(d.apply_patch_message({{"seq", "6"}, {"patch", json::array()}}), Apply_result::failed);
    EXPECT_EQ(d.apply_welcome({{"type", "welcome"}, {"seq", 6}, {"replay", json::array({42})}}), Apply_result::failed);
    EXPECT_EQ(d.apply_welcome({{"type", "welcome"}, {"seq", -1}, {"state", base_state()}}), Apply_result::failed);
    EXPECT_EQ(d.seq(), 5u);
}

TEST(DocumentFuzzFindings, APatchThatFailsHalfwayLeavesNoStaleViews)
{
    Document d;
    json state = base_state();
    state["boards"]["timeline"]["items"]["i9"] = item("i9", "event", "Koulu", 1);
    ASSERT_EQ(d.apply_welcome(welcome(5, state)), Apply_result::applied);
    ASSERT_EQ(d.board_items("timeline").size(), 1u);
    // The move takes i9 away, then the add fails: the copy is half-changed.
    json ops = json::array({{{"op", "move"}, {"from", "/boards/timeline/items/i9"}, {"path", "/boards/vision/items/i9"}},
                            {{"op", "add"}, {"path", "/nope/items/i1"}, {"value", 1}}});
    EXPECT_EQ(d.apply_patch_message(patch(6, ops)), Apply_result::failed);
    // What the screens draw until the fresh welcome comes is what the copy holds now.
    EXPECT_EQ(d.board_items("timeline").size(), d.state()["boards"]["timeline"]["items"].size());
    EXPECT_EQ(d.board_items("vision").size(), d.state()["boards"]["vision"]["items"].size());
}

TEST(DocumentFuzzFindings, FieldsOfTheWrongTypeReadAsTheirDefaults)
{
    Document d;
    json state = base_state();
    state["boards"]["timeline"]["items"]["i1"] = 2;
    state["boards"]["timeline"]["items"]["i2"] = item("i2", "event", "x", 1, {{"order", "first"}, {"hidden", "no"}});
    state["participants"]["p2"]["hand"] = "up";
    state["participants"]["p2"]["hand_at"] = 1e300;
    state["room"]["locked"] = 1;
    state["turns"] = {{"mode", "round"}, {"current", 1e300}, {"finished", "no"}, {"order", {"p2"}}};
    state["timer"] = {{"state", "running"}, {"ends_at_ms", std::numeric_limits<std::int64_t>::min()}};
    state["ratings"] = {{"open", "yes"}, {"answered", "3"}, {"results", {{"count", 1e300}}}};
    ASSERT_EQ(d.apply_welcome(welcome(5, state)), Apply_result::applied);
    EXPECT_NO_THROW({
        EXPECT_EQ(d.board_items("timeline").size(), 2u);
        (void)d.timeline();
        (void)d.people();
        (void)d.raised_hands();
        EXPECT_FALSE(d.locked());
        (void)d.turns().current_speaker();
        auto left = keha::desk::timer_remaining_ms(d.state()["timer"], 0, 0);
        ASSERT_TRUE(left);
        EXPECT_LT(*left, 0);
        (void)keha::desk::format_clock(*left);
        (void)keha::desk::format_clock(std::numeric_limits<std::int64_t>::min());
        auto ratings = keha::desk::ratings_view(d.state());
        EXPECT_FALSE(ratings.open);
    });
}

// An imported original and its editable copy: the copy stands in for it on every board list
// (the console, the participant's view and the wall), and the original is reachable from it.
TEST(Document, AnEditableCopyStandsInForItsOriginal)
{
    // An earlier meeting of the process: two actions and a timeline event.
    keha::test::Meeting pros(keha::test::process_meta("PRO2AA", "Tapaaminen 1", "Ammattilaiset"));
    const keha::Actor pf = pros.join("Ohjaaja", "other", "facilitator");
    pros.add(pf, "plan", "action", "Verkostopalaveri");
    pros.add(pf, "plan", "action", "Nuori mukaan");
    pros.add(pf, "timeline", "event", "Ilmoitus", {{"when", "2021-09"}});
    // This meeting imports them, with what the server reads of the earlier one (import_args).
    Desks d;
    Document& doc = d.open(d.t.fac, Role::facilitator);
    const json input = keha::import_args(pros.state, {"timeline", "plan"});
    d.f("item.import", {{"from", "PRO2AA"}, {"boards", {"timeline", "plan"}}}, input);
    const auto imported = ids(doc.board_items("plan"));
    ASSERT_EQ(imported.size(), 2u);
    const std::string original = imported[0], other = imported[1];
    ASSERT_EQ(doc.timeline().size(), 1u);
    const std::string event = ids(doc.timeline())[0];

    // The copy: the original folds away, in board order, by status and on the timeline.
    d.f("item.copy", {{"board", "plan"}, {"id", original}});
    const std::string copy = d.last_item();
    d.f("item.edit", {{"board", "plan"}, {"id", copy}, {"text", "Verkostopalaveri työajalla"}, {"status", "agreed"}});
    EXPECT_EQ(ids(doc.board_items("plan")), (std::vector<std::string>{copy, other}));
    EXPECT_EQ(ids(doc.column_items("plan", "action")), (std::vector<std::string>{copy, other}));
    EXPECT_EQ(ids(doc.plan_by_status()[1].items), (std::vector<std::string>{copy}));
    EXPECT_EQ(ids(doc.plan_by_status()[0].items), (std::vector<std::string>{other})) << "the original is no proposal beside it";
    const json* found = doc.original_of("plan", *doc.board_items("plan")[0]);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ((*found)["text"], "Verkostopalaveri");
    EXPECT_EQ(doc.original_of("plan", *doc.board_items("plan")[1]), nullptr);

    d.f("item.copy", {{"board", "timeline"}, {"id", event}});
    const std::string event_copy = d.last_item();
    EXPECT_EQ(ids(doc.timeline()), (std::vector<std::string>{event_copy}));

    // The copy deleted: the original is back.
    d.f("item.delete", {{"board", "plan"}, {"id", copy}});
    EXPECT_EQ(ids(doc.board_items("plan")), (std::vector<std::string>{original, other}));
}

TEST(Document, AnItemCarriedTwiceSaysWhereItBegan)
{
    json item = {{"id", "i9_1"}, {"text", "x"}, {"readonly", true},
                 {"source", {{"team", "Johtajat"}, {"meeting", "Johtajat 1"}, {"code", "LED3BB"}, {"item", "i5_1"}, {"at", "2026-10-20T10:00:00Z"},
                             {"origin", "PRO2AA/i3"},
                             {"first", {{"team", "Ammattilaiset"}, {"meeting", "Tapaaminen 1"}, {"code", "PRO2AA"}, {"at", "2026-10-06T06:00:00Z"}}}}}};
    auto p = keha::desk::provenance_of(item);
    ASSERT_TRUE(p.first);
    EXPECT_EQ(keha::desk::provenance_line(*p.first), "Ammattilaiset \xc2\xb7 Tapaaminen 1 \xc2\xb7 PRO2AA \xc2\xb7 2026-10-06");
    EXPECT_EQ(keha::desk::provenance_line(p), "Johtajat \xc2\xb7 Johtajat 1 \xc2\xb7 LED3BB \xc2\xb7 2026-10-20");
    item["source"].erase("first");
    EXPECT_FALSE(keha::desk::provenance_of(item).first);
}
