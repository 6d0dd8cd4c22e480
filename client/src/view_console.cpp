#include "view_console.hpp"

#include <cmath>
#include <cstdlib>
#include <ctime>
#include <imgui_stdlib.h>

#include "shortcuts.hpp"
#include "theme.hpp"
#include "view_panels.hpp"
#include "view_ratings.hpp"
#include "view_turns.hpp"
#include "widgets.hpp"

namespace keha::desk {
namespace {

// A section title; with `button`, a small button at its right end (true when clicked).
bool heading(App_state& app, const char* text, const char* button = nullptr, bool enabled = true)
{
    ImGui::Spacing();
    ImGui::PushFont(app.fonts.bold);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::accent));
    ImGui::TextUnformatted(text);
    ImGui::PopStyleColor();
    ImGui::PopFont();
    bool clicked = false;
    if (button) {
        float w = ImGui::CalcTextSize(button).x + ImGui::GetStyle().FramePadding.x * 2;
        ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - w);
        ImGui::BeginDisabled(!enabled);
        clicked = ImGui::SmallButton(button);
        ImGui::EndDisabled();
    }
    ImGui::Separator();
    return clicked;
}

// The tab --tab asked for is selected once.
ImGuiTabItemFlags select(App_state& app, const char* tab)
{
    if (app.open_tab != tab) return 0;
    app.open_tab.clear();
    return ImGuiTabItemFlags_SetSelected;
}

}  // namespace

void View_console::content(App_state& app)
{
    if (!app.doc.has_state()) {
        empty_state(app.link == Link::stopped ? app.str("desk.link.stopped") : app.str("desk.link.connecting"));
        return;
    }
    code_panel(app);
    attention_panel(app);
    if (!ImGui::BeginTabBar("##console")) return;
    if (ImGui::BeginTabItem(app.str("desk.tab.meeting"), nullptr, select(app, "meeting"))) {
        ImGui::BeginChild("##meeting");
        meeting_tab(app);
        ImGui::EndChild();
        ImGui::EndTabItem();
    }
    std::string people = std::string(app.str("desk.people")) + " (" + std::to_string(app.doc.people().size()) + ")###people";
    if (ImGui::BeginTabItem(people.c_str(), nullptr, select(app, "people"))) {
        ImGui::BeginChild("##people");
        people_panel(app);
        ImGui::EndChild();
        ImGui::EndTabItem();
    }
    moderation_tab(app);
    if (ImGui::BeginTabItem(app.str("desk.tab.room"), nullptr, select(app, "settings"))) {
        ImGui::BeginChild("##room");
        settings_panel(app);
        room_panel(app);
        ImGui::EndChild();
        ImGui::EndTabItem();
    }
    bool history_tab = ImGui::BeginTabItem(app.str("desk.history"), nullptr, select(app, "history"));
    if (history_tab) {
        ImGui::BeginChild("##history");
        panels_.history.draw(app, panels_.exporting);
        ImGui::EndChild();
        ImGui::EndTabItem();
    }
    panels_.history.tab_shown(history_tab);
    if (panels_.process.shown(app)) {
        if (ImGui::BeginTabItem(app.str("desk.process"), nullptr, select(app, "process"))) {
            ImGui::BeginChild("##process");
            panels_.process.draw(app);
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
    }
    ImGui::EndTabBar();
    decline_dialog(app);
    // The hits are named in the state the export is of: the past one the History tab loaded, or the room now.
    const std::optional<std::uint64_t> seq = panels_.exporting.seq();
    panels_.exporting.warning(app, seq && panels_.history.loaded() == seq ? panels_.history.document() : app.doc);
}

// The Meeting tab: raised hands first, where the facilitator runs the meeting (the open
// floor's turns panel lists them itself, with the floor to give), the agenda, the timer, the
// turns, the questionnaire, the keys.
void View_console::meeting_tab(App_state& app)
{
    if (!app.doc.raised_hands().empty() && app.doc.turns().mode != "hand_queue") {
        ImGui::Spacing();
        raised_hands_list(app, false);
    }
    agenda_panel(app);
    timer_panel(app);
    heading(app, app.str("desk.turns"));
    console_turns_panel(app, turns_form_);
    ratings_console_panel(app);
    qa_panel(app, qa_form_, true);
    polls_console_panel(app, poll_form_);
    if (ImGui::CollapsingHeader(app.str("desk.keys"))) shortcuts_help(app);
}

// The Approval tab, when the room is moderated or something is held; its count in warning colour.
void View_console::moderation_tab(App_state& app)
{
    auto held = app.doc.held_items();
    std::size_t waiting = 0;
    for (const Held_item& h : held) waiting += !h.declined;
    if (!app.doc.setting("moderated") && held.empty()) return;
    std::string label = std::string(app.str("desk.tab.moderation")) +
                        (waiting ? " (" + std::to_string(waiting) + ")" : std::string()) + "###moderation";
    if (waiting) ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::warn));
    bool open = ImGui::BeginTabItem(label.c_str(), nullptr, select(app, "approval"));
    if (waiting) ImGui::PopStyleColor();
    if (!open) return;
    ImGui::BeginChild("##moderation");
    moderation_panel(app, held);
    ImGui::EndChild();
    ImGui::EndTabItem();
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
    // The address the wall shows (the server's, not necessarily the one this window used).
    const auto& join = app.doc.join();
    std::string url = join ? join->url : app.server ? join_url(*app.server, app.doc.room_code()) : std::string();
    if (!url.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
        ImGui::TextUnformatted(url.c_str());
        ImGui::PopStyleColor();
    }
    if (join && join->loopback) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::warn));
        ImGui::TextWrapped("%s", app.str.format("desk.join.loopback", "address", join->address).c_str());
        ImGui::PopStyleColor();
    }
}

