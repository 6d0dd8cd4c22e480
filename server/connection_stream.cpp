#include "connection_stream.hpp"

namespace keha::server {

beast::tcp_stream& Connection_stream::tcp()
{
    if (auto* t = std::get_if<Tls>(&stream_)) return t->stream.next_layer();
    return std::get<beast::tcp_stream>(stream_);
}

void Connection_stream::start_tls(std::shared_ptr<ssl::context> context)
{
    auto plain = std::move(std::get<beast::tcp_stream>(stream_));
    auto& ctx = *context;
    stream_.emplace<Tls>(Tls{std::move(context), Tls_stream(std::move(plain), ctx)});
}

void Connection_stream::close()
{
    tcp().close();
}

std::size_t Connection_stream::write_raw_now(const std::vector<net::const_buffer>& buffers)
{
    auto* plain = std::get_if<beast::tcp_stream>(&stream_);
    if (!plain || gate_.layer || gate_.raw) return 0;
    // Only this call writes synchronously; Asio's asynchronous operations do not depend on it.
    auto& socket = plain->socket();
    beast::error_code ec;
    if (!socket.non_blocking()) socket.non_blocking(true, ec);
    if (ec) return 0;
    const std::size_t n = socket.write_some(buffers, ec);
    return ec ? 0 : n;
}

void teardown(beast::role_type role, Connection_stream& stream, beast::error_code& ec)
{
    using beast::websocket::teardown;
    if (auto* t = std::get_if<Connection_stream::Tls>(&stream.stream_)) return teardown(role, t->stream, ec);
    teardown(role, std::get<beast::tcp_stream>(stream.stream_).socket(), ec);
}

}  // namespace keha::server
