#include "server.hpp"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <iostream>
#include <thread>
#include <vector>

#include "exception_boundary.hpp"
#include "listener.hpp"
#include "log.hpp"
#include "metrics_listener.hpp"
#include "tls_config.hpp"

namespace keha::server {
namespace {

// How long the members' byes have to leave before the connections still open are closed.
constexpr std::chrono::milliseconds bye_grace{300};

// This node's name among the nodes on one database: the machine's and the port's, the same
// when it starts again (docs/deployment.md, "A node that comes back").
std::string node_name(std::uint16_t port)
{
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    return std::string(host) + ":" + std::to_string(port);
}

unsigned io_threads(const Options& options)
{
    return options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

Server::Server(Options options, Server_parts parts)
    : threads_(io_threads(options)),
      store_(std::move(parts.store)),
      ioc_(static_cast<int>(threads_)),
      context_{ioc_, std::move(options), std::move(parts.assets), *store_, blocking_},
      registry_(context_),
      retention_(context_),
      reload_signal_(ioc_, SIGHUP),
      stop_signals_(ioc_, SIGINT, SIGTERM),
      drain_(ioc_),
      grace_(ioc_)
{
    context_.tls = std::move(parts.tls);
    context_.trusted_proxies = std::move(parts.proxies);
    context_.metrics_token = std::move(parts.metrics_token);
    context_.rooms = &registry_;
}

Server::~Server() = default;

std::uint16_t Server::port() const { return listener_->local_endpoint().port(); }

bool Server::listen()
{
    const auto& options = context_.options;
    try {
        listener_ = std::make_shared<Listener>(context_, tcp::endpoint(net::ip::make_address(options.bind), options.port));
    } catch (const std::exception& e) {
        std::cerr << "keha-server: cannot listen on " << options.bind << ":" << options.port << ": " << e.what()
                  << "\n(is another server running there? choose another --port)\n";
        return false;
    }
    if (options.metrics_bind.empty()) return true;
    try {
        metrics_listener_ = std::make_shared<Metrics_listener>(context_, *parse_endpoint(options.metrics_bind));
    } catch (const std::exception& e) {
        std::cerr << "keha-server: cannot listen for metrics on " << options.metrics_bind << ": " << e.what()
                  << "\n(choose another --metrics-bind)\n";
        return false;
    }
    return true;
}

void Server::start()
{
    context_.wall = wall_address(context_.options, port(), context_.tls != nullptr);
    // Before the first hello can claim a room: the leases name this node.
    registry_.start_watching_leases(node_name(port()));
    listener_->run();
    if (metrics_listener_) {
        metrics_listener_->run();
        // Before the start line: whoever waits for that line finds the metrics port too.
        const auto at = metrics_listener_->local_endpoint();
        log_info("metrics_listening", "address=" + at.address().to_string() + " port=" + std::to_string(at.port()));
    }
    registry_.start_sweeping();
    retention_.start();
    // Before the start line, which tells a supervisor that signals may come.
    wait_for_reload();
    wait_for_stop();
}

void Server::run()
{
    // The last exception boundary: each entry point has its own (exception_boundary.hpp), so
    // this only catches what slipped past them; the thread logs it and goes back to work.
    auto run_io = [this] {
        for (;;) {
            try {
                ioc_.run();
                return;
            } catch (...) {
                log_exception("io_context");
            }
        }
    };
    std::vector<std::thread> others;
    for (unsigned i = 1; i < threads_; ++i) others.emplace_back(run_io);
    run_io();
    for (auto& t : others) t.join();
    blocking_.stop();
}

// SIGHUP reads the certificate and key again (a renewed certificate); open connections stay.
void Server::wait_for_reload()
{
    reload_signal_.async_wait([this](beast::error_code ec, int) {
        if (ec) return;
        if (!context_.tls) log_warning("reload", "no --tls-cert; nothing to reload");
        else if (auto error = context_.tls->reload()) log_error("tls_reload_failed", *error + "; the old certificate stays");
        else log_info("tls_reloaded");
        wait_for_reload();
    });
}

void Server::wait_for_stop()
{
    stop_signals_.async_wait([this](beast::error_code ec, int) {
        if (ec) return;
        if (context_.options.drain_s > 0 && !context_.draining) return drain();
        stop();
    });
}

// The load balancer's health check (/healthz) sees 503 and sends new connections to other nodes
// while the members here go on; then the server stops as without --drain. A second signal stops now.
void Server::drain()
{
    log_info("draining", "seconds=" + std::to_string(context_.options.drain_s));
    context_.draining = true;
    wait_for_stop();
    drain_.expires_after(std::chrono::seconds(context_.options.drain_s));
    drain_.async_wait([this](beast::error_code ec) {
        if (!ec) stop();
    });
}

void Server::stop()
{
    log_info("stopping");
    context_.stopping = true;
    beast::error_code ignored;
    drain_.cancel();
    // A second SIGINT or SIGTERM ends the process at once: whoever sent it will not wait.
    stop_signals_.clear(ignored);
    reload_signal_.cancel(ignored);
    listener_->stop();
    if (metrics_listener_) metrics_listener_->stop();
    retention_.stop();
    registry_.shutdown();  // bye server_shutdown to every member; commits in flight finish
    grace_.expires_after(bye_grace);
    grace_.async_wait([this](beast::error_code) {
        // Whatever is still open (a member that did not answer the close, an idle HTTP
        // connection) is closed: the I/O threads then run out of work and run() returns.
        context_.connections.close_all();
    });
}

}  // namespace keha::server
