#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace keha {

// Number of code points, or nullopt for text that is not valid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view text);

// "2026-11-23T09:00:00Z" for epoch milliseconds.
std::string iso8601_utc(std::int64_t epoch_ms);

}  // namespace keha
