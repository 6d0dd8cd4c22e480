// The reducer: one command through its row of the command table (command_table.cpp).
#include "keha/reducer.hpp"

#include "keha/protocol.hpp"
#include "reducer_support.hpp"

namespace keha {
namespace {

using namespace detail;

std::string forbidden_message(const Actor& actor, std::string_view cmd)
{
    if (actor.role == Role::screen) return "The projector view is read-only.";
    if (actor.role == Role::server) return "This command is only for people in the room.";
    return "Only a facilitator can use " + std::string(cmd) + ".";
}

}  // namespace

namespace detail {

json* find_participant(json& state, std::string_view pid)
{
    auto& ps = state["participants"];
    auto it = ps.find(pid);
    return it == ps.end() ? nullptr : &*it;
}

json* find_item(json& state, std::string_view board, std::string_view id)
{
    auto& items = state["boards"][std::string(board)]["items"];
    auto it = items.find(id);
    return it == items.end() ? nullptr : &*it;
}

bool listening_now(const json& state, std::string_view pid)
{
    auto turns = state.find("turns");
    if (turns == state.end() || !turns->is_object() || turns->value("mode", "") != "reflecting_team") return false;
    auto listening = turns->find("listening");
    return listening != turns->end() && listening->is_array() &&
           std::find(listening->begin(), listening->end(), json(pid)) != listening->end();
}

}  // namespace detail

std::variant<const Command_spec*, Error> check_command(const json& state, const Actor& actor, std::string_view cmd)
{
    const Command_spec* spec = find_command(cmd);
    if (!spec) return Error{Error_code::bad_request, "Unknown command \"" + std::string(cmd) + "\"."};
    if (!spec->roles.has(actor.role)) return Error{Error_code::forbidden, forbidden_message(actor, cmd)};
    if (actor.role == Role::server) return spec;
    auto room = state.find("room");
    if (room != state.end() && room->is_object() && room->value("status", "open") == "closed")
        return Error{Error_code::room_closed, "The meeting has been closed; nothing can be changed any more."};
    auto people = state.find("participants");
    if (people == state.end() || !people->is_object()) return spec;
    auto me = people->find(actor.pid);
    if (me != people->end() && !me->value("admitted", true))
        return Error{Error_code::forbidden, "You are waiting in the lobby until a facilitator lets you in."};
    return spec;
}

std::variant<Applied, Error> apply_command(json& state, const Actor& actor, const Command& command,
                                           const Context& context)
{
    if (!command.args.is_object())
        return Error{Error_code::bad_request, "The \"args\" of a command must be a JSON object."};
    auto checked = check_command(state, actor, command.cmd);
    if (auto* error = std::get_if<Error>(&checked)) return *error;
    // No copy of the state: every handler checks all it reads before its first change, so a
    // refusal always leaves the state as it was (a large room stays cheap to change).
    const Args args(command.args, command.cmd);
    Patch patch(state, context.column_ends);
    Applied applied;
    Step step{state, actor, args, context, patch, applied.effects};
    try {
        std::get<const Command_spec*>(checked)->handler(step);
    } catch (const Refusal& refusal) {
        return refusal.error;
    }
    applied.patch = patch.take();
    return applied;
}

std::variant<json, Error> apply(json& state, const Actor& actor, const Command& command, const Context& context)
{
    auto result = apply_command(state, actor, command, context);
    if (auto* error = std::get_if<Error>(&result)) return *error;
    return std::move(std::get<Applied>(result).patch);
}

std::string_view lobby_reason(const json& state)
{
    return setting(state, "consent_required", false) && !consent_recorded(state) ? protocol::lobby_consent
                                                                                 : protocol::lobby_admit;
}

}  // namespace keha
