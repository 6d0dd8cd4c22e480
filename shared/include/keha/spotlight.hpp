#pragma once
// Spotlight (docs/protocol.md §8.4, "Spotlight"): a facilitator puts one board, one column or one item on
// every screen and the wall; `/spotlight` is null or {"board","column"?,"item"?,"at"}.
#include <optional>
#include <string>

#include "keha/json.hpp"

namespace keha {

struct Spotlight {
    std::string board;
    std::string column;  // "" when the whole board (or an item) is spotlit
    std::string item;    // "" when not one item
};

// The spotlight in the state, or nothing when there is none (or a room from before it).
std::optional<Spotlight> spotlight_of(const json& state);

// Rooms stored before spotlight: "spotlight": null.
void spotlight_defaults(json& state);

}  // namespace keha
