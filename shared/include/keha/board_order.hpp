#pragma once
// The one order in which every view shows a board's items: the browser (its twin is
// assets/web/board_order.js), keha-desk, the notes, the process report and the imports.
// The rule is docs/protocol.md §5 "Board order".
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

void sort_in_board_order(std::vector<const json*>& items);
void sort_in_timeline_order(std::vector<const json*>& items);
// Sorts a board's items by its rule: timeline order for "timeline", board order otherwise.
void sort_board_items(std::vector<const json*>& items, std::string_view board);

}  // namespace keha
