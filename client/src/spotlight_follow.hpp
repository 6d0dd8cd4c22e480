#pragma once
// Where the facilitator's spotlight takes this window, and back (docs/protocol.md §8.4,
// "Spotlight"): on a new spotlight the board tab goes to its board (the board shown before the
// first one is kept); on release it goes back to that board. No window here, so it is tested
// on its own.
#include <cstdint>
#include <optional>
#include <string>

#include "keha/json.hpp"

namespace keha::desk {

class Spotlight_follow {
public:
    // Each frame, with the room's state and the board in view: the board to show now, when
    // the spotlight was set (again) or released; nothing otherwise.
    std::optional<std::string> observe(const json& state, const std::string& shown);
    // Whether the spotlit item (or column) is still to be scrolled to; true once per new spotlight.
    bool take_scroll();
    bool following() const { return at_.has_value(); }

private:
    std::optional<std::int64_t> at_;  // the `at` of the spotlight followed
    std::string saved_;               // the board shown before it
    bool scroll_ = false;
};

}  // namespace keha::desk
