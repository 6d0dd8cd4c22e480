#include "http_client.hpp"

#include <algorithm>
#include <charconv>
#include <thread>

#include "net.hpp"
#include "tls.hpp"

namespace keha::desk {
namespace {

// One request and its answer on a connected (and, for TLS, handshaken) stream.
template <class Stream>
void exchange(Stream& stream, const Server_url& server, http::verb verb, const std::string& target, std::string body,
              const std::string& content_type, const std::string& bearer, Http_response& out)
{
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, server.host + ":" + server.port);
    req.set(http::field::user_agent, "keha-desk");
    if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
    if (verb == http::verb::post) {
        req.set(http::field::content_type, content_type);
        req.body() = std::move(body);
        req.prepare_payload();
    }
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    http::read(stream, buffer, parser);
    out.status = static_cast<int>(parser.get().result_int());
    const auto retry_after = parser.get()[http::field::retry_after];
    std::from_chars(retry_after.data(), retry_after.data() + retry_after.size(), out.retry_after_s);
    out.body = std::move(parser.get().body());
}

Http_response request_once(const Server_url& server, http::verb verb, const std::string& target, std::string body,
                           const std::string& content_type, const std::string& bearer, std::chrono::seconds timeout)
{
    Http_response out;
    try {
        net::io_context ioc;
        tcp::resolver resolver(ioc);
        beast::error_code ignored;
        if (server.tls) {
            auto context = client_tls_context(server);
            Tls_stream stream(ioc, *context);
            prepare_tls(stream, server);
            beast::get_lowest_layer(stream).expires_after(timeout);
            beast::get_lowest_layer(stream).connect(resolver.resolve(server.host, server.port));
            stream.handshake(ssl::stream_base::client);
            exchange(stream, server, verb, target, std::move(body), content_type, bearer, out);
            stream.shutdown(ignored);
        } else {
            beast::tcp_stream stream(ioc);
            stream.expires_after(timeout);
            stream.connect(resolver.resolve(server.host, server.port));
            exchange(stream, server, verb, target, std::move(body), content_type, bearer, out);
            stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        }
        if (!out.ok()) {
            json error = json::parse(out.body, nullptr, false);
            out.error = error.is_object() ? error.value("error", "") : std::string();
            if (out.error.empty()) out.error = "http_" + std::to_string(out.status);
        }
    } catch (const std::exception& e) {
        out.status = 0;
        out.error = e.what();
    }
    return out;
}

// The room is moving between keha-server nodes: asked again once it has (within seconds).
Http_response request(const Server_url& server, http::verb verb, const std::string& target, const std::string& body,
                      const std::string& content_type, const std::string& bearer, std::chrono::seconds timeout)
{
    constexpr int tries = 6;
    for (int attempt = 1;; ++attempt) {
        auto out = request_once(server, verb, target, body, content_type, bearer, timeout);
        if (out.status != 503 || out.error != "moved" || attempt >= tries) return out;
        std::this_thread::sleep_for(std::chrono::seconds(std::clamp(out.retry_after_s, 1, 10)));
    }
}

}  // namespace

Http_response http_get(const Server_url& server, const std::string& target, const std::string& bearer,
                       std::chrono::seconds timeout)
{
    return request(server, http::verb::get, target, {}, {}, bearer, timeout);
}

Http_response http_delete(const Server_url& server, const std::string& target, const std::string& bearer,
                          std::chrono::seconds timeout)
{
    return request(server, http::verb::delete_, target, {}, {}, bearer, timeout);
}

Http_response http_post_json(const Server_url& server, const std::string& target, const json& body,
                             const std::string& bearer, std::chrono::seconds timeout)
{
    return request(server, http::verb::post, target, body.dump(), "application/json", bearer, timeout);
}

}  // namespace keha::desk
