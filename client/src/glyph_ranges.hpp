#pragma once
// The characters the fonts are rasterized for: a Latin set (Finnish, Swedish, Sámi, other
// European names), typographic punctuation and the euro, every character the catalogs and
// templates use, and every character of what people wrote that the window has met (names,
// items, titles — Cyrillic, Greek, Vietnamese, …), so no letter a person typed turns into "?".
// Only the characters present are rasterized: all of Unicode's scripts at the wall's sizes
// would not fit an atlas, what a room holds does.
#include <string>
#include <string_view>
#include <vector>
#include <imgui.h>

#include "keha/json.hpp"

namespace keha::desk {

// A set of characters as ImGui draws them: one 16-bit code (Debian's Dear ImGui is built with
// 16-bit ImWchar, so a character above U+FFFF — most emoji — reaches a font as U+FFFD).
class Text_characters {
public:
    // Add the characters of a UTF-8 text, or of every string (and key) in a JSON value; true
    // when one of them was not in the set yet.
    bool add_text(std::string_view utf8);
    bool add_json(const json& value);
    bool add(char32_t c);
    bool has(char32_t c) const;
    bool contains_all(const Text_characters& other) const;
    void merge(const Text_characters& other);
    // In order, from U+0020 (control characters are never drawn).
    std::vector<char32_t> list() const;

private:
    std::vector<bool> seen_ = std::vector<bool>(0x10000, false);
};

// ImGui glyph ranges (first, last pairs, zero-terminated) for every font that draws text:
// the Latin set plus the characters of <assets>/i18n/*.json and <assets>/templates/*.json,
// plus `present` (what the room's people wrote).
std::vector<ImWchar> text_glyph_ranges(const std::string& assets_dir, const Text_characters& present = {});

// The characters (from U+0020 up) that occur in <assets>/i18n/*.json and
// <assets>/templates/*.json, each once, in order.
std::vector<char32_t> catalog_characters(const std::string& assets_dir);

// The wall's huge font draws only the timer and the join code: digits, capitals, colon,
// dash, minus.
const ImWchar* clock_and_code_glyph_ranges();

}  // namespace keha::desk
