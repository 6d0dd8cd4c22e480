#include "http_routes.hpp"

#include <array>

#include "exception_boundary.hpp"
#include "http_handlers.hpp"
#include "keha/protocol.hpp"
#include "log.hpp"
#include "query.hpp"
#include "server_context.hpp"
#include "store.hpp"

namespace keha::server {
namespace {

using namespace handlers;
constexpr auto get = http::verb::get, post = http::verb::post, del = http::verb::delete_;
constexpr auto code_tries = Route_limit::room_code;

constexpr std::array route_table{
    // docs/protocol.md §2: rooms, templates, health
    Route{post, "/api/rooms", create_room, Route_limit::create_room},
    Route{get, "/api/rooms/{code}", room_info, code_tries},
    Route{get, "/api/rooms/{code}/qr.svg", room_qr, code_tries},
    Route{get, "/api/templates", templates},
    Route{get, "/healthz", healthz},
    Route{get, "/readyz", readyz},
    Route{get, "/metrics", metrics},
    // §10: notes, history, processes
    Route{get, "/api/rooms/{code}/export", export_notes, code_tries},
    Route{get, "/api/rooms/{code}/export/check", export_check, code_tries},
    Route{get, "/api/rooms/{code}/history", history, code_tries},
    Route{post, "/api/processes", create_process, Route_limit::create_process},
    Route{get, "/api/processes/{id}", get_process},
    Route{get, "/api/processes/{id}/report", process_report},
    // §11: deleting a meeting, the access log
    Route{del, "/api/rooms/{code}", delete_room, code_tries},
    Route{get, "/api/rooms/{code}/access-log", room_access_log, code_tries},
    Route{get, "/api/access-log", whole_access_log},
    // §1, §2: the browser view's pages and files
    Route{get, "/", index_page},
    Route{get, "/index.html", index_page},
    Route{get, "/r/{code}", room_page},
    Route{get, "/screen/{code}", screen_page},
    Route{get, "/guide", guide_page},
    Route{get, "/static/{path...}", static_file},
    Route{get, "/i18n/{file}", catalog_file},
};

bool method_matches(http::verb route, http::verb method)
{
    return route == method || (route == http::verb::get && method == http::verb::head);
}

bool is_param(std::string_view part) { return part.size() >= 2 && part.front() == '{' && part.back() == '}'; }

// Whether `parts` fit `pattern`; `params` gets what its `{name}` parts matched.
bool path_matches(std::string_view pattern, const std::vector<std::string>& parts, std::vector<std::string>& params)
{
    const auto want = path_parts(pattern);
    params.clear();
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (i >= parts.size()) return false;
        if (is_param(want[i]) && want[i].ends_with("...}") && i + 1 == want.size()) {
            params.insert(params.end(), parts.begin() + static_cast<std::ptrdiff_t>(i), parts.end());
            return true;
        }
        if (is_param(want[i])) params.push_back(parts[i]);
        else if (want[i] != parts[i]) return false;
    }
    return want.size() == parts.size();
}

void add_allowed(std::string& allowed, http::verb method)
{
    const auto add = [&](std::string_view name) {
        if (allowed.find(name) != std::string::npos) return;
        if (!allowed.empty()) allowed += ", ";
        allowed += name;
    };
    add(http::to_string(method));
    if (method == http::verb::get) add("HEAD");
}

}  // namespace

std::span<const Route> routes() { return route_table; }

std::vector<std::string> path_parts(std::string_view path)
{
    std::vector<std::string> out;
    while (!path.empty()) {
        const auto slash = path.find('/');
        if (slash != 0) out.emplace_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return out;
}

Route_match match_route(http::verb method, std::string_view target)
{
    Route_match match;
    const auto q = target.find('?');
    if (q != std::string_view::npos) match.query = std::string(target.substr(q + 1));
    const auto parts = path_parts(target.substr(0, q));
    match.api = !parts.empty() && parts[0] == "api";
    std::string allowed;
    std::vector<std::string> params;
    for (const Route& route : route_table) {
        if (!path_matches(route.pattern, parts, params)) continue;
        if (!method_matches(route.method, method)) {
            add_allowed(allowed, route.method);
            continue;
        }
        match.route = &route;
        match.params = std::move(params);
        return match;
    }
    match.allowed = std::move(allowed);
    return match;
}

std::string route_name(const Route& route)
{
    return std::string(http::to_string(route.method)) + " " + std::string(route.pattern);
}

std::optional<std::string> Http_call::query_value(std::string_view key) const { return query_param(match.query, key); }

// Seconds a client waits before asking again for a room another node is letting go.
constexpr int moved_retry_after_s = 1;

Response fault_response(const Reply_to& to, std::exception_ptr error, std::string_view where)
{
    try {
        std::rethrow_exception(error);
    } catch (const Room_elsewhere&) {
        // Another node has the room; it is asked to let it go (Room_registry), so the same
        // request through the load balancer succeeds in a moment.
        log_info("room_elsewhere", std::string(where));
        // The code is the bye reason a member gets for the same (docs/protocol.md §4).
        auto response = error_response(to, http::status::service_unavailable, protocol::to_string(protocol::Bye_reason::moved),
                                       "This meeting is open on another server right now; try again in a moment.");
        response.set(http::field::retry_after, std::to_string(moved_retry_after_s));
        return response;
    } catch (const Store_error& e) {
        // The store cannot be read or written right now: the client may try again later.
        log_error("store_failed", std::string(where) + ": " + e.what());
        return error_response(to, Error_code::unavailable, "The database cannot be used right now; try again in a moment.");
    } catch (...) {
        log_exception(where);
        return internal_error_response(to.version, to.keep_alive);
    }
}

void run_off_io(const Call& call, std::function<void(Http_call& call)> work)
{
    call->ctx.blocking.run(
        call->ctx.ioc.get_executor(), [call, work = std::move(work)] { work(*call); },
        [call](Off_io_result<std::monostate> result) {
            if (result.error) call->respond(fault_response(call->request, result.error, "http_store"));
        });
}

void answer_off_io(const Call& call, std::function<Response(Http_call& call)> work)
{
    run_off_io(call, [work = std::move(work)](Http_call& c) { c.respond(work(c)); });
}

}  // namespace keha::server
