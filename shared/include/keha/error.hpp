#pragma once
#include <string>
#include <string_view>

namespace keha {

// The error codes of docs/protocol.md §4; clients translate by code. `internal`: a fault of the
// server itself (docs/protocol.md §4), never an answer to what a client got wrong.
enum class Error_code {
    bad_request, invalid, forbidden, not_found, conflict, unknown_room,
    unauthorized, locked, room_closed, rate_limited, too_large, internal,
    limit_reached,  // a room or participant is at one of the server's limits (docs/security.md)
    unavailable,    // the store cannot save or read right now (docs/security.md, "Store failures")
    listening,      // the caller listens in this reflecting-team stage: no hand, no publishing (docs/protocol.md §8)
};

std::string_view to_string(Error_code code);

struct Error {
    Error_code code;
    std::string message;  // an English sentence a person can act on
};

}  // namespace keha
