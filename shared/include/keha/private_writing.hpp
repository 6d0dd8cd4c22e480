#pragma once
// Private writing for a phase (docs/protocol.md §8.3, "Private writing"): while a board is private every item
// added to it is held (the §7 rules: only its author and the facilitators read it) and marked
// "awaits_reveal"; the room sees only how many notes each person has written; one board.reveal
// shows them all at once. A note its author keeps private by choice is not marked, and stays so.
#include <map>
#include <string>
#include <string_view>

#include "keha/json.hpp"

namespace keha {

// Whether private writing is on for the board (`/boards/<board>/private`).
bool board_is_private(const json& state, std::string_view board);

// The item's flag: written while its board was private, it waits for board.reveal.
inline constexpr const char* awaits_reveal = "awaits_reveal";
bool item_awaits_reveal(const json& item);

// How many notes awaiting the board's reveal each person has on it, by participant id; never
// their text, so it reads the same from any member's view (held items keep their author and
// flags there).
std::map<std::string, int> private_counts(const json& state, std::string_view board);
// All of them: the notes the board's reveal would show, and the notes leave out until then.
long long private_total(const json& state, std::string_view board);

// A new room's boards as its first phase starts them: private only the first phase's board,
// when that phase writes privately (as entering it with phase.goto would).
void start_private_writing(json& state);

// Rooms stored before private writing: every board gains "private": false and every phase
// "private_writing": false, as make_state gives them.
void private_writing_defaults(json& state);

}  // namespace keha
