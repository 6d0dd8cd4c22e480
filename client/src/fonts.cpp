#include "fonts.hpp"

#include <fontconfig/fontconfig.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace keha::desk {
namespace {

constexpr char32_t replacement = 0xFFFD;  // what ImGui makes of a character above U+FFFF

// fontconfig's ranking of the installed fonts for our text face in one weight: the best
// match first, then the fonts that add characters to it (FcFontSort trims the rest).
class Ranked_fonts {
public:
    explicit Ranked_fonts(bool bold)
    {
        FcPattern* pattern = FcPatternCreate();
        for (const char* family : {"Noto Sans", "DejaVu Sans", "sans-serif"})
            FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>(family));
        FcPatternAddInteger(pattern, FC_WEIGHT, bold ? FC_WEIGHT_SEMIBOLD : FC_WEIGHT_REGULAR);
        FcPatternAddInteger(pattern, FC_SLANT, FC_SLANT_ROMAN);
        FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
        FcDefaultSubstitute(pattern);
        FcResult result = FcResultNoMatch;
        set_ = FcFontSort(nullptr, pattern, FcTrue, nullptr, &result);
        FcPatternDestroy(pattern);
    }
    ~Ranked_fonts()
    {
        if (set_) FcFontSetDestroy(set_);
    }
    Ranked_fonts(const Ranked_fonts&) = delete;
    Ranked_fonts& operator=(const Ranked_fonts&) = delete;

    int size() const { return set_ ? set_->nfont : 0; }
    FcPattern* at(int i) const { return set_->fonts[i]; }

private:
    FcFontSet* set_ = nullptr;
};

// Faces ImGui's rasterizer (stb_truetype) can draw: outlines in TrueType or CFF, not the
// colour bitmaps of an emoji font.
bool drawable(FcPattern* font)
{
    FcBool yes = FcFalse;
    if (FcPatternGetBool(font, FC_COLOR, 0, &yes) == FcResultMatch && yes) return false;
    if (FcPatternGetBool(font, FC_OUTLINE, 0, &yes) == FcResultMatch && !yes) return false;
    FcChar8* format = nullptr;
    if (FcPatternGetString(font, FC_FONTFORMAT, 0, &format) == FcResultMatch) {
        std::string_view f(reinterpret_cast<const char*>(format));
        if (f != "TrueType" && f != "CFF") return false;
    }
    FcChar8* file = nullptr;
    return FcPatternGetString(font, FC_FILE, 0, &file) == FcResultMatch;
}

std::string file_of(FcPattern* font, int& index)
{
    FcChar8* file = nullptr;
    FcPatternGetString(font, FC_FILE, 0, &file);
    int i = 0;
    FcPatternGetInteger(font, FC_INDEX, 0, &i);
    index = i & 0xFFFF;  // the face in a collection (the high bits name a variable font's instance)
    return reinterpret_cast<const char*>(file);
}

bool has_char(FcPattern* font, char32_t c)
{
    FcCharSet* set = nullptr;
    return FcPatternGetCharSet(font, FC_CHARSET, 0, &set) == FcResultMatch && FcCharSetHasChar(set, c);
}

// Sorted characters as ImGui ranges: runs of consecutive characters, zero-terminated.
std::vector<ImWchar> to_ranges(const std::vector<char32_t>& chars)
{
    std::vector<ImWchar> out;
    for (std::size_t i = 0; i < chars.size();) {
        std::size_t j = i;
        while (j + 1 < chars.size() && chars[j + 1] == chars[j] + 1) ++j;
        out.push_back(static_cast<ImWchar>(chars[i]));
        out.push_back(static_cast<ImWchar>(chars[j]));
        i = j + 1;
    }
    out.push_back(0);
    return out;
}