void View_console::agenda_panel(App_state& app)
{
    // Edit: move, remove and add phases (the meeting need not follow the template).
    if (heading(app, app.str("desk.agenda"), app.str(phase_form_.editing ? "desk.agenda.done" : "desk.agenda.edit"),
                app.online() && !app.doc.closed()))
        phase_form_.editing = !phase_form_.editing;
    const json& phases = app.doc.phases();
    if (phases.empty()) empty_state(app.str("desk.agenda.empty"));
    int current = app.doc.current_phase_index();
    bool editing = phase_form_.editing;
    for (std::size_t i = 0; i < phases.size(); ++i) {
        const json& phase = phases[i];
        std::string id = field(phase, "id");
        ImGui::PushID(static_cast<int>(i));
        std::string label = std::to_string(i + 1) + ". " + text_in_language(app.str, phase, "title");
        std::string mode = field(phase, "turn_mode");
        bool is_current = static_cast<int>(i) == current;
        if (is_current) ImGui::PushFont(app.fonts.bold);
        ImGui::BeginDisabled(!app.online());
        float row_w = editing ? ImGui::GetContentRegionAvail().x - 3 * ImGui::GetFrameHeight() - 12 * app.fonts.scale : 0;
        if (ImGui::Selectable(label.c_str(), is_current, 0, ImVec2(row_w, 0)) && !is_current)
            app.send("phase.goto", {{"phase", id}});
        ImGui::EndDisabled();
        if (is_current) ImGui::PopFont();
        if (ImGui::IsItemHovered() && !is_current) ImGui::SetTooltip("%s", app.str("desk.agenda.go"));
        if (editing) {
            ImGui::BeginDisabled(!app.online());
            ImGui::SameLine();
            ImGui::BeginDisabled(i == 0);
            if (ImGui::ArrowButton("##up", ImGuiDir_Up)) app.send("phase.move", {{"phase", id}, {"index", i - 1}});
            ImGui::EndDisabled();
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.str("desk.agenda.move_up"));
            ImGui::SameLine();
            ImGui::BeginDisabled(i + 1 >= phases.size());
            if (ImGui::ArrowButton("##down", ImGuiDir_Down)) app.send("phase.move", {{"phase", id}, {"index", i + 1}});
            ImGui::EndDisabled();
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.str("desk.agenda.move_down"));
            ImGui::SameLine();
            ImGui::BeginDisabled(is_current);
            if (ImGui::Button("x", ImVec2(ImGui::GetFrameHeight(), 0))) app.send("phase.remove", {{"phase", id}});
            ImGui::EndDisabled();
            if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
                ImGui::SetTooltip("%s", app.str(is_current ? "desk.agenda.remove_current" : "desk.agenda.remove"));
            ImGui::EndDisabled();
        } else if (!mode.empty() && mode != "none") {
            // What the phase is meant for: a small note after the title.
            ImGui::SameLine();
            ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
            ImGui::TextUnformatted(app.str("desk.turn_mode." + mode));
            ImGui::PopStyleColor();
        }
        ImGui::PopID();
    }
    if (editing) agenda_editor(app);
    else if (const json* phase = app.doc.current_phase()) {
        std::string question = text_in_language(app.str, *phase, "question");
        if (!question.empty()) {
            ImGui::Spacing();
            ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
            ImGui::TextWrapped("%s", question.c_str());
            ImGui::PopStyleColor();
        }
    }
}

