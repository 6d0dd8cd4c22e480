#pragma once
// What the desk user reads in their own language (docs/protocol.md §5.1): a template's texts
// and the timeline's sectors, whatever the room's language.
#include <string>

#include "keha/json.hpp"
#include "strings.hpp"

namespace keha::desk {

// A text of the state a person reads (a phase's title, question, card; a rating question): a
// template's texts in the user's language, free text as written (keha::localized).
std::string text_in_language(const Strings& str, const json& object, const char* key);
// A timeline item's sector as the user reads it: a list sector's label in their language.
std::string sector_text(const Strings& str, const json& item);
// What goes on the wire for a typed sector: a list sector's label (in the user's language) as its key.
std::string sector_value(const Strings& str, const std::string& typed);

}  // namespace keha::desk
