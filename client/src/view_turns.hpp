#pragma once
// Who speaks and who listens: the facilitator's Turns panel (start a reflecting team, a
// round, the open floor or pairs, and move them on), the participant's banner (speaking or
// listening now, my turn in a round, my private notes), the lobby screen, and the words
// the projector shares with them.
#include <string>

#include "app_state.hpp"

namespace keha::desk {

// A reflection's `turn` ("1:reflection", set by the server during a reflecting team) as
// "Kierros 1 · Reflektointi"; any other text as it is.
std::string turn_label(const App_state& app, const std::string& turn);
// "desk.stage.reflection".
std::string stage_key(const std::string& stage);
// "Reflecting team · cycle 1 · Reflection", "Round · 3 / 6", "Open floor", …
std::string turns_title(const App_state& app, const Turns& t);
// The guidance line for what is going on (the stage's, the round's, the pairs').
std::string turns_guidance(const App_state& app, const Turns& t);
// 0 when no time box has just ended; else a slow pulse between about 0.35 and 1.
float signal_pulse(const App_state& app);

// Console.
void console_turns_panel(App_state& app);
// Raised hands, first raised first, each with a button to lower it (and, with `give`, to
// give that person the floor); nothing when no hand is up.
void raised_hands_list(App_state& app, bool give);
// Participant view: a banner above the boards while turns run (nothing otherwise).
void participant_banner(App_state& app);
// The whole participant window while the server keeps us in the lobby.
void lobby_screen(App_state& app);

// An integer field that may be missing or null.
int int_field(const json& object, const char* key, int fallback = 0);

}  // namespace keha::desk
