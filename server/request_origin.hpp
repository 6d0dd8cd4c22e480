#pragma once
// Where a request was addressed (scheme and host, believing X-Forwarded-Proto and
// X-Forwarded-Host only from trusted proxies), and whether a browser's Origin is one of this
// server's own: the origin it was reached by, or one given with --allowed-origin.
#include <string>

#include "net.hpp"

namespace keha::server {

struct Server_context;

// What the connection tells about a request.
struct Connection_info {
    net::ip::address peer;  // the TCP peer (a proxy, when there is one)
    bool tls = false;
};

struct Request_origin {
    std::string scheme;  // "https" or "http"
    std::string host;    // host[:port] as the client named it; empty when missing or malformed
    std::string text() const { return scheme + "://" + (host.empty() ? "localhost" : host); }
};

Request_origin request_origin(const Server_context& context, const Connection_info& connection,
                              const http::fields& headers);

// True for a request without an Origin header (keha-desk, curl: not a browser acting for
// a page) and for one whose Origin is this server's own or allowed; false for any other.
bool origin_allowed(const Server_context& context, const Connection_info& connection, const http::fields& headers);

// "scheme://host[:port]" in lower case with the default port left out, or "" when `origin`
// is not of that shape (e.g. "null").
std::string normalize_origin(std::string_view origin);

}  // namespace keha::server
