#pragma once
// A request's query string (the part after '?'), read one parameter at a time.
#include <optional>
#include <string>
#include <string_view>

namespace keha::server {

// The value of `key` ("" for a bare key), or nothing when the query does not name it.
std::optional<std::string> query_param(std::string_view query, std::string_view key);

}  // namespace keha::server
