#pragma once
// Parsing what clients send and building what the server sends (PROTOCOL.md §3–§4).
#include <optional>
#include <string>
#include <string_view>

#include "keha/error.hpp"
#include "keha/json.hpp"
#include "net.hpp"

namespace keha::server {

// Strict parse: nullopt for text that is not JSON or has an object with a duplicate key
// (two parsers must never disagree on what a message says).
std::optional<json> parse_strict(std::string_view text);

Shared_text error_message(const json& id, Error_code code, const std::string& message);
Shared_text bye_message(std::string_view reason);
Shared_text text_of(const json& message);

}  // namespace keha::server
