#pragma once
// What every part of the running server shares.
#include <atomic>

#include "address_limits.hpp"
#include "assets.hpp"
#include "client_address.hpp"
#include "net.hpp"
#include "off_io.hpp"
#include "open_connections.hpp"
#include "options.hpp"
#include "public_url.hpp"
#include "store.hpp"

namespace keha::server {

class Room_registry;
class Tls_config;

struct Server_context {
    net::io_context& ioc;
    Options options;
    Assets assets;
    Store& store;
    Blocking_pool& blocking;  // store reads and flushes, off the I/O threads (off_io.hpp)
    Room_registry* rooms = nullptr;
    std::shared_ptr<Tls_config> tls{};  // null: plain HTTP only
    Trusted_proxies trusted_proxies{};
    Wall_address wall{};  // set once the port is known, before any request
    std::atomic<bool> stopping{false};
    std::atomic<bool> draining{false};  // SIGTERM with --drain: /healthz says 503 until the server stops
    Address_limits addresses{options.limits};
    std::string metrics_token{};  // from --metrics-token-file; empty: no /metrics on the main port
    Open_connections connections{};  // closed when the server stops
};

std::int64_t now_ms();

}  // namespace keha::server
