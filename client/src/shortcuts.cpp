#include "shortcuts.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include "app_state.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace keha::desk {
namespace {

constexpr Shortcut_key keys[] = {
    {Shortcut::hand, GLFW_KEY_F2, false, "F2", "desk.key.hand", false},
    {Shortcut::next_phase, GLFW_KEY_F5, false, "F5", "desk.key.next_phase", true},
    {Shortcut::previous_phase, GLFW_KEY_F5, true, "Shift+F5", "desk.key.previous_phase", true},
    {Shortcut::timer, GLFW_KEY_F6, false, "F6", "desk.key.timer", true},
    {Shortcut::next_turn, GLFW_KEY_F7, false, "F7", "desk.key.next_turn", true},
    {Shortcut::lock, GLFW_KEY_F8, false, "F8", "desk.key.lock", true},
    {Shortcut::projector, GLFW_KEY_F9, false, "F9", "desk.key.projector", true},
};

// The phase `step` away from the current one, or nullptr.
const json* phase_at(const App_state& app, int step)
{
    const json& phases = app.doc.phases();
    int i = app.doc.current_phase_index() + step;
    if (!phases.is_array() || i < 0 || i >= static_cast<int>(phases.size())) return nullptr;
    return &phases[static_cast<std::size_t>(i)];
}

}  // namespace

std::span<const Shortcut_key> shortcut_keys() { return keys; }

const Shortcut_key& shortcut(Shortcut action)
{
    for (const Shortcut_key& k : keys)
        if (k.action == action) return k;
    return keys[0];
}

std::string shortcut_label(App_state& app, Shortcut action)
{
    const Shortcut_key& k = shortcut(action);
    return std::string(app.str(k.label)) + " (" + k.keys + ")";
}

void shortcut_tooltip(App_state& app, Shortcut action)
{
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled) || ImGui::IsItemFocused())
        ImGui::SetTooltip("%s", shortcut_label(app, action).c_str());
}

bool shortcut_available(App_state& app, Shortcut action)
{
    if (!app.doc.has_state() || app.doc.is_screen() || !app.online()) return false;
    if (shortcut(action).facilitator && (!app.doc.is_facilitator() || app.face != Face::console)) return false;
    switch (action) {
        case Shortcut::hand: return app.doc.my_hand_up() || !app.doc.my_input_held();
        case Shortcut::next_phase: return phase_at(app, 1) != nullptr;
        case Shortcut::previous_phase: return phase_at(app, -1) != nullptr;
        case Shortcut::timer: return !app.doc.closed();
        case Shortcut::next_turn: {
            const std::string& mode = app.doc.turns().mode;
            return mode == "reflecting_team" || mode == "round" || mode == "pairs";
        }
        case Shortcut::lock: return !app.doc.closed();
        case Shortcut::projector: return !app.screen_key.empty();
    }
    return false;
}

void run_shortcut(App_state& app, Shortcut action)
{
    if (!shortcut_available(app, action)) return;
    switch (action) {
        case Shortcut::hand: app.send(app.doc.my_hand_up() ? "hand.lower" : "hand.raise", json::object()); break;
        case Shortcut::next_phase:
        case Shortcut::previous_phase:
            app.send("phase.goto", {{"phase", field(*phase_at(app, action == Shortcut::next_phase ? 1 : -1), "id")}});
            break;
        case Shortcut::timer: {
            // One key for the time box: start it (the console's minutes), pause it, go on.
            std::string state = app.doc.state().value("timer", json::object()).value("state", "idle");
            if (state == "running") app.send("timer.pause", json::object());
            else if (state == "paused") app.send("timer.resume", json::object());
            else app.send("timer.start", {{"duration_s", app.timer_minutes * 60}});
            break;
        }
        case Shortcut::next_turn: app.send("turns.next", json::object()); break;
        case Shortcut::lock: app.send("room.lock", {{"locked", !app.doc.locked()}}); break;
        case Shortcut::projector:
            if (!app.open_projector_window()) app.notify(app.str("desk.open_projector.failed"), true);
            break;
    }
}

void handle_shortcuts(App_state& app)
{
    if (app.face != Face::console && app.face != Face::participant) return;
    const ImGuiIO& io = ImGui::GetIO();
    for (const Shortcut_key& k : keys)
        if (ImGui::IsKeyPressed(k.key, false) && io.KeyShift == k.shift && !io.KeyCtrl && !io.KeyAlt)
            run_shortcut(app, k.action);
}

void shortcuts_help(App_state& app)
{
    if (!ImGui::BeginTable("##keys", 2, ImGuiTableFlags_SizingFixedFit)) return;
    for (const Shortcut_key& k : keys) {
        if (k.facilitator && !app.doc.is_facilitator()) continue;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::PushFont(app.fonts.bold);
        ImGui::TextUnformatted(k.keys);
        ImGui::PopFont();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(app.str(k.label));
    }
    for (const char* row : {"desk.key.tab", "desk.key.arrows", "desk.key.space", "desk.key.ctrl_enter", "desk.key.panels"}) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::PushFont(app.fonts.bold);
        ImGui::TextUnformatted(app.str(std::string(row) + ".keys"));
        ImGui::PopFont();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(app.str(row));
    }
    ImGui::EndTable();
}

}  // namespace keha::desk
