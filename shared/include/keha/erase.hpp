#pragma once
// Erasing a deleted item's words from a meeting's history (item.delete {"erase": true}):
// the ops and snapshots keep their place, the item's text and free-text fields become ""
// and the item says "erased": true, so a history view can show that something was there.
#include <string_view>

#include "keha/json.hpp"

namespace keha {

// Rewrites every operation of `patch` (an RFC 6902 patch) that writes the item `id` on
// `board` or one of its free-text fields; true if anything changed.
bool erase_item_in_patch(json& patch, std::string_view board, std::string_view id);

// The same for a state document holding the item; true if it held it.
bool erase_item_in_state(json& state, std::string_view board, std::string_view id);

}  // namespace keha
