#pragma once
// The address a request comes from, decided in one place: the TCP peer, or, when the peer is
// one of the trusted proxies (--trusted-proxy), the client that proxy names in
// X-Forwarded-For. Per-address limits and the access log ask this, never the socket.
#include <string>
#include <vector>

#include "net.hpp"

namespace keha::server {

struct Server_context;

// Addresses and networks (CIDR, e.g. 10.0.0.0/8 or fd00::/8) whose forwarded headers are believed.
class Trusted_proxies {
public:
    Trusted_proxies() = default;
    // Throws std::invalid_argument naming an entry that is neither an address nor a network.
    explicit Trusted_proxies(const std::vector<std::string>& entries);
    bool contains(const net::ip::address& address) const;
    bool empty() const { return v4_.empty() && v6_.empty(); }

private:
    std::vector<net::ip::network_v4> v4_;
    std::vector<net::ip::network_v6> v6_;
};

// An IPv4 address seen through an IPv6 socket (::ffff:a.b.c.d) as the IPv4 address it is.
net::ip::address plain_address(const net::ip::address& address);

// The client address of a request that arrived over a connection from `peer`.
net::ip::address client_address(const Server_context& context, const net::ip::address& peer,
                                 const http::fields& headers);
net::ip::address client_address(const Trusted_proxies& proxies, const net::ip::address& peer,
                                 const http::fields& headers);

}  // namespace keha::server
