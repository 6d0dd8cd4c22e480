// Sectors of the timeline as language-neutral keys (keha/sectors.hpp).
#include <gtest/gtest.h>

#include <fstream>

#include "keha/sectors.hpp"

using namespace keha;

namespace {

json catalog(const std::string& lang)
{
    std::ifstream in(std::string(KEHA_SOURCE_ASSET_DIR) + "/i18n/" + lang + ".json");
    return json::parse(in);
}

}  // namespace

TEST(Sectors, EveryLabelOfferedInAnyLanguageIsItsKey)
{
    // The labels the clients offer now (and offered before sectors had keys) are one sector each.
    for (const char* lang : {"fi", "sv", "en"}) {
        const json c = catalog(lang);
        for (auto key : sector_keys) {
            const std::string label = c.at("sector." + std::string(key));
            EXPECT_EQ(sector_key(label), key) << lang << ": " << label;
            EXPECT_EQ(sector_key("  " + label + " "), key) << lang;
            EXPECT_EQ(sector_key(key), key);
        }
    }
    EXPECT_EQ(sector_key("Skola och elevhälsa"), sector_key("Koulu ja oppilashuolto"));
}

TEST(Sectors, FreeTextStaysAsWritten)
{
    EXPECT_EQ(sector_key("Nuorisotyö"), "Nuorisotyö");
    EXPECT_EQ(sector_key(" Nuorisotyö\n"), "Nuorisotyö");
    EXPECT_EQ(sector_key("koulu ja oppilashuolto ja muuta"), "koulu ja oppilashuolto ja muuta");
    EXPECT_EQ(sector_key(""), "");
    EXPECT_FALSE(sector_label_key("Nuorisotyö"));
    EXPECT_EQ(sector_label("Nuorisotyö", catalog("en")), "Nuorisotyö");
}

TEST(Sectors, EachReaderGetsTheLabelInTheirLanguage)
{
    EXPECT_EQ(sector_label("school", catalog("en")), "School and pupil welfare");
    EXPECT_EQ(sector_label("school", catalog("sv")), "Skola och elevhälsa");
    EXPECT_EQ(sector_label("Skola och elevhälsa", catalog("fi")), "Koulu ja oppilashuolto");
    EXPECT_EQ(*sector_label_key("Lastensuojelu"), "sector.child_protection");
}

TEST(Sectors, AStoredStatesLabelsBecomeKeys)
{
    json state = {{"boards",
                   {{"timeline",
                     {{"items",
                       {{"i1", {{"text", "a"}, {"sector", "Barnskydd"}}},
                        {"i2", {{"text", "b"}, {"sector", "Oma"}}},
                        {"i3", {{"text", "c"}}}}}}},
                    {"plan", {{"items", {{"i4", {{"text", "d"}, {"who", "Barnskydd"}}}}}}}}}};
    sector_keys_in(state);
    EXPECT_EQ(state["boards"]["timeline"]["items"]["i1"]["sector"], "child_protection");
    EXPECT_EQ(state["boards"]["timeline"]["items"]["i2"]["sector"], "Oma");
    EXPECT_FALSE(state["boards"]["timeline"]["items"]["i3"].contains("sector"));
    EXPECT_EQ(state["boards"]["plan"]["items"]["i4"]["who"], "Barnskydd");
    json odd = {{"boards", 5}};
    sector_keys_in(odd);  // nothing to do, no throw
    EXPECT_EQ(odd["boards"], 5);
}