std::vector<char32_t> from_ranges(const std::vector<ImWchar>& ranges)
{
    std::vector<char32_t> out;
    for (std::size_t i = 0; i + 1 < ranges.size() && ranges[i] != 0; i += 2)
        for (char32_t c = ranges[i]; c <= ranges[i + 1]; ++c) out.push_back(c);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// Which face draws which character: the main face what it has, then fontconfig's next
// faces what is still missing. Returns the main face; `wanted` characters no face has go to
// `boxed` (the rest of the blanket Latin ranges that no font has are simply left out).
Font_face plan_faces(bool bold, const std::vector<char32_t>& chars, const Text_characters& wanted,
                     std::vector<Font_face>& fallbacks, std::vector<char32_t>& boxed)
{
    Ranked_fonts ranked(bold);
    int main = -1;
    for (int i = 0; i < ranked.size() && main < 0; ++i)
        if (drawable(ranked.at(i))) main = i;
    if (main < 0) return {};
    std::vector<std::vector<char32_t>> per_font(static_cast<std::size_t>(ranked.size()));
    for (char32_t c : chars) {
        if (c == replacement) continue;  // always our own box: a font's "�" is a question mark
        int chosen = -1;
        for (int i = main; i < ranked.size() && chosen < 0; ++i)
            if ((i == main || drawable(ranked.at(i))) && has_char(ranked.at(i), c)) chosen = i;
        if (chosen >= 0) per_font[static_cast<std::size_t>(chosen)].push_back(c);
        else if (wanted.has(c)) boxed.push_back(c);
    }
    Font_face face;
    face.path = file_of(ranked.at(main), face.index);
    face.ranges = to_ranges(per_font[static_cast<std::size_t>(main)]);
    for (int i = main + 1; i < ranked.size(); ++i) {
        if (per_font[static_cast<std::size_t>(i)].empty()) continue;
        Font_face f;
        f.path = file_of(ranked.at(i), f.index);
        f.ranges = to_ranges(per_font[static_cast<std::size_t>(i)]);
        fallbacks.push_back(std::move(f));
    }
    return face;
}

// A box drawn for a character no font has, with its code in small hexadecimal digits (two
// rows of two), as fontconfig-based desktops do: the reader still sees which character it was.
struct Box_glyph {
    int rect = 0;
    char32_t c = 0;
    int unit = 1;
};

constexpr unsigned short hex_digits[16] = {
    // 3x5 pixels, row by row from the top, bit 14 first.
    0b111'101'101'101'111, 0b010'110'010'010'111, 0b111'001'111'100'111, 0b111'001'111'001'111,
    0b101'101'111'001'001, 0b111'100'111'001'111, 0b111'100'111'101'111, 0b111'001'001'001'001,
    0b111'101'111'101'111, 0b111'101'111'001'111, 0b111'101'111'101'101, 0b110'101'110'101'110,
    0b111'100'100'100'111, 0b110'101'101'101'110, 0b111'100'111'100'111, 0b111'100'111'100'100,
};
constexpr int box_w = 11, box_h = 15;  // in units: border, padding, two digits and a gap

void add_boxes(ImFont* font, float size, const std::vector<char32_t>& boxed, std::vector<Box_glyph>& out)
{
    int unit = std::max(1, static_cast<int>(std::lround(size / 18.0f)));
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    for (char32_t c : boxed) {
        int w = box_w * unit, h = box_h * unit;
        int rect = atlas->AddCustomRectFontGlyph(font, static_cast<ImWchar>(c), w, h, static_cast<float>(w + 2 * unit),
                                                 ImVec2(static_cast<float>(unit), std::round(size * 0.1f)));
        out.push_back({rect, c, unit});
    }
}

void draw_boxes(const std::vector<Box_glyph>& boxes)
{
    if (boxes.empty()) return;
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    atlas->GetTexDataAsAlpha8(&pixels, &width, &height);
    for (const Box_glyph& b : boxes) {
        const ImFontAtlasCustomRect* r = atlas->GetCustomRectByIndex(b.rect);
        if (!r->IsPacked()) continue;
        auto fill = [&](int x, int y, int w, int h) {  // in units, from the rectangle's corner
            for (int yy = y * b.unit; yy < (y + h) * b.unit; ++yy)
                for (int xx = x * b.unit; xx < (x + w) * b.unit; ++xx)
                    pixels[(r->Y + yy) * width + r->X + xx] = 0xFF;
        };
        fill(0, 0, box_w, 1);
        fill(0, box_h - 1, box_w, 1);
        fill(0, 0, 1, box_h);
        fill(box_w - 1, 0, 1, box_h);
        if (b.c == replacement) {  // a character this build of ImGui cannot hold: an empty box with a dot
            fill(box_w / 2 - 1, box_h / 2 - 1, 3, 3);
            continue;
        }
        for (int d = 0; d < 4; ++d) {
            unsigned short bits = hex_digits[(b.c >> (12 - 4 * d)) & 0xF];
            int ox = 2 + (d % 2) * 4, oy = 2 + (d / 2) * 6;
            for (int y = 0; y < 5; ++y)
                for (int x = 0; x < 3; ++x)
                    if (bits & (1 << (14 - (y * 3 + x)))) fill(ox + x, oy + y, 1, 1);
        }
    }
}

ImFont* add_face(const Font_face& face, const std::vector<Font_face>& fallbacks, float size, const ImWchar* ranges)
{
    ImFontConfig config;
    config.OversampleH = 2;
    config.OversampleV = 1;
    config.PixelSnapH = true;
    config.FontNo = face.index;
    ImFont* font = ImGui::GetIO().Fonts->AddFontFromFileTTF(face.path.c_str(), size, &config, ranges);
    for (const Font_face& f : fallbacks) {
        config.MergeMode = true;
        config.FontNo = f.index;
        ImGui::GetIO().Fonts->AddFontFromFileTTF(f.path.c_str(), size, &config, f.ranges.data());
    }
    return font;
}

// Every character the texts and the people use, looked up in every text font: one that
// is missing would show as a box (or "?"); say so once, with the first one, so a missing
// font package is noticed.
void report(const Fonts& fonts, const std::vector<char32_t>& wanted)
{
    std::size_t missing = 0;
    char32_t first = 0;
    for (char32_t c : wanted) {
        bool drawn = true;
        for (ImFont* f : {fonts.body, fonts.bold, fonts.heading, fonts.code, fonts.wall_small, fonts.wall_body,
                          fonts.wall_bold, fonts.wall_heading})
            if (!f->FindGlyphNoFallback(static_cast<ImWchar>(c))) drawn = false;
        if (!drawn && missing++ == 0) first = c;
    }
    if (missing > 0)
        std::fprintf(stderr, "keha-desk: the fonts have no glyph for %zu characters the texts use (first U+%04X)\n",
                     missing, static_cast<unsigned>(first));
    std::size_t boxed = 0;
    char32_t first_boxed = 0;
    for (char32_t c : fonts.boxed)
        if (c != replacement && boxed++ == 0) first_boxed = c;
    if (boxed > 0)
        std::fprintf(stderr, "keha-desk: no installed font draws %zu characters people use (first U+%04X); "
                             "they show as their code in a box\n",
                     boxed, static_cast<unsigned>(first_boxed));
}

}  // namespace

