#pragma once
// The items of a meeting's board that the notes and the process report show. Internal to libkeha.
#include <string_view>
#include <vector>

#include "keha/json.hpp"

namespace keha {

// The "items" object of a board of the state; an empty object when there is none.
const json& board_items(const json& state, std::string_view board);
// Items of a board that everyone may read (no held ones; an original an editable copy stands
// for left out), optionally of one column, in the board's order (keha/board_order.hpp).
std::vector<const json*> readable_items(const json& state, std::string_view board, std::string_view column = {});

}  // namespace keha