void View_console::agenda_editor(App_state& app)
{
    static constexpr const char* turn_modes[] = {"none", "reflecting_team", "round", "hand_queue", "pairs"};
    Phase_form& f = phase_form_;
    float s = app.fonts.scale;
    ImGui::Spacing();
    ImGui::PushFont(app.fonts.bold);
    ImGui::TextUnformatted(app.str("desk.agenda.add"));
    ImGui::PopFont();
    ImGui::PushID("addphase");
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##title", app.str("desk.agenda.title_hint"), &f.title);
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##question", app.str("desk.agenda.question_hint"), &f.question);
    std::vector<std::string> boards = app.doc.board_names();
    if (f.board > static_cast<int>(boards.size())) f.board = 0;
    std::string board_label = f.board == 0 ? std::string(app.str("desk.agenda.no_board"))
                                           : std::string(app.str("board." + boards[static_cast<std::size_t>(f.board - 1)]));
    ImGui::SetNextItemWidth(180 * s);
    if (ImGui::BeginCombo(app.str("desk.agenda.board"), board_label.c_str())) {
        if (ImGui::Selectable(app.str("desk.agenda.no_board"), f.board == 0)) f.board = 0;
        for (std::size_t i = 0; i < boards.size(); ++i)
            if (ImGui::Selectable(app.str("board." + boards[i]), f.board == static_cast<int>(i + 1)))
                f.board = static_cast<int>(i + 1);
        ImGui::EndCombo();
    }
    ImGui::SetNextItemWidth(180 * s);
    if (ImGui::BeginCombo(app.str("desk.agenda.turn_mode"), app.str(std::string("desk.turn_mode.") + turn_modes[f.turn_mode]))) {
        for (int i = 0; i < 5; ++i)
            if (ImGui::Selectable(app.str(std::string("desk.turn_mode.") + turn_modes[i]), f.turn_mode == i)) f.turn_mode = i;
        ImGui::EndCombo();
    }
    ImGui::SetNextItemWidth(110 * s);
    ImGui::InputInt(app.str("desk.agenda.timebox"), &f.timebox_min, 1, 5);
    f.timebox_min = std::clamp(f.timebox_min, 0, 240);
    if (ImGui::RadioButton(app.str("desk.agenda.after_current"), !f.at_end)) f.at_end = false;
    ImGui::SameLine();
    if (ImGui::RadioButton(app.str("desk.agenda.at_end"), f.at_end)) f.at_end = true;
    ImGui::BeginDisabled(f.title.empty() || !app.online());
    if (ImGui::Button(app.str("desk.agenda.add"))) {
        json args = {{"title", f.title}, {"timebox_s", f.timebox_min * 60}, {"turn_mode", turn_modes[f.turn_mode]}};
        if (!f.question.empty()) args["question"] = f.question;
        if (f.board > 0) args["board"] = boards[static_cast<std::size_t>(f.board - 1)];
        const json* current = app.doc.current_phase();
        if (!f.at_end && current) args["after"] = field(*current, "id");
        app.send("phase.add", std::move(args));
        f.title.clear();
        f.question.clear();
    }
    ImGui::EndDisabled();
    ImGui::PopID();
}

