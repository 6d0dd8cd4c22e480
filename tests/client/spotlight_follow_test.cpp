// keha-desk follows the facilitator's spotlight to its board and back (spotlight_follow.hpp),
// on states the reducer made (the one libkeha fixture).
#include <gtest/gtest.h>

#include "libkeha/meeting.hpp"
#include "spotlight_follow.hpp"

namespace keha::desk {
namespace {

using keha::test::Meeting;

TEST(SpotlightFollow, GoesToTheSpotlitBoardAndBackToWhereItWas)
{
    Meeting m;
    const Actor f = m.join("Fia", "other", "facilitator");
    const Actor a = m.join("Aino", "professional");
    Spotlight_follow follow;
    EXPECT_FALSE(follow.observe(m.state, "plan"));
    m.ok(f, "spotlight.set", {{"board", "vision"}});
    EXPECT_EQ(follow.observe(m.state, "plan"), "vision");
    EXPECT_TRUE(follow.following());
    EXPECT_FALSE(follow.observe(m.state, "vision")) << "the same spotlight: no second jump";
    EXPECT_FALSE(follow.observe(m.state, "timeline")) << "a person who looks away is let be";
    // Set again (a new time), or on an item: everyone is brought back, and the item scrolled to once.
    const std::string id = m.add(a, "vision", "hinders", "Kiire");
    m.minutes(1);
    m.ok(f, "spotlight.set", {{"board", "vision"}, {"item", id}});
    EXPECT_EQ(follow.observe(m.state, "timeline"), "vision");
    EXPECT_TRUE(follow.take_scroll());
    EXPECT_FALSE(follow.take_scroll());
    // Released: back to the board shown before the first spotlight.
    m.ok(f, "spotlight.clear");
    EXPECT_EQ(follow.observe(m.state, "vision"), "plan");
    EXPECT_FALSE(follow.following());
    EXPECT_FALSE(follow.observe(m.state, "plan"));
}

TEST(SpotlightFollow, ARoomWithoutTheKeyOrAnUnknownBoardIsNoSpotlight)
{
    Spotlight_follow follow;
    EXPECT_FALSE(follow.observe(json::object(), "plan"));
    json odd = {{"boards", {{"plan", {{"items", json::object()}}}}}, {"spotlight", {{"board", "moon"}, {"at", 5}}}};
    EXPECT_FALSE(follow.observe(odd, "plan"));
    odd["spotlight"] = {{"board", "plan"}};  // no time: still followed, once
    EXPECT_EQ(follow.observe(odd, "timeline"), "plan");
    EXPECT_FALSE(follow.observe(odd, "plan"));
}

}  // namespace
}  // namespace keha::desk
