#pragma once
// keha-server serving, step by step: the options checked, what serving reads (assets,
// secrets, certificate, store), the listeners bound, the lines that tell an operator and a
// supervisor that it runs, then the server until it has stopped (server.hpp).
#include "options.hpp"

namespace keha::server {

// The exit status: 0 after a stop on SIGINT or SIGTERM, 1 when the server could not start,
// 2 for an option that makes no sense. `program` is argv[0] (where the assets may be).
int serve(Options options, const char* program);

}  // namespace keha::server
