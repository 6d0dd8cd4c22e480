#include "http_response.hpp"

namespace keha::server {
namespace {

Response make_response(const Reply_to& to, http::status status, std::string_view type, std::string body,
                       std::string_view cache)
{
    Response res{status, to.version};
    res.set(http::field::server, "keha-server");
    res.set(http::field::content_type, type);
    res.set(http::field::cache_control, cache);
    res.keep_alive(to.keep_alive);
    res.body() = std::move(body);
    res.prepare_payload();
    add_safety_headers(res);
    return res;
}

}  // namespace

Reply_to::Reply_to(const Request& request)
    : version(request.version()), keep_alive(request.keep_alive())
{
}

http::status http_status(Error_code code)
{
    switch (code) {
    case Error_code::bad_request:
    case Error_code::invalid: return http::status::bad_request;
    case Error_code::unauthorized: return http::status::unauthorized;
    case Error_code::forbidden:
    case Error_code::locked: return http::status::forbidden;
    case Error_code::not_found:
    case Error_code::unknown_room: return http::status::not_found;
    case Error_code::conflict:
    case Error_code::room_closed:
    case Error_code::listening:
    case Error_code::limit_reached: return http::status::conflict;
    case Error_code::too_large: return http::status::payload_too_large;
    case Error_code::rate_limited: return http::status::too_many_requests;
    case Error_code::internal: return http::status::internal_server_error;
    case Error_code::unavailable: return http::status::service_unavailable;
    }
    return http::status::internal_server_error;
}

Response error_response(const Reply_to& to, Error_code code, std::string_view message)
{
    return error_response(to, http_status(code), to_string(code), message);
}

Response error_response(const Reply_to& to, http::status status, std::string_view code, std::string_view message)
{
    return json_response(to, status, {{"error", code}, {"message", message}});
}

Response json_response(const Reply_to& to, http::status status, const json& body)
{
    return json_text_response(to, status, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

Response json_text_response(const Reply_to& to, http::status status, std::string body)
{
    return make_response(to, status, "application/json", std::move(body), "no-store");
}

Response text_response(const Reply_to& to, http::status status, std::string_view type, std::string body)
{
    return make_response(to, status, type, std::move(body), "no-store");
}

Response file_response(const Reply_to& to, std::string_view type, std::string body)
{
    return make_response(to, http::status::ok, type, std::move(body), "no-cache");
}

Response attachment(Response response, const std::string& filename)
{
    response.set(http::field::content_disposition, "attachment; filename=\"" + filename + "\"");
    return response;
}

void add_safety_headers(Response& res)
{
    res.set("Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
}

}  // namespace keha::server
