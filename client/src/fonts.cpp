#include "fonts.hpp"

#include <cstdio>
#include <filesystem>
#include <span>
#include <imgui.h>

#include "glyph_ranges.hpp"

namespace keha::desk {

std::string find_font(bool bold)
{
    const char* regular[] = {
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
    };
    const char* bolds[] = {
        "/usr/share/fonts/truetype/noto/NotoSans-SemiBold.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    };
    std::error_code ec;
    for (const char* path : bold ? std::span<const char*>(bolds) : std::span<const char*>(regular))
        if (std::filesystem::exists(path, ec)) return path;
    return {};
}

namespace {

ImFont* add(const std::string& path, float size, const ImWchar* ranges)
{
    ImFontConfig config;
    config.OversampleH = 2;
    config.OversampleV = 1;
    config.PixelSnapH = true;
    return ImGui::GetIO().Fonts->AddFontFromFileTTF(path.c_str(), size, &config, ranges);
}

// A character the texts use that a text font cannot draw shows as "?": say so once, with
// the first one, so a font package without it is noticed (the glyphs exist once built).
void report_missing_glyphs(const Fonts& fonts, const std::string& assets_dir)
{
    ImGui::GetIO().Fonts->Build();
    std::size_t missing = 0;
    char32_t first = 0;
    for (char32_t c : catalog_characters(assets_dir)) {
        bool drawn = c <= IM_UNICODE_CODEPOINT_MAX;
        for (ImFont* f : {fonts.body, fonts.bold, fonts.heading, fonts.code, fonts.wall_small, fonts.wall_body,
                          fonts.wall_bold, fonts.wall_heading})
            if (drawn && !f->FindGlyphNoFallback(static_cast<ImWchar>(c))) drawn = false;
        if (!drawn && missing++ == 0) first = c;
    }
    if (missing > 0)
        std::fprintf(stderr, "keha-desk: the fonts have no glyph for %zu characters the texts use (first U+%04X); they show as ?\n",
                     missing, static_cast<unsigned>(first));
}

}  // namespace

bool load_fonts(Fonts& fonts, const std::string& assets_dir, float ui_scale, float wall_scale)
{
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    fonts = Fonts{};
    fonts.scale = ui_scale;
    fonts.regular_path = find_font(false);
    fonts.bold_path = find_font(true);
    if (fonts.regular_path.empty()) {
        ImFont* f = io.Fonts->AddFontDefault();
        fonts.body = fonts.bold = fonts.heading = fonts.code = f;
        fonts.wall_small = fonts.wall_body = fonts.wall_bold = fonts.wall_heading = fonts.wall_huge = f;
        return false;
    }
    if (fonts.bold_path.empty()) fonts.bold_path = fonts.regular_path;
    // ImGui reads the ranges when it builds the atlas, later: Fonts keeps them.
    fonts.text_ranges = text_glyph_ranges(assets_dir);
    const ImWchar* text_ranges = fonts.text_ranges.data();
    const ImWchar* huge_ranges = clock_and_code_glyph_ranges();
    fonts.body = add(fonts.regular_path, 17.0f * ui_scale, text_ranges);  // first: the default font
    fonts.bold = add(fonts.bold_path, 17.0f * ui_scale, text_ranges);
    fonts.heading = add(fonts.bold_path, 24.0f * ui_scale, text_ranges);
    fonts.code = add(fonts.bold_path, 40.0f * ui_scale, text_ranges);  // the join code, the name on the start screen
    if (wall_scale > 0) {
        fonts.wall_small = add(fonts.regular_path, 22.0f * wall_scale, text_ranges);
        fonts.wall_body = add(fonts.regular_path, 29.0f * wall_scale, text_ranges);
        fonts.wall_bold = add(fonts.bold_path, 29.0f * wall_scale, text_ranges);
        fonts.wall_heading = add(fonts.bold_path, 50.0f * wall_scale, text_ranges);
        fonts.wall_huge = add(fonts.bold_path, 96.0f * wall_scale, huge_ranges);
    } else {
        fonts.wall_small = fonts.body;
        fonts.wall_body = fonts.body;
        fonts.wall_bold = fonts.bold;
        fonts.wall_heading = fonts.heading;
        fonts.wall_huge = fonts.code;
    }
    report_missing_glyphs(fonts, assets_dir);
    return true;
}

}  // namespace keha::desk
