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
    c[ImGuiCol_ModalWindowDimBg] = ImVec4(0.15f, 0.17f, 0.18f, 0.35f);
}

}  // namespace keha::desk::theme
