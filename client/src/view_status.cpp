#include "view_status.hpp"

#include "theme.hpp"
#include "widgets.hpp"

namespace keha::desk {

void View_status::content(App_state& app)
{
    ImDrawList* list = ImGui::GetWindowDrawList();
    ImVec2 wpos = ImGui::GetWindowPos(), wsize = ImGui::GetWindowSize();
    list->AddRectFilled(wpos, ImVec2(wpos.x + wsize.x, wpos.y + wsize.y), theme::card);
    list->AddLine(ImVec2(wpos.x, wpos.y + wsize.y - 1), ImVec2(wpos.x + wsize.x, wpos.y + wsize.y - 1),
                  theme::card_border);
    float s = app.fonts.scale;

    // Left: the room and where the meeting is.
    ImGui::SetCursorPos(ImVec2(14 * s, 8 * s));
    ImGui::BeginGroup();
    ImGui::PushFont(app.fonts.bold);
    std::string title = app.doc.room_title().empty() ? app.display_code() : app.doc.room_title();
    ImGui::TextUnformatted(title.c_str());
    ImGui::PopFont();
    const json* phase = app.doc.current_phase();
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
    if (phase) {
        std::string line = std::string(app.str("desk.phase")) + ": " + field(*phase, "title");
        ImGui::TextUnformatted(line.c_str());
    } else {
        ImGui::TextUnformatted(app.str("desk.no_phase"));
    }
    ImGui::PopStyleColor();
    ImGui::EndGroup();

    // Right: the timer, the hand, the connection, the language.
    float right = wsize.x - 14 * s;
    const char* langs[] = {"fi", "sv", "en"};
    float combo_w = 70 * s;
    right -= combo_w;
    ImGui::SetCursorPos(ImVec2(right, (wsize.y - ImGui::GetFrameHeight()) * 0.5f));
    ImGui::SetNextItemWidth(combo_w);
    if (ImGui::BeginCombo("##lang", app.str.lang().c_str())) {
        for (const char* l : langs)
            if (ImGui::Selectable(l, app.str.lang() == l)) {
                app.set_language(l);
                app.language_from_room = false;
            }
        ImGui::EndCombo();
    }

    const char* label = link_label(app);
    float badge_w = ImGui::CalcTextSize(label).x + ImGui::GetFontSize() * 1.0f;
    right -= badge_w + 18 * s;
    draw_link_badge(list, ImVec2(wpos.x + right, wpos.y + (wsize.y - ImGui::GetFontSize()) * 0.5f), app,
                    app.fonts.body, ImGui::GetFontSize());
    if (app.link == Link::reconnecting && app.net) {
        ImGui::SetCursorPos(ImVec2(right, 0));
        ImGui::InvisibleButton("##linkinfo", ImVec2(badge_w, wsize.y));
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s", app.str.count("desk.link.tries", app.net->reconnects()).c_str());
    }

    // For the facilitator: how many wait in the lobby; the count opens their list.
    if (app.doc.has_state() && app.doc.is_facilitator() && !app.doc.lobby().empty()) {
        const auto n = static_cast<long long>(app.doc.lobby().size());
        std::string badge = app.str.count("desk.lobby.badge", n) + "###lobbybadge";
        float bw = ImGui::CalcTextSize(badge.c_str(), nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
        right -= bw + 18 * s;
        ImVec2 at(right, (wsize.y - ImGui::GetFrameHeight()) * 0.5f);
        ImGui::SetCursorPos(at);
        ImGui::PushStyleColor(ImGuiCol_Button, theme::vec(theme::signal_soft));
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, theme::vec(theme::signal));
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::warn));
        ImGui::PushFont(app.fonts.bold);
        bool open = ImGui::Button(badge.c_str());
        ImGui::PopFont();
        ImGui::PopStyleColor(3);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.str.count("desk.lobby.badge_label", n).c_str());
        if (open || app.open_tab == "lobby") {
            app.open_tab.clear();
            ImGui::OpenPopup("##lobbylist");
        }
        // Under the count, its right edge at the window's.
        ImGui::SetNextWindowPos(ImVec2(wpos.x + wsize.x - 14 * s, wpos.y + wsize.y + 4 * s), ImGuiCond_Always, ImVec2(1, 0));
        ImGui::SetNextWindowSizeConstraints(ImVec2(380 * s, 0), ImVec2(560 * s, 600 * s));
        if (ImGui::BeginPopup("##lobbylist")) {
            ImGui::PushFont(app.fonts.bold);
            ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::warn));
            ImGui::TextUnformatted(app.str.count("desk.lobby.badge_label", n).c_str());
            ImGui::PopStyleColor();
            ImGui::PopFont();
            ImGui::Separator();
            lobby_list(app);
            ImGui::EndPopup();
        }
    }

    if (app.doc.has_state() && !app.doc.is_screen()) {
        bool up = app.doc.my_hand_up();
        const char* hand = app.str(up ? "desk.hand.lower" : "desk.hand.raise");
        float bw = ImGui::CalcTextSize(hand).x + ImGui::GetStyle().FramePadding.x * 2;
        right -= bw + 18 * s;
        ImGui::SetCursorPos(ImVec2(right, (wsize.y - ImGui::GetFrameHeight()) * 0.5f));
        if (up) ImGui::PushStyleColor(ImGuiCol_Button, theme::vec(theme::hand));
        // A listener raises no hand (the server refuses it); a hand raised before can go down.
        const bool listening = !up && app.doc.my_input_held();
        ImGui::BeginDisabled(!app.online() || listening);
        if (ImGui::Button(hand)) app.send(up ? "hand.lower" : "hand.raise", json::object());
        ImGui::EndDisabled();
        if (listening && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
            ImGui::SetTooltip("%s", app.str("desk.hand.listening"));
        if (up) ImGui::PopStyleColor();
    }

    bool overdue = false, paused = false;
    std::string clock = timer_text(app, &overdue, &paused);
    if (!clock.empty()) {
        ImGui::PushFont(app.fonts.heading);
        float tw = ImGui::CalcTextSize(clock.c_str()).x;
        right -= tw + 24 * s;
        ImGui::SetCursorPos(ImVec2(right, (wsize.y - ImGui::GetFontSize()) * 0.5f));
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(overdue ? theme::hinders : paused ? theme::muted : theme::ink));
        ImGui::TextUnformatted(clock.c_str());
        ImGui::PopStyleColor();
        ImGui::PopFont();
    }

    // Notices float under the bar, newest last.
    float y = wsize.y + 8 * s;
    for (auto it = app.notices.begin(); it != app.notices.end();) {
        if (it->until < app.time) {
            it = app.notices.erase(it);
            continue;
        }
        ImDrawList* fg = ImGui::GetForegroundDrawList();
        ImVec2 t = ImGui::CalcTextSize(it->text.c_str());
        ImVec2 a(wpos.x + wsize.x - t.x - 40 * s, wpos.y + y);
        ImVec2 b(wpos.x + wsize.x - 16 * s, a.y + t.y + 16 * s);
        fg->AddRectFilled(a, b, it->error ? theme::rgb(0xF6, 0xE1, 0xDC) : theme::accent_soft, 6 * s);
        fg->AddRect(a, b, it->error ? theme::danger : theme::accent, 6 * s);
        fg->AddText(ImVec2(a.x + 12 * s, a.y + 8 * s), theme::ink, it->text.c_str());
        y += t.y + 24 * s;
        ++it;
    }
}

}  // namespace keha::desk
