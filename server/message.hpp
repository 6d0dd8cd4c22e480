#pragma once
// Parsing what clients send and building what the server sends (docs/protocol.md §3–§4).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "keha/error.hpp"
#include "keha/json.hpp"
#include "keha/protocol.hpp"
#include "net.hpp"

namespace keha::server {

// No message or body of the protocol nests deeper than about 10 levels; a limit far above
// that keeps every later copy, comparison and dump of a parsed value from recursing
// through a hostile 100,000-level document.
inline constexpr int max_json_depth = 64;

enum class Parse_problem { none, not_json, duplicate_key, too_deep };
// What is wrong, as the end of an English sentence: "The body " + describe(p) + ".".
std::string_view describe(Parse_problem problem);

// Strict parse, the one parser of everything clients send (HTTP bodies and WebSocket
// messages): nullopt for text that is not JSON, has an object with a duplicate key (two
// parsers must never disagree on what a message says) or nests arrays and objects more than
// max_json_depth deep. `problem`, when given, says which.
std::optional<json> parse_strict(std::string_view text, Parse_problem* problem = nullptr);

// What every message must be before anything else is read from it: a JSON object with a string
// "type" (`message` and `problem` are what parse_strict gave). The type, or the error to answer.
std::variant<std::string, Shared_text> message_type(const std::optional<json>& message, Parse_problem problem);

// A "do" message checked (docs/protocol.md §3): a string, number or null "id", a string "cmd" and
// an object "args" (an empty one when missing). Or the error to answer.
struct Do_message {
    json id;
    std::string cmd;
    json args;
};
std::variant<Do_message, Shared_text> read_do(const json& message);

// A "hello" message's fields checked (docs/protocol.md §3): each one there is a string, and
// "since" a whole number. Or the error to answer. What they mean is the room's to decide.
struct Hello {
    std::optional<std::string> name, group, key, token, rejoin;
    std::optional<std::uint64_t> since;
};
std::variant<Hello, Error> read_hello(const json& message);

Shared_text error_message(const json& id, Error_code code, const std::string& message);
Shared_text bye_message(protocol::Bye_reason reason);
Shared_text text_of(const json& message);

}  // namespace keha::server
