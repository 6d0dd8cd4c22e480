#pragma once
// TLS for the tests: self-signed certificates made with the openssl command into a temporary
// folder, HTTPS requests and a WSS client that trust only such a certificate, and the serial
// of the certificate a server presents in a fresh handshake.
#include <nlohmann/json.hpp>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/http_client.hpp"

namespace keha::itest {

struct Test_certificate {
    std::filesystem::path cert, key;
    std::string serial;  // upper-case hex, as `openssl x509 -serial` prints it
};

// A self-signed certificate for localhost and 127.0.0.1 with this serial (hex digits), written
// as `name`.crt and `name`.key in `dir`. Throws if openssl fails.
Test_certificate make_certificate(const std::filesystem::path& dir, const std::string& name, const std::string& serial);

using Headers = std::vector<std::pair<std::string, std::string>>;

// One request over HTTPS to 127.0.0.1:port, verifying the server against `ca_file`.
Http_answer https_request(std::uint16_t port, const std::filesystem::path& ca_file, const std::string& method,
                          const std::string& target, const std::string& body = {}, const Headers& headers = {});

// The serial of the certificate the server shows in a new handshake (verified against `ca_file`).
std::string presented_serial(std::uint16_t port, const std::filesystem::path& ca_file);

// A WebSocket over TLS to /ws on 127.0.0.1:port; every wait is bounded.
class Wss_client {
public:
    Wss_client(std::uint16_t port, const std::filesystem::path& ca_file);
    void send(const nlohmann::json& message);
    std::optional<nlohmann::json> recv(std::chrono::milliseconds timeout = std::chrono::seconds(5));

private:
    boost::asio::io_context ioc_;
    boost::asio::ssl::context tls_{boost::asio::ssl::context::tls_client};
    boost::beast::websocket::stream<boost::beast::ssl_stream<boost::beast::tcp_stream>> ws_;
    boost::beast::flat_buffer buffer_;
};

}  // namespace keha::itest
