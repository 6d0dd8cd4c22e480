#pragma once
// The names policy of the notes (keha/notes.hpp Notes_names): which one applies and what the
// notes call a person under it. Internal to libkeha.
#include <string>

#include "keha/json.hpp"
#include "keha/notes.hpp"

namespace keha {

// The policy the options ask for, else the room's setting "notes_names", else automatic.
Notes_names names_policy(const json& state, const Notes_options& options);
// What the notes call a participant `p` under the policy; empty under "groups".
std::string shown_name(const json& p, Notes_names names);

}  // namespace keha
