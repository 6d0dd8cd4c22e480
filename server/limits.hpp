#pragma once
// Every limit that keeps one caller from taking the server or another room down, with its
// default. cli.cpp makes each an option; docs/security.md ("Limits") is the table of them.
// 0 turns a limit off (the benchmark does that).
#include <cstddef>

namespace keha::server {

struct Limits {
    // Per client address (client_address.hpp: IPv4 address, IPv6 /64).
    unsigned connections_per_address = 256;    // open TCP connections, HTTP and WebSocket
    unsigned rooms_per_hour = 60;              // POST /api/rooms: this many at once, refilled over an hour
    unsigned processes_per_hour = 20;          // POST /api/processes, the same way
    unsigned code_tries = 10;                  // unknown room codes at once...
    double code_tries_per_minute = 6;          // ...then this many a minute
    // All addresses together: an address that has tried a wrong code draws from this too.
    double code_tries_global_per_s = 2;
    unsigned code_tries_global = 60;

    // Per room (room.cpp); a facilitator is never refused for bytes, so a meeting can always
    // be closed and its notes taken.
    std::size_t room_bytes = 32u << 20;        // patches stored for the room's history
    std::size_t participant_bytes = 4u << 20;  // patches one participant's commands stored
    unsigned room_items = 5000;                // items on all boards together
    unsigned room_members = 200;               // participant connections at once
    unsigned room_participants = 500;          // people who ever joined as participants
};

}  // namespace keha::server
