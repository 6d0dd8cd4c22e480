#pragma once
// Grouping cards and the timed voting session in keha-desk (docs/protocol.md §8.5 "Grouping and
// voting"): a group's heading above its cards, a card's "group with…" and "take out" actions
// (keha-desk's equivalent of dragging a card onto another), and the voting line above a board.
#include <imgui.h>

#include <string>

#include "app_state.hpp"
#include "theme.hpp"

namespace keha::desk {

// The running vote on `board` (the state's /voting), or nullptr.
const json* running_vote(const Document& doc, const std::string& board);
// Whether `id` (a card or a group) is in my ballot of the running vote.
bool in_my_ballot(const Document& doc, const std::string& id);
// The board's group `gid`, or nullptr.
const json* group_of_board(const Document& doc, const std::string& board, const std::string& gid);

// Above the first card of a group (cards come grouped, keha::arrange_board): its title, how many
// cards, its votes and a vote for the group; whoever may group renames it.
void group_heading(App_state& app, const std::string& board, const json& item, const json* previous);
// The wall's line above a group's first card: "title · 2 cards · 3 votes"; "" for any other card.
std::string group_label_text(const App_state& app, const std::string& board, const json& item, const json* previous);
// "Group with…" (a list of the column's other cards) and "Take out of the group".
void group_actions(App_state& app, const std::string& board, const json& item);
// A running vote: time and votes left, counts hidden, the facilitator ends it. Otherwise the
// facilitator's start (votes each, minutes) and the board's sort by votes.
void voting_line(App_state& app, const std::string& board);
// The wall's line over the board: while a vote on `board` runs, that it runs, the time left and
// that the counts are hidden until it ends; once the board is sorted by votes, that it is. At
// `min`, `width` wide; returns its bottom (min.y when there is nothing to say).
float draw_voting_wall(App_state& app, ImDrawList* list, ImVec2 min, float width, const theme::Wall_palette& wall,
                       const std::string& board);

}  // namespace keha::desk
