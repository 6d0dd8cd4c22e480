#pragma once
// The access log (docs/security.md, "The access log"): a row for every join, every opening
// of a meeting's notes, history or report, every identity-code check, every refused key and
// every unknown room code, with time and address. Its downloads (GET /api/rooms/{code}/access-log
// for a meeting's facilitator, GET /api/access-log for the organizer) are http_access_log.cpp.
#include <string>
#include <vector>

#include "http_response.hpp"
#include "store.hpp"

namespace keha::server {

struct Server_context;

// Appends the row, stamped now unless it has a time. Never blocks: the store commits it with
// its next batch.
void log_access(Server_context& context, Access_entry entry);
// The same for an HTTP request: its address, no participant.
void log_access(Server_context& context, const Request& request, std::string room, std::string event,
                std::string role, std::string detail = {});

// The rows as CSV (RFC 4180, a header line first); a cell a spreadsheet would run as a
// formula starts with an apostrophe.
std::string access_log_csv(const std::vector<Access_entry>& rows);

}  // namespace keha::server
