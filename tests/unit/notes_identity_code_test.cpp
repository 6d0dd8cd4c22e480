// Finnish personal identity codes in meeting text: validation and where they are.
#include <gtest/gtest.h>

#include "helpers.hpp"
#include "keha/identity_code.hpp"

namespace keha::test {
namespace {

TEST(IdentityCode, ValidCodesOfEveryCentury)
{
    EXPECT_TRUE(is_identity_code("131052-308T"));  // the Digital and Population Data Services Agency's example
    EXPECT_TRUE(is_identity_code("010594Y9032"));  // 1900s, the new signs (2023)
    EXPECT_TRUE(is_identity_code("020304A123P"));  // 2000s
    EXPECT_TRUE(is_identity_code("311299+456X"));  // 1800s
    EXPECT_TRUE(is_identity_code("290200A002C"));  // 29 February 2000, a leap year
    EXPECT_TRUE(is_identity_code("131052-308t")) << "typed in lower case";
}

TEST(IdentityCode, WrongCheckCharacterDateOrShapeIsNotACode)
{
    EXPECT_FALSE(is_identity_code("131052-308A"));  // check character
    EXPECT_FALSE(is_identity_code("290201A002M"));  // 29 February 2001 does not exist (check character right)
    EXPECT_FALSE(is_identity_code("321052-308T"));  // day 32
    EXPECT_FALSE(is_identity_code("131352-308T"));  // month 13
    EXPECT_FALSE(is_identity_code("131052G308T"));  // G is no century sign
    EXPECT_FALSE(is_identity_code("131052-30T"));
    EXPECT_FALSE(is_identity_code("13105-2308T"));
    EXPECT_FALSE(is_identity_code(""));
}

TEST(IdentityCode, FoundInTextWithOffsetsButNotInsideLongerRuns)
{
    auto found = find_identity_codes("Lapsi (131052-308T) ja 020304A123P.");
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].offset, 7u);
    EXPECT_EQ(found[0].length, 11u);
    EXPECT_EQ(found[1].offset, 23u);
    EXPECT_TRUE(find_identity_codes("9131052-308T").empty()) << "a longer number";
    EXPECT_TRUE(find_identity_codes("131052-308TX").empty()) << "a longer word";
    EXPECT_TRUE(find_identity_codes("Puhelin 040-1234567, kokous 13.10.2052").empty());
    EXPECT_TRUE(find_identity_codes("").empty());
}

TEST(IdentityCode, WarningsSayWhereInTheStateTheyAre)
{
    Room room;
    auto fac = room.join("Fiona", "facilitator", "other");
    auto pro = room.join("Paula", "participant", "professional");
    const Actor f{fac, Role::facilitator}, p{pro, Role::participant};
    room.add(p, "timeline", "event", "Nothing personal here", {{"when", "2021"}});
    auto t = room.add(p, "timeline", "event", "Syntynyt 131052-308T", {{"when", "2021"}});
    auto plan = room.add(p, "plan", "action", "Soita äidille", {{"who", "hetu 020304A123P"}});
    auto secret = room.add(p, "vision", "hinders", "private 010594Y9032", {{"hidden", true}});
    room.ok(f, "room.update", {{"title", "Kokous 311299+456X"}});

    json w = identity_code_warnings(room.state);
    ASSERT_EQ(w.size(), 4u) << w.dump();
    auto has = [&](const std::string& board, const json& id, const std::string& field, bool hidden) {
        for (const auto& x : w)
            if (x["board"] == board && x["id"] == id && x["field"] == field && x["hidden"] == hidden) return true;
        return false;
    };
    EXPECT_TRUE(has("room", nullptr, "title", false));
    EXPECT_TRUE(has("timeline", t, "text", false));
    EXPECT_TRUE(has("plan", plan, "who", false));
    EXPECT_TRUE(has("vision", secret, "text", true));
    EXPECT_EQ(w.dump().find("308T"), std::string::npos) << "the warning does not repeat the code";

    // A questionnaire comment is in the notes too.
    room.state["ratings"]["results"] = {{"count", 3}, {"questions", json::array()}, {"comments", {"ok", "hetu 131052-308T"}}};
    json with_comment = identity_code_warnings(room.state);
    ASSERT_EQ(with_comment.size(), 5u);
    const json expected = {{"board", "ratings"}, {"id", 1}, {"field", "comment"}, {"offset", 5}, {"length", 11}, {"hidden", false}};
    EXPECT_NE(std::find(with_comment.begin(), with_comment.end(), expected), with_comment.end()) << with_comment.dump();
    for (const auto& x : w) {
        if (x["board"] == "timeline") {
            EXPECT_EQ(x["offset"], 9);  // "Syntynyt " is 9 bytes
        }
    }
}

}  // namespace
}  // namespace keha::test
