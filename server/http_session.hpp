#pragma once
// One HTTP connection: reads requests (bounded in size and time), answers them through the
// API, or hands the socket to a WebSocket session on /ws.
#include <memory>
#include <optional>

#include "http_api.hpp"
#include "net.hpp"

namespace keha::server {

struct Server_context;

class Http_session : public std::enable_shared_from_this<Http_session> {
public:
    Http_session(tcp::socket&& socket, Server_context& context);
    void run();

private:
    void do_read();
    void on_read(beast::error_code ec, std::size_t bytes);
    void send(Response response);
    void on_write(bool keep_alive, beast::error_code ec, std::size_t bytes);
    void fail(beast::error_code ec, const char* what);

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    Server_context& context_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<Response> out_;
};

}  // namespace keha::server
