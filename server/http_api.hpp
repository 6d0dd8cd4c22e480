#pragma once
// The HTTP side of the server: the API of docs/protocol.md §2, the browser view's files, and
// /healthz. Answers may come from a room's strand, so they are handed to `respond`.
#include <string>
#include <string_view>

#include "http_response.hpp"
#include "request_origin.hpp"

namespace keha::server {

struct Server_context;

void handle_request(Server_context& context, const Connection_info& connection, Request&& request,
                    Responder respond);

// The client's address (client_address.hpp), as handle_request set it on the request (a field
// of this name sent by the client is replaced), for the access log.
inline constexpr std::string_view peer_field = "Keha-Peer";
std::string peer_of(const Request& request);

}  // namespace keha::server
