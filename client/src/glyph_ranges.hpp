#pragma once
// The characters the fonts are rasterized for: a Latin set (Finnish, Swedish, Sámi, other
// European names), typographic punctuation and the euro, and every character the catalogs
// and templates use, so no text a person reads turns into "?".
#include <string>
#include <vector>
#include <imgui.h>

namespace keha::desk {

// ImGui glyph ranges (first, last pairs, zero-terminated) for every font that draws text:
// the Latin set plus the characters of <assets>/i18n/*.json and <assets>/templates/*.json.
std::vector<ImWchar> text_glyph_ranges(const std::string& assets_dir);

// The characters (from U+0020 up) that occur in <assets>/i18n/*.json and
// <assets>/templates/*.json, each once, in order.
std::vector<char32_t> catalog_characters(const std::string& assets_dir);

// The wall's huge font draws only the timer and the join code: digits, capitals, colon,
// dash, minus.
const ImWchar* clock_and_code_glyph_ranges();

}  // namespace keha::desk
