#pragma once
// The command table: every command of docs/protocol.md §6–§8, with who may send it, what the
// server supplies before it runs, and its handler. The one place a command is known: the
// reducer dispatches through it, the permissions are read from it, and the server reads what
// input to gather from it. A new command is a row here (shared/src/command_table.cpp), its
// handler and its test; the server needs no change.
#include <optional>
#include <span>
#include <string_view>

#include "keha/role.hpp"

namespace keha {

namespace detail {
struct Step;
}

// What the server supplies to a command before the reducer runs (Context::server_input),
// because the room does not hold it.
enum class Server_input {
    none,
    // The questionnaire's results, aggregated from the anonymous answers the store holds
    // (written first: the held ones, then a flush).
    rating_results,
    // The items of the earlier meeting of the same process that "from" names, with their provenance.
    earlier_meeting,
};

struct Roles {
    bool facilitator = false, participant = false, screen = false, server = false;
    constexpr bool has(Role role) const
    {
        switch (role) {
        case Role::facilitator: return facilitator;
        case Role::participant: return participant;
        case Role::screen: return screen;
        case Role::server: return server;
        }
        return false;
    }
};

struct Command_spec {
    std::string_view name;
    Roles roles;  // who may send it; ownership (an item's author) is the handler's business
    Server_input input = Server_input::none;
    bool adds_item = false;  // counts toward the server's limit of items in a room
    void (*handler)(detail::Step&) = nullptr;
};

std::span<const Command_spec> command_table();
const Command_spec* find_command(std::string_view name);

}  // namespace keha
