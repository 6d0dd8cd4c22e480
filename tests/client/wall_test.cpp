// What keha-desk puts on the wall and in the console about joining and about the
// questionnaire's comments: the join address from the server's welcome (not the address the
// window used), and the facilitator's review of the comments.
#include <gtest/gtest.h>

#include "document.hpp"

using keha::json;
using namespace keha::desk;

namespace {

json welcome(json join)
{
    json w = {{"type", "welcome"}, {"you", "p1"}, {"role", "screen"}, {"seq", 1},
              {"state", {{"room", {{"code", "K7Q4MX"}}}, {"phases", json::array()}, {"participants", json::object()}}}};
    if (!join.is_null()) w["join"] = std::move(join);
    return w;
}

}  // namespace

TEST(Wall, TheJoinAddressComesFromTheWelcome)
{
    Document d;
    ASSERT_EQ(d.apply_welcome(welcome({{"url", "https://kokous.example.fi/r/K7Q4MX"}, {"address", "kokous.example.fi"},
                                        {"loopback", false}})),
              Apply_result::applied);
    ASSERT_TRUE(d.join());
    EXPECT_EQ(d.join()->url, "https://kokous.example.fi/r/K7Q4MX");
    EXPECT_EQ(d.join()->address, "kokous.example.fi");
    EXPECT_FALSE(d.join()->loopback);

    // A server bound to loopback says so; the console warns.
    ASSERT_EQ(d.apply_welcome(welcome({{"url", "http://127.0.0.1:8080/r/K7Q4MX"}, {"address", "127.0.0.1:8080"},
                                        {"loopback", true}})),
              Apply_result::applied);
    ASSERT_TRUE(d.join());
    EXPECT_TRUE(d.join()->loopback);

    // An older server tells nothing: the window falls back to its own address.
    ASSERT_EQ(d.apply_welcome(welcome(nullptr)), Apply_result::applied);
    EXPECT_FALSE(d.join());
}

TEST(Wall, AFacilitatorReviewsEveryCommentWithItsSwitch)
{
    json results = {{"count", 3}, {"questions", json::array()}, {"comments", {"A", "B", "C"}}, {"comments_shown", {2, 0}}};
    Ratings_view v = ratings_view({{"ratings", {{"questions", json::array()}, {"open", false}, {"results", results}}}});
    EXPECT_TRUE(v.reviewable);
    EXPECT_EQ(v.comments, (std::vector<std::string>{"A", "B", "C"}));
    EXPECT_EQ(v.comments_shown, (std::vector<bool>{true, false, true}));
    EXPECT_EQ(v.shown_count(), 2u);

    // What the wall and participants get: the chosen comments, no switches.
    json shown = {{"count", 3}, {"questions", json::array()}, {"comments", {"C"}}};
    Ratings_view wall = ratings_view({{"ratings", {{"questions", json::array()}, {"open", false}, {"results", shown}}}});
    EXPECT_FALSE(wall.reviewable);
    EXPECT_EQ(wall.comments, (std::vector<std::string>{"C"}));
}
