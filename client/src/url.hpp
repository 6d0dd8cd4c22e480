#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace keha::desk {

// A Kehä server as the user typed it: "http://host:8080", "host:8080", "ws://host",
// "https://host" or "wss://host:8443" (TLS: HTTPS and WSS, the certificate checked against
// the system's CAs, or against `ca_file` when one is given).
struct Server_url {
    std::string host;
    std::string port = "80";
    bool tls = false;
    std::string ca_file;       // PEM file of the CA(s) to trust instead of the system's (--ca-file)
    std::string base() const;  // "http://host:port" or "https://host:port"
};

std::optional<Server_url> parse_server_url(std::string_view text);

// The participant page a QR code points at: "http://host:port/r/K7Q4MX".
std::string join_url(const Server_url& server, std::string_view code);

}  // namespace keha::desk
