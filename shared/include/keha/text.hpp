#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace keha {

// Number of code points, or nullopt for text that is not valid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view text);

// The length of a text a person may write (every text a command, hello, room or import
// accepts): valid UTF-8 without C0 control characters other than tab and newline (NUL and
// the rest have no business in meeting text and break what reads it). nullopt otherwise.
std::optional<std::size_t> text_length(std::string_view text);

// The text with every character that changes how the text around it is displayed (the
// bidirectional embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069) and
// every C0 control other than tab, newline and carriage return replaced by U+FFFD, so that
// a document made of meeting text cannot be made to show it reversed or cut short.
std::string neutralize_controls(std::string_view text);

// "2026-11-23T09:00:00Z" for epoch milliseconds.
std::string iso8601_utc(std::int64_t epoch_ms);

}  // namespace keha