void View_console::timer_panel(App_state& app)
{
    heading(app, app.str("desk.timer"));
    json timer = app.doc.state().value("timer", json::object());
    std::string state = timer.value("state", "idle");
    bool overdue = false, paused = false;
    std::string clock = timer_text(app, &overdue, &paused);
    if (auto minutes = timer_follow_.update(app.doc)) app.timer_minutes = *minutes;
    ImGui::BeginDisabled(!app.online());
    if (state == "idle") {
        ImGui::SetNextItemWidth(120 * app.fonts.scale);
        ImGui::InputInt(app.str("desk.timer.minutes"), &app.timer_minutes, 1, 5);
        app.timer_minutes = std::clamp(app.timer_minutes, 1, 240);
        if (ImGui::Button(app.str("desk.timer.start"))) app.send("timer.start", {{"duration_s", app.timer_minutes * 60}});
        shortcut_tooltip(app, Shortcut::timer);
    } else {
        // The soft signal when the time box ends: the clock breathes in amber for a moment.
        if (float pulse = signal_pulse(app); pulse > 0) {
            ImVec2 p = ImGui::GetCursorScreenPos();
            float s = app.fonts.scale;
            ImGui::PushFont(app.fonts.heading);
            ImVec2 t = ImGui::CalcTextSize(clock.c_str());
            ImGui::PopFont();
            ImVec2 a(p.x - 6 * s, p.y - 3 * s), b(p.x + t.x + 8 * s, p.y + t.y + 3 * s);
            ImDrawList* list = ImGui::GetWindowDrawList();
            list->AddRectFilled(a, b, theme::signal_soft, 6 * s);
            list->AddRect(a, b, (theme::signal & 0x00FFFFFF) | (static_cast<ImU32>(255 * pulse) << 24), 6 * s, 0, 2.5f * s);
        }
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
        shortcut_tooltip(app, Shortcut::timer);
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
    if (!app.doc.raised_hands().empty()) {
        raised_hands_list(app, false);
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
        ImGui::TableSetupColumn("act", ImGuiTableColumnFlags_WidthFixed, 44 * s);
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
                // A menu: co-facilitator (or back to participant), remove.
                ImGui::BeginDisabled(!app.online());
                if (ImGui::SmallButton("...")) ImGui::OpenPopup("##person");
                ImGui::EndDisabled();
                if (ImGui::BeginPopup("##person")) {
                    bool facilitator = p.role == "facilitator";
                    if (ImGui::Selectable(app.str(facilitator ? "desk.role.make_participant" : "desk.role.make_facilitator")))
                        app.send("participant.role", {{"pid", p.pid}, {"role", facilitator ? "participant" : "facilitator"}});
                    // The same person joined twice: their items, votes and turns go to the one chosen.
                    if (ImGui::BeginMenu(app.str("desk.merge.into"))) {
                        for (const Person& other : people) {
                            if (other.pid == p.pid || (facilitator && other.role != "facilitator")) continue;
                            if (ImGui::Selectable(other.name.c_str()))
                                app.send("participant.merge", {{"from", p.pid}, {"into", other.pid}});
                        }
                        ImGui::EndMenu();
                    }
                    if (ImGui::Selectable(app.str("desk.remove"))) confirm_remove_ = p.pid;
                    ImGui::EndPopup();
                }
            }
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    if (!confirm_remove_.empty()) ImGui::OpenPopup("##remove");
    if (ImGui::BeginPopupModal("##remove", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar)) {
        ImGui::TextUnformatted(app.str.format("desk.remove.confirm", "name", app.doc.name_of(confirm_remove_)).c_str());
        if (ImGui::Button(app.str("desk.remove"))) {
            app.send("participant.remove", {{"pid", confirm_remove_}});
            confirm_remove_.clear();
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button(app.str("desk.cancel"))) {
            confirm_remove_.clear();
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
    if (ImGui::IsItemHovered() || ImGui::IsItemFocused())
        ImGui::SetTooltip("%s\n%s", app.str("desk.room.locked_help"), shortcut_label(app, Shortcut::lock).c_str());
    ImGui::SameLine();
    if (ImGui::Button(app.str("desk.room.close"))) confirm_close_ = true;
    ImGui::EndDisabled();
    if (app.doc.closed()) {
        ImGui::SameLine();
        ImGui::TextUnformatted(app.str("notes.status_closed"));
    }

    // The projector window (names on the wall: the room setting above).
    if (app.screen_key.empty()) {
        ImGui::SetNextItemWidth(-1);
        ImGui::InputTextWithHint("##screenkey", app.str("desk.start.screen_key"), &app.screen_key,
                                 ImGuiInputTextFlags_Password);
    }
    ImGui::BeginDisabled(app.screen_key.empty());
    if (ImGui::Button(app.str("desk.open_projector")) && !app.open_projector_window())
        app.notify(app.str("desk.open_projector.failed"), true);
    shortcut_tooltip(app, Shortcut::projector);
    ImGui::EndDisabled();

    // Notes to a file.
    ImGui::Spacing();
    ImGui::TextUnformatted(app.str("desk.export"));
    panels_.exporting.controls(app, std::nullopt, "export");
    panels_.records.draw(app);

    if (confirm_close_) ImGui::OpenPopup("##close");
    if (ImGui::BeginPopupModal("##close", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar)) {
        ImGui::TextUnformatted(app.str("desk.room.close_confirm"));
        if (ImGui::Button(app.str("desk.room.close"))) {
            app.send("room.close", json::object());
            confirm_close_ = false;
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button(app.str("desk.cancel"))) {
            confirm_close_ = false;
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
}

// What needs the facilitator now: people waiting in the lobby, a missing consent.
void View_console::attention_panel(App_state& app)
{
    if (app.doc.consent_pending()) {
        ImGui::Spacing();
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::warn));
        ImGui::TextWrapped("%s", app.str("desk.consent.pending"));
        ImGui::PopStyleColor();
        ImGui::SetNextItemWidth(-1);
        ImGui::InputTextWithHint("##consentby", app.str("desk.consent.given_by"), &consent_by_);
        ImGui::SetNextItemWidth(-1);
        ImGui::InputTextWithHint("##consentscope", app.str("desk.consent.scope"), &consent_scope_);
        ImGui::BeginDisabled(!app.online() || consent_by_.empty() || consent_scope_.empty());
        if (ImGui::Button(app.str("desk.consent.record"))) {
            app.send("consent.record", {{"given_by", consent_by_}, {"scope", consent_scope_}});
            consent_by_.clear();
            consent_scope_.clear();
        }
        ImGui::EndDisabled();
    }
    const auto& lobby = app.doc.lobby();
    if (lobby.empty()) return;
    ImGui::Spacing();
    ImGui::PushFont(app.fonts.bold);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::warn));
    ImGui::Text("%s (%zu)", app.str("desk.lobby.waiting"), lobby.size());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    lobby_list(app);
    ImGui::Separator();
}

void View_console::settings_panel(App_state& app)
{
    heading(app, app.str("desk.settings"));
    ImGui::BeginDisabled(!app.online() || app.doc.closed());
    auto flag = [&](const char* name, const char* label_key, const char* help_key) {
        bool on = app.doc.setting(name, std::string_view(name) == "votes_visible");
        if (ImGui::Checkbox(app.str(label_key), &on)) app.send("room.settings", {{name, on}});
        if (help_key && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.str(help_key));
    };
    flag("admit_joiners", "desk.settings.admit", "desk.settings.admit_help");
    flag("hide_names", "desk.settings.hide_names", "desk.settings.hide_names_help");
    flag("moderated", "desk.settings.moderated", "desk.settings.moderated_help");
    flag("votes_visible", "desk.settings.votes_visible", nullptr);
    int limit = app.doc.vote_limit();
    ImGui::SetNextItemWidth(110 * app.fonts.scale);
    if (ImGui::InputInt(app.str("desk.settings.vote_limit"), &limit, 1, 1, ImGuiInputTextFlags_EnterReturnsTrue) ||
        ImGui::IsItemDeactivatedAfterEdit()) {
        limit = std::clamp(limit, 0, 100);
        if (limit != app.doc.vote_limit()) app.send("room.settings", {{"vote_limit", limit}});
    }
    // Who may group cards (docs/protocol.md §8.5 "Grouping and voting"): facilitators, or everyone.
    bool everyone = app.doc.room().value("settings", json::object()).value("grouping", "") == "everyone";
    if (ImGui::Checkbox(app.str("group.everyone"), &everyone))
        app.send("room.settings", {{"grouping", everyone ? "everyone" : "facilitators"}});
    flag("consent_required", "desk.settings.consent_required", "desk.settings.consent_help");
    // The walls' colours (both projectors follow the room's choice at once).
    ImGui::TextUnformatted(app.str("wall.theme"));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.str("wall.theme_hint"));
    const std::string theme_now = app.doc.wall_theme();
    bool first = true;
    for (const char* t : {"default", "dark", "contrast"}) {
        if (!first) ImGui::SameLine();
        first = false;
        if (ImGui::RadioButton(app.str(std::string("wall.theme_") + t), theme_now == t) && theme_now != t)
            app.send("room.settings", {{"wall_theme", t}});
    }
    ImGui::EndDisabled();
    // This machine's own switch, not the room's: the projector opened from here gets --chime.
    ImGui::Checkbox(app.str("desk.settings.chime"), &app.chime);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.str("desk.settings.chime_help"));
    if (const json* consent = app.doc.consent()) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::online));
        ImGui::TextWrapped("%s", app.str.format("desk.consent.recorded", "who", field(*consent, "given_by")).c_str());
        ImGui::PopStyleColor();
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
        std::string at = field(*consent, "recorded_at");
        ImGui::TextWrapped("%s", (field(*consent, "scope") + (at.empty() ? "" : "  (" + at.substr(0, 10) + ")")).c_str());
        ImGui::PopStyleColor();
    }
}

