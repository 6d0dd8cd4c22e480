#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "limits.hpp"

namespace keha::server {

struct Options {
    std::uint16_t port = 8080;
    std::string bind = "0.0.0.0";
    std::string db = "./keha.db";
    std::string assets;          // empty: found next to the program or in the source tree
    std::string organizer_key;   // empty: anyone may create rooms
    std::string organizer_key_file;  // the key's first line, instead of --organizer-key
    std::string tls_cert, tls_key;   // PEM files; both set: HTTPS and WSS on the port
    std::vector<std::string> trusted_proxies;  // addresses or CIDR networks whose X-Forwarded-* count
    std::vector<std::string> allowed_origins;  // browser origins besides the server's own
    std::string public_url;      // what the wall and its QR code give participants (public_url.hpp); empty: the LAN address
    unsigned threads = 0;        // 0: one per core
    std::size_t queue_limit = 1024;   // messages waiting for one slow member
    double rate_per_s = 200;          // sustained messages per member
    double rate_burst = 400;
    unsigned snapshot_every = 200;    // ops between snapshots
    unsigned idle_unload_s = 60;      // a room with no member is unloaded after this
    unsigned drain_s = 0;             // after SIGTERM, /healthz says 503 this long before the server stops
    unsigned retention_days = 90;     // a meeting is deleted this long after it closed (or last changed)
    unsigned access_log_days = 730;   // an access-log row is deleted this long after it was written, once its meeting is gone
    Limits limits;                    // per address and per room (limits.hpp)
    std::string log_level = "info";   // error, warning, info or debug (log.hpp)
    std::string metrics_bind;         // ADDR:PORT of a plain-HTTP listener for /metrics only; empty: none
    std::string metrics_token_file;   // its first line lets /metrics be read on the main port (Bearer)
};

}  // namespace keha::server
