#pragma once
// /readyz: whether this server can do its work now, for a supervisor or a load balancer.
// /healthz: whether the process answers and is not draining. The routes /healthz, /readyz and
// /metrics are answered by health.cpp's handlers (http_handlers.hpp).
#include "http_response.hpp"

namespace keha::server {

struct Server_context;

// 200 "ready" when the store can write (Store::check_writable) and the assets the pages need
// are there; otherwise 503 with one line that says which, never a path.
void answer_readiness(Server_context& context, const Request& request, const Responder& respond);

}  // namespace keha::server
