#pragma once
// Questions and answers in keha-desk (docs/protocol.md §8.2): the panel of the participant
// view and of the console (ask, up-vote; the facilitator's open, close, approve, hide and
// answered), and the wall's list of the open Q&A.
#include <string>

#include "app_state.hpp"
#include "theme.hpp"

namespace keha::desk {

// What the person is writing, kept between frames.
struct Qa_form {
    std::string title;     // a new Q&A's (facilitator)
    std::string question;  // the question being written
    bool asked = false;    // says "saved, appears with others" after sending
};

// The panel: shown to participants while a Q&A is open; to facilitators always (`console`).
void qa_panel(App_state& app, Qa_form& form, bool console);

// The wall: the open Q&A in the area given, most up-voted first; false when none is open.
bool draw_qa_wall(App_state& app, ImDrawList* list, ImVec2 min, ImVec2 max, const theme::Wall_palette& wall);

}  // namespace keha::desk
