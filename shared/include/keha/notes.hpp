#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keha/json.hpp"

namespace keha {

enum class Notes_format { md, html, json };
std::optional<Notes_format> notes_format_from_string(std::string_view text);
std::string_view content_type(Notes_format format);

// The notes of a room from its full state (hidden items left out), headings from the
// i18n catalog of the room's language.
std::string render_notes(const json& state, Notes_format format, const json& catalog);

// Items of the timeline in chronological order: ISO dates first by date, then the rest
// by their order on the board.
std::vector<const json*> timeline_in_order(const json& timeline_items);

}  // namespace keha
