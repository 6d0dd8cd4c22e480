#pragma once
// The per-address limits of HTTP requests, around handle_request: creating rooms and
// processes (an hourly allowance) and trying room codes (a few wrong ones, then a pause).
// Past a limit the answer is 429 rate_limited with Retry-After.
#include <string>

#include "http_api.hpp"

namespace keha::server {

void handle_limited(Server_context& context, const Connection_info& connection, Request&& request, Responder respond);

// The answer to a request on a connection over its address's limit.
Response too_many_connections(const Request& request);

}  // namespace keha::server
