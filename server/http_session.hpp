#pragma once
// One HTTP connection: reads requests (bounded in size and time), answers them through the
// API, or hands the stream to a WebSocket session on /ws. With TLS configured it first looks
// at the first bytes: a TLS ClientHello is answered with the handshake, plain HTTP with a
// redirect to https.
#include <memory>
#include <optional>

#include "address_limits.hpp"
#include "connection_stream.hpp"
#include "http_api.hpp"
#include "net.hpp"
#include "open_connections.hpp"
#include "request_origin.hpp"

namespace keha::server {

struct Server_context;

class Http_session : public std::enable_shared_from_this<Http_session> {
public:
    // `slot` counts the connection for its address; a refused slot only gets a 429.
    Http_session(tcp::socket&& socket, Server_context& context, Connection_slot slot);
    void run();
    // Closes the connection now (Open_connections); on the session's strand.
    void close_now();

private:
    void on_detect(beast::error_code ec, bool tls);
    void on_handshake(beast::error_code ec, std::size_t used);
    void do_read();
    void on_read(beast::error_code ec, std::size_t bytes);
    void on_request();
    void send(Response response);
    void on_write(bool keep_alive, beast::error_code ec, std::size_t bytes);
    void fail(beast::error_code ec, const char* what);
    void end();

    Connection_stream stream_;
    Connection_info connection_;
    bool plain_on_tls_port_ = false;  // plain HTTP where TLS is configured: answer with a redirect
    bool head_ = false;               // the request being answered is HEAD: headers only
    beast::flat_buffer buffer_;
    Server_context& context_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<Response> out_;
    Connection_slot slot_;
    Open_connections::Entry listed_;
    bool handed_over_ = false;  // the stream now belongs to a WebSocket session
};

}  // namespace keha::server
