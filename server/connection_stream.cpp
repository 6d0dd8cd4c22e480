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

void teardown(beast::role_type role, Connection_stream& stream, beast::error_code& ec)
{
    using beast::websocket::teardown;
    if (auto* t = std::get_if<Connection_stream::Tls>(&stream.stream_)) return teardown(role, t->stream, ec);
    teardown(role, std::get<beast::tcp_stream>(stream.stream_).socket(), ec);
}

}  // namespace keha::server
