#pragma once
// Items carried from one meeting of a process into a later one (the leaders' meeting starts
// with the professionals' timeline and plan). An imported item keeps where it came from in
// "source" and is read-only ("readonly": true) until a facilitator makes an editable copy
// (item.copy).
//
//   "source": {"team", "meeting", "code", "item", "at", "origin", "first"?, "answers"?}
//     team     the team of the meeting it came from (null when that room had none)
//     meeting  that meeting's title;  code  its room code;  item  its id there
//     at       when that meeting was created (ISO 8601)
//     origin   "CODE/id" of the very first item in a chain of imports and copies
//     first    {"team","meeting","code","at"} of the meeting the chain began in, when that is
//              not the meeting it came from (A → B → C: in C, from A via B)
//     answers  a plan action's: the origin of the hinderer or enabler it answered there, so the
//              link is made again here whenever that item comes too (now or in a later import)
#include <set>
#include <string>
#include <vector>

#include "keha/json.hpp"
#include "keha/state.hpp"

namespace keha {

// What the server supplies to item.import (Context::server_input): the readable items (not
// hidden, not held for moderation) of `boards` of `source_state`, an editable copy standing
// for its original, with their provenance:
// {"items":[{"board","column","text","fields":{...},"source":{...}}], "readonly": readonly}.
json import_args(const json& source_state, const std::vector<std::string>& boards, bool readonly = true);

// The first state of a new room made from a meeting's JSON notes (keha/notes.hpp; check them
// with check_notes_json first): the template's state for `meta`, with the notes' phases and
// every item of their boards, renamed ("m" + id, links kept), editable, and with the meeting
// they came from as "source". Participants, votes and questionnaire answers stay behind.
json state_from_notes(const json& notes, const Room_meta& meta, const json& room_template);

// "CODE/id" of the first item of an item's chain of imports and copies, or of the item itself.
// With `board_items` (the items of the item's board), a copy of an item made in this meeting
// has the origin of that item.
std::string origin_of(const json& item, std::string_view room_code, const json& board_items = json());

// The ids of the items of a board ("items": {id: item}) that an editable copy stands for (a
// readable item with "copy_of" naming one of them): such an original folds away behind its copy
// on the boards, on the wall, in the notes, the report and a later import.
std::set<std::string> copied_originals(const json& board_items);

// What an item.import brought, from its patch: {column: n} for each column it added items to,
// e.g. {"event": 5, "action": 3, "hinders": 2}; {} when everything had been imported before.
json import_summary(const json& patch);

}  // namespace keha
