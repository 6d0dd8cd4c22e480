#pragma once
// Calm colours: a warm paper background, dark slate text, one teal accent; the three
// vision columns and the plan statuses get their own muted tones.
#include <imgui.h>
#include <string_view>

namespace keha::desk::theme {

inline constexpr ImU32 rgb(unsigned r, unsigned g, unsigned b, unsigned a = 255)
{
    return IM_COL32(r, g, b, a);
}

inline constexpr ImU32 paper = rgb(0xF4, 0xF1, 0xEA);
inline constexpr ImU32 card = rgb(0xFF, 0xFE, 0xFB);
inline constexpr ImU32 card_border = rgb(0xDD, 0xD7, 0xCB);
inline constexpr ImU32 ink = rgb(0x27, 0x2C, 0x30);
inline constexpr ImU32 muted = rgb(0x6B, 0x6F, 0x72);
inline constexpr ImU32 accent = rgb(0x2A, 0x74, 0x70);
inline constexpr ImU32 accent_soft = rgb(0xD9, 0xEA, 0xE6);
inline constexpr ImU32 hinders = rgb(0xA8, 0x5C, 0x45);
inline constexpr ImU32 enables = rgb(0x4F, 0x7F, 0x45);
inline constexpr ImU32 warn = rgb(0xB0, 0x6A, 0x12);
inline constexpr ImU32 danger = rgb(0xA8, 0x3A, 0x32);
inline constexpr ImU32 online = rgb(0x3C, 0x8D, 0x5A);
inline constexpr ImU32 offline = rgb(0xB8, 0xB2, 0xA6);
inline constexpr ImU32 hand = rgb(0xC9, 0x8A, 0x1B);
// Who speaks and who listens: the accent for speaking, a calm blue for listening.
inline constexpr ImU32 speaking = accent;
inline constexpr ImU32 speaking_soft = rgb(0xDD, 0xEE, 0xE9);
inline constexpr ImU32 listening = rgb(0x4C, 0x62, 0x8A);
inline constexpr ImU32 listening_soft = rgb(0xE2, 0xE8, 0xF2);
// The soft signal when a time box ends.
inline constexpr ImU32 signal = rgb(0xD9, 0x9A, 0x2B);
inline constexpr ImU32 signal_soft = rgb(0xFA, 0xEB, 0xCF);

// Where keyboard focus is (ImGui's nav highlight): ≥ 3:1 against the paper, the cards and the buttons.
inline constexpr ImU32 focus = rgb(0xB3, 0x5C, 0x00);

// The wall's colours, one set per room.settings wall_theme (docs/protocol.md §8): the
// default light wall, dark, and high contrast (every text ≥ 7:1 against what is behind it).
struct Wall_palette {
    ImU32 paper, card, card_border, ink, muted, accent, accent_soft;
    ImU32 on_accent;  // text on accent, speaking, listening and hand chips
    ImU32 hand, speaking, speaking_soft, listening, listening_soft, signal, signal_soft, online, hinders, enables;
    ImU32 past;       // a stage already gone by
    bool soft_tags;   // sector chips in soft colours (the light wall) or in the card's colour
    ImU32 column(std::string_view column) const;
    ImU32 status(std::string_view status) const;
    ImU32 tag(std::string_view text) const;
};
// "default", "dark" or "contrast"; anything else is the default wall.
const Wall_palette& wall_palette(std::string_view theme);

// A soft tag colour for a sector name, stable for the same text.
ImU32 tag_colour(std::string_view text);
ImU32 column_colour(std::string_view column);
ImU32 status_colour(std::string_view status);
ImVec4 vec(ImU32 colour);

// ImGui's style for the console and participant windows.
void apply_style(float scale);

}  // namespace keha::desk::theme
