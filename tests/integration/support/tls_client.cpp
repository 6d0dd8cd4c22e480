#include "support/tls_client.hpp"

#include <openssl/bn.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace keha::itest {
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;

namespace {

void trust_only(ssl::context& tls, const std::filesystem::path& ca_file)
{
    tls.set_verify_mode(ssl::verify_peer);
    tls.load_verify_file(ca_file.string());
}

// Connects and handshakes (verifying the certificate for 127.0.0.1) on `stream`.
void connect_tls(beast::ssl_stream<beast::tcp_stream>& stream, std::uint16_t port)
{
    stream.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
    beast::get_lowest_layer(stream).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    stream.handshake(ssl::stream_base::client);
}

}  // namespace

Test_certificate make_certificate(const std::filesystem::path& dir, const std::string& name, const std::string& serial)
{
    Test_certificate out{dir / (name + ".crt"), dir / (name + ".key"), serial};
    std::transform(out.serial.begin(), out.serial.end(), out.serial.begin(), [](unsigned char c) { return std::toupper(c); });
    const std::string command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
                                " -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1"
                                " -set_serial 0x" + serial + " -keyout '" + out.key.string() + "' -out '" +
                                out.cert.string() + "' 2>/dev/null";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("openssl req failed: " + command);
    return out;
}

Http_answer https_request(std::uint16_t port, const std::filesystem::path& ca_file, const std::string& method,
                          const std::string& target, const std::string& body, const Headers& headers)
{
    net::io_context ioc;
    ssl::context tls(ssl::context::tls_client);
    trust_only(tls, ca_file);
    beast::ssl_stream<beast::tcp_stream> stream(ioc, tls);
    connect_tls(stream, port);

    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    req.set(http::field::user_agent, "keha-integration-test");
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty() || method == "POST") {
        if (req[http::field::content_type].empty()) req.set(http::field::content_type, "application/json");
        req.body() = body;
    }
    req.keep_alive(false);
    req.prepare_payload();
    http::write(stream, req);

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    if (method == "HEAD") parser.skip(true);
    http::read(stream, buffer, parser);
    auto res = parser.release();

    Http_answer out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
        std::string name(field.name_string());
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        out.headers[name] = std::string(field.value());
    }
    out.body = std::move(res.body());
    beast::error_code ec;
    stream.shutdown(ec);
    return out;
}

std::string presented_serial(std::uint16_t port, const std::filesystem::path& ca_file)
{
    net::io_context ioc;
    ssl::context tls(ssl::context::tls_client);
    trust_only(tls, ca_file);
    beast::ssl_stream<beast::tcp_stream> stream(ioc, tls);
    connect_tls(stream, port);
    std::unique_ptr<X509, decltype(&X509_free)> cert(SSL_get1_peer_certificate(stream.native_handle()), X509_free);
    if (!cert) throw std::runtime_error("the server showed no certificate");
    std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(ASN1_INTEGER_to_BN(X509_get_serialNumber(cert.get()), nullptr), BN_free);
    std::unique_ptr<char, void (*)(char*)> hex(BN_bn2hex(bn.get()), [](char* p) { OPENSSL_free(p); });
    beast::error_code ec;
    stream.shutdown(ec);
    return hex.get();
}

Wss_client::Wss_client(std::uint16_t port, const std::filesystem::path& ca_file) : ws_(ioc_, tls_)
{
    trust_only(tls_, ca_file);
    connect_tls(ws_.next_layer(), port);
    ws_.handshake("127.0.0.1:" + std::to_string(port), "/ws");
    ws_.text(true);
}

void Wss_client::send(const nlohmann::json& message) { ws_.write(net::buffer(message.dump())); }

std::optional<nlohmann::json> Wss_client::recv(std::chrono::milliseconds timeout)
{
    std::optional<nlohmann::json> out;
    bool done = false;
    ws_.async_read(buffer_, [&](beast::error_code ec, std::size_t) {
        done = true;
        if (ec) return;
        out = nlohmann::json::parse(beast::buffers_to_string(buffer_.data()), nullptr, false);
        buffer_.consume(buffer_.size());
    });
    ioc_.restart();
    ioc_.run_for(timeout);
    if (!done) {
        // Nothing came in time: end the connection and let the read finish aborted.
        beast::get_lowest_layer(ws_).close();
        ioc_.restart();
        ioc_.run();
    }
    return out;
}

}  // namespace keha::itest
