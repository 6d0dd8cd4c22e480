#pragma once
// The body of POST /api/processes read and checked (docs/protocol.md §10.4), apart from the
// request so it can be fuzzed: {"title": 1–200 characters, "teams"?: [1–100 characters,
// distinct, at most 20]}.
#include <string>
#include <string_view>
#include <variant>

#include "keha/error.hpp"
#include "keha/json.hpp"

namespace keha::server {

struct Process_body {
    std::string title;
    json teams;  // an array of distinct team names
};
// A bad body: `bad_request` or `invalid` (answered 400 {"error": code, "message": message}).
std::variant<Process_body, Error> read_process_body(std::string_view body);

}  // namespace keha::server
