#pragma once
// Which of a board's fields (keha::board_fields) a person fills in beside an item's text.
// A reflection's turn ("1:reflection") is the server's to stamp while a reflecting team runs;
// only a facilitator may write one by hand (for a reflection outside the turns), so a
// participant is never offered the field nor sends it.
#include <string_view>
#include <vector>

namespace keha::desk {

std::vector<std::string_view> item_fields(std::string_view board, bool facilitator);

}  // namespace keha::desk
