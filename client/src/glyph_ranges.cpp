#include "glyph_ranges.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <imgui_internal.h>  // ImTextCharFromUtf8: the characters as ImGui will read them

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

bool Text_characters::add(char32_t c)
{
    if (c > 0xFFFF) c = IM_UNICODE_CODEPOINT_INVALID;  // what ImGui turns it into
    if (c < 0x20 || seen_[c]) return false;
    seen_[c] = true;
    return true;
}

bool Text_characters::has(char32_t c) const { return c <= 0xFFFF && seen_[c]; }

bool Text_characters::add_text(std::string_view text)
{
    bool added = false;
    const char* p = text.data();
    const char* end = p + text.size();
    while (p < end) {
        if (static_cast<unsigned char>(*p) < 0x80) {  // ASCII: the common case, no decoding
            added |= add(static_cast<unsigned char>(*p++));
            continue;
        }
        unsigned int c = 0;
        int n = ImTextCharFromUtf8(&c, p, end);
        if (n <= 0) break;
        added |= add(c);
        p += n;
    }
    return added;
}

bool Text_characters::add_json(const json& value)
{
    bool added = false;
    if (value.is_string()) {
        added = add_text(value.get_ref<const std::string&>());
    } else if (value.is_object()) {
        for (const auto& [key, v] : value.items()) {
            added |= add_text(key);
            added |= add_json(v);
        }
    } else if (value.is_array()) {
        for (const json& v : value) added |= add_json(v);
    }
    return added;
}

bool Text_characters::contains_all(const Text_characters& other) const
{
    for (std::size_t c = 0; c < seen_.size(); ++c)
        if (other.seen_[c] && !seen_[c]) return false;
    return true;
}

void Text_characters::merge(const Text_characters& other)
{
    for (std::size_t c = 0; c < seen_.size(); ++c)
        if (other.seen_[c]) seen_[c] = true;
}

std::vector<char32_t> Text_characters::list() const
{
    std::vector<char32_t> out;
    for (std::size_t c = 0x20; c < seen_.size(); ++c)
        if (seen_[c]) out.push_back(static_cast<char32_t>(c));
    return out;
}

std::vector<ImWchar> text_glyph_ranges(const std::string& assets_dir, const Text_characters& present)
{
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(latin_ranges);
    for (const std::string& text : asset_texts(assets_dir)) builder.AddText(text.c_str(), text.c_str() + text.size());
    for (char32_t c : present.list()) builder.AddChar(static_cast<ImWchar>(c));
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
