// Spotlight (docs/protocol.md §8.4, "Spotlight"): spotlight.set / spotlight.clear.
#include <gtest/gtest.h>

#include "keha/spotlight.hpp"
#include "keha/view.hpp"
#include "team.hpp"

namespace keha::test {
namespace {

class SpotlightTest : public ::testing::Test {
protected:
    Team m;
    std::string add(const std::string& pid, const std::string& board, const std::string& column, json extra = {})
    {
        json args = {{"board", board}, {"column", column}, {"text", "Kortti"}};
        if (extra.is_object()) args.update(extra);
        m.p(pid, "item.add", args);
        return "i" + std::to_string(m.seq);
    }
};

TEST_F(SpotlightTest, ABoardAColumnOrAnItemGoesOnEveryScreenUntilReleased)
{
    EXPECT_TRUE(m.state["spotlight"].is_null());
    m.now_ms = 1'795'000'100'000;
    json patch = m.f("spotlight.set", {{"board", "vision"}});
    EXPECT_EQ(patch, (json{{{"op", "add"}, {"path", "/spotlight"}, {"value", {{"board", "vision"}, {"at", m.now_ms}}}}}));
    m.f("spotlight.set", {{"board", "vision"}, {"column", "hinders"}});
    EXPECT_EQ(m.state["spotlight"], (json{{"board", "vision"}, {"column", "hinders"}, {"at", m.now_ms}}));
    const std::string id = add(m.pro[0], "vision", "enables");
    m.f("spotlight.set", {{"board", "vision"}, {"item", id}});
    EXPECT_EQ(m.state["spotlight"], (json{{"board", "vision"}, {"item", id}, {"at", m.now_ms}}));
    auto spot = spotlight_of(m.state);
    ASSERT_TRUE(spot);
    EXPECT_EQ(spot->board, "vision");
    EXPECT_EQ(spot->item, id);
    EXPECT_EQ(spot->column, "");
    // Everyone sees it the same, screens too.
    EXPECT_EQ(view_for(m.state, Viewer{"p99", Role::screen})["spotlight"], m.state["spotlight"]);
    EXPECT_EQ(view_for(m.state, Viewer{m.pro[1], Role::participant})["spotlight"], m.state["spotlight"]);
    patch = m.f("spotlight.clear");
    EXPECT_EQ(patch, (json{{{"op", "add"}, {"path", "/spotlight"}, {"value", nullptr}}}));
    EXPECT_FALSE(spotlight_of(m.state));
    EXPECT_EQ(m.f("spotlight.clear"), json::array()) << "releasing twice changes nothing";
}

TEST_F(SpotlightTest, SettingItAgainMovesEveryoneAgain)
{
    m.f("spotlight.set", {{"board", "plan"}});
    m.minutes(1);
    const json patch = m.f("spotlight.set", {{"board", "plan"}});
    ASSERT_EQ(patch.size(), 1u) << "a new time, so people who looked away are brought back";
    EXPECT_EQ(patch[0]["value"]["at"], m.now_ms);
}

TEST_F(SpotlightTest, APrivateOrPendingItemCannotBeSpotlit)
{
    const std::string held = add(m.pro[0], "vision", "vision", {{"hidden", true}});
    EXPECT_EQ(m.err(m.fac, Role::facilitator, "spotlight.set", {{"board", "vision"}, {"item", held}}), Error_code::conflict);
    m.f("room.settings", {{"moderated", true}});
    const std::string pending = add(m.pro[1], "vision", "vision");
    EXPECT_EQ(m.err(m.fac, Role::facilitator, "spotlight.set", {{"board", "vision"}, {"item", pending}}),
              Error_code::conflict);
    m.f("item.approve", {{"board", "vision"}, {"id", pending}});
    m.f("spotlight.set", {{"board", "vision"}, {"item", pending}});
}

TEST_F(SpotlightTest, DeletingTheSpotlitItemReleasesEveryoneInTheSamePatch)
{
    const std::string id = add(m.pro[0], "plan", "action");
    const std::string other = add(m.pro[0], "plan", "action");
    m.f("spotlight.set", {{"board", "plan"}, {"item", id}});
    m.p(m.pro[0], "item.delete", {{"board", "plan"}, {"id", other}});
    EXPECT_FALSE(m.state["spotlight"].is_null());
    const json patch = m.p(m.pro[0], "item.delete", {{"board", "plan"}, {"id", id}});
    ASSERT_EQ(patch.size(), 2u);
    EXPECT_EQ(patch[1], (json{{"op", "add"}, {"path", "/spotlight"}, {"value", nullptr}}));
}

TEST_F(SpotlightTest, OnlyFacilitatorsAndBadInputIsRefused)
{
    const std::string id = add(m.pro[0], "vision", "hinders");
    EXPECT_EQ(m.err(m.pro[0], Role::participant, "spotlight.set", {{"board", "vision"}}), Error_code::forbidden);
    EXPECT_EQ(m.err(m.pro[0], Role::participant, "spotlight.clear"), Error_code::forbidden);
    EXPECT_EQ(m.err("p99", Role::screen, "spotlight.set", {{"board", "vision"}}), Error_code::forbidden);
    EXPECT_EQ(m.err(m.fac, Role::facilitator, "spotlight.set", json::object()), Error_code::bad_request);
    EXPECT_EQ(m.err(m.fac, Role::facilitator, "spotlight.set", {{"board", "wall"}}), Error_code::invalid);
    EXPECT_EQ(m.err(m.fac, Role::facilitator, "spotlight.set", {{"board", "vision"}, {"column", "event"}}),
              Error_code::invalid);
    EXPECT_EQ(m.err(m.fac, Role::facilitator, "spotlight.set", {{"board", "vision"}, {"item", "i999"}}),
              Error_code::not_found);
    EXPECT_EQ(m.err(m.fac, Role::facilitator, "spotlight.set", {{"board", "timeline"}, {"item", id}}),
              Error_code::not_found);
    EXPECT_EQ(m.err(m.fac, Role::facilitator, "spotlight.set", {{"board", "vision"}, {"column", "enables"}, {"item", id}}),
              Error_code::invalid);
    EXPECT_EQ(m.err(m.fac, Role::facilitator, "spotlight.set", {{"board", "vision"}, {"at", 5}}), Error_code::invalid);
    EXPECT_EQ(m.err(m.fac, Role::facilitator, "spotlight.set", {{"board", 3}}), Error_code::bad_request);
    EXPECT_EQ(m.err(m.fac, Role::facilitator, "spotlight.clear", {{"board", "vision"}}), Error_code::invalid);
}

TEST(SpotlightDefaults, RoomsStoredBeforeGainNull)
{
    json old = {{"boards", json::object()}};
    spotlight_defaults(old);
    EXPECT_TRUE(old.contains("spotlight"));
    EXPECT_TRUE(old["spotlight"].is_null());
    EXPECT_FALSE(spotlight_of(old));
    json set = {{"spotlight", {{"board", "plan"}, {"at", 1}}}};
    spotlight_defaults(set);
    EXPECT_EQ(set["spotlight"]["board"], "plan");
}

}  // namespace
}  // namespace keha::test
