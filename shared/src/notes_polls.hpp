#pragma once
// The quick polls' section of the notes (keha/polls.hpp): each poll run, how many answered,
// and its results as the state holds them. Internal to libkeha.
#include <string>

#include "keha/json.hpp"
#include "notes_writer.hpp"

namespace keha {

void write_poll_notes(Notes_writer& w, const json& state, const json& catalog, const std::string& language);

}  // namespace keha
