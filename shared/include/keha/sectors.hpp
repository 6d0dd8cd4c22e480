#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "keha/json.hpp"

namespace keha {

// A timeline item's "sector" is a language-neutral key when the person picked it from the
// list (so "Koulu ja oppilashuolto" and "Skola och elevhälsa" are one sector), free text
// otherwise. Each reader sees the key's label in their own language: catalog "sector.<key>".
inline constexpr std::string_view sector_keys[] = {"child_protection", "psychiatry",  "school", "early_education",
                                                   "substance_mental", "family", "other"};

// The key of a sector: a key as it is; a label the browser offered before sectors had keys
// (Finnish, Swedish or English, as then worded) as its key; free text as written, trimmed.
std::string sector_key(std::string_view text);

// The catalog key of a sector's label ("sector.school"), or nothing for free text.
std::optional<std::string> sector_label_key(std::string_view sector);
// What a person reads: a key's label from the catalog, free text as written.
std::string sector_label(std::string_view sector, const json& catalog);

// Old rooms store the label a person picked; this turns those into keys in a whole state
// (done when a room is read from the store, so every client receives keys).
void sector_keys_in(json& state);

}  // namespace keha
