#pragma once
// The notes as JSON: {"format":"keha-notes","version":2,...} (docs/protocol.md §10.1), the
// state without hidden or held items and with names as the policy says. Internal to libkeha.
#include <string>

#include "keha/json.hpp"
#include "keha/notes.hpp"

namespace keha {

std::string notes_json(const json& state, const Notes_options& options);

}  // namespace keha
