#pragma once
// A view is one window of the app. The base owns Begin/End and the placement; each
// concrete view overrides only its content (ImHex's View, without the plugin machinery).
#include <imgui.h>
#include <memory>
#include <vector>

#include "app_state.hpp"

namespace keha::desk {

class View {
public:
    virtual ~View() = default;
    void draw(App_state& app);

protected:
    virtual const char* window_id() const = 0;
    virtual bool visible(const App_state& app) const = 0;
    // Where the window goes on the display (pos, size).
    virtual void place(const App_state& app, ImVec2 display, ImVec2& pos, ImVec2& size) const = 0;
    virtual ImGuiWindowFlags flags() const;
    virtual void content(App_state& app) = 0;
    // The window the keyboard starts in when this view appears (the start screen, the
    // console, a participant's boards).
    virtual bool takes_focus(const App_state&) const { return false; }

private:
    bool shown_ = false;  // drawn last frame: focus is taken only on appearing
};

struct Console_panels;

// Every view of the app, in drawing order; the console and the boards draw `panels`.
std::vector<std::unique_ptr<View>> make_views(Console_panels& panels);

// Heights shared by the layouts.
float status_bar_height(const App_state& app);
float console_width(const App_state& app);

}  // namespace keha::desk
