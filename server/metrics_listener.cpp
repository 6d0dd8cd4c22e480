#include "metrics_listener.hpp"

#include <charconv>

#include "disconnects.hpp"
#include "exception_boundary.hpp"
#include "http_api.hpp"
#include "log.hpp"
#include "metrics_text.hpp"
#include "server_context.hpp"

namespace keha::server {
namespace {

// One scraper's connection: requests in turn, each answered before the next is read.
class Scrape : public std::enable_shared_from_this<Scrape> {
public:
    Scrape(tcp::socket&& socket, Server_context& context) : stream_(std::move(socket)), context_(context) {}

    void start()
    {
        listed_ = track_connection(context_.connections, shared_from_this(), stream_.get_executor());
        run();
    }

    // Closes the connection now (Open_connections); on the connection's strand.
    void close_now() { stream_.close(); }

private:
    void run()
    {
        parser_.emplace();
        parser_->body_limit(1024);
        parser_->header_limit(8 * 1024);
        stream_.expires_after(std::chrono::seconds(30));
        http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            self->on_read(ec);
        });
    }

    void on_read(beast::error_code ec)
    {
        if (ec) {
            if (!ordinary_disconnect(ec)) log_warning("metrics_error", "read: " + ec.message());
            return stream_.close();
        }
        // The scrape reads the store's sizes (a query, for some stores): on the blocking pool.
        context_.blocking.run(
            stream_.get_executor(), [self = shared_from_this()] { return self->answer(self->parser_->get()); },
            [self = shared_from_this()](Off_io_result<Response> result) { self->send(std::move(result)); });
    }

    // The exception boundary of a scrape: a fault answers 500, the listener goes on.
    void send(Off_io_result<Response> result)
    {
        const auto& req = parser_->get();
        Response res;
        if (result.error) {
            log_exception("metrics", result.error);
            res = internal_error_response(req.version(), false);
        } else {
            res = std::move(*result.value);
        }
        if (req.method() == http::verb::head) res.body().clear();
        out_ = std::make_shared<Response>(std::move(res));
        http::async_write(stream_, *out_, [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
            if (write_ec || !self->out_->keep_alive()) {
                beast::error_code ignored;
                self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
                return self->stream_.close();
            }
            self->run();
        });
    }

    Response answer(const http::request<http::string_body>& req)
    {
        std::string_view target = req.target();
        target = target.substr(0, target.find('?'));
        const bool get = req.method() == http::verb::get || req.method() == http::verb::head;
        if (target != "/metrics") return error_response(req, Error_code::not_found, "Only /metrics is here.");
        if (!get) return error_response(req, http::status::method_not_allowed, to_string(Error_code::bad_request), "Use GET.");
        return text_response(req, http::status::ok, metrics_content_type, metrics_text(context_));
    }

    beast::tcp_stream stream_;
    Server_context& context_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<Response> out_;
    Open_connections::Entry listed_;
};

}  // namespace

std::optional<tcp::endpoint> parse_endpoint(std::string_view text)
{
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    std::string_view host = text.substr(0, colon), port_text = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    unsigned port = 0;
    const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc() || end != port_text.data() + port_text.size() || port_text.empty() || port > 65535)
        return std::nullopt;
    beast::error_code ec;
    const auto address = net::ip::make_address(std::string(host), ec);
    if (ec) return std::nullopt;
    return tcp::endpoint(address, static_cast<std::uint16_t>(port));
}

Metrics_listener::Metrics_listener(Server_context& context, tcp::endpoint endpoint)
    : context_(context), acceptor_(net::make_strand(context.ioc)), pause_(acceptor_.get_executor())
{
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
}

void Metrics_listener::run() { do_accept(); }

void Metrics_listener::stop()
{
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
        beast::error_code ec;
        self->acceptor_.close(ec);
        self->pause_.cancel();
    });
}

void Metrics_listener::do_accept()
{
    acceptor_.async_accept(net::make_strand(context_.ioc), [self = shared_from_this()](beast::error_code ec,
                                                                                        tcp::socket socket) {
        if (ec == net::error::operation_aborted || !self->acceptor_.is_open()) return;
        if (!ec) {
            try {
                std::make_shared<Scrape>(std::move(socket), self->context_)->start();
            } catch (...) {
                log_exception("metrics_accept");  // the next scrape is accepted all the same
            }
            return self->do_accept();
        }
        // Out of descriptors the next accept would fail at once too: wait a little.
        self->pause_.expires_after(std::chrono::milliseconds(500));
        self->pause_.async_wait([self](beast::error_code wait_ec) {
            if (!wait_ec && self->acceptor_.is_open()) self->do_accept();
        });
    });
}

}  // namespace keha::server
