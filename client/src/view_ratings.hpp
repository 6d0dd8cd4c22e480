#pragma once
// The closing questionnaire (docs/protocol.md §10) as the console and the participant view
// draw it: the facilitator's panel (open, close, the results, the comments' review) and a
// participant's form.
#include <map>
#include <string>

#include "app_state.hpp"

namespace keha::desk {

// The facilitator's questionnaire panel: open, close, how many answered, the results.
void ratings_console_panel(App_state& app);
// A participant's answers to the closing questionnaire, until sent.
struct Rating_form {
    std::map<std::string, int> answers;  // question id -> 0..10 (absent: not answered)
    std::string comment;
    bool sent = false;
};
// The participant's form while the questionnaire is open, and the results once published.
void ratings_participant_panel(App_state& app, Rating_form& form);

}  // namespace keha::desk
