#include "http_session.hpp"

#include "log.hpp"
#include "server_context.hpp"
#include "websocket_session.hpp"

namespace keha::server {
namespace {

// 1 MiB: enough for the JSON notes of a large meeting imported into a new room.
constexpr std::size_t body_limit = 1024 * 1024;

}  // namespace

Http_session::Http_session(tcp::socket&& socket, Server_context& context)
    : stream_(std::move(socket)), context_(context)
{
}

void Http_session::run()
{
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Http_session::do_read, shared_from_this()));
}

void Http_session::do_read()
{
    parser_.emplace();
    parser_->body_limit(body_limit);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(std::chrono::seconds(30));
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Http_session::on_read, shared_from_this()));
}

void Http_session::on_read(beast::error_code ec, std::size_t)
{
    if (ec == http::error::end_of_stream) {
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        return;
    }
    if (ec == http::error::body_limit) {
        Request req;
        req.version(11);
        req.keep_alive(false);
        return send(error_response(req, http::status::payload_too_large, "too_large",
                                   "The request body is over 64 KiB."));
    }
    if (ec) return fail(ec, "read");

    if (websocket::is_upgrade(parser_->get())) {
        auto target = parser_->get().target();
        if (target != "/ws" && !target.starts_with("/ws?")) {
            Request req;
            req.version(11);
            return send(error_response(req, http::status::not_found, "not_found", "The WebSocket endpoint is /ws."));
        }
        stream_.expires_never();
        std::make_shared<Websocket_session>(stream_.release_socket(), context_)->run(parser_->release());
        return;
    }
    const std::string method(parser_->get().method_string());
    handle_request(context_, parser_->release(), [self = shared_from_this()](Response res) {
        net::post(self->stream_.get_executor(), [self, res = std::move(res)]() mutable { self->send(std::move(res)); });
    });
}

void Http_session::send(Response response)
{
    out_ = std::make_shared<Response>(std::move(response));
    const bool keep_alive = out_->keep_alive();
    http::async_write(stream_, *out_,
                      beast::bind_front_handler(&Http_session::on_write, shared_from_this(), keep_alive));
}

void Http_session::on_write(bool keep_alive, beast::error_code ec, std::size_t)
{
    if (ec) return fail(ec, "write");
    out_.reset();
    if (!keep_alive) {
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        return;
    }
    do_read();
}

void Http_session::fail(beast::error_code ec, const char* what)
{
    if (ec == net::error::operation_aborted || ec == beast::error::timeout || ec == net::error::eof ||
        ec == net::error::connection_reset)
        return;
    log_line("http_error", std::string(what) + ": " + ec.message());
}

}  // namespace keha::server
