#pragma once
// The HTTP side of the server: the API of docs/protocol.md §2, the browser view's files, and
// /healthz. Answers may come from a room's strand, so they are handed to `respond`.
#include <functional>
#include <optional>

#include "net.hpp"
#include "request_origin.hpp"

namespace keha::server {

struct Server_context;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
using Responder = std::function<void(Response)>;

void handle_request(Server_context& context, const Connection_info& connection, Request&& request,
                    Responder respond);

// The headers every answer carries (CSP, nosniff, no referrer).
void add_safety_headers(Response& response);
Response error_response(const Request& request, http::status status, std::string_view code, std::string_view message);
// On a server with an organizer key, the refusal of a request to create `what` ("a room") that
// lacks it (401) or brings another (403); nothing when it may go on.
std::optional<Response> organizer_refusal(const Server_context& context, const Request& request, std::string_view what);
// An answer that is not JSON (health checks, metrics), with the same headers as every other.
Response text_response(const Request& request, http::status status, std::string_view type, std::string body);

// The client's address (client_address.hpp), as handle_request set it on the request (a field
// of this name sent by the client is replaced), for the access log.
inline constexpr std::string_view peer_field = "Keha-Peer";
std::string peer_of(const Request& request);

}  // namespace keha::server
