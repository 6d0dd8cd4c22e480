#pragma once
// Quick polls (docs/protocol.md §8.1) in keha-desk: the facilitator's launcher and controls,
// a person's answer form, and the poll on the wall (a word cloud sized by count).
#include <map>
#include <set>
#include <string>

#include <imgui.h>

#include "app_state.hpp"
#include "theme.hpp"

namespace keha::desk {

// The facilitator's short form for a new poll.
struct Poll_form {
    int kind = 0;  // choice, scale, words
    std::string question, options;  // options: one a line
    bool multiple = false, about_self = false, reveal = false;
};
void polls_console_panel(App_state& app, Poll_form& form);

// A person's answers being given, by poll id, until sent.
struct Poll_answers {
    std::map<std::string, std::set<int>> choices;
    std::map<std::string, int> values;
    std::map<std::string, std::string> words;  // as typed: words split by commas
    std::set<std::string> sent;
};
void polls_participant_panel(App_state& app, Poll_answers& answers);

// The poll on the wall, in [min, max): its question, how many answered, the results once
// shown. False when no poll is on the wall (the board is drawn instead).
bool draw_wall_poll(App_state& app, ImDrawList* list, const theme::Wall_palette& wall, ImVec2 min, ImVec2 max);

}  // namespace keha::desk
