#pragma once
// The access log (docs/security.md, "The access log"): a row for every join, every opening
// of a meeting's notes, history or report, every identity-code check, every refused key and
// every unknown room code, with time and address; and its download, for a meeting's
// facilitator (GET /api/rooms/{code}/access-log) and for the organizer (GET /api/access-log).
#include <string>
#include <vector>

#include "http_api.hpp"
#include "store.hpp"

namespace keha::server {

// Appends the row, stamped now unless it has a time. Never blocks: the store commits it with
// its next batch.
void log_access(Server_context& context, Access_entry entry);
// The same for an HTTP request: its address, no participant.
void log_access(Server_context& context, const Request& request, std::string room, std::string event,
                std::string role, std::string detail = {});

// Answers the download routes and returns true; false for any other request.
bool handle_access_log_api(Server_context& context, const Request& request, const std::vector<std::string>& parts,
                           const std::string& query, const Responder& respond);

// The rows as CSV (RFC 4180, a header line first); a cell a spreadsheet would run as a
// formula starts with an apostrophe.
std::string access_log_csv(const std::vector<Access_entry>& rows);

}  // namespace keha::server
