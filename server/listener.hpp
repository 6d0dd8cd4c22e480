#pragma once
// Accepts connections, each on its own strand, and starts an HTTP session for it.
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

    Server_context& context_;
    tcp::acceptor acceptor_;
};

}  // namespace keha::server
