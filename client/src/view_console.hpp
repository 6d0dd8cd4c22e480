#pragma once
// The facilitator's console, to the left of the boards: the join code, the agenda, the
// timer, the people and their hands, the room (lock, close, export, projector).
#include "view.hpp"

namespace keha::desk {

class View_console : public View {
protected:
    const char* window_id() const override { return "##console"; }
    bool visible(const App_state& app) const override { return app.face == Face::console; }
    bool takes_focus(const App_state&) const override { return true; }
    void place(const App_state& app, ImVec2 display, ImVec2& pos, ImVec2& size) const override
    {
        pos = ImVec2(0, status_bar_height(app));
        size = ImVec2(console_width(app), display.y - pos.y);
    }
    void content(App_state& app) override;

private:
    void code_panel(App_state& app);
    void agenda_panel(App_state& app);
    void timer_panel(App_state& app);
    void people_panel(App_state& app);
    void room_panel(App_state& app);
    void records_controls(App_state& app);
    void attention_panel(App_state& app);
    void agenda_editor(App_state& app);
    void settings_panel(App_state& app);
    void moderation_panel(App_state& app, const std::vector<Held_item>& held);
    void decline_dialog(App_state& app);
};

}  // namespace keha::desk
