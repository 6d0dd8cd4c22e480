#include "listener.hpp"

#include "http_session.hpp"
#include "log.hpp"
#include "server_context.hpp"

namespace keha::server {

Listener::Listener(Server_context& context, tcp::endpoint endpoint)
    : context_(context), acceptor_(net::make_strand(context.ioc))
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
    if (ec) {
        log_line("accept_error", ec.message());
    } else {
        // Small frames must not wait ~40 ms for Nagle.
        socket.set_option(tcp::no_delay(true), ec);
        std::make_shared<Http_session>(std::move(socket), context_)->run();
    }
    if (acceptor_.is_open()) do_accept();
}

}  // namespace keha::server
