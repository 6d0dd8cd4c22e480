#include "request_limits.hpp"

#include <vector>

#include "address_limits.hpp"
#include "client_address.hpp"
#include "message.hpp"
#include "server_context.hpp"

namespace keha::server {
namespace {

enum class Kind { other, create_room, create_process, room_code };

Kind kind_of(const Request& req)
{
    // The path's parts as handle_request splits them: empty parts are skipped.
    std::string_view path = req.target();
    path = path.substr(0, path.find('?'));
    std::vector<std::string_view> parts;
    for (std::size_t at = 0; at <= path.size() && parts.size() < 3;) {
        auto end = std::min(path.find('/', at), path.size());
        if (end > at) parts.push_back(path.substr(at, end - at));
        at = end + 1;
    }
    if (parts.size() < 2 || parts[0] != "api") return Kind::other;
    const bool post = req.method() == http::verb::post;
    if (parts[1] == "rooms" && parts.size() == 2) return post ? Kind::create_room : Kind::other;
    // Every path under /api/rooms/{code} answers unknown_room for a code no room has.
    if (parts[1] == "rooms") return Kind::room_code;
    if (parts[1] == "processes" && parts.size() == 2 && post) return Kind::create_process;
    return Kind::other;
}

Response too_many(const Request& req, int retry_after_s, std::string_view message)
{
    auto res = error_response(req, Error_code::rate_limited, message);
    res.set(http::field::retry_after, std::to_string(retry_after_s));
    return res;
}

bool says_unknown_room(const Response& res)
{
    if (res.result() != http::status::not_found) return false;
    auto body = parse_strict(res.body());
    return body && body->is_object() && body->value("error", "") == "unknown_room";
}

}  // namespace

Response too_many_connections(const Request& req)
{
    auto res = too_many(req, 5, "Too many connections from your address; close some and try again.");
    res.keep_alive(false);
    return res;
}

void handle_limited(Server_context& ctx, const Connection_info& connection, Request&& req, Responder respond)
{
    auto& limits = ctx.addresses;
    const auto kind = kind_of(req);
    if (kind == Kind::other) return handle_request(ctx, connection, std::move(req), std::move(respond));
    const std::string address = address_key(client_address(ctx, connection.peer, req));
    switch (kind) {
    case Kind::other:
        break;
    case Kind::room_code: {
        auto verdict = limits.may_try_code(address);
        if (!verdict.allowed)
            return respond(too_many(req, verdict.retry_after_s,
                                    "Too many wrong room codes from your address; wait and check the code."));
        return handle_request(ctx, connection, std::move(req), [&limits, address, respond = std::move(respond)](Response res) {
            if (says_unknown_room(res)) limits.code_failed(address);
            respond(std::move(res));
        });
    }
    case Kind::create_room:
    case Kind::create_process: {
        const bool room = kind == Kind::create_room;
        auto verdict = room ? limits.take_room(address) : limits.take_process(address);
        if (!verdict.allowed)
            return respond(too_many(req, verdict.retry_after_s,
                                    room ? "Too many rooms created from your address this hour; try again later."
                                         : "Too many processes created from your address this hour; try again later."));
        return handle_request(ctx, connection, std::move(req), [&limits, address, room, respond = std::move(respond)](Response res) {
            if (res.result() != http::status::created) {
                if (room) limits.give_back_room(address);
                else limits.give_back_process(address);
            }
            respond(std::move(res));
        });
    }
    }
}

}  // namespace keha::server
