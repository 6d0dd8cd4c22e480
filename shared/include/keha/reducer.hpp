#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "keha/column_ends.hpp"
#include "keha/commands.hpp"
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
    // What the server supplies to a command that needs data the room does not hold, as its
    // row of the command table says (keha/commands.hpp Server_input): ratings.close the
    // results aggregated from the anonymous answers (keha/ratings.hpp), item.import the items
    // of the earlier meeting (keha/provenance.hpp import_args).
    const json* server_input = nullptr;
    // Where the boards' columns end, kept beside the state by whoever applies every change to
    // it (keha/column_ends.hpp); told each operation as it is applied. Null: items are read.
    Column_ends* column_ends = nullptr;
};

// What the server must do about a change beyond sending its patch (docs/protocol.md §4, §8).
// The server acts on these and never on a command's name.
struct Effects {
    enum class Resync {
        none,
        lobby,     // whoever waits in the lobby and is admitted now is let in
        everyone,  // ... and every member gets a fresh welcome: what it may see has changed
    };
    Resync resync = Resync::none;
    std::vector<std::string> removed;  // participants whose connections end (bye "removed")
    // The first participant is now the second: its connections go on as the second.
    std::optional<std::pair<std::string, std::string>> merged;
    bool room_closed = false;  // every connection ends (bye "room_closed")
    // An item (board, id) whose text leaves the stored history in the same commit (keha/erase.hpp).
    std::optional<std::pair<std::string, std::string>> erased;
    json ack = json::object();  // fields the command's ack carries besides id and seq
    // An anonymous answer the server keeps off the op log and holds until it releases several
    // together (a questionnaire's: keha/ratings.hpp rating_scores, rating_comment read it);
    // the op records only that the participant answered. `topic` says what it answers
    // ("ratings", "poll/<id>", ...), so the server releases each topic's answers together:
    // once it holds `batch` of them, all at once, through the server command `release`
    // ({"topic", "answers": [...]}, in random order). Without `release` the server's own rule
    // applies (the questionnaire's, keha/ratings.hpp).
    struct Anonymous_answer {
        std::string topic;
        json answer;
        std::string release = {};
        std::size_t batch = 0;
    };
    std::optional<Anonymous_answer> anonymous_answer;
    // The answers held under this topic are released now, however few (a poll closed) ...
    std::optional<std::string> release_held;
    // ... or dropped unread (a poll removed).
    std::optional<std::string> drop_held;
};

struct Applied {
    json patch;  // the RFC 6902 patch that made the change (an empty array when nothing changed)
    Effects effects;
};

// Applies one command to the state through its row of the command table. On success the
// state is changed; on error the state is untouched.
std::variant<Applied, Error> apply_command(json& state, const Actor& actor, const Command& command,
                                           const Context& context);

// The same, when only the patch matters (replays, tests).
std::variant<json, Error> apply(json& state, const Actor& actor, const Command& command, const Context& context);

// What apply_command checks before the command's own handler runs: that the command exists,
// the actor's role may send it, the meeting is open and the person has been let in. The
// server asks first, to know whether to gather the command's server input at all.
std::variant<const Command_spec*, Error> check_command(const json& state, const Actor& actor, std::string_view cmd);

// Why a participant who is not admitted waits: protocol::lobby_consent while the room needs
// the young person's consent, otherwise protocol::lobby_admit.
std::string_view lobby_reason(const json& state);

// Server commands, built here so the server never writes patch logic:
//   participant.join   {"name","group","role"}  -> adds participants["p<seq>"]
//   participant.online / participant.offline / participant.remove {"pid"}
inline std::string participant_id_for(std::uint64_t seq) { return "p" + std::to_string(seq); }

}  // namespace keha
