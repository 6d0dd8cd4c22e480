#include "theme.hpp"

namespace keha::desk::theme {

ImU32 tag_colour(std::string_view text)
{
    static constexpr ImU32 palette[] = {
        rgb(0xDC, 0xE8, 0xF0), rgb(0xE8, 0xE0, 0xF0), rgb(0xF3, 0xE3, 0xD3), rgb(0xDD, 0xEC, 0xDA),
        rgb(0xF2, 0xDE, 0xDE), rgb(0xE6, 0xE6, 0xD2), rgb(0xD8, 0xEC, 0xEA), rgb(0xEE, 0xE2, 0xEA),
    };
    std::uint32_t h = 2166136261u;
    for (unsigned char c : text) h = (h ^ c) * 16777619u;
    return palette[h % (sizeof palette / sizeof palette[0])];
}

ImU32 column_colour(std::string_view column)
{
    if (column == "hinders") return hinders;
    if (column == "enables") return enables;
    return accent;
}

ImU32 status_colour(std::string_view status)
{
    if (status == "agreed") return accent;
    if (status == "done") return enables;
    return muted;
}

namespace {

constexpr Wall_palette light_wall{paper, card, card_border, ink, muted, accent, accent_soft, IM_COL32_WHITE,
                                  hand, speaking, speaking_soft, listening, listening_soft, signal, signal_soft,
                                  online, hinders, enables, rgb(0xEA, 0xE6, 0xDD), true};
constexpr Wall_palette dark_wall{rgb(0x10, 0x14, 0x17), rgb(0x1B, 0x22, 0x26), rgb(0x3A, 0x46, 0x4C),
                                 rgb(0xEE, 0xF2, 0xF3), rgb(0xB9, 0xC4, 0xC8), rgb(0x6F, 0xD0, 0xC6),
                                 rgb(0x1E, 0x3B, 0x38), rgb(0x0B, 0x1A, 0x18), rgb(0xF2, 0xC1, 0x4E),
                                 rgb(0x6F, 0xD0, 0xC6), rgb(0x1E, 0x3B, 0x38), rgb(0x8F, 0xBA, 0xF0),
                                 rgb(0x1D, 0x2A, 0x3D), rgb(0xFF, 0xC8, 0x61), rgb(0x33, 0x28, 0x0F),
                                 rgb(0x7F, 0xD4, 0x9A), rgb(0xF4, 0xA0, 0x6B), rgb(0x7F, 0xD4, 0x9A),
                                 rgb(0x26, 0x30, 0x36), false};
constexpr Wall_palette contrast_wall{rgb(0, 0, 0), rgb(0, 0, 0), rgb(0xFF, 0xFF, 0xFF), rgb(0xFF, 0xFF, 0xFF),
                                     rgb(0xE6, 0xE6, 0xE6), rgb(0xFF, 0xE1, 0x4D), rgb(0, 0, 0), rgb(0, 0, 0),
                                     rgb(0xFF, 0xE1, 0x4D), rgb(0xFF, 0xE1, 0x4D), rgb(0, 0, 0),
                                     rgb(0x8C, 0xC4, 0xFF), rgb(0, 0, 0), rgb(0xFF, 0xE1, 0x4D), rgb(0, 0, 0),
                                     rgb(0x8C, 0xF0, 0xA8), rgb(0xFF, 0xB0, 0x7A), rgb(0x8C, 0xF0, 0xA8),
                                     rgb(0, 0, 0), false};

}  // namespace

const Wall_palette& wall_palette(std::string_view theme)
{
    if (theme == "dark") return dark_wall;
    if (theme == "contrast") return contrast_wall;
    return light_wall;
}

ImU32 Wall_palette::column(std::string_view c) const
{
    if (c == "hinders") return hinders;
    if (c == "enables") return enables;
    return accent;
}

ImU32 Wall_palette::status(std::string_view s) const
{
    if (s == "agreed") return accent;
    if (s == "done") return enables;
    return muted;
}

ImU32 Wall_palette::tag(std::string_view text) const { return soft_tags ? tag_colour(text) : past; }

ImVec4 vec(ImU32 colour) { return ImGui::ColorConvertU32ToFloat4(colour); }

void apply_style(float scale)
{
    ImGui::StyleColorsLight();
    ImGuiStyle& s = ImGui::GetStyle();
    s.WindowRounding = 0;
    s.ChildRounding = 6;
    s.FrameRounding = 5;
    s.PopupRounding = 6;
    s.GrabRounding = 5;
    s.TabRounding = 5;
    s.WindowBorderSize = 0;
    s.FrameBorderSize = 1;
    s.WindowPadding = ImVec2(14, 12);
    s.FramePadding = ImVec2(9, 5);
    s.ItemSpacing = ImVec2(9, 7);
    s.CellPadding = ImVec2(6, 4);
    s.ScrollbarSize = 14;
    s.ScaleAllSizes(scale);
    ImVec4* c = s.Colors;
    c[ImGuiCol_Text] = vec(ink);
    c[ImGuiCol_TextDisabled] = vec(muted);
    c[ImGuiCol_WindowBg] = vec(paper);
    c[ImGuiCol_ChildBg] = vec(rgb(0xFA, 0xF8, 0xF3));
    c[ImGuiCol_PopupBg] = vec(card);
    c[ImGuiCol_Border] = vec(card_border);
    c[ImGuiCol_FrameBg] = vec(card);
    c[ImGuiCol_FrameBgHovered] = vec(rgb(0xF0, 0xF6, 0xF4));
    c[ImGuiCol_FrameBgActive] = vec(accent_soft);
    c[ImGuiCol_Button] = vec(rgb(0xE6, 0xEF, 0xEC));
    c[ImGuiCol_ButtonHovered] = vec(rgb(0xCF, 0xE3, 0xDE));
    c[ImGuiCol_ButtonActive] = vec(rgb(0xB7, 0xD6, 0xD0));
    c[ImGuiCol_Header] = vec(accent_soft);
    c[ImGuiCol_HeaderHovered] = vec(rgb(0xCA, 0xE1, 0xDC));
    c[ImGuiCol_HeaderActive] = vec(rgb(0xB7, 0xD6, 0xD0));
    c[ImGuiCol_Tab] = vec(rgb(0xE7, 0xE2, 0xD7));
    c[ImGuiCol_TabHovered] = vec(rgb(0xCF, 0xE3, 0xDE));
    c[ImGuiCol_TabActive] = vec(card);
    c[ImGuiCol_TitleBg] = vec(paper);
    c[ImGuiCol_TitleBgActive] = vec(paper);
    c[ImGuiCol_CheckMark] = vec(accent);
    c[ImGuiCol_SliderGrab] = vec(accent);
    c[ImGuiCol_Separator] = vec(card_border);
    c[ImGuiCol_TableHeaderBg] = vec(rgb(0xEC, 0xE7, 0xDC));
    c[ImGuiCol_TableRowBgAlt] = vec(rgb(0xF8, 0xF5, 0xEF));
    c[ImGuiCol_NavHighlight] = vec(focus);
    c[ImGuiCol_NavWindowingHighlight] = vec(focus);
    c[ImGuiCol_ModalWindowDimBg] = ImVec4(0.15f, 0.17f, 0.18f, 0.35f);
}

}  // namespace keha::desk::theme
