#pragma once
// The start screen: a new meeting (creates the room and becomes its facilitator), join a
// meeting with its code, or open this window as the projector with the screen key.
#include "pending.hpp"
#include "view.hpp"

namespace keha::desk {

// What the start screen's forms hold.
struct Start_form {
    std::string server = "http://127.0.0.1:8080";
    std::string title;
    int template_index = 0;
    int language = 0;  // fi, sv, en
    std::string code, name, screen_key, facilitator_key;
    std::string rejoin_link;  // a personal link from the person's own screen ("use on another device")
    std::string organizer_key;     // asked for once the server says creating needs it
    bool organizer_key_asked = false;
    int group = 0;     // professional, leader, expert, other
    Pending<Api_answer<Created_room>> creating;
    Pending<Api_answer<json>> templates;
    std::string templates_for;  // server the list was asked from
    json template_list = json::array();
    std::string error;
};

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

    Start_form form_;
    bool seeded_ = false;  // the form filled in from the command line
};

}  // namespace keha::desk
