#pragma once
// Every answer of the HTTP API is built here: the headers all answers carry, JSON and text
// bodies, downloads, and errors as the same codes the WebSocket uses (keha/error.hpp) with one
// mapping from code to HTTP status.
#include <functional>
#include <string>
#include <string_view>

#include "keha/error.hpp"
#include "keha/json.hpp"
#include "net.hpp"

namespace keha::server {

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
using Responder = std::function<void(Response)>;

// What an answer needs of the request it answers. Small enough to keep when the answer is
// given later (from the blocking pool or a room's strand) and the request is gone.
struct Reply_to {
    unsigned version = 11;
    bool keep_alive = false;

    Reply_to() = default;
    Reply_to(unsigned http_version, bool keep) : version(http_version), keep_alive(keep) {}
    Reply_to(const Request& request);  // NOLINT(google-explicit-constructor): every answer starts from a request
};

// The HTTP status of an error code (docs/protocol.md §2 and §4), the one place that says it.
http::status http_status(Error_code code);

// `{"error": code, "message": message}` with the code's status.
Response error_response(const Reply_to& to, Error_code code, std::string_view message);

// An error whose status says more than its code's (415 for a body that is not JSON, 405 for a
// page asked for with another method than GET), or a refusal that comes before the API and is
// named by the transport (docs/protocol.md §1: `tls_required`, `forbidden_origin`).
Response error_response(const Reply_to& to, http::status status, std::string_view code, std::string_view message);

Response json_response(const Reply_to& to, http::status status, const json& body);
// A JSON body already written as text (a stored state sent as it was stored).
Response json_text_response(const Reply_to& to, http::status status, std::string body);
// An answer that is not JSON (notes, health checks, metrics, an image), never cached.
Response text_response(const Reply_to& to, http::status status, std::string_view type, std::string body);
// A file of the browser view: cached, but asked again each time whether it changed.
Response file_response(const Reply_to& to, std::string_view type, std::string body);
// `response` as a download saved under `filename` (letters, digits, '-', '.' only).
Response attachment(Response response, const std::string& filename);

// The headers every answer carries (CSP, nosniff, no referrer).
void add_safety_headers(Response& response);

}  // namespace keha::server
