#include "public_url.hpp"

// Boost.URL without its compiled library: its sources are built in this one translation unit.
#include <boost/url/src.hpp>

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <memory>

#include "net.hpp"
#include "options.hpp"
#include "request_origin.hpp"
#include "server_context.hpp"

namespace keha::server {
namespace {

bool loopback_name(std::string host)
{
    for (auto& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!host.empty() && host.back() == '.') host.pop_back();
    return host == "localhost" || host.ends_with(".localhost");
}

// This machine's first non-loopback IPv4 address that is up, if it has one.
std::optional<net::ip::address_v4> lan_ipv4()
{
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return std::nullopt;
    std::unique_ptr<ifaddrs, decltype(&freeifaddrs)> owned(list, &freeifaddrs);
    for (auto* a = list; a; a = a->ifa_next) {
        if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET) continue;
        if ((a->ifa_flags & IFF_UP) == 0 || (a->ifa_flags & IFF_LOOPBACK) != 0) continue;
        const auto* in = reinterpret_cast<const sockaddr_in*>(a->ifa_addr);
        const net::ip::address_v4 address(ntohl(in->sin_addr.s_addr));
        if (!address.is_loopback() && !address.is_unspecified()) return address;
    }
    return std::nullopt;
}

bool loopback_url(const boost::urls::url_view& url)
{
    switch (url.host_type()) {
    case boost::urls::host_type::ipv4: return url.host_ipv4_address().is_loopback();
    case boost::urls::host_type::ipv6: return url.host_ipv6_address().is_loopback();
    default: return loopback_name(url.host());
    }
}

std::string host_text(const net::ip::address& address)
{
    return address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
}

}  // namespace

json Wall_address::join(std::string_view code) const
{
    const auto scheme_end = base.find("://");
    return {{"url", join_url(code)},
            {"address", scheme_end == std::string::npos ? base : base.substr(scheme_end + 3)},
            {"loopback", loopback}};
}

std::optional<std::string> check_public_url(std::string_view text)
{
    auto parsed = boost::urls::parse_absolute_uri(text);
    if (!parsed) return "must be an absolute URL like https://kokous.example.fi or http://192.168.1.20:8080";
    const auto& url = *parsed;
    const auto scheme = url.scheme_id();
    if (scheme != boost::urls::scheme::http && scheme != boost::urls::scheme::https)
        return "must start with http:// or https://";
    if (!url.has_authority() || url.encoded_host().empty()) return "needs a host name or address";
    if (url.has_userinfo()) return "must not hold a user name or password";
    if (url.has_query()) return "must not have a query (?...)";
    if (url.has_fragment()) return "must not have a fragment (#...)";
    if (url.has_port() && url.port_number() == 0) return "has a port that is not a number from 1 to 65535";
    return std::nullopt;
}

Wall_address wall_address(const Options& options, std::uint16_t port, bool tls)
{
    Wall_address out;
    if (!options.public_url.empty()) {
        out.from_public_url = true;
        out.base = options.public_url;
        while (out.base.ends_with('/')) out.base.pop_back();
        auto parsed = boost::urls::parse_absolute_uri(options.public_url);
        if (parsed) out.loopback = loopback_url(*parsed);
        return out;
    }
    boost::system::error_code ec;
    auto bound = net::ip::make_address(options.bind, ec);
    if (ec) bound = net::ip::address_v4::loopback();
    if (bound.is_unspecified()) {
        if (auto lan = lan_ipv4()) bound = *lan;
        else bound = net::ip::address_v4::loopback();
    }
    out.loopback = bound.is_loopback();
    const char* scheme = tls ? "https" : "http";
    const bool default_port = port == (tls ? 443 : 80);
    out.base = std::string(scheme) + "://" + host_text(bound) + (default_port ? "" : ":" + std::to_string(port));
    return out;
}

Wall_address wall_address_for(const Server_context& context, const Connection_info& connection,
                              const http::fields& headers)
{
    if (context.wall.from_public_url || !context.trusted_proxies.contains(connection.peer)) return context.wall;
    // A proxy that does not forward the scheme is not set up for it (nginx then sends its
    // upstream's address as Host): the server's own address is the better guess.
    if (headers.find("X-Forwarded-Proto") == headers.end()) return context.wall;
    const auto origin = request_origin(context, connection, headers);
    if (origin.host.empty()) return context.wall;
    Wall_address out;
    out.base = normalize_origin(origin.scheme + "://" + origin.host);
    auto parsed = boost::urls::parse_absolute_uri(out.base);
    if (out.base.empty() || !parsed) return context.wall;
    out.loopback = loopback_url(*parsed);
    return out;
}

}  // namespace keha::server
