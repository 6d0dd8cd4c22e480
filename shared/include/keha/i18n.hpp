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

}  // namespace keha
