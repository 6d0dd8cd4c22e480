#pragma once
// The address the wall shows and the QR code encodes (docs/facilitator-guide.md, "Putting the
// wall up"): --public-url when it is given; behind a --trusted-proxy that forwards the scheme,
// the address the proxy was reached at; otherwise this machine's address on the meeting-room
// network. It never follows a plain request's Host header: the projector's browser may well
// have opened the server as localhost.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "keha/json.hpp"
#include "net.hpp"

namespace keha::server {

struct Options;
struct Server_context;
struct Connection_info;

struct Wall_address {
    std::string base;       // "http://192.168.1.20:8080", or the public URL without a trailing slash
    bool loopback = false;  // only this machine can open it (localhost, 127.x, ::1)
    bool from_public_url = false;

    std::string join_url(std::string_view code) const { return base + "/r/" + std::string(code); }
    // {"url": join URL, "address": what a person types (the base without its scheme), "loopback"}
    json join(std::string_view code) const;
};

// An English sentence when `url` is not an absolute http or https URL with a host and
// without user info, query or fragment; nothing when it is fine.
std::optional<std::string> check_public_url(std::string_view url);

// The wall's address: options.public_url (already checked), or the address the server is
// bound to — for 0.0.0.0 or ::, this machine's first non-loopback IPv4 address — with `port`.
Wall_address wall_address(const Options& options, std::uint16_t port, bool tls);

// The wall's address for one request (the wall's page, its QR code, a WebSocket's welcome):
// without --public-url and from a --trusted-proxy that sent X-Forwarded-Proto, the proxy's
// own address (X-Forwarded-Proto and X-Forwarded-Host, else Host), so a TLS-terminating
// proxy's wall says https://; in every other case `context.wall`.
Wall_address wall_address_for(const Server_context& context, const Connection_info& connection,
                              const http::fields& headers);

}  // namespace keha::server
