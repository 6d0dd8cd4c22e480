// The facilitator's timer minutes follow the meeting's time boxes: each phase's, and within
// a reflecting team each stage's, within a round each speaker's, within pairs each half's;
// what the facilitator types stays until the next such moment. On a meeting run through
// libkeha's reducer (the default template's phases), seen by the facilitator's desk window.
#include <gtest/gtest.h>

#include "desk_windows.hpp"
#include "document.hpp"
#include "timebox.hpp"

using keha::json;
using keha::Role;
using keha::desk::Document;
using keha::desk::Timebox_follow;
using keha::test::ids;

namespace {

class Follow : public testing::Test {
protected:
    // The default template's phases: opening 10 min, timeline 20, vision 25, plan 25,
    // reflection 15, closing 10.
    void go(const std::string& phase) { d.f("phase.goto", {{"phase", phase}}); }

    keha::desk::test::Desks d;
    keha::test::Team& t = d.t;
    Document& doc = d.open(t.fac, Role::facilitator);
    Timebox_follow follow;
};

}  // namespace

TEST_F(Follow, EachPhaseBringsItsTimeBox)
{
    EXPECT_EQ(follow.update(doc), 10);               // the first look: the opening's 10 minutes
    EXPECT_EQ(follow.update(doc), std::nullopt);     // nothing changed: the field is left alone
    go("timeline");
    EXPECT_EQ(follow.update(doc), 20);
    d.f("phase.add", {{"title", "Vapaa keskustelu"}});  // a phase without a time box
    const std::string free = "x" + std::to_string(t.seq);
    go(free);
    EXPECT_EQ(follow.update(doc), 10);               // no time box: ten minutes, as in the browser
    go("timeline");
    EXPECT_EQ(follow.update(doc), 20);
}

TEST_F(Follow, AFacilitatorsOwnMinutesStayUntilTheMomentChanges)
{
    int field = *follow.update(doc);
    field = 7;  // typed by the facilitator
    // Unrelated changes (an item, a hand) keep what they typed.
    d.p(t.pro[0], "hand.raise");
    d.p(t.pro[1], "item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Koulu alkoi"}});
    if (auto m = follow.update(doc)) field = *m;
    EXPECT_EQ(field, 7);
    go("vision");
    if (auto m = follow.update(doc)) field = *m;
    EXPECT_EQ(field, 25);
}

TEST_F(Follow, AReflectingTeamsStagesBringTheirOwnTimeBoxes)
{
    go("reflection");
    EXPECT_EQ(follow.update(doc), 15);
    d.f("turns.reflecting.start", {{"focus", ids(t.pro)}, {"reflectors", ids(t.lead)}, {"conversation_s", 1200}});
    EXPECT_EQ(follow.update(doc), 20);
    d.f("turns.next");
    EXPECT_EQ(follow.update(doc), 10) << "the reflection's ten minutes";
    d.f("turns.next");
    EXPECT_EQ(follow.update(doc), 15) << "a stage without a time box falls back to the phase's";
    d.f("turns.next");
    EXPECT_EQ(follow.update(doc), 20) << "the next cycle's conversation is a new moment";
    d.f("turns.end");
    EXPECT_EQ(follow.update(doc), 15);
}

TEST_F(Follow, EachRoundSpeakerAndEachHalfOfThePairs)
{
    go("timeline");
    EXPECT_EQ(follow.update(doc), 20);
    d.f("turns.round.start", {{"order", ids({t.pro[0], t.pro[1]})}, {"per_speaker_s", 90}});
    EXPECT_EQ(follow.update(doc), 2);  // 90 s rounds to 2 minutes
    d.p(t.pro[0], "turns.round.done");
    EXPECT_EQ(follow.update(doc), 2) << "the next speaker gets the box again";
    EXPECT_EQ(follow.update(doc), std::nullopt);
    d.f("turns.end");
    follow.update(doc);
    d.f("turns.pairs.start", {{"pairs", json::array({ids({t.pro[0], t.lead[0]})})}, {"half_s", 240}});
    EXPECT_EQ(follow.update(doc), 4);
    d.f("turns.next");
    EXPECT_EQ(follow.update(doc), 4);
}
