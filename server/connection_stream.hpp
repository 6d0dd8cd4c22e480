#pragma once
// One accepted connection as a byte stream that is either plain TCP or TLS over TCP, so the
// HTTP and WebSocket sessions are written once for both. It starts plain; start_tls() turns
// it into TLS before the handshake. Each TLS connection keeps the certificate context it
// was accepted with, so a reload (SIGHUP) never touches a connection already open.
#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>

#include <memory>
#include <variant>

#include "net.hpp"

namespace keha::server {

namespace ssl = net::ssl;

class Connection_stream {
public:
    using executor_type = beast::tcp_stream::executor_type;
    using Tls_stream = beast::ssl_stream<beast::tcp_stream>;

    explicit Connection_stream(beast::tcp_stream&& plain) : stream_(std::move(plain)) {}
    Connection_stream(Connection_stream&&) = default;

    executor_type get_executor() { return tcp().get_executor(); }
    bool tls() const { return std::holds_alternative<Tls>(stream_); }

    // The TCP layer under whatever is on top (for timeouts, the peer's address, closing).
    beast::tcp_stream& tcp();
    // Valid only after start_tls().
    Tls_stream& tls_stream() { return std::get<Tls>(stream_).stream; }
    void start_tls(std::shared_ptr<ssl::context> context);

    void close();  // closes the socket at once; pending operations end with operation_aborted

    // Ends the connection after the last answer: close_notify for TLS, FIN for TCP.
    template <class Handler>
    void async_shutdown(Handler&& handler)
    {
        if (auto* t = std::get_if<Tls>(&stream_)) return t->stream.async_shutdown(std::forward<Handler>(handler));
        beast::error_code ec;
        tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
        net::post(get_executor(), [h = std::forward<Handler>(handler), ec]() mutable { h(ec); });
    }

    template <class Buffers, class Handler>
    void async_read_some(const Buffers& buffers, Handler&& handler)
    {
        if (auto* t = std::get_if<Tls>(&stream_)) return t->stream.async_read_some(buffers, std::forward<Handler>(handler));
        std::get<beast::tcp_stream>(stream_).async_read_some(buffers, std::forward<Handler>(handler));
    }

    template <class Buffers, class Handler>
    void async_write_some(const Buffers& buffers, Handler&& handler)
    {
        if (auto* t = std::get_if<Tls>(&stream_)) return t->stream.async_write_some(buffers, std::forward<Handler>(handler));
        std::get<beast::tcp_stream>(stream_).async_write_some(buffers, std::forward<Handler>(handler));
    }

    // What websocket::stream needs to close the connection under it.
    friend void beast_close_socket(Connection_stream& stream) { stream.close(); }
    friend void teardown(beast::role_type role, Connection_stream& stream, beast::error_code& ec);
    template <class Handler>
    friend void async_teardown(beast::role_type role, Connection_stream& stream, Handler&& handler)
    {
        using beast::websocket::async_teardown;
        if (auto* t = std::get_if<Tls>(&stream.stream_))
            return async_teardown(role, t->stream, std::forward<Handler>(handler));
        async_teardown(role, std::get<beast::tcp_stream>(stream.stream_).socket(), std::forward<Handler>(handler));
    }

private:
    struct Tls {
        std::shared_ptr<ssl::context> context;  // outlives the stream that uses it
        Tls_stream stream;
    };
    std::variant<beast::tcp_stream, Tls> stream_;
};

}  // namespace keha::server
