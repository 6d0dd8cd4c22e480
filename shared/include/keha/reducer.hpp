#pragma once
#include <cstdint>
#include <string>
#include <variant>

#include "keha/error.hpp"
#include "keha/json.hpp"
#include "keha/role.hpp"

namespace keha {

struct Command {
    std::string cmd;   // "item.add"
    json args;         // an object
};

// What the room knows when the command runs: its seq (ids are derived from it, so a
// replay builds the same ids) and the server clock.
struct Context {
    std::uint64_t seq = 0;
    std::int64_t now_ms = 0;
    // What the server supplies to a command that needs data the room does not hold:
    // ratings.close the results aggregated from the anonymous answers (keha/ratings.hpp),
    // item.import the items of the earlier meeting (keha/provenance.hpp import_args).
    const json* server_input = nullptr;
};

// Applies one command to the state. On success the state is changed and the result is the
// RFC 6902 patch that made the change (empty array when nothing changed); on error the
// state is untouched.
std::variant<json, Error> apply(json& state, const Actor& actor, const Command& command,
                                const Context& context);

// Server commands, built here so the server never writes patch logic:
//   participant.join   {"name","group","role"}  -> adds participants["p<seq>"]
//   participant.online / participant.offline / participant.remove {"pid"}
inline std::string participant_id_for(std::uint64_t seq) { return "p" + std::to_string(seq); }

}  // namespace keha
