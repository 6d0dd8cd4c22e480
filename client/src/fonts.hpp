#pragma once
// Fonts found through fontconfig: a sans-serif text face (Noto Sans where installed, else
// what fontconfig prefers) in a regular and a bold weight, and for each character it lacks
// the installed font fontconfig ranks first that has it (Cyrillic, Greek, Vietnamese, symbols
// …), merged into one ImGui font per size. A character no installed font has is drawn as a
// box showing its code (U+0416 as 04/16), never as "?"; sizes scaled for the monitor.
#include <string>
#include <vector>
#include <imgui.h>

#include "glyph_ranges.hpp"

namespace keha::desk {

// One font file (and its face in a collection) with the characters it draws for us.
struct Font_face {
    std::string path;
    int index = 0;
    std::vector<ImWchar> ranges;  // ImGui reads them when it builds the atlas, later
};

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
    std::vector<ImWchar> text_ranges;      // what the text fonts are rasterized for (glyph_ranges.hpp)
    Font_face faces[2];                    // regular, bold: the main faces
    std::vector<Font_face> fallbacks[2];   // regular, bold: the faces merged in for what the main face lacks
    std::vector<char32_t> boxed;           // no installed font has these: drawn as their code
    Text_characters characters;            // what the atlas was built for
};

// Builds the atlas for the characters of text_glyph_ranges(assets_dir, present): console
// sizes times `ui_scale`, projector sizes times `wall_scale` (0: no projector fonts). Returns
// false when fontconfig found no font (ImGui's own font is used).
bool load_fonts(Fonts& fonts, const std::string& assets_dir, float ui_scale, float wall_scale,
                const Text_characters& present = {});

// Whether the atlas lacks a character of `present` (then load_fonts again, between frames).
bool fonts_lack(const Fonts& fonts, const Text_characters& present);

}  // namespace keha::desk
