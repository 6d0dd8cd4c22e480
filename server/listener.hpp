#pragma once
// Accepts connections, each on its own strand, and starts an HTTP session for it. When the
// process runs out of file descriptors it pauses accepting instead of spinning.
#include <memory>

#include "net.hpp"

namespace keha::server {

struct Server_context;

class Listener : public std::enable_shared_from_this<Listener> {
public:
    // Throws boost::system::system_error when the address cannot be bound.
    Listener(Server_context& context, tcp::endpoint endpoint);
    void run();
    void stop();
    tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

private:
    void do_accept();
    void on_accept(beast::error_code ec, tcp::socket socket);
    void start_session(tcp::socket socket);
    void back_off(const beast::error_code& ec);

    Server_context& context_;
    tcp::acceptor acceptor_;
    net::steady_timer pause_;
    int errors_in_run_ = 0;  // accept errors since the last accepted connection
};

}  // namespace keha::server
