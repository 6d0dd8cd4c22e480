#pragma once
// Notes, history and the closing questionnaire (docs/protocol.md §10) as the console and the
// participant view draw them. Every HTTP call runs off the UI thread (App_state).
#include "app_state.hpp"

namespace keha::desk {

// The console's export: path, format (md/html/json), names; the notes as of `seq` (history).
void export_controls(App_state& app, std::optional<std::uint64_t> seq, const char* id);
// The identity-code warning before an export: where, and cancel or export anyway.
void export_warning(App_state& app);
// The console's History tab: a slider over the meeting's seqs.
void history_panel(App_state& app);
// The banner above the boards while they show the past.
void history_banner(App_state& app);
// The console's Process tab: the process, its meetings, the ratings across them, the report,
// and importing from an earlier meeting.
void process_panel(App_state& app);
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
