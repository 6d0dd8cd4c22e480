#include "glyph_ranges.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace keha::desk {
namespace {

// Latin-1 Supplement, Latin Extended-A and -B (ä ö å é š ž, the Sámi letters), general
// punctuation (– — “ ” ‘ ’ … •), the currency signs (€), arrows, the minus sign.
const ImWchar latin_ranges[] = {
    0x0020, 0x007E, 0x00A0, 0x024F, 0x2010, 0x205E, 0x20A0, 0x20C0, 0x2190, 0x2193, 0x2212, 0x2212, 0,
};

const ImWchar clock_and_code_ranges[] = {0x0020, 0x005A, 0x2212, 0x2212, 0};

// The text of every catalog and template.
std::vector<std::string> asset_texts(const std::string& assets_dir)
{
    std::vector<std::string> out;
    for (const char* sub : {"i18n", "templates"}) {
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(assets_dir) / sub, ec)) {
            if (entry.path().extension() != ".json") continue;
            std::ifstream in(entry.path(), std::ios::binary);
            out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
    }
    return out;
}

}  // namespace

std::vector<ImWchar> text_glyph_ranges(const std::string& assets_dir)
{
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(latin_ranges);
    for (const std::string& text : asset_texts(assets_dir)) builder.AddText(text.c_str(), text.c_str() + text.size());
    ImVector<ImWchar> built;
    builder.BuildRanges(&built);
    return std::vector<ImWchar>(built.begin(), built.end());
}

std::vector<char32_t> catalog_characters(const std::string& assets_dir)
{
    ImFontGlyphRangesBuilder used;
    for (const std::string& text : asset_texts(assets_dir)) used.AddText(text.c_str(), text.c_str() + text.size());
    std::vector<char32_t> out;
    for (char32_t c = 0x20; c <= IM_UNICODE_CODEPOINT_MAX; ++c)
        if (used.GetBit(c)) out.push_back(c);
    return out;
}

const ImWchar* clock_and_code_glyph_ranges() { return clock_and_code_ranges; }

}  // namespace keha::desk
