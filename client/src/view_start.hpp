#pragma once
// The start screen: a new meeting (creates the room and becomes its facilitator), join a
// meeting with its code, or open this window as the projector with the screen key.
#include "view.hpp"

namespace keha::desk {

class View_start : public View {
protected:
    const char* window_id() const override { return "##start"; }
    bool visible(const App_state& app) const override { return app.face == Face::start; }
    bool takes_focus(const App_state&) const override { return true; }
    void place(const App_state& app, ImVec2 display, ImVec2& pos, ImVec2& size) const override;
    void content(App_state& app) override;

private:
    void new_meeting(App_state& app, const Server_url* server);
    void join(App_state& app, const Server_url* server);
    void projector(App_state& app, const Server_url* server);
};

}  // namespace keha::desk
