#include "request_origin.hpp"

#include <algorithm>
#include <cctype>

#include "client_address.hpp"
#include "server_context.hpp"

namespace keha::server {
namespace {

bool valid_host(std::string_view host)
{
    if (host.empty() || host.size() > 255) return false;
    return std::all_of(host.begin(), host.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_';
    });
}

// The last value of a header that proxies append to ("a, b"): the one the nearest proxy set.
std::string_view last_value(const http::fields& headers, std::string_view name)
{
    std::string_view value;
    auto [first, last] = headers.equal_range(name);
    for (auto it = first; it != last; ++it) value = it->value();
    if (auto comma = value.rfind(','); comma != std::string_view::npos) value = value.substr(comma + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    return value;
}

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

}  // namespace

Request_origin request_origin(const Server_context& context, const Connection_info& connection,
                              const http::fields& headers)
{
    Request_origin origin{connection.tls ? "https" : "http", std::string(headers[http::field::host])};
    if (context.trusted_proxies.contains(connection.peer)) {
        auto proto = lower(last_value(headers, "X-Forwarded-Proto"));
        if (proto == "https" || proto == "http") origin.scheme = proto;
        auto host = last_value(headers, "X-Forwarded-Host");
        if (!host.empty()) origin.host = std::string(host);
    }
    if (!valid_host(origin.host)) origin.host.clear();
    return origin;
}

std::string normalize_origin(std::string_view origin)
{
    std::string text = lower(origin);
    std::string scheme;
    if (text.starts_with("https://")) scheme = "https";
    else if (text.starts_with("http://")) scheme = "http";
    else return {};
    std::string host = text.substr(scheme.size() + 3);
    if (!host.empty() && host.back() == '/') host.pop_back();
    if (!valid_host(host)) return {};
    const std::string default_port = scheme == "https" ? ":443" : ":80";
    if (host.ends_with(default_port)) host.resize(host.size() - default_port.size());
    return scheme + "://" + host;
}

bool origin_allowed(const Server_context& context, const Connection_info& connection, const http::fields& headers)
{
    auto it = headers.find(http::field::origin);
    if (it == headers.end()) return true;
    const auto origin = normalize_origin(it->value());
    if (origin.empty()) return false;
    const auto own = request_origin(context, connection, headers);
    if (!own.host.empty() && origin == normalize_origin(own.scheme + "://" + own.host)) return true;
    for (const auto& allowed : context.options.allowed_origins)
        if (origin == normalize_origin(allowed)) return true;
    return false;
}

}  // namespace keha::server
