#pragma once
// The one route table of the HTTP side (docs/protocol.md §2, §10, §11): every method and path
// the server answers, each with its handler in its resource's file — http_rooms.cpp,
// http_notes.cpp, http_processes.cpp, http_access_log.cpp, health.cpp, http_assets.cpp — and
// the per-address limit it counts against (request_limits.hpp). A request's path is split and
// matched once (match_route); the limits, the access log and the handler all read that match.
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http_response.hpp"
#include "request_origin.hpp"

namespace keha::server {

struct Server_context;
struct Http_call;
using Call = std::shared_ptr<Http_call>;

// Which per-address allowance a route spends (request_limits.hpp, docs/security.md "Limits").
enum class Route_limit {
    none,
    create_room,     // the hourly allowance of new rooms
    create_process,  // the hourly allowance of new processes
    room_code,       // a path naming a room code: a code naming no room counts as a wrong guess
};

struct Route {
    http::verb method;  // `get` also answers HEAD
    // "/api/rooms/{code}/export": a `{name}` part matches any one part; a last `{name...}`
    // matches one part or more (each of them a parameter).
    std::string_view pattern;
    void (*handler)(const Call& call);
    Route_limit limit = Route_limit::none;
};

// What a request's method and path matched.
struct Route_match {
    const Route* route = nullptr;     // nothing: no route answers this method and path
    std::vector<std::string> params;  // what the route's `{name}` parts matched, in order
    std::string query;                // the target after '?'
    bool api = false;                 // the path is under /api/
    std::string allowed;              // "GET, HEAD": the methods of the routes this path has, when
                                      // the method is not among them (405); empty otherwise
};

// Every route, in the order they are tried.
std::span<const Route> routes();

// The parts of a path between its slashes; empty parts (`//`) are skipped.
std::vector<std::string> path_parts(std::string_view path);

// The route for `method` and `target` (a path with an optional query).
Route_match match_route(http::verb method, std::string_view target);

// "GET /api/rooms/{code}": the route as the access log and the logs name it.
std::string route_name(const Route& route);

// One request on its way to its answer.
struct Http_call {
    Server_context& ctx;
    Connection_info connection;
    Request request;
    Route_match match;
    Responder respond;  // answers once; later answers are dropped

    // The `i`th `{name}` part of the route.
    const std::string& param(std::size_t i) const { return match.params.at(i); }
    // The value of a query parameter ("" for a bare key), or nothing when the query lacks it.
    std::optional<std::string> query_value(std::string_view key) const;
};

// Runs `work(call)` on the blocking pool (off_io.hpp): a handler's part that reads the store,
// which answers through `call.respond` itself. Whatever it throws is answered by
// fault_response; the server goes on.
void run_off_io(const Call& call, std::function<void(Http_call& call)> work);
// The same for work whose answer is what it returns.
void answer_off_io(const Call& call, std::function<Response(Http_call& call)> work);

// The answer to an exception that escaped a handler, logged under `where`: 503 `moved` with
// Retry-After for a room another node holds (Room_elsewhere), 503 `unavailable` for a store
// that cannot be used right now (Store_error), else 500 `internal`.
Response fault_response(const Reply_to& to, std::exception_ptr error, std::string_view where);

}  // namespace keha::server
