#include "url.hpp"

#include <algorithm>
#include <cctype>

namespace keha::desk {

std::string Server_url::base() const
{
    std::string host_part = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    const std::string scheme = tls ? "https://" : "http://";
    return port == (tls ? "443" : "80") ? scheme + host_part : scheme + host_part + ":" + port;
}

std::optional<Server_url> parse_server_url(std::string_view text)
{
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    Server_url url;
    if (auto p = text.find("://"); p != std::string_view::npos) {
        std::string scheme(text.substr(0, p));
        std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
        if (scheme == "https" || scheme == "wss") url.tls = true;
        else if (scheme != "http" && scheme != "ws") return std::nullopt;
        if (url.tls) url.port = "443";
        text.remove_prefix(p + 3);
    }
    if (auto slash = text.find('/'); slash != std::string_view::npos) text = text.substr(0, slash);
    if (text.empty()) return std::nullopt;
    if (text.front() == '[') {  // [::1]:8080
        auto close = text.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        url.host = std::string(text.substr(1, close - 1));
        text.remove_prefix(close + 1);
        if (!text.empty()) {
            if (text.front() != ':') return std::nullopt;
            url.port = std::string(text.substr(1));
        }
    } else if (auto colon = text.rfind(':'); colon != std::string_view::npos) {
        url.host = std::string(text.substr(0, colon));
        url.port = std::string(text.substr(colon + 1));
    } else {
        url.host = std::string(text);
    }
    if (url.host.empty() || url.port.empty() || url.port.size() > 5) return std::nullopt;
    if (!std::all_of(url.port.begin(), url.port.end(), [](unsigned char c) { return std::isdigit(c); }))
        return std::nullopt;
    int port = std::stoi(url.port);
    if (port < 1 || port > 65535) return std::nullopt;
    return url;
}

std::string join_url(const Server_url& server, std::string_view code)
{
    return server.base() + "/r/" + std::string(code);
}

}  // namespace keha::desk
