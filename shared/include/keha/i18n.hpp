#pragma once
#include <string>
#include <string_view>

#include "keha/json.hpp"

namespace keha {

// A catalog is assets/i18n/<lang>.json: a flat object of "key": "text".
// Missing keys fall back to the key itself so a gap is visible, never a crash.
std::string tr(const json& catalog, std::string_view key);

inline constexpr std::string_view languages[] = {"fi", "sv", "en"};
bool is_language(std::string_view text);

// A text a person reads: free text (a string, in the one language it was written in — a
// phase the facilitator added, a room title) or a template's {"fi","sv","en"} texts, of which
// each reader gets their own language, falling back to Finnish. Server, notes and keha-desk
// all pick with this; the browser's equivalent is pick() in assets/web/i18n.js.
std::string localized(const json& text, std::string_view language);
// True for what localized reads: a string, or an object of strings by language with a Finnish one.
bool is_localized(const json& text);

}  // namespace keha
