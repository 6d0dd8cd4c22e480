#pragma once
// The running server: its store, I/O threads, rooms, listeners and signals, held in the
// order they may go away. SIGINT or SIGTERM stops it (docs/architecture.md, "Shutdown"), after
// --drain seconds of /healthz answering 503 when that is set (docs/deployment.md, "Draining a node"):
// nothing new is accepted, every member gets bye server_shutdown, work in flight finishes,
// the connections still open are closed, and run() returns once the I/O threads have
// nothing left to do; then every part is destroyed, the store last.
#include <memory>
#include <string>

#include "assets.hpp"
#include "client_address.hpp"
#include "net.hpp"
#include "off_io.hpp"
#include "options.hpp"
#include "retention.hpp"
#include "room_registry.hpp"
#include "server_context.hpp"
#include "store.hpp"

namespace keha::server {

class Listener;
class Metrics_listener;
class Tls_config;

// What serving reads before anything listens (startup.hpp).
struct Server_parts {
    Assets assets;
    std::unique_ptr<Store> store;
    std::shared_ptr<Tls_config> tls;  // null: plain HTTP
    Trusted_proxies proxies;
    std::string metrics_token;
};

class Server {
public:
    Server(Options options, Server_parts parts);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds the listeners. On failure says why on stderr and returns false.
    bool listen();
    // Starts accepting, the sweeps and the signals; logs where /metrics listens.
    void start();
    // Runs the I/O threads on this thread and others until the server has stopped.
    void run();

    const Server_context& context() const { return context_; }
    std::uint16_t port() const;

private:
    void wait_for_reload();
    void wait_for_stop();
    void drain();
    void stop();

    unsigned threads_;
    std::unique_ptr<Store> store_;  // destroyed last: it writes out what is still queued
    net::io_context ioc_;
    Blocking_pool blocking_;
    Server_context context_;
    Room_registry registry_;
    Retention_sweep retention_;
    std::shared_ptr<Listener> listener_;
    std::shared_ptr<Metrics_listener> metrics_listener_;
    net::signal_set reload_signal_;
    net::signal_set stop_signals_;
    net::steady_timer drain_;
    net::steady_timer grace_;
};

}  // namespace keha::server
