#pragma once
// Items carried from one meeting of a process into a later one (the leaders' meeting starts
// with the professionals' timeline and plan). An imported item keeps where it came from in
// "source" and is read-only ("readonly": true) until a facilitator makes an editable copy
// (item.copy).
//
//   "source": {"team", "meeting", "code", "item", "at", "origin"}
//     team     the team of the meeting it came from (null when that room had none)
//     meeting  that meeting's title;  code  its room code;  item  its id there
//     at       when that meeting was created (ISO 8601)
//     origin   "CODE/id" of the very first item in a chain of imports and copies
#include <string>
#include <vector>

#include "keha/json.hpp"
#include "keha/state.hpp"

namespace keha {

// What the server supplies to item.import (Context::server_input): the readable items (not
// hidden, not held for moderation) of `boards` of `source_state`, with their provenance:
// {"items":[{"board","column","text","fields":{...},"source":{...}}], "readonly": readonly}.
json import_args(const json& source_state, const std::vector<std::string>& boards, bool readonly = true);

// The first state of a new room made from a meeting's JSON notes (keha/notes.hpp; check them
// with check_notes_json first): the template's state for `meta`, with the notes' phases and
// every item of their boards, renamed ("m" + id, links kept), editable, and with the meeting
// they came from as "source". Participants, votes and questionnaire answers stay behind.
json state_from_notes(const json& notes, const Room_meta& meta, const json& room_template);

// "CODE/id" of the first item of an item's chain of imports, or of the item itself.
std::string origin_of(const json& item, std::string_view room_code);

}  // namespace keha
