// The room's holder of anonymous answers (server/held_answers.hpp), on the server's own class:
// what the ratings, polls and Q&A rely on — answers kept per topic, released only as many as
// asked, each once, and the count the room's unloading waits on.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "held_answers.hpp"

using keha::json;
using keha::server::Held_answers;

TEST(HeldAnswers, KeepsEachTopicApartAndCountsThemAll)
{
    Held_answers held;
    held.hold("ratings", {{"answers", {{"q1", 4}}}});
    held.hold("poll/l4", json{{"choice", 1}});
    held.hold("poll/l4", json{{"choice", 2}});
    EXPECT_EQ(held.count("ratings"), 1u);
    EXPECT_EQ(held.count("poll/l4"), 2u);
    EXPECT_EQ(held.count("poll/l9"), 0u);
    EXPECT_EQ(held.total(), 3u);
    EXPECT_EQ(held.topics(), (std::vector<std::string>{"poll/l4", "ratings"}));
}

TEST(HeldAnswers, ReleasesAsManyAsAskedEachAnswerOnce)
{
    Held_answers held;
    for (int i = 0; i < 6; ++i) held.hold("poll/l4", i);
    auto first = held.release("poll/l4", 4);
    EXPECT_EQ(first.size(), 4u);
    EXPECT_EQ(held.count("poll/l4"), 2u);
    auto rest = held.release("poll/l4");
    EXPECT_EQ(rest.size(), 2u);
    EXPECT_EQ(held.total(), 0u);
    EXPECT_TRUE(held.topics().empty());
    std::set<int> seen;
    for (const auto& a : first) seen.insert(a.get<int>());
    for (const auto& a : rest) seen.insert(a.get<int>());
    EXPECT_EQ(seen, (std::set<int>{0, 1, 2, 3, 4, 5}));
    EXPECT_TRUE(held.release("poll/l4", 3).empty());
}

TEST(HeldAnswers, ReleaseMixesTheOrderTheAnswersCameIn)
{
    // 8 answers come back in the order given once in 8! = 40,320 releases; 40 such in a row never do.
    bool mixed = false;
    for (int round = 0; round < 40 && !mixed; ++round) {
        Held_answers held;
        for (int i = 0; i < 8; ++i) held.hold("qa/q1", i);
        auto out = held.release("qa/q1");
        mixed = !std::is_sorted(out.begin(), out.end());
    }
    EXPECT_TRUE(mixed);
}

TEST(HeldAnswers, TakesBackOneEqualAnswerOnly)
{
    Held_answers held;
    held.hold("poll/l4", json{{"scale", 7}});
    held.hold("poll/l4", json{{"scale", 7}});
    held.hold("poll/l4", json{{"scale", 3}});
    held.take_back("poll/l4", json{{"scale", 7}});
    EXPECT_EQ(held.count("poll/l4"), 2u);
    held.take_back("poll/l4", json{{"scale", 9}});  // released meanwhile, or never held: nothing
    held.take_back("ratings", json{{"scale", 7}});
    EXPECT_EQ(held.total(), 2u);
    auto out = held.release("poll/l4");
    std::sort(out.begin(), out.end());
    EXPECT_EQ(out, (std::vector<json>{json{{"scale", 3}}, json{{"scale", 7}}}));
}

TEST(HeldAnswers, ForgetAndClearDropWhatIsHeld)
{
    Held_answers held;
    held.hold("poll/l4", 1);
    held.hold("poll/l5", 2);
    held.hold("ratings", 3);
    held.forget("poll/l4");
    EXPECT_EQ(held.count("poll/l4"), 0u);
    EXPECT_EQ(held.total(), 2u);
    held.clear();
    EXPECT_EQ(held.total(), 0u);
    EXPECT_TRUE(held.topics().empty());
}
