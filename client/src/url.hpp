#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace keha::desk {

// A Kehä server as the user typed it: "http://host:8080", "host:8080", "ws://host".
// Only plain HTTP: TLS is the reverse proxy's business (docs/deployment.md).
struct Server_url {
    std::string host;
    std::string port = "80";
    std::string base() const;  // "http://host:port"
};

std::optional<Server_url> parse_server_url(std::string_view text);

// The participant page a QR code points at: "http://host:port/r/K7Q4MX".
std::string join_url(const Server_url& server, std::string_view code);

}  // namespace keha::desk
