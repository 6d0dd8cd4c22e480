// The facilitator's timer minutes follow the meeting's time boxes: each phase's, and within
// a reflecting team each stage's, within a round each speaker's, within pairs each half's;
// what the facilitator types stays until the next such moment.
#include <gtest/gtest.h>

#include "document.hpp"
#include "timebox.hpp"

using keha::json;
using keha::desk::Apply_result;
using keha::desk::Document;
using keha::desk::Timebox_follow;

namespace {

json state()
{
    json p = {{"role", "participant"}, {"group", "professional"}, {"online", true}, {"hand", false}, {"hand_at", nullptr},
              {"removed", false}, {"admitted", true}, {"joined_at", "2026-11-23T09:01:00Z"}};
    json f = p;
    f["role"] = "facilitator";
    json maija = p, aino = p;
    maija["name"] = "Maija";
    aino["name"] = "Aino";
    f["name"] = "Ohjaaja";
    return {
        {"room", {{"code", "K7Q4MX"}, {"title", "Tiimi"}, {"language", "fi"}, {"status", "open"}, {"locked", false}}},
        {"phases", json::array({{{"id", "opening"}, {"title", "Avaus"}, {"timebox_s", 300}},
                                {{"id", "timeline"}, {"title", "Aikajana"}, {"timebox_s", 1500}, {"board", "timeline"}},
                                {{"id", "reflecting"}, {"title", "Reflektoiva tiimi"}, {"timebox_s", 2400}},
                                {{"id", "free"}, {"title", "Vapaa"}}})},
        {"phase", "opening"},
        {"participants", {{"p1", f}, {"p2", maija}, {"p3", aino}}},
        {"boards", {{"timeline", {{"items", json::object()}}}}},
        {"turns", {{"mode", "none"}}},
        {"timer", {{"state", "idle"}}},
    };
}

class Follow : public testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_EQ(doc.apply_welcome({{"type", "welcome"}, {"you", "p1"}, {"role", "facilitator"}, {"seq", 1}, {"state", state()}}),
                  Apply_result::applied);
    }
    void patch(json ops)
    {
        ASSERT_EQ(doc.apply_patch_message({{"type", "patch"}, {"seq", ++seq}, {"by", "p1"}, {"cmd", "x"}, {"patch", ops}}),
                  Apply_result::applied);
    }
    void go(const std::string& phase) { patch(json::array({{{"op", "replace"}, {"path", "/phase"}, {"value", phase}}})); }
    void turns(json t) { patch(json::array({{{"op", "add"}, {"path", "/turns"}, {"value", t}}})); }

    Document doc;
    std::uint64_t seq = 1;
    Timebox_follow follow;
};

json reflecting(const std::string& stage, int cycle = 1)
{
    json focus = {"p2"}, reflectors = {"p3"};
    bool focus_speaks = stage != "reflection";
    return {{"mode", "reflecting_team"}, {"stage", stage}, {"cycle", cycle}, {"focus", focus}, {"reflectors", reflectors},
            {"stage_s", {{"conversation", 1200}, {"reflection", 600}, {"response", 0}}},
            {"speaking", focus_speaks ? focus : reflectors}, {"listening", focus_speaks ? reflectors : focus}};
}

}  // namespace

TEST_F(Follow, EachPhaseBringsItsTimeBox)
{
    EXPECT_EQ(follow.update(doc), 5);                // the first look: the opening's 5 minutes
    EXPECT_EQ(follow.update(doc), std::nullopt);     // nothing changed: the field is left alone
    go("timeline");
    EXPECT_EQ(follow.update(doc), 25);
    go("free");
    EXPECT_EQ(follow.update(doc), 10);               // no time box: ten minutes, as in the browser
    go("timeline");
    EXPECT_EQ(follow.update(doc), 25);
}

TEST_F(Follow, AFacilitatorsOwnMinutesStayUntilTheMomentChanges)
{
    int field = *follow.update(doc);
    field = 7;  // typed by the facilitator
    // Unrelated changes (an item, a hand) keep what they typed.
    patch(json::array({{{"op", "replace"}, {"path", "/participants/p2/hand"}, {"value", true}}}));
    if (auto m = follow.update(doc)) field = *m;
    EXPECT_EQ(field, 7);
    go("reflecting");
    if (auto m = follow.update(doc)) field = *m;
    EXPECT_EQ(field, 40);
}

TEST_F(Follow, AReflectingTeamsStagesBringTheirOwnTimeBoxes)
{
    go("reflecting");
    EXPECT_EQ(follow.update(doc), 40);
    turns(reflecting("conversation"));
    EXPECT_EQ(follow.update(doc), 20);
    turns(reflecting("reflection"));
    EXPECT_EQ(follow.update(doc), 10);
    turns(reflecting("response"));
    EXPECT_EQ(follow.update(doc), 40) << "a stage without a time box falls back to the phase's";
    turns(reflecting("conversation", 2));
    EXPECT_EQ(follow.update(doc), 20) << "the next cycle's conversation is a new moment";
    turns({{"mode", "none"}});
    EXPECT_EQ(follow.update(doc), 40);
}

TEST_F(Follow, EachRoundSpeakerAndEachHalfOfThePairs)
{
    go("timeline");
    EXPECT_EQ(follow.update(doc), 25);
    json round = {{"mode", "round"}, {"order", {"p2", "p3"}}, {"current", 0}, {"passed", json::array()},
                  {"done", json::array()}, {"per_speaker_s", 90}, {"finished", false}, {"speaking", {"p2"}},
                  {"listening", {"p3"}}, {"next", "p3"}};
    turns(round);
    EXPECT_EQ(follow.update(doc), 2);  // 90 s rounds to 2 minutes
    round["current"] = 1;
    round["speaking"] = {"p3"};
    round["listening"] = {"p2"};
    turns(round);
    EXPECT_EQ(follow.update(doc), 2) << "the next speaker gets the box again";
    EXPECT_EQ(follow.update(doc), std::nullopt);
    json pairs = {{"mode", "pairs"}, {"pairs", {{"p2", "p3"}}}, {"half", 1}, {"half_s", 240},
                  {"speaking", {"p2"}}, {"listening", {"p3"}}};
    turns(pairs);
    EXPECT_EQ(follow.update(doc), 4);
    pairs["half"] = 2;
    turns(pairs);
    EXPECT_EQ(follow.update(doc), 4);
}
