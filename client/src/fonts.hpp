#pragma once
// Fonts from a Debian font package (Noto Sans, else DejaVu Sans), found at run time,
// with the Finnish and Swedish letters; sizes scaled for the monitor.
#include <string>
#include <vector>
#include <imgui.h>

namespace keha::desk {

struct Fonts {
    ImFont* body = nullptr;     // console text
    ImFont* bold = nullptr;
    ImFont* heading = nullptr;
    ImFont* code = nullptr;     // the join code in the console, the name on the start screen
    // Projector, sized to the wall.
    ImFont* wall_small = nullptr;
    ImFont* wall_body = nullptr;
    ImFont* wall_bold = nullptr;
    ImFont* wall_heading = nullptr;
    ImFont* wall_huge = nullptr;  // digits and capitals only: the timer and the join code
    float scale = 1.0f;
    std::string regular_path, bold_path;
    std::vector<ImWchar> text_ranges;  // what the text fonts are rasterized for (glyph_ranges.hpp)
};

// Paths of the regular and bold faces, or empty when no font package is installed.
std::string find_font(bool bold);

// Builds the atlas for the characters of text_glyph_ranges(assets_dir): console sizes times
// `ui_scale`, projector sizes times `wall_scale` (0: no projector fonts). Returns false when no font file was found (ImGui's own font is used).
bool load_fonts(Fonts& fonts, const std::string& assets_dir, float ui_scale, float wall_scale);

}  // namespace keha::desk
