// libFuzzer target: one WebSocket text frame as keha-server reads it (server/message.cpp):
// the strict parse, the checks every message and every "do" gets, and for a well-formed
// command the reducer run on a room as it looks mid-meeting, as a participant and as the
// facilitator. Invariants: nothing throws; every answer the server would send is JSON that
// its own strict parser reads back; a refused command leaves the room as it was.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "keha/code.hpp"
#include "message.hpp"

using namespace keha;
using namespace keha::server;
using keha::fuzz::check;

namespace {

void check_sendable(const Shared_text& text)
{
    auto back = parse_strict(*text);
    check(back && back->is_object() && back->contains("type"), "the server would send something it cannot read back: " + *text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const fuzz::Realistic_room base;
    const std::string text(reinterpret_cast<const char*>(data), size);
    Parse_problem problem{};
    auto message = parse_strict(text, &problem);
    auto type = message_type(message, problem);
    if (auto* error = std::get_if<Shared_text>(&type)) return check_sendable(*error), 0;
    const std::string& kind = std::get<std::string>(type);
    const json& m = *message;

    if (kind == "ping") {
        check_sendable(text_of({{"type", "pong"}, {"t", m.contains("t") ? m["t"] : json(nullptr)}, {"server_time", 1}}));
        return 0;
    }
    if (kind == "hello") {
        if (m.contains("room") && m["room"].is_string())
            if (auto code = normalize_code(m["room"].get<std::string>()))
                check(normalize_code(*code) == code, "a normalized code does not normalize to itself: " + *code);
        return 0;
    }
    if (kind != "do") {
        check_sendable(error_message(nullptr, Error_code::bad_request, "Unknown message type \"" + kind + "\"."));
        return 0;
    }
    auto command = read_do(m);
    if (auto* error = std::get_if<Shared_text>(&command)) return check_sendable(*error), 0;
    const auto& [id, cmd, args] = std::get<Do_message>(command);
    for (const Actor& actor : {Actor{base.people.aino, Role::participant}, Actor{base.people.facilitator, Role::facilitator}}) {
        json state = base.state;
        auto result = apply(state, actor, Command{cmd, args}, Context{base.seq + 1, base.now_ms + 1000});
        if (auto* e = std::get_if<Error>(&result)) {
            check(state == base.state, "a refused " + cmd + " changed the state");
            check_sendable(error_message(id, e->code, e->message));
        } else {
            check_sendable(text_of({{"type", "ack"}, {"id", id}, {"seq", base.seq + 1}}));
            check_sendable(text_of({{"type", "patch"}, {"seq", base.seq + 1}, {"by", actor.pid}, {"cmd", cmd},
                                    {"patch", std::get<json>(result)}}));
        }
    }
    return 0;
}
