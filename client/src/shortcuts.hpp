#pragma once
// The keyboard: the facilitator's frequent actions and the participant's hand on function
// keys (no letter a person types is taken), with their names from the catalogs for the
// buttons' tooltips and the console's list. Moving between controls is ImGui's own
// keyboard navigation (Tab, arrows, Space, Enter, Escape; Ctrl+Tab between panels).
#include <span>
#include <string>

namespace keha::desk {

struct App_state;

enum class Shortcut { hand, next_phase, previous_phase, timer, next_turn, lock, projector };

struct Shortcut_key {
    Shortcut action;
    int key;              // GLFW key code (ImGui 1.86's GLFW backend indexes KeysDown by it)
    bool shift;
    const char* keys;     // as printed: "F5", "Shift+F5"
    const char* label;    // catalog key of the action's name
    bool facilitator;     // only in the facilitator's console
};

std::span<const Shortcut_key> shortcut_keys();
const Shortcut_key& shortcut(Shortcut action);

// "Next phase (F5)", in the interface language.
std::string shortcut_label(App_state& app, Shortcut action);

// The last item's tooltip when hovered or keyboard-focused: what it does and its key.
void shortcut_tooltip(App_state& app, Shortcut action);

// Does the actions whose keys were pressed this frame (call between NewFrame and Render).
void handle_shortcuts(App_state& app);

// Whether the action can be done now (online, a facilitator where needed, something to do).
bool shortcut_available(App_state& app, Shortcut action);
void run_shortcut(App_state& app, Shortcut action);

// The console's list of keys.
void shortcuts_help(App_state& app);

}  // namespace keha::desk
