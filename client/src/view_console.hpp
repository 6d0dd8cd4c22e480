#pragma once
// The facilitator's console, to the left of the boards: the join code, the agenda, the
// timer, the people and their hands, the room (lock, close, export, projector).
#include "view.hpp"
#include "view_panels.hpp"
#include "view_qa.hpp"
#include "view_polls.hpp"
#include "view_turns.hpp"

namespace keha::desk {

// The agenda editor's form for one phase.
struct Phase_form {
    bool editing = false;
    std::string title, question;
    int board = 0;       // 0: none, else index into the room's boards + 1
    int timebox_min = 10;
    int turn_mode = 0;   // index into turn_modes
    bool at_end = false;
};

class View_console : public View {
public:
    explicit View_console(Console_panels& panels) : panels_(panels) {}

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
    void meeting_tab(App_state& app);
    void moderation_tab(App_state& app);
    void code_panel(App_state& app);
    void agenda_panel(App_state& app);
    void timer_panel(App_state& app);
    void people_panel(App_state& app);
    void room_panel(App_state& app);
    void attention_panel(App_state& app);
    void agenda_editor(App_state& app);
    void settings_panel(App_state& app);
    void moderation_panel(App_state& app, const std::vector<Held_item>& held);
    void decline_dialog(App_state& app);

    // The panels that talk to the HTTP API (export, records, history, process): the app's
    // loop polls them and the script driver acts through them too.
    Console_panels& panels_;
    // The console's own forms and confirmations, kept between frames.
    Turns_form turns_form_;
    Qa_form qa_form_;
    Poll_form poll_form_;
    Timebox_follow timer_follow_;  // sets the timer field to each phase's, stage's or speaker's time box
    Phase_form phase_form_;
    bool confirm_close_ = false;
    std::string confirm_remove_;  // pid
    std::string consent_by_, consent_scope_;
};

}  // namespace keha::desk
