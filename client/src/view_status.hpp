#pragma once
// The bar on top of the console and the participant view: the room, the phase, the
// connection state (always visible), the hand, the notices; under it on the right, the
// facilitator's notices of those starting to wait in the lobby.
#include "view.hpp"

namespace keha::desk {

class View_status : public View {
protected:
    const char* window_id() const override { return "##status"; }
    bool visible(const App_state& app) const override
    {
        return app.face == Face::console || app.face == Face::participant;
    }
    void place(const App_state& app, ImVec2 display, ImVec2& pos, ImVec2& size) const override
    {
        pos = ImVec2(0, 0);
        size = ImVec2(display.x, status_bar_height(app));
    }
    ImGuiWindowFlags flags() const override
    {
        return View::flags() | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
    }
    void content(App_state& app) override;
};

// "<name> is waiting to join" with Admit / Refuse / close, one per newcomer (Lobby_notices
// decides which), "+N more" opening the list of the top bar's count. A window of its own
// drawn after the others, so it floats over the boards; it takes no keyboard focus.
class View_lobby_notices : public View {
protected:
    const char* window_id() const override { return "##lobbynotices"; }
    bool visible(const App_state& app) const override;
    void place(const App_state& app, ImVec2 display, ImVec2& pos, ImVec2& size) const override;
    ImGuiWindowFlags flags() const override
    {
        return (View::flags() & ~ImGuiWindowFlags_NoBringToFrontOnFocus) | ImGuiWindowFlags_NoFocusOnAppearing |
               ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
    }
    void content(App_state& app) override;
};

}  // namespace keha::desk
