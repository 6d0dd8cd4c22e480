#pragma once
// What a bug in the server may cost: one answer, never the server or another room. Each
// entry point (an HTTP request, a WebSocket message, a room's work on its strand) catches
// whatever escapes it, logs it with log_exception and answers with `internal`.
#include <exception>
#include <string_view>

#include "http_api.hpp"
#include "keha/json.hpp"
#include "net.hpp"

namespace keha::server {

// Logs the exception in flight under `where`: its type, and what() except for JSON
// exceptions, whose what() may quote the document (meeting text); for those, their id.
void log_exception(std::string_view where, std::exception_ptr error = std::current_exception());

// "500 {"error":"internal","message":...}" for a request the server failed on.
Response internal_error_response(unsigned http_version, bool keep_alive);
// The WebSocket `error` with code `internal` answering the message with `id`.
Shared_text internal_error_message(const json& id);

}  // namespace keha::server
