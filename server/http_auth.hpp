#pragma once
// Who may do what over HTTP: every key an HTTP request brings (the organizer key, a room's
// facilitator key, a process key, the metrics token) is checked here, with the same answers
// everywhere — 401 `unauthorized` without an Authorization header, 403 `forbidden` with a key
// that does not open what was asked for.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "http_response.hpp"
#include "store.hpp"

namespace keha::server {

struct Server_context;

// The key of an `Authorization: Bearer <key>` header; empty for none.
std::string bearer_of(const Request& request);

// A request refused for its key: the answer, and for the access log why (never the key).
struct Refusal {
    Response response;
    std::string why;
};

// 401 without an Authorization header, 403 when its bearer key does not `open` (given the key,
// possibly empty); nothing when it does. `what` starts the message ("Exporting notes"),
// `key_name` says which key would do ("the facilitator key").
std::optional<Refusal> key_refusal(const Request& request, std::string_view what, std::string_view key_name,
                                   const std::function<bool(const std::string& key)>& opens);

// What a request that needs the organizer key meets on a server that has none: creating rooms
// and processes is then open to anyone; the whole access log is then no one's.
enum class Without_organizer_key { open, closed };

// The refusal of a request that needs the organizer key (`what`: "Creating a room").
std::optional<Refusal> organizer_refusal(const Server_context& context, const Request& request, std::string_view what,
                                         Without_organizer_key without);

// The room `raw_code` names, when the request carries its facilitator key, with the answers the
// export has always given: 404 unknown room whatever the key, 401 without a key, 403 for any
// other key. `what` names the request for the answer and the access log ("Exporting notes");
// a refusal and an unknown code are logged there. Reads the store: off the I/O threads only.
std::variant<Room_record, Response> facilitator_room(Server_context& context, const Request& request,
                                                    const std::string& raw_code, std::string_view what);

}  // namespace keha::server
