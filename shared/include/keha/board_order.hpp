#pragma once
// The one order in which every view shows a board's items: the browser (its twin is
// assets/web/board_order.js), keha-desk, the notes, the process report and the imports.
// The rule is docs/protocol.md §5 "Board order".
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "keha/json.hpp"

namespace keha {

// Board order: `order` ascending (a number; missing or not a finite number counts as 0),
// then `created_at`, then `id`, both compared as text (byte by byte, i.e. by code point).
bool board_order_less(const json& a, const json& b);

// A timeline `when` that is a date: exactly YYYY, YYYY-MM or YYYY-MM-DD (month 01–12,
// day 01–31), nothing around it.
bool is_iso_when(std::string_view when);

// Timeline order: items whose `when` is a date first, by `when` as text ("2021" < "2021-03" <
// "2021-03-05"), ties in board order; then every other item in board order.
bool timeline_order_less(const json& a, const json& b);

// An item's `order` as board order reads it: a finite number, or 0 (missing, or anything else).
double order_value(const json* order);
// Where a new item goes in `column` of a board's `items`: after the last one (its order,
// rounded down, plus one; 1 in an empty column). `order_after(last)` is that place after the
// largest order `last`.
double order_after_last(const json& items, const std::string& column);
double order_after(double last);

void sort_in_board_order(std::vector<const json*>& items);
void sort_in_timeline_order(std::vector<const json*>& items);
// Sorts a board's items by its rule: timeline order for "timeline", board order otherwise.
void sort_board_items(std::vector<const json*>& items, std::string_view board);

// One place on a board as every view shows it: a group of cards (`group` set; its cards) or
// one card on its own (`group` null, one item).
struct Board_unit {
    std::string group_id;
    const json* group = nullptr;
    std::vector<const json*> items;
};

// The votes a unit counts when the board is sorted by votes: a card's `votes`; a group's own
// `votes` plus its cards' (missing or not a number: 0).
std::int64_t unit_votes(const Board_unit& unit);

// Board order with groups (docs/protocol.md §5 "Groups and sorting"). `items` are the cards to
// show (already filtered, any order), `board` the board's object in the state (its "groups" and
// "sort"), `name` the board's name. A card whose `group` names a group of the board stands in
// that group; a group stands where its first card stands, by the board's rule (timeline or board
// order), its cards in that rule too. With the board's "sort" "votes", units go by unit_votes
// from most to fewest and the cards in a group by their votes, ties keeping the order above.
std::vector<Board_unit> arrange_board(const std::vector<const json*>& items, const json& board, std::string_view name);

}  // namespace keha
