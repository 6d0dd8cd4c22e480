#include "http_api.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>

#include "client_address.hpp"
#include "http_routes.hpp"
#include "request_limits.hpp"
#include "server_context.hpp"

namespace keha::server {
namespace {

// Whether a request that may carry a body says it is JSON. Browsers send text/plain, form
// and multipart bodies to any origin without asking first, never application/json: a page a
// participant opens could otherwise post to the API with the participant's network position.
bool needs_json_body(const Request& req)
{
    const auto method = req.method();
    return method == http::verb::post || method == http::verb::put || method == http::verb::patch ||
           (method == http::verb::delete_ && !req.body().empty());
}

bool says_json(const Request& req)
{
    std::string type(req[http::field::content_type]);
    type = type.substr(0, type.find(';'));
    std::erase_if(type, [](char c) { return c == ' ' || c == '\t'; });
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
    return type == "application/json";
}

Response method_not_allowed(const Request& req, const std::string& allowed, std::string_view message)
{
    auto res = error_response(req, http::status::method_not_allowed, to_string(Error_code::bad_request), message);
    res.set(http::field::allow, allowed);
    return res;
}

// The route's handler, or the answer for a request no route takes (docs/protocol.md §2).
void dispatch(const Call& call)
{
    const Request& req = call->request;
    const Route_match& match = call->match;
    if (match.api && needs_json_body(req) && !says_json(req))
        return call->respond(error_response(req, http::status::unsupported_media_type, to_string(Error_code::bad_request),
                                            "API requests with a body must send it as JSON "
                                            "(Content-Type: application/json)."));
    if (match.route) return match.route->handler(call);
    if (!match.allowed.empty())
        return call->respond(method_not_allowed(req, match.allowed, "This path answers only " + match.allowed + "."));
    if (match.api) return call->respond(error_response(req, Error_code::not_found, "No such API path."));
    if (req.method() != http::verb::get && req.method() != http::verb::head)
        return call->respond(method_not_allowed(req, "GET, HEAD", "Use GET for pages."));
    call->respond(error_response(req, Error_code::not_found, "No such page."));
}

}  // namespace

std::string peer_of(const Request& req) { return std::string(req[peer_field]); }

void handle_request(Server_context& ctx, const Connection_info& connection, Request&& req, Responder respond)
{
    const Reply_to to(req);
    auto answered = std::make_shared<std::atomic<bool>>(false);
    Responder once = [answered, respond = std::move(respond)](Response res) {
        if (!answered->exchange(true)) respond(std::move(res));
    };
    Call call;
    try {
        // The handlers read the client's address (client_address.hpp) from the request;
        // whatever the client itself sent under that name is replaced.
        req.set(peer_field, client_address(ctx, connection.peer, req).to_string());
        auto match = match_route(req.method(), req.target());
        call = std::make_shared<Http_call>(Http_call{ctx, connection, std::move(req), std::move(match), once});
        if (!within_limits(*call)) return;
        dispatch(call);
    } catch (...) {
        // Through the limits' counting when they were applied (an allowance given back).
        const Responder& answer = call ? call->respond : once;
        answer(fault_response(to, std::current_exception(), "http"));
    }
}

}  // namespace keha::server