void View_console::moderation_panel(App_state& app, const std::vector<Held_item>& held)
{
    if (!app.doc.setting("moderated")) empty_state(app.str("desk.moderation.off"));
    float s = app.fonts.scale;
    bool any = false;
    for (int pass = 0; pass < 2; ++pass) {  // waiting first, then the declined ones
        bool header = false;
        for (const Held_item& h : held) {
            if (h.declined != (pass == 1)) continue;
            if (pass == 1 && !header) {
                ImGui::Spacing();
                ImGui::PushFont(app.fonts.bold);
                ImGui::TextUnformatted(app.str("desk.moderation.declined"));
                ImGui::PopFont();
                header = true;
            }
            any = true;
            const json& item = *h.item;
            std::string id = field(item, "id");
            ImGui::PushID((h.board + "/" + id).c_str());
            ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
            std::string meta = std::string(app.str("board." + h.board)) + "  \xc2\xb7  " +
                               app.doc.name_of(field(item, "author"));
            ImGui::TextUnformatted(meta.c_str());
            ImGui::PopStyleColor();
            ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(h.declined ? theme::muted : theme::ink));
            ImGui::TextWrapped("%s", field(item, "text").c_str());
            ImGui::PopStyleColor();
            if (h.declined && !field(item, "decline_reason").empty()) {
                ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::danger));
                ImGui::TextWrapped("%s", field(item, "decline_reason").c_str());
                ImGui::PopStyleColor();
            }
            ImGui::BeginDisabled(!app.online());
            ImGui::PushStyleColor(ImGuiCol_Button, theme::vec(theme::accent_soft));
            if (ImGui::SmallButton(app.str("desk.moderation.approve")))
                app.send("item.approve", {{"board", h.board}, {"id", id}});
            ImGui::PopStyleColor();
            ImGui::SameLine();
            if (ImGui::SmallButton(app.str("desk.item.edit"))) open_item_editor(app, h.board, id, item);
            if (!h.declined) {
                ImGui::SameLine();
                if (ImGui::SmallButton(app.str("desk.moderation.decline"))) {
                    app.decline = Decline_state{true, h.board, id, {}};
                }
            }
            ImGui::EndDisabled();
            ImGui::Dummy(ImVec2(0, 4 * s));
            ImGui::Separator();
            ImGui::PopID();
        }
    }
    if (!any && app.doc.setting("moderated")) empty_state(app.str("desk.moderation.empty"));
}

