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

void add_files(ImFontGlyphRangesBuilder& builder, const std::filesystem::path& dir)
{
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (entry.path().extension() != ".json") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        builder.AddText(text.c_str(), text.c_str() + text.size());
    }
}

}  // namespace

std::vector<ImWchar> text_glyph_ranges(const std::string& assets_dir)
{
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(latin_ranges);
    add_files(builder, std::filesystem::path(assets_dir) / "i18n");
    add_files(builder, std::filesystem::path(assets_dir) / "templates");
    ImVector<ImWchar> built;
    builder.BuildRanges(&built);
    return std::vector<ImWchar>(built.begin(), built.end());
}

const ImWchar* clock_and_code_glyph_ranges() { return clock_and_code_ranges; }

}  // namespace keha::desk
