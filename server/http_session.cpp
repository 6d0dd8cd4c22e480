#include "http_session.hpp"

#include "client_address.hpp"
#include "disconnects.hpp"
#include "exception_boundary.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "http_api.hpp"
#include "request_limits.hpp"
#include "server_context.hpp"
#include "tls_config.hpp"
#include "websocket_session.hpp"

namespace keha::server {
namespace {

// 1 MiB: enough for the JSON notes of a large meeting imported into a new room.
constexpr std::size_t body_limit = 1024 * 1024;

// Browsers remember for a year to come back over https only.
constexpr const char* hsts = "max-age=31536000";

bool changes_state(http::verb method)
{
    return method != http::verb::get && method != http::verb::head && method != http::verb::options;
}

// The answer to plain HTTP on the port that speaks TLS: the same address over https.
Response to_https(const Request& req)
{
    const Reply_to answer_to(req.version(), false);
    const std::string host(req[http::field::host]);
    if (host.empty() || host.find_first_of("\"<>\\ /@") != std::string::npos)
        return error_response(answer_to, http::status::bad_request, "tls_required",
                              "This server speaks HTTPS only; open it with https://.");
    auto res = error_response(answer_to, http::status::permanent_redirect, "tls_required",
                              "This server speaks HTTPS only; open it with https://.");
    res.set(http::field::location, "https://" + host + std::string(req.target()));
    return res;
}

// "1 MiB", "64 KiB", "100 bytes": a limit as a person reads it, from the constant itself.
std::string size_text(std::size_t bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) return std::to_string(bytes / (1024 * 1024)) + " MiB";
    if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
    return std::to_string(bytes) + " bytes";
}

}  // namespace

Http_session::Http_session(tcp::socket&& socket, Server_context& context, Connection_slot slot)
    : stream_(beast::tcp_stream(std::move(socket))), context_(context), slot_(std::move(slot))
{
    beast::error_code ec;
    connection_.peer = plain_address(stream_.tcp().socket().remote_endpoint(ec).address());
}

void Http_session::run()
{
    listed_ = track_connection(context_.connections, shared_from_this(), stream_.get_executor());
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
        if (!self->context_.tls) return self->do_read();
        self->stream_.tcp().expires_after(std::chrono::seconds(30));
        beast::async_detect_ssl(self->stream_.tcp(), self->buffer_,
                                beast::bind_front_handler(&Http_session::on_detect, self));
    });
}

void Http_session::on_detect(beast::error_code ec, bool tls)
{
    if (ec) return fail(ec, "detect");
    if (!tls) {
        plain_on_tls_port_ = true;
        return do_read();
    }
    stream_.start_tls(context_.tls->current());
    connection_.tls = true;
    stream_.tls_stream().async_handshake(ssl::stream_base::server, buffer_.data(),
                                         beast::bind_front_handler(&Http_session::on_handshake, shared_from_this()));
}

void Http_session::on_handshake(beast::error_code ec, std::size_t used)
{
    if (ec) return fail(ec, "tls_handshake");
    buffer_.consume(used);
    do_read();
}

void Http_session::do_read()
{
    parser_.emplace();
    head_ = false;
    parser_->body_limit(body_limit);
    parser_->header_limit(16 * 1024);
    // A refused connection holds its descriptor only briefly.
    stream_.tcp().expires_after(std::chrono::seconds(slot_.refused() ? 5 : 30));
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Http_session::on_read, shared_from_this()));
}

void Http_session::on_read(beast::error_code ec, std::size_t)
{
    if (ec == http::error::end_of_stream) return end();
    if (ec == http::error::body_limit) {
        return send(error_response(Reply_to(11, false), Error_code::too_large, "The request body is over " + size_text(body_limit) + "."));
    }
    if (ec) return fail(ec, "read");
    // The exception boundary of what is done here before the API's own (handle_request):
    // a fault answers 500 and ends this connection; the server goes on.
    try {
        on_request();
    } catch (...) {
        log_exception("http_session");
        if (!handed_over_) send(internal_error_response(parser_->get().version(), false));
    }
}

void Http_session::on_request()
{
    if (plain_on_tls_port_) return send(to_https(parser_->get()));
    if (slot_.refused()) return send(too_many_connections(parser_->get()));

    const auto& request = parser_->get();
    head_ = request.method() == http::verb::head;
    const bool upgrade = websocket::is_upgrade(request);
    // A page on another site must not act in a meeting through the participant's browser.
    if ((upgrade || changes_state(request.method())) && !origin_allowed(context_, connection_, request)) {
        return send(error_response(Reply_to(request.version(), false), http::status::forbidden, "forbidden_origin",
                                   "Requests from this Origin are not allowed; open Kehä from its own address."));
    }
    if (upgrade) {
        auto target = request.target();
        if (target != "/ws" && !target.starts_with("/ws?")) {
            return send(error_response(Reply_to(11, true), Error_code::not_found, "The WebSocket endpoint is /ws."));
        }
        auto client = client_address(context_, connection_.peer, request);
        auto wall = wall_address_for(context_, connection_, request);
        stream_.tcp().expires_never();
        listed_.reset();  // the WebSocket session lists itself
        handed_over_ = true;
        metrics().answered(101);  // the WebSocket's accept answers the upgrade
        auto session = std::make_shared<Websocket_session>(std::move(stream_), context_, client, std::move(wall));
        session->keep(std::move(slot_));
        session->run(parser_->release());
        return;
    }
    // The answer may come from another thread (the store); until it does, a stopping server waits for it.
    handle_request(context_, connection_, parser_->release(),
                   [self = shared_from_this(), executor = keep_running(stream_.get_executor())](Response res) {
                       net::post(executor, [self, res = std::move(res)]() mutable { self->send(std::move(res)); });
                   });
}

void Http_session::send(Response response)
{
    metrics().answered(response.result_int());
    out_ = std::make_shared<Response>(std::move(response));
    if (head_) out_->body().clear();  // its Content-Length stays: the length a GET would get
    if (connection_.tls) out_->set(http::field::strict_transport_security, hsts);
    const bool keep_alive = out_->keep_alive();
    http::async_write(stream_, *out_,
                      beast::bind_front_handler(&Http_session::on_write, shared_from_this(), keep_alive));
}

void Http_session::on_write(bool keep_alive, beast::error_code ec, std::size_t)
{
    if (ec) return fail(ec, "write");
    out_.reset();
    if (!keep_alive) return end();
    do_read();
}

void Http_session::close_now()
{
    if (!handed_over_) stream_.close();
}

void Http_session::end()
{
    stream_.tcp().expires_after(std::chrono::seconds(5));
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) { self->stream_.close(); });
}

void Http_session::fail(beast::error_code ec, const char* what)
{
    if (ordinary_disconnect(ec)) return log_debug("http_closed", std::string(what) + ": " + ec.message());
    // A browser that does not accept the certificate, or a scanner speaking something else:
    // the client's doing, not a fault of the server.
    if (std::string_view(what) == "tls_handshake") return log_info("tls_handshake_failed", ec.message());
    log_error("http_error", std::string(what) + ": " + ec.message());
}

}  // namespace keha::server
