#pragma once
// The per-address limits of HTTP requests, by the route a request matched (http_routes.hpp,
// Route_limit): creating rooms and processes (an hourly allowance) and trying room codes (a
// few wrong ones, then a pause). Past a limit the answer is 429 rate_limited with Retry-After.
#include "http_routes.hpp"

namespace keha::server {

// False when the call's address is over its route's limit: the call is then answered (429).
// True otherwise; `call.respond` then also counts the answer against the limit (a code naming
// no room, an allowance given back when nothing was created).
bool within_limits(Http_call& call);

// The answer to a request on a connection over its address's limit.
Response too_many_connections(const Request& request);

}  // namespace keha::server
