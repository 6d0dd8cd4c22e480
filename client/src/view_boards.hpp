#pragma once
// The boards as participants work on them: the timeline in chronological order with
// sectors, the vision in three columns, the plan as a table by status, reflections.
// Add, edit, move, delete one's own items, vote, keep items private and reveal them.
#include "spotlight_follow.hpp"
#include "view.hpp"
#include "view_history.hpp"
#include "view_qa.hpp"
#include "view_polls.hpp"
#include "view_ratings.hpp"

namespace keha::desk {

class View_boards : public View {
public:
    // `history`: the console's, whose past the boards draw while the facilitator looks at it.
    explicit View_boards(History_panel& history) : history_(history) {}

protected:
    const char* window_id() const override { return "##boards"; }
    bool visible(const App_state& app) const override
    {
        return app.face == Face::console || app.face == Face::participant;
    }
    bool takes_focus(const App_state& app) const override { return app.face == Face::participant; }
    void place(const App_state& app, ImVec2 display, ImVec2& pos, ImVec2& size) const override
    {
        float left = app.face == Face::console ? console_width(app) : 0.0f;
        pos = ImVec2(left, status_bar_height(app));
        size = ImVec2(display.x - left, display.y - pos.y);
    }
    void content(App_state& app) override;

private:
    void boards(App_state& app);
    void question(App_state& app);
    void add_form(App_state& app, const std::string& board);
    void timeline(App_state& app);
    void vision(App_state& app);
    void plan(App_state& app);
    void reflections(App_state& app, const std::string& board);  // and any other list board
    void item_card(App_state& app, const std::string& board, const json& item, float width,
                   const std::vector<const json*>& siblings);
    void item_actions(App_state& app, const std::string& board, const json& item,
                      const std::vector<const json*>& siblings);
    void edit_dialog(App_state& app);
    void declined_notes(App_state& app);
    void votes_line(App_state& app, const std::string& board);

    History_panel& history_;
    std::string followed_phase_;               // the phase whose board the tab last followed
    std::map<std::string, Item_draft> drafts_;  // each board's add form, by board
    Rating_form rating_;                        // the questionnaire, until sent
    Spotlight_follow spotlight_;                // where the facilitator's spotlight takes the tab, and back
    Qa_form qa_;                                // a question being written
    Poll_answers poll_answers_;                 // quick polls' answers, until sent
};

}  // namespace keha::desk
