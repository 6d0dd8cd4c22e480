#include "listener.hpp"

#include "exception_boundary.hpp"
#include "http_session.hpp"
#include "log.hpp"
#include "server_context.hpp"

namespace keha::server {
namespace {

// The first pause after an accept error, doubled on each error in a row up to the last.
constexpr std::chrono::milliseconds first_pause{100};
constexpr std::chrono::milliseconds longest_pause{1000};

}  // namespace

Listener::Listener(Server_context& context, tcp::endpoint endpoint)
    : context_(context), acceptor_(net::make_strand(context.ioc)), pause_(acceptor_.get_executor())
{
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
}

void Listener::run() { do_accept(); }

void Listener::stop()
{
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
        beast::error_code ec;
        self->acceptor_.close(ec);
        self->pause_.cancel();
    });
}

void Listener::do_accept()
{
    acceptor_.async_accept(net::make_strand(context_.ioc),
                           beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(beast::error_code ec, tcp::socket socket)
{
    if (ec == net::error::operation_aborted) return;
    if (ec) return back_off(ec);
    if (errors_in_run_ > 0) log_info("accept_resumed", "errors=" + std::to_string(errors_in_run_));
    errors_in_run_ = 0;
    // A fault with one connection must not stop the accepting of the next.
    try {
        start_session(std::move(socket));
    } catch (...) {
        log_exception("accept");
    }
    if (acceptor_.is_open()) do_accept();
}

void Listener::start_session(tcp::socket socket)
{
    beast::error_code ec;
    auto peer = socket.remote_endpoint(ec);
    if (ec) return;  // the peer has left already
    // Small frames must not wait ~40 ms for Nagle.
    socket.set_option(tcp::no_delay(true), ec);
    // A trusted proxy carries many clients; they are told apart by their requests.
    if (context_.trusted_proxies.contains(peer.address()))
        std::make_shared<Http_session>(std::move(socket), context_, Connection_slot())->run();
    else if (auto slot = context_.addresses.open_connection(address_key(peer.address())))
        std::make_shared<Http_session>(std::move(socket), context_, std::move(*slot))->run();
    // A socket not handed to a session is closed here (its address has too many connections
    // and refusals already).
}

void Listener::back_off(const beast::error_code& ec)
{
    // Out of file descriptors (or memory) the same accept fails at once, again and again:
    // wait, so the connections that end can free some, and say so once per run.
    if (errors_in_run_++ == 0) log_error("accept_error", ec.message() + "; accepting again after a pause");
    // A peer that left before its accept costs nothing to skip.
    if (ec == net::error::connection_aborted) return do_accept();
    auto pause = first_pause * (1 << std::min(errors_in_run_ - 1, 4));
    pause_.expires_after(std::min<std::chrono::milliseconds>(pause, longest_pause));
    pause_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
        if (!wait_ec && self->acceptor_.is_open()) self->do_accept();
    });
}

}  // namespace keha::server
