#pragma once
// Small drawing helpers shared by the views.
#include <imgui.h>
#include <string>
#include <string_view>

#include "app_state.hpp"
#include "language_texts.hpp"

namespace keha::desk {

// The connection state as a coloured dot and a word; returns its width.
float draw_link_badge(ImDrawList* list, ImVec2 pos, const App_state& app, ImFont* font, float size);
const char* link_label(const App_state& app);
ImU32 link_colour(const App_state& app);

// The QR code for `text` with its quiet zone, `side` pixels square.
void draw_qr(ImDrawList* list, App_state& app, const std::string& text, ImVec2 pos, float side);

// A text in a rounded chip; returns its size.
ImVec2 draw_chip(ImDrawList* list, ImFont* font, float size, ImVec2 pos, std::string_view text, ImU32 bg, ImU32 fg);

// The remaining time of the room's timer, "" when idle.
std::string timer_text(const App_state& app, bool* overdue = nullptr, bool* paused = nullptr);

// Text helpers for the item fields.
std::string field(const json& item, const char* key);
// Opens the edit dialog on an item, its fields copied into the draft.
void open_item_editor(App_state& app, const std::string& board, const std::string& id, const json& item);

// Those waiting in the lobby, each with Admit and Refuse (participant.admit, .remove): in the
// console's attention panel and in the list the status bar's waiting count opens.
void lobby_list(App_state& app);

// A help line in muted colour for an empty panel.
void empty_state(const char* text);
// A help text in muted colour; a panel's section title in the accent colour, underlined.
void muted(const std::string& text);
void section(const App_state& app, const char* text);

}  // namespace keha::desk
