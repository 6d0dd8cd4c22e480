#pragma once
// The bar on top of the console and the participant view: the room, the phase, the
// connection state (always visible), the hand, the notices.
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

}  // namespace keha::desk
