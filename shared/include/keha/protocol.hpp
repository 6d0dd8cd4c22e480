#pragma once
// The WebSocket protocol's vocabulary, shared by keha-server and keha-desk (docs/protocol.md
// §3–§4): the version a welcome announces, the message types, the reasons of a bye. The error
// codes are keha/error.hpp's.
#include <optional>
#include <string_view>

#include "keha/error.hpp"

namespace keha::protocol {

// The protocol version every welcome carries as "protocol" (docs/protocol.md §4). It changes
// only when a client written for the old one would misread the new.
inline constexpr int version = 1;

// Message types ("type"). A client sends hello, do, ping and rejoin_code; the server answers
// with the rest, and rejoin_code.
namespace type {
inline constexpr std::string_view hello = "hello";
inline constexpr std::string_view command = "do";
inline constexpr std::string_view ping = "ping";
inline constexpr std::string_view rejoin_code = "rejoin_code";
inline constexpr std::string_view welcome = "welcome";
inline constexpr std::string_view lobby = "lobby";
inline constexpr std::string_view patch = "patch";
inline constexpr std::string_view ack = "ack";
inline constexpr std::string_view error = "error";
inline constexpr std::string_view pong = "pong";
inline constexpr std::string_view bye = "bye";
}  // namespace type

// Why the server ends a connection (bye "reason").
// moved: another keha-server node has the room now (docs/protocol.md); connecting again
// reaches it.
enum class Bye_reason { removed, room_closed, room_deleted, slow_consumer, server_shutdown, rate_limited, moved };

std::string_view to_string(Bye_reason reason);
std::optional<Bye_reason> bye_reason_from_string(std::string_view text);
// A bye after which reconnecting cannot help: the person was removed, the meeting closed or deleted.
bool is_final(Bye_reason reason);

// Why a participant waits in the lobby (lobby "reason").
inline constexpr std::string_view lobby_admit = "admit";      // a facilitator lets people in one by one
inline constexpr std::string_view lobby_consent = "consent";  // the young person's consent is not recorded yet

std::optional<Error_code> error_code_from_string(std::string_view text);

}  // namespace keha::protocol
