// keha-desk's reading of quick polls (client/src/poll_model.hpp): which polls a person and the
// wall see, the texts in the reader's language, results as published, and the cloud's sizes —
// the same choices as the browser's polls.js.
#include <gtest/gtest.h>

#include "poll_model.hpp"

using keha::json;
using namespace keha::desk;

namespace {

json state_with_polls()
{
    return {{"participants", {{"p3", {{"polls_answered", {"l10"}}}}}},
            {"polls",
             {{"t1", {{"id", "t1"}, {"kind", "words"}, {"question", {{"fi", "Sana?"}, {"en", "A word?"}}}, {"status", "prepared"}}},
              {"l10", {{"id", "l10"}, {"kind", "words"}, {"question", "Tunnelma?"}, {"status", "open"}, {"shown", true},
                       {"answered", 4}, {"at", 100},
                       {"results", {{"count", 3}, {"words", {{"kiire", 3}, {"toivo", 1}, {"ääni", 2}}}}}}},
              {"l12", {{"id", "l12"}, {"kind", "choice"}, {"question", "Kumpi?"}, {"options", {"A", {{"fi", "B"}, {"en", "Bee"}}}},
                       {"status", "closed"}, {"shown", false}, {"at", 200}, {"results", nullptr}}},
              {"l14", {{"id", "l14"}, {"kind", "scale"}, {"question", "Asteikko"}, {"status", "open"}, {"shown", false}, {"at", 300},
                       {"results", {{"suppressed", true}, {"minimum", 3}}}}}}}};
}

}  // namespace

TEST(PollModel, PeopleSeeOpenAndShownPollsNewestFirstAndFacilitatorsEveryLaunchedOne)
{
    const json s = state_with_polls();
    auto visible = visible_polls(s, "en");
    ASSERT_EQ(visible.size(), 2u);
    EXPECT_EQ(visible[0].id, "l14");
    EXPECT_EQ(visible[1].id, "l10");
    auto launched = launched_polls(s, "en");
    ASSERT_EQ(launched.size(), 3u);
    EXPECT_EQ(launched[1].id, "l12");
    EXPECT_EQ(launched[1].options, (std::vector<std::string>{"A", "Bee"}));
    EXPECT_FALSE(launched[1].has_results);
    EXPECT_TRUE(launched[0].suppressed);
    auto prepared = prepared_polls(s, "en");
    ASSERT_EQ(prepared.size(), 1u);
    EXPECT_EQ(prepared[0].question, "A word?");
    EXPECT_TRUE(answered_poll(s, "p3", "l10"));
    EXPECT_FALSE(answered_poll(s, "p3", "l14"));
    EXPECT_FALSE(answered_poll(s, "p9", "l10"));
}

TEST(PollModel, TheCloudIsMostGivenFirstAndLargest)
{
    const auto polls = visible_polls(state_with_polls(), "fi");
    const Poll_view& words = polls[1];
    ASSERT_EQ(words.count, 3);
    auto cloud = cloud_words(words);
    ASSERT_EQ(cloud.size(), 3u);
    EXPECT_EQ(cloud[0].word, "kiire");
    EXPECT_FLOAT_EQ(cloud[0].step, 1.0f);
    EXPECT_EQ(cloud[1].word, "ääni");
    EXPECT_GT(cloud[1].step, 0.5f);
    EXPECT_FLOAT_EQ(cloud[2].step, 0.0f);
    EXPECT_EQ(cloud_words(words, 1).size(), 1u);
}

TEST(PollModel, AStateWithoutPollsHasNone)
{
    EXPECT_TRUE(visible_polls(json::object(), "fi").empty());
    EXPECT_TRUE(launched_polls(json(nullptr), "fi").empty());
    EXPECT_TRUE(prepared_polls({{"polls", json::array()}}, "fi").empty());
}
