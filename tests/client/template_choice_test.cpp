// The new-meeting form starts with the template the server uses when none is given (the
// one it lists with "default": true), not with the first one alphabetically.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "keha/templates.hpp"
#include "template_choice.hpp"

namespace keha::desk {
namespace {

TEST(TemplateChoice, TheServersDefaultTemplateIsChosenFromTheRealList)
{
    Templates templates;
    for (const auto& file : std::filesystem::directory_iterator(std::filesystem::path(KEHA_TEST_ASSETS) / "templates")) {
        std::ifstream in(file.path());
        ASSERT_FALSE(templates.add(json::parse(in)).has_value()) << file.path();
    }
    const json list = templates.list("fi");
    ASSERT_GT(list.size(), 1u);
    ASSERT_NE(list[0]["id"], "default");  // alphabetically another one comes first
    EXPECT_EQ(list[default_template_index(list)]["id"], templates.default_id());
    EXPECT_EQ(list[default_template_index(list)]["id"], "default");
}

TEST(TemplateChoice, WithoutAMarkTheFirstAndNothingBreaksOnOddLists)
{
    EXPECT_EQ(default_template_index(json::array({{{"id", "a"}}, {{"id", "b"}, {"default", true}}})), 1u);
    EXPECT_EQ(default_template_index(json::array({{{"id", "a"}}, {{"id", "b"}}})), 0u);
    EXPECT_EQ(default_template_index(json::array({{{"id", "a"}, {"default", "yes"}}, 3})), 0u);
    EXPECT_EQ(default_template_index(json::array()), 0u);
    EXPECT_EQ(default_template_index(json()), 0u);
}

}  // namespace
}  // namespace keha::desk
