#pragma once
// Fonts from a Debian font package (Noto Sans, else DejaVu Sans), found at run time,
// with the Finnish and Swedish letters; sizes scaled for the monitor.
#include <string>

struct ImFont;

namespace keha::desk {

struct Fonts {
    ImFont* body = nullptr;     // console text
    ImFont* bold = nullptr;
    ImFont* heading = nullptr;
    ImFont* code = nullptr;     // the join code in the console
    // Projector, sized to the wall.
    ImFont* wall_small = nullptr;
    ImFont* wall_body = nullptr;
    ImFont* wall_bold = nullptr;
    ImFont* wall_heading = nullptr;
    ImFont* wall_huge = nullptr;  // digits and capitals only: the timer and the code
    float scale = 1.0f;
    std::string regular_path, bold_path;
};

// Paths of the regular and bold faces, or empty when no font package is installed.
std::string find_font(bool bold);

// Builds the atlas: console sizes times `ui_scale`, projector sizes times `wall_scale`
// (0: no projector fonts). Returns false when no font file was found (ImGui's own font is used).
bool load_fonts(Fonts& fonts, float ui_scale, float wall_scale);

}  // namespace keha::desk
