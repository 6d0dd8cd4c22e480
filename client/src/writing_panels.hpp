#pragma once
// Private writing and spotlight in keha-desk (docs/protocol.md §8.3, "Private writing",
// §8.4, "Spotlight"): the panel over a private board with each person's count of notes (never their
// words; no names when the room hides them) and the facilitator's reveal; the spotlight's bar
// and buttons; and the wall's own panel, in large type.
#include <imgui.h>
#include <string>

#include "app_state.hpp"
#include "theme.hpp"

namespace keha::desk {

// Over a board in the boards view: while it is private, who has written how many notes and,
// for a facilitator, the reveal and stop; otherwise the facilitator's "write privately".
void private_writing_panel(App_state& app, const std::string& board);

// Over a board in the boards view: that the facilitator brought everyone here (and the
// release), or the facilitator's "bring everyone to this board".
void spotlight_bar(App_state& app, const std::string& board);

// A facilitator's "spotlight" on an item everyone can read (item actions).
void spotlight_item_button(App_state& app, const std::string& board, const json& item);

// Whether the spotlight names this item, or this column (with no item), of the board.
bool spotlit_item(const App_state& app, const std::string& board, const json& item);
bool spotlit_column(const App_state& app, const std::string& board, const std::string& column);

// The wall's private-writing panel at `min`, `width` wide; returns its bottom (min.y when the
// board is not private).
float draw_private_writing_wall(App_state& app, ImDrawList* list, ImVec2 min, float width,
                                const theme::Wall_palette& wall, const std::string& board);

}  // namespace keha::desk