bool fonts_lack(const Fonts& fonts, const Text_characters& present) { return !fonts.characters.contains_all(present); }

bool load_fonts(Fonts& fonts, const std::string& assets_dir, float ui_scale, float wall_scale,
                const Text_characters& present)
{
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    fonts = Fonts{};
    fonts.scale = ui_scale;
    fonts.characters = present;
    FcInit();

    // What to draw: the Latin set, the catalogs' characters and the people's.
    Text_characters wanted = present;
    for (char32_t c : catalog_characters(assets_dir)) wanted.add(c);
    wanted.add(replacement);
    fonts.text_ranges = text_glyph_ranges(assets_dir, present);
    std::vector<char32_t> chars = from_ranges(fonts.text_ranges);
    if (std::find(chars.begin(), chars.end(), replacement) == chars.end()) chars.push_back(replacement);

    std::vector<char32_t> boxed_bold;
    Font_face& regular = fonts.faces[0];
    Font_face& bold = fonts.faces[1];
    regular = plan_faces(false, chars, wanted, fonts.fallbacks[0], fonts.boxed);
    bold = plan_faces(true, chars, wanted, fonts.fallbacks[1], boxed_bold);
    fonts.boxed.push_back(replacement);
    for (char32_t c : boxed_bold)
        if (std::find(fonts.boxed.begin(), fonts.boxed.end(), c) == fonts.boxed.end()) fonts.boxed.push_back(c);
    std::sort(fonts.boxed.begin(), fonts.boxed.end());
    if (regular.path.empty()) {
        ImFont* f = io.Fonts->AddFontDefault();
        fonts.body = fonts.bold = fonts.heading = fonts.code = f;
        fonts.wall_small = fonts.wall_body = fonts.wall_bold = fonts.wall_heading = fonts.wall_huge = f;
        return false;
    }
    if (bold.path.empty()) {
        bold = regular;
        fonts.fallbacks[1] = fonts.fallbacks[0];
    }
    fonts.regular_path = regular.path;
    fonts.bold_path = bold.path;

    std::vector<Box_glyph> boxes;
    auto text = [&](bool is_bold, float size) {
        // Fonts keeps the faces, and so the ranges ImGui reads when it builds the atlas.
        const Font_face& face = is_bold ? bold : regular;
        ImFont* f = add_face(face, fonts.fallbacks[is_bold ? 1 : 0], size, face.ranges.data());
        add_boxes(f, size, fonts.boxed, boxes);
        return f;
    };
    static_assert(sizeof(ImWchar) == 2, "the boxes stand in for characters above U+FFFF");
    fonts.body = text(false, 17.0f * ui_scale);  // first: the default font
    fonts.bold = text(true, 17.0f * ui_scale);
    fonts.heading = text(true, 24.0f * ui_scale);
    fonts.code = text(true, 40.0f * ui_scale);  // the join code, the name on the start screen
    if (wall_scale > 0) {
        fonts.wall_small = text(false, 22.0f * wall_scale);
        fonts.wall_body = text(false, 29.0f * wall_scale);
        fonts.wall_bold = text(true, 29.0f * wall_scale);
        fonts.wall_heading = text(true, 50.0f * wall_scale);
        fonts.wall_huge = add_face(bold, {}, 96.0f * wall_scale, clock_and_code_glyph_ranges());
    } else {
        fonts.wall_small = fonts.body;
        fonts.wall_body = fonts.body;
        fonts.wall_bold = fonts.bold;
        fonts.wall_heading = fonts.heading;
        fonts.wall_huge = fonts.code;
    }
    io.Fonts->Build();
    draw_boxes(boxes);
    std::vector<char32_t> check = wanted.list();
    check.erase(std::remove(check.begin(), check.end(), replacement), check.end());
    report(fonts, check);
    return true;
}

}  // namespace keha::desk
