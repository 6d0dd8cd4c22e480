#include "client_address.hpp"

#include <stdexcept>

#include "server_context.hpp"

namespace keha::server {
namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// One X-Forwarded-For entry: an address, possibly in brackets or with a port.
std::optional<net::ip::address> parse_hop(std::string_view s)
{
    beast::error_code ec;
    auto address = net::ip::make_address(s, ec);
    if (!ec) return plain_address(address);
    if (s.starts_with('[')) {
        auto end = s.find(']');
        if (end == std::string_view::npos) return std::nullopt;
        address = net::ip::make_address(s.substr(1, end - 1), ec);
    } else if (auto colon = s.find(':'); colon != std::string_view::npos && s.find(':', colon + 1) == std::string_view::npos) {
        address = net::ip::make_address(s.substr(0, colon), ec);
    } else {
        return std::nullopt;
    }
    if (ec) return std::nullopt;
    return plain_address(address);
}

}  // namespace

Trusted_proxies::Trusted_proxies(const std::vector<std::string>& entries)
{
    for (const auto& entry : entries) {
        beast::error_code ec;
        std::string text = entry;
        if (text.find('/') == std::string::npos) {
            auto address = net::ip::make_address(text, ec);
            if (!ec) text += address.is_v4() ? "/32" : "/128";
        }
        ec = {};
        auto v4 = net::ip::make_network_v4(text, ec);
        if (!ec) {
            v4_.push_back(v4.canonical());
            continue;
        }
        ec = {};
        auto v6 = net::ip::make_network_v6(text, ec);
        if (!ec) {
            v6_.push_back(v6.canonical());
            continue;
        }
        throw std::invalid_argument("--trusted-proxy \"" + entry +
                                    "\" is neither an address nor a network like 10.0.0.0/8");
    }
}

bool Trusted_proxies::contains(const net::ip::address& raw) const
{
    const auto address = plain_address(raw);
    if (address.is_v4()) {
        for (const auto& n : v4_)
            if (net::ip::network_v4(address.to_v4(), n.prefix_length()).canonical() == n) return true;
        return false;
    }
    for (const auto& n : v6_)
        if (net::ip::network_v6(address.to_v6(), n.prefix_length()).canonical() == n) return true;
    return false;
}

net::ip::address plain_address(const net::ip::address& address)
{
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        return net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
    return address;
}

net::ip::address client_address(const Server_context& context, const net::ip::address& peer,
                                 const http::fields& headers)
{
    return client_address(context.trusted_proxies, peer, headers);
}

net::ip::address client_address(const Trusted_proxies& proxies, const net::ip::address& peer,
                                const http::fields& headers)
{
    auto client = plain_address(peer);
    if (!proxies.contains(client)) return client;
    // Every proxy appends the address it heard from; walk back from the nearest hop and stop
    // at the first one that is not a trusted proxy (or that cannot be read).
    std::vector<std::string_view> hops;
    auto [first, last] = headers.equal_range("X-Forwarded-For");
    for (auto it = first; it != last; ++it) {
        std::string_view value = it->value();
        while (!value.empty()) {
            auto comma = value.find(',');
            hops.push_back(trim(value.substr(0, comma)));
            value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
        }
    }
    for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
        auto address = parse_hop(*hop);
        if (!address) break;
        client = *address;
        if (!proxies.contains(client)) break;
    }
    return client;
}

}  // namespace keha::server
