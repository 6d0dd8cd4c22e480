#pragma once
// --metrics-bind: a listener of its own for /metrics, in plain HTTP, meant for a loopback or
// monitoring-network address a Prometheus server scrapes. It serves nothing else, so the
// meeting port's limits, origins and TLS stay out of it.
#include <memory>
#include <optional>
#include <string_view>

#include "net.hpp"

namespace keha::server {

struct Server_context;

// "127.0.0.1:9108", "[::1]:9108": the address and port; nothing for anything else.
std::optional<tcp::endpoint> parse_endpoint(std::string_view text);

class Metrics_listener : public std::enable_shared_from_this<Metrics_listener> {
public:
    // Throws boost::system::system_error when the address cannot be bound.
    Metrics_listener(Server_context& context, tcp::endpoint endpoint);
    void run();
    void stop();
    tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

private:
    void do_accept();

    Server_context& context_;
    tcp::acceptor acceptor_;
    net::steady_timer pause_;
};

}  // namespace keha::server
