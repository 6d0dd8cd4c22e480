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

// Console: the panel and its forms (the console keeps them between frames).
// The facilitator's forms for starting turns (Turns panel of the console).
struct Turns_form {
    int kind = 0;                  // 0 reflecting team, 1 round, 2 open floor, 3 pairs
    std::string kind_for_phase;    // the phase whose turn mode chose `kind`
    // Reflecting team.
    bool by_group = true;
    int focus_group = 0, reflect_group = 2;  // professional, leader, expert, other
    std::map<std::string, int> side;         // by hand: pid -> 0 out, 1 focus, 2 reflecting
    int conversation_min = 10, reflection_min = 10, response_min = 5;
    std::string times_for;         // the phase the stage times came from
    // Round.
    bool shuffle = false;
    int per_speaker_s = 0;
    std::vector<std::string> order;  // the order shown; people not in it are added at the end
    std::map<std::string, bool> skip;
    // Pairs.
    bool random_pairs = true;
    std::vector<std::vector<std::string>> pairs;
    std::string pick;              // the first of a pair being chosen
    int half_min = 5;
};
void console_turns_panel(App_state& app, Turns_form& form);
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
