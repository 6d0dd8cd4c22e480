#pragma once
// /metrics: the counters of metrics.hpp and a few readings taken now, in the Prometheus text
// exposition format (version 0.0.4). Served on --metrics-bind, or on the main port to a
// Bearer token from --metrics-token-file (docs/security.md, "Metrics").
#include <string>
#include <string_view>

#include "http_api.hpp"

namespace keha::server {

inline constexpr std::string_view metrics_content_type = "text/plain; version=0.0.4; charset=utf-8";

std::string metrics_text(Server_context& context);

// /metrics on the main port: 404 without --metrics-token-file, 401 without the token, 403
// with another one.
void answer_metrics(Server_context& context, const Request& request, const Responder& respond);

}  // namespace keha::server
