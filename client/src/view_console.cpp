#include "view_console.hpp"

#include <cmath>
#include <cstdlib>
#include <ctime>
#include <imgui_stdlib.h>

#include "theme.hpp"
#include "widgets.hpp"

namespace keha::desk {
namespace {

void heading(App_state& app, const char* text)
{
    ImGui::Spacing();
    ImGui::PushFont(app.fonts.bold);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::accent));
    ImGui::TextUnformatted(text);
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::Separator();
}

std::string default_export_path(const App_state& app, const std::string& format)
{
    const char* home = std::getenv("HOME");
    std::time_t t = std::time(nullptr);
    char date[16];
    std::strftime(date, sizeof date, "%Y-%m-%d", std::localtime(&t));
    return std::string(home ? home : ".") + "/keha-" + app.doc.room_code() + "-" + date + "." + format;
}

}  // namespace

void View_console::content(App_state& app)
{
    if (!app.doc.has_state()) {
        empty_state(app.link == Link::stopped ? app.str("desk.link.stopped") : app.str("desk.link.connecting"));
        return;
    }
    code_panel(app);
    agenda_panel(app);
    timer_panel(app);
    people_panel(app);
    room_panel(app);
}

void View_console::code_panel(App_state& app)
{
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
    ImGui::TextUnformatted(app.str("desk.join_with_code"));
    ImGui::PopStyleColor();
    ImGui::PushFont(app.fonts.code);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::accent));
    std::string code = app.display_code();
    ImGui::TextUnformatted(code.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    if (app.server) {
        std::string url = join_url(*app.server, app.doc.room_code());
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
        ImGui::TextUnformatted(url.c_str());
        ImGui::PopStyleColor();
    }
}

void View_console::agenda_panel(App_state& app)
{
    heading(app, app.str("desk.agenda"));
    const json& phases = app.doc.phases();
    if (phases.empty()) {
        empty_state(app.str("desk.agenda.empty"));
        return;
    }
    int current = app.doc.current_phase_index();
    for (std::size_t i = 0; i < phases.size(); ++i) {
        const json& phase = phases[i];
        std::string label = std::to_string(i + 1) + ". " + field(phase, "title") + "##phase" + std::to_string(i);
        bool is_current = static_cast<int>(i) == current;
        if (is_current) ImGui::PushFont(app.fonts.bold);
        ImGui::BeginDisabled(!app.online());
        if (ImGui::Selectable(label.c_str(), is_current) && !is_current)
            app.send("phase.goto", {{"phase", field(phase, "id")}});
        ImGui::EndDisabled();
        if (is_current) ImGui::PopFont();
        if (ImGui::IsItemHovered() && !is_current) ImGui::SetTooltip("%s", app.str("desk.agenda.go"));
    }
    if (const json* phase = app.doc.current_phase()) {
        std::string question = field(*phase, "question");
        if (!question.empty()) {
            ImGui::Spacing();
            ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
            ImGui::TextWrapped("%s", question.c_str());
            ImGui::PopStyleColor();
        }
    }
}

void View_console::timer_panel(App_state& app)
{
    heading(app, app.str("desk.timer"));
    json timer = app.doc.state().value("timer", json::object());
    std::string state = timer.value("state", "idle");
    bool overdue = false, paused = false;
    std::string clock = timer_text(app, &overdue, &paused);
    ImGui::BeginDisabled(!app.online());
    if (state == "idle") {
        if (const json* phase = app.doc.current_phase(); phase && app.timer_minutes <= 0)
            app.timer_minutes = std::max(1, phase->value("timebox_s", 600) / 60);
        ImGui::SetNextItemWidth(120 * app.fonts.scale);
        ImGui::InputInt(app.str("desk.timer.minutes"), &app.timer_minutes, 1, 5);
        app.timer_minutes = std::clamp(app.timer_minutes, 1, 240);
        if (ImGui::Button(app.str("desk.timer.start"))) app.send("timer.start", {{"duration_s", app.timer_minutes * 60}});
    } else {
        ImGui::PushFont(app.fonts.heading);
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(overdue ? theme::hinders : paused ? theme::muted : theme::ink));
        ImGui::TextUnformatted(clock.c_str());
        ImGui::PopStyleColor();
        ImGui::PopFont();
        ImGui::SameLine();
        if (state == "running") {
            if (ImGui::Button(app.str("desk.timer.pause"))) app.send("timer.pause", json::object());
        } else if (ImGui::Button(app.str("desk.timer.resume"))) {
            app.send("timer.resume", json::object());
        }
        ImGui::SameLine();
        if (ImGui::Button(app.str("desk.timer.plus"))) {
            // No "add" command in the core protocol: start again with a minute more.
            auto remaining = timer_remaining_ms(timer, app.now_ms, app.net ? app.net->server_offset_ms() : 0);
            std::int64_t left = std::max<std::int64_t>(0, remaining.value_or(0));
            int seconds = static_cast<int>(std::min<std::int64_t>(14400, (left + 999) / 1000 + 60));
            app.send("timer.start", {{"duration_s", seconds}});
            if (state == "paused") app.send("timer.pause", json::object());
        }
        ImGui::SameLine();
        if (ImGui::Button(app.str("desk.timer.reset"))) app.send("timer.reset", json::object());
    }
    ImGui::EndDisabled();
}