void View_console::decline_dialog(App_state& app)
{
    if (app.decline.open) ImGui::OpenPopup("##decline");
    ImGui::SetNextWindowSize(ImVec2(520 * app.fonts.scale, 0));
    if (!ImGui::BeginPopupModal("##decline", nullptr, ImGuiWindowFlags_NoTitleBar)) return;
    ImGui::PushFont(app.fonts.bold);
    ImGui::TextUnformatted(app.str("desk.moderation.decline"));
    ImGui::PopFont();
    ImGui::InputTextMultiline("##reason", &app.decline.reason, ImVec2(-1, 70 * app.fonts.scale));
    if (app.decline.reason.empty()) {
        ImVec2 p = ImGui::GetItemRectMin();
        ImGui::GetWindowDrawList()->AddText(ImVec2(p.x + 8 * app.fonts.scale, p.y + 5 * app.fonts.scale), theme::muted,
                                            app.str("desk.moderation.reason"));
    }
    ImGui::BeginDisabled(!app.online());
    if (ImGui::Button(app.str("desk.moderation.decline"))) {
        app.send("item.decline", {{"board", app.decline.board}, {"id", app.decline.id}, {"reason", app.decline.reason}});
        app.decline = Decline_state{};
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(app.str("desk.cancel"))) {
        app.decline = Decline_state{};
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

}  // namespace keha::desk
