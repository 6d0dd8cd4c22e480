// The fields beside an item's text: a reflection's turn is a facilitator's to write, never
// offered to a participant; the other boards' fields are everyone's.
#include <gtest/gtest.h>

#include <algorithm>

#include "item_fields.hpp"

using keha::desk::item_fields;

namespace {

bool has(const std::vector<std::string_view>& fields, std::string_view f)
{
    return std::find(fields.begin(), fields.end(), f) != fields.end();
}

}  // namespace

TEST(ItemFields, OnlyAFacilitatorIsOfferedAReflectionsTurn)
{
    EXPECT_TRUE(has(item_fields("reflections", true), "turn"));
    EXPECT_FALSE(has(item_fields("reflections", false), "turn"));
    EXPECT_TRUE(item_fields("reflections", false).empty());
}

TEST(ItemFields, TheOtherBoardsFieldsAreEveryones)
{
    for (bool facilitator : {true, false}) {
        EXPECT_TRUE(has(item_fields("timeline", facilitator), "when"));
        EXPECT_TRUE(has(item_fields("timeline", facilitator), "sector"));
        EXPECT_TRUE(has(item_fields("plan", facilitator), "who"));
        EXPECT_TRUE(has(item_fields("plan", facilitator), "due"));
        EXPECT_TRUE(has(item_fields("commitments", facilitator), "organisation"));
    }
}
