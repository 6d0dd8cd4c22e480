#pragma once
// The HTTP side of the server: each request read by http_session.cpp comes here, is matched
// once against the route table (http_routes.hpp), held to its address's limits
// (request_limits.hpp) and answered by its route's handler — the API of docs/protocol.md §2,
// §10 and §11, the browser view's files, the health checks. Answers may come from the
// blocking pool or a room's strand, so they are handed to `respond`, which takes the first.
#include <string>
#include <string_view>

#include "http_response.hpp"
#include "request_origin.hpp"

namespace keha::server {

struct Server_context;

// The exception boundary of a request: whatever its route throws here answers it (503 for a
// store that cannot be used, else 500) and the server goes on.
void handle_request(Server_context& context, const Connection_info& connection, Request&& request,
                    Responder respond);

// The client's address (client_address.hpp), as handle_request set it on the request (a field
// of this name sent by the client is replaced), for the access log.
inline constexpr std::string_view peer_field = "Keha-Peer";
std::string peer_of(const Request& request);

}  // namespace keha::server
