#pragma once
// The HTTP API of meeting notes, history, processes and their reports (docs/protocol.md,
// "Notes, history, processes, ratings"). Everything here reads the store, not the live room:
// what it shows is what has been acknowledged, and reading never loads a room.
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "http_api.hpp"
#include "keha/error.hpp"
#include "keha/json.hpp"
#include "keha/state.hpp"
#include "store.hpp"

namespace keha::server {

// Answers the routes of this part and returns true; false for any other request (untouched).
bool handle_meeting_api(Server_context& context, Request& request, const std::vector<std::string>& parts,
                        const std::string& query, const Responder& respond);

// The room and its facilitator's key, with the answers the export has always given:
// 404 unknown room whatever the key, 401 without a key, 403 for any other key. `what` names
// the request for the answer and the access log ("Exporting notes"); a refusal is logged.
std::variant<Room_record, Response> facilitator_room(Server_context& context, const Request& request,
                                                    const std::string& raw_code, const char* what);

// POST /api/rooms fields of this part: "process" (the id of a process made with POST
// /api/processes, which the room then belongs to — any other text stays the core protocol's
// free label) with "process_key" (that process's key or the facilitator key of one of its
// meetings: the id alone grants nothing), "team" (one of that process's teams) and "import"
// (the JSON notes of a meeting, which become the new room's first state). Fills `meta`,
// `initial_state` and `process_id` (empty for no process); an error otherwise.
std::optional<Error> room_creation_fields(Server_context& context, const json& body, Room_meta& meta,
                                         const json& room_template, std::optional<json>& initial_state,
                                         std::string& process_id);

}  // namespace keha::server
