#include "request_limits.hpp"

#include "address_limits.hpp"
#include "client_address.hpp"
#include "message.hpp"
#include "server_context.hpp"

namespace keha::server {
namespace {

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

// Every route under /api/rooms/{code} answers unknown_room for a code no room has: a few of
// those, then a pause.
bool within_code_tries(Http_call& call, const std::string& address)
{
    auto& limits = call.ctx.addresses;
    auto verdict = limits.may_try_code(address);
    if (!verdict.allowed) {
        call.respond(too_many(call.request, verdict.retry_after_s,
                              "Too many wrong room codes from your address; wait and check the code."));
        return false;
    }
    call.respond = [&limits, address, respond = std::move(call.respond)](Response res) {
        if (says_unknown_room(res)) limits.code_failed(address);
        respond(std::move(res));
    };
    return true;
}

// An hourly allowance of rooms or processes, given back when nothing was created.
bool within_allowance(Http_call& call, const std::string& address, bool room)
{
    auto& limits = call.ctx.addresses;
    auto verdict = room ? limits.take_room(address) : limits.take_process(address);
    if (!verdict.allowed) {
        call.respond(too_many(call.request, verdict.retry_after_s,
                              room ? "Too many rooms created from your address this hour; try again later."
                                   : "Too many processes created from your address this hour; try again later."));
        return false;
    }
    call.respond = [&limits, address, room, respond = std::move(call.respond)](Response res) {
        if (res.result() != http::status::created) {
            if (room) limits.give_back_room(address);
            else limits.give_back_process(address);
        }
        respond(std::move(res));
    };
    return true;
}

}  // namespace

Response too_many_connections(const Request& req)
{
    auto res = too_many(req, 5, "Too many connections from your address; close some and try again.");
    res.keep_alive(false);
    return res;
}

bool within_limits(Http_call& call)
{
    const Route_limit limit = call.match.route ? call.match.route->limit : Route_limit::none;
    if (limit == Route_limit::none) return true;
    const std::string address = address_key(client_address(call.ctx, call.connection.peer, call.request));
    switch (limit) {
    case Route_limit::none: return true;
    case Route_limit::room_code: return within_code_tries(call, address);
    case Route_limit::create_room: return within_allowance(call, address, true);
    case Route_limit::create_process: return within_allowance(call, address, false);
    }
    return true;
}

}  // namespace keha::server