void View_console::people_panel(App_state& app)
{
    heading(app, app.str("desk.people"));
    const auto& hands = app.doc.raised_hands();
    if (!hands.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::hand));
        ImGui::TextUnformatted(app.str("desk.hands"));
        ImGui::PopStyleColor();
        int n = 0;
        for (const Raised_hand& hand : hands) {
            ImGui::PushID(hand.pid.c_str());
            ImGui::Text("%d. %s", ++n, hand.name.c_str());
            ImGui::SameLine();
            ImGui::BeginDisabled(!app.online());
            if (ImGui::SmallButton(app.str("desk.hand.lower_other"))) app.send("hand.lower", {{"pid", hand.pid}});
            ImGui::EndDisabled();
            ImGui::PopID();
        }
        ImGui::Spacing();
    }
    const auto& people = app.doc.people();
    if (people.empty()) {
        empty_state(app.str("desk.people.empty"));
        return;
    }
    float s = app.fonts.scale;
    if (ImGui::BeginTable("##people", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("name", ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn("group", ImGuiTableColumnFlags_WidthStretch, 2);
        ImGui::TableSetupColumn("act", ImGuiTableColumnFlags_WidthFixed, 40 * s);
        for (const Person& p : people) {
            ImGui::PushID(p.pid.c_str());
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImDrawList* list = ImGui::GetWindowDrawList();
            ImVec2 c = ImGui::GetCursorScreenPos();
            float r = 4.5f * s;
            list->AddCircleFilled(ImVec2(c.x + r, c.y + ImGui::GetTextLineHeight() * 0.5f), r,
                                  p.online ? theme::online : theme::offline);
            ImGui::SetCursorScreenPos(ImVec2(c.x + 3 * r, c.y));
            std::string name = p.name + (p.pid == app.doc.you() ? std::string(" ") + app.str("desk.you") : "");
            if (p.hand) ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::hand));
            ImGui::TextUnformatted(name.c_str());
            if (p.hand) ImGui::PopStyleColor();
            ImGui::TableNextColumn();
            ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
            std::string group = p.role == "facilitator" ? std::string(app.str("role.facilitator")) : app.group_label(p.group);
            ImGui::TextUnformatted(group.c_str());
            ImGui::PopStyleColor();
            ImGui::TableNextColumn();
            if (p.pid != app.doc.you()) {
                ImGui::BeginDisabled(!app.online());
                if (ImGui::SmallButton("x")) app.confirm_remove = p.pid;
                ImGui::EndDisabled();
                if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.str("desk.remove"));
            }
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    if (!app.confirm_remove.empty()) ImGui::OpenPopup("##remove");
    if (ImGui::BeginPopupModal("##remove", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar)) {
        ImGui::TextUnformatted(app.str.format("desk.remove.confirm", "name", app.doc.name_of(app.confirm_remove)).c_str());
        if (ImGui::Button(app.str("desk.remove"))) {
            app.send("participant.remove", {{"pid", app.confirm_remove}});
            app.confirm_remove.clear();
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button(app.str("desk.cancel"))) {
            app.confirm_remove.clear();
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
}

void View_console::room_panel(App_state& app)
{
    heading(app, app.str("desk.room"));
    ImGui::BeginDisabled(!app.online() || app.doc.closed());
    bool locked = app.doc.locked();
    if (ImGui::Checkbox(app.str("desk.room.locked"), &locked)) app.send("room.lock", {{"locked", locked}});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.str("desk.room.locked_help"));
    ImGui::SameLine();
    if (ImGui::Button(app.str("desk.room.close"))) app.confirm_close = true;
    ImGui::EndDisabled();
    if (app.doc.closed()) {
        ImGui::SameLine();
        ImGui::TextUnformatted(app.str("notes.status_closed"));
    }

    // The projector window.
    ImGui::Checkbox(app.str("desk.hide_names"), &app.hide_names);
    if (app.screen_key.empty()) {
        ImGui::SetNextItemWidth(-1);
        ImGui::InputTextWithHint("##screenkey", app.str("desk.start.screen_key"), &app.screen_key,
                                 ImGuiInputTextFlags_Password);
    }
    ImGui::BeginDisabled(app.screen_key.empty());
    if (ImGui::Button(app.str("desk.open_projector")) && !app.open_projector_window())
        app.notify(app.str("desk.open_projector.failed"), true);
    ImGui::EndDisabled();

    // Notes to a file.
    ImGui::Spacing();
    ImGui::TextUnformatted(app.str("desk.export"));
    if (app.exporting.path.empty()) app.exporting.path = default_export_path(app, app.exporting.format);
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##exportpath", &app.exporting.path);
    bool busy = app.exporting.pending.valid();
    ImGui::BeginDisabled(busy);
    for (const char* format : {"md", "html"}) {
        std::string label = std::string(app.str(std::string("desk.export.") + format));
        if (ImGui::Button(label.c_str())) {
            std::string path = app.exporting.path;
            auto dot = path.rfind('.');
            auto slash = path.rfind('/');
            if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) path = path.substr(0, dot);
            path += std::string(".") + format;
            app.exporting.path = path;
            app.start_export(format, path);
        }
        ImGui::SameLine();
    }
    ImGui::EndDisabled();
    ImGui::NewLine();
    if (busy) empty_state(app.str("desk.export.busy"));
    else if (!app.exporting.message.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(app.exporting.error ? theme::danger : theme::online));
        ImGui::TextWrapped("%s", app.exporting.message.c_str());
        ImGui::PopStyleColor();
    }

    if (app.confirm_close) ImGui::OpenPopup("##close");
    if (ImGui::BeginPopupModal("##close", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar)) {
        ImGui::TextUnformatted(app.str("desk.room.close_confirm"));
        if (ImGui::Button(app.str("desk.room.close"))) {
            app.send("room.close", json::object());
            app.confirm_close = false;
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button(app.str("desk.cancel"))) {
            app.confirm_close = false;
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
}

}  // namespace keha::desk
