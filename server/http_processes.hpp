#pragma once
// Processes (docs/protocol.md §10.4): what creating a room needs of them (the routes are
// http_processes.cpp's handlers, http_handlers.hpp).
#include <optional>
#include <string>

#include "keha/error.hpp"
#include "keha/json.hpp"
#include "keha/state.hpp"

namespace keha::server {

struct Server_context;

// The fields of POST /api/rooms that make the room a meeting of a process: "process" (the id
// of a process made with POST /api/processes, which the room then belongs to — any other text
// stays the core protocol's free label) with "process_key" (that process's key or the
// facilitator key of one of its meetings: the id alone grants nothing) and "team" (one of that
// process's teams). Fills `meta.process`, `meta.team` and `process_id` (empty for no process);
// an error otherwise. Reads the store: off the I/O threads only.
std::optional<Error> room_process_fields(Server_context& context, const json& body, Room_meta& meta,
                                         std::string& process_id);

}  // namespace keha::server
