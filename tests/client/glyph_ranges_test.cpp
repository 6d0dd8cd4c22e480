// The fonts are asked for every character a person can read: each one in the catalogs and
// the templates falls inside the glyph ranges the font loader passes to ImGui.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "glyph_ranges.hpp"

namespace fs = std::filesystem;

namespace {

// UTF-8 decoded here, not by ImGui, so the test does not share the loader's reading.
std::vector<char32_t> code_points(const std::string& text)
{
    std::vector<char32_t> out;
    for (std::size_t i = 0; i < text.size();) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        int extra = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : 3;
        char32_t cp = extra == 0 ? c : extra == 1 ? c & 0x1F : extra == 2 ? c & 0x0F : c & 0x07;
        for (int k = 1; k <= extra && i + k < text.size(); ++k) cp = (cp << 6) | (text[i + k] & 0x3F);
        out.push_back(cp);
        i += 1 + extra;
    }
    return out;
}

bool covered(const std::vector<ImWchar>& ranges, char32_t cp)
{
    for (std::size_t i = 0; i + 1 < ranges.size() && ranges[i] != 0; i += 2)
        if (cp >= ranges[i] && cp <= ranges[i + 1]) return true;
    return false;
}

}  // namespace

TEST(GlyphRanges, EveryCharacterOfTheCatalogsAndTemplatesIsAskedFor)
{
    auto ranges = keha::desk::text_glyph_ranges(KEHA_TEST_ASSETS);
    ASSERT_FALSE(ranges.empty());
    ASSERT_EQ(ranges.back(), 0) << "ImGui reads the ranges up to a zero";
    int files = 0;
    for (const char* dir : {"i18n", "templates"}) {
        for (const auto& entry : fs::directory_iterator(fs::path(KEHA_TEST_ASSETS) / dir)) {
            if (entry.path().extension() != ".json") continue;
            ++files;
            std::ifstream in(entry.path(), std::ios::binary);
            std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
            for (char32_t cp : code_points(text)) {
                if (cp < 0x20) continue;  // line breaks and tabs are not drawn
                EXPECT_TRUE(covered(ranges, cp)) << entry.path().filename() << ": U+" << std::hex
                                                 << static_cast<unsigned>(cp);
            }
        }
    }
    EXPECT_GE(files, 10);
}

TEST(GlyphRanges, FinnishSwedishAndTypographyAreAlwaysThere)
{
    // Also with no catalogs at all: the letters of names and free text people type.
    auto ranges = keha::desk::text_glyph_ranges("/nonexistent");
    for (char32_t cp : code_points("Kehä Åbo Öster ÄÖÅ äöå šž é ü ß ø æ – — “ ” ‘ ’ « » … • · € −"))
        EXPECT_TRUE(covered(ranges, cp)) << "U+" << std::hex << static_cast<unsigned>(cp);
}

TEST(GlyphRanges, TheClockFontDrawsTheTimerAndTheCode)
{
    std::vector<ImWchar> clock;
    for (const ImWchar* r = keha::desk::clock_and_code_glyph_ranges(); *r; ++r) clock.push_back(*r);
    clock.push_back(0);
    for (char32_t cp : code_points("0123456789:-−K7Q4MX"))
        EXPECT_TRUE(covered(clock, cp)) << "U+" << std::hex << static_cast<unsigned>(cp);
}

TEST(GlyphRanges, TheCatalogsCharactersAreListedOnceEach)
{
    auto chars = keha::desk::catalog_characters(KEHA_TEST_ASSETS);
    auto has = [&](char32_t c) { return std::find(chars.begin(), chars.end(), c) != chars.end(); };
    EXPECT_TRUE(has(U'ä'));
    EXPECT_TRUE(has(U'Å'));
    EXPECT_TRUE(has(U'–'));
    EXPECT_FALSE(has(U'\n'));
    EXPECT_TRUE(std::is_sorted(chars.begin(), chars.end()));
    EXPECT_EQ(std::adjacent_find(chars.begin(), chars.end()), chars.end());
}

TEST(GlyphRanges, WhatPeopleWroteIsAskedForAsItComes)
{
    keha::desk::Text_characters seen;
    keha::json welcome = {{"type", "welcome"},
                          {"state", {{"participants", {{"p1", {{"name", "Анна"}}}, {"p2", {{"name", "Γιώργος"}}}}},
                                     {"boards", {{"vision", {{"items", {{"i1", {{"text", "Nguyễn Thị Hằng"}}}}}}}}}}}};
    EXPECT_TRUE(seen.add_json(welcome));
    EXPECT_FALSE(seen.add_json(welcome)) << "nothing new the second time";
    for (char32_t cp : code_points("АнаΓιώργςNguyễnThịHằng")) EXPECT_TRUE(seen.has(cp)) << std::hex << unsigned(cp);
    EXPECT_FALSE(seen.has(U'Ж'));
    EXPECT_TRUE(seen.add_text("Жанна"));
    EXPECT_TRUE(seen.has(U'Ж'));
    // Above U+FFFF ImGui reads U+FFFD: that is the character the fonts must have.
    EXPECT_TRUE(seen.add_text("\xF0\x9F\x8C\x9F"));  // U+1F31F
    EXPECT_TRUE(seen.has(0xFFFD));
    EXPECT_FALSE(seen.has(U'\n'));
    auto ranges = keha::desk::text_glyph_ranges("/nonexistent", seen);
    for (char32_t cp : code_points("АнаΓιώργςNguyễnThịHằngЖ\xEF\xBF\xBD")) EXPECT_TRUE(covered(ranges, cp)) << std::hex << unsigned(cp);
    EXPECT_FALSE(covered(ranges, U'Щ')) << "only what is present: not all of Cyrillic";
    keha::desk::Text_characters fewer;
    fewer.add_text("Анна");
    EXPECT_TRUE(seen.contains_all(fewer));
    EXPECT_FALSE(fewer.contains_all(seen));
}
