// The HTTP route table (server/http_routes.hpp, docs/protocol.md §2): every route the table
// holds is matched by its own path and answers on a real server; a path no route has answers
// 404 with the documented body, a known path asked with another method 405 with Allow; and a
// store read that fails in any HTTP handler is answered (5xx with an error code) while another
// room goes on.
#include <gtest/gtest.h>

#include <set>

#include "http_routes.hpp"
#include "support/broken_store.hpp"
#include "support/meeting.hpp"

using namespace keha::itest;
namespace ks = keha::server;

namespace {

// A path that `pattern` matches: each `{name}` part becomes "X", a last `{name...}` two parts.
std::string sample_path(std::string_view pattern)
{
    std::string path;
    for (const auto& part : ks::path_parts(pattern)) {
        if (part.ends_with("...}")) path += "/a/b";
        else path += "/" + (part.front() == '{' ? std::string("X") : part);
    }
    return path.empty() ? "/" : path;
}

void expect_error_body(const Http_answer& answer, int status, const std::string& code, const std::string& what)
{
    EXPECT_EQ(answer.status, status) << what << ": " << answer.body;
    const json body = answer.json_body();
    EXPECT_EQ(body.value("error", ""), code) << what << ": " << answer.body;
    EXPECT_FALSE(body.value("message", "").empty()) << what << ": " << answer.body;
    EXPECT_EQ(body.size(), 2u) << what << ": {\"error\", \"message\"} and nothing else: " << answer.body;
}

}  // namespace

// The table itself: every route is found by its own method and path (HEAD by a GET route),
// with its parameters, however the path's slashes are spelled; another method on its path
// is not a match but says which methods are.
TEST(HttpRoutes, EveryRouteIsMatchedByItsOwnPathAndOnlyByItsMethods)
{
    std::set<std::string> names;
    for (const ks::Route& route : ks::routes()) {
        const std::string name = ks::route_name(route);
        EXPECT_TRUE(names.insert(name).second) << name << " twice in the table";
        const std::string path = sample_path(route.pattern);
        const auto match = ks::match_route(route.method, path + "?format=md");
        ASSERT_EQ(match.route, &route) << name << " for " << path;
        EXPECT_EQ(match.query, "format=md");
        for (const auto& param : match.params) EXPECT_TRUE(param == "X" || param == "a" || param == "b") << name;
        EXPECT_EQ(ks::match_route(route.method, "/" + path + "/").route, &route) << name << " spelled //" << path << "/";
        if (route.method == ks::http::verb::get) {
            EXPECT_EQ(ks::match_route(ks::http::verb::head, path).route, &route) << name;
        }
        const auto other = ks::match_route(ks::http::verb::patch, path);
        EXPECT_EQ(other.route, nullptr) << name;
        EXPECT_NE(other.allowed.find(std::string(ks::http::to_string(route.method))), std::string::npos)
            << name << ": Allow " << other.allowed;
    }
    const auto room = ks::match_route(ks::http::verb::get, "/api/rooms/K7Q4-MXP2/export");
    ASSERT_NE(room.route, nullptr);
    EXPECT_EQ(room.params, std::vector<std::string>{"K7Q4-MXP2"});
    EXPECT_EQ(room.route->limit, ks::Route_limit::room_code) << "a room's paths count wrong codes";
    const auto file = ks::match_route(ks::http::verb::get, "/static/fonts/a.woff2");
    ASSERT_NE(file.route, nullptr);
    EXPECT_EQ(file.params, (std::vector<std::string>{"fonts", "a.woff2"}));
    EXPECT_EQ(ks::match_route(ks::http::verb::get, "/static").route, nullptr) << "a file needs a name";
    EXPECT_EQ(ks::match_route(ks::http::verb::get, "/api/rooms/X/nothing").route, nullptr);
    EXPECT_TRUE(ks::match_route(ks::http::verb::get, "/api/rooms/X/nothing").api);
    EXPECT_TRUE(ks::match_route(ks::http::verb::get, "/api/rooms/X/nothing").allowed.empty()) << "no such path: 404";
}

TEST(HttpRoutes, APathNoRouteHasIs404WithTheDocumentedBody)
{
    const auto port = shared_server().port();
    expect_error_body(http_get(port, "/api/nothing"), 404, "not_found", "GET /api/nothing");
    expect_error_body(http_get(port, "/api/rooms/K7Q4MXP2/nothing"), 404, "not_found", "an unknown path under a room");
    expect_error_body(http_request(port, "POST", "/api/nothing", "{}"), 404, "not_found", "POST /api/nothing");
    expect_error_body(http_get(port, "/nothing"), 404, "not_found", "GET /nothing");
    expect_error_body(http_get(port, "/static/../server/main.cpp"), 404, "not_found", "outside the view's files");
}

TEST(HttpRoutes, AKnownPathAskedWithAnotherMethodIs405WithAllow)
{
    const auto port = shared_server().port();
    const auto room = create_room(port);
    const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
        {"GET", "/api/rooms", "POST"},
        {"PUT", "/api/templates", "GET, HEAD"},
        {"POST", "/api/rooms/" + room.code, "GET, HEAD, DELETE"},
        {"DELETE", "/api/processes/prc_nosuchprocess00", "GET, HEAD"},
        {"POST", "/healthz", "GET, HEAD"},
        {"POST", "/r/" + room.code, "GET, HEAD"},
        {"POST", "/a-page-that-is-not-there", "GET, HEAD"},
    };
    for (const auto& [method, target, allowed] : cases) {
        const auto answer = http_request(port, method, target, method == "GET" ? "" : "{}");
        expect_error_body(answer, 405, "bad_request", method + " " + target);
        EXPECT_EQ(answer.header("allow"), allowed) << method << " " << target;
    }
    // The room is still there: a wrong method is no wrong code.
    EXPECT_EQ(http_get(port, "/api/rooms/" + room.code).status, 200);
}

// One route of each resource file answers on a real server: rooms, notes, processes, the
// access log, health, the browser view's files.
TEST(HttpRoutes, EachResourceAnswersThroughTheTable)
{
    Temp_dir dir;
    Server_process server(dir.path() / "routes.db");
    const auto port = server.port();
    const auto process = http_request(port, "POST", "/api/processes", json{{"title", "Reitit"}, {"teams", {"A"}}}.dump());
    ASSERT_EQ(process.status, 201) << process.body;
    const std::string id = process.json_body()["id"], pkey = process.json_body()["key"];
    const auto room = create_room(port, {{"title", "Reitit"}, {"process", id}, {"process_key", pkey}, {"team", "A"}});
    const std::vector<std::pair<std::string, std::string>> facilitator = {{"Authorization", "Bearer " + room.facilitator_key}};
    const std::vector<std::pair<std::string, std::string>> process_key = {{"Authorization", "Bearer " + pkey}};
    const std::string r = "/api/rooms/" + room.code;

    const auto facts = http_get(port, r);
    ASSERT_EQ(facts.status, 200) << facts.body;
    EXPECT_EQ(facts.json_body()["title"], "Reitit");
    EXPECT_EQ(http_get(port, r + "/qr.svg").header("content-type"), "image/svg+xml");
    EXPECT_EQ(http_get(port, r + "/export", facilitator).status, 200);
    EXPECT_EQ(http_get(port, r + "/export/check", facilitator).json_body()["count"], 0);
    EXPECT_EQ(http_get(port, r + "/history", facilitator).json_body()["code"], room.code);
    const auto opened = http_get(port, "/api/processes/" + id, process_key);
    ASSERT_EQ(opened.status, 200) << opened.body;
    EXPECT_EQ(opened.json_body()["meetings"].size(), 1u);
    EXPECT_EQ(http_get(port, "/api/processes/" + id + "/report", process_key).status, 200);
    const auto log = http_get(port, r + "/access-log", facilitator);
    ASSERT_EQ(log.status, 200) << log.body;
    EXPECT_FALSE(log.json_body()["entries"].empty()) << "the export above is in it";
    EXPECT_EQ(http_get(port, "/healthz").body, "ok\n");
    EXPECT_EQ(http_get(port, "/readyz").body, "ready\n");
    EXPECT_EQ(http_get(port, "/metrics").status, 404) << "no --metrics-token-file";
    EXPECT_TRUE(http_get(port, "/api/templates").json_body().is_array());
    for (const std::string& page : std::vector<std::string>{"/", "/index.html", "/r/" + room.code, "/screen/" + room.code, "/guide"}) {
        const auto answer = http_get(port, page);
        EXPECT_EQ(answer.status, 200) << page;
        EXPECT_EQ(answer.header("content-type"), "text/html; charset=utf-8") << page;
    }
    EXPECT_EQ(http_get(port, "/static/room.js").header("content-type"), "text/javascript; charset=utf-8");
    EXPECT_TRUE(http_get(port, "/i18n/fi.json").json_body().is_object());
    const auto head = http_request(port, "HEAD", r);
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
    EXPECT_EQ(http_request(port, "DELETE", r, {}, facilitator).json_body()["deleted"], true);
    EXPECT_EQ(http_get(port, r).status, 404);
}

// Every HTTP handler that reads a meeting from the store (on the blocking pool) answers a read
// that fails with a 5xx and an error code, and the server and another room go on.
TEST(HttpRoutes, AStoreReadThatFailsInAnyHandlerIsAnsweredAndAnotherRoomGoesOn)
{
    Temp_dir dir;
    const auto db = dir.path() / "unreadable.db";
    Server_process server(db, {"--rate", "100000", "--burst", "100000"});
    const auto port = server.port();
    const auto process = http_request(port, "POST", "/api/processes", json{{"title", "Rikki"}}.dump());
    ASSERT_EQ(process.status, 201) << process.body;
    const std::string id = process.json_body()["id"], pkey = process.json_body()["key"];
    const auto broken = create_room(port, {{"title", "Rikki"}, {"process", id}, {"process_key", pkey}});
    const auto other = create_room(port);
    Member p(port, other.code, as_participant("Maija"));
    p.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "before"}});

    make_snapshots_unreadable(db, broken.code);

    const std::vector<std::pair<std::string, std::string>> facilitator = {{"Authorization", "Bearer " + broken.facilitator_key}};
    const std::vector<std::pair<std::string, std::string>> process_key = {{"Authorization", "Bearer " + pkey}};
    const std::string r = "/api/rooms/" + broken.code;
    const std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> reads = {
        {r, {}},
        {r + "/export", facilitator},
        {r + "/export?format=json&seq=0", facilitator},
        {r + "/export/check", facilitator},
        {r + "/history?seq=0", facilitator},
        {"/api/processes/" + id, process_key},
        {"/api/processes/" + id + "/report", process_key},
    };
    for (int attempt = 0; attempt < 2; ++attempt)
        for (const auto& [target, headers] : reads) {
            const auto answer = http_get(port, target, headers);
            EXPECT_GE(answer.status, 500) << target << ": " << answer.body;
            EXPECT_LT(answer.status, 600) << target << ": " << answer.body;
            EXPECT_FALSE(answer.json_body().value("error", "").empty()) << target << ": " << answer.body;
        }

    // The other room goes on, over HTTP and the WebSocket; a newcomer sees what was there.
    EXPECT_EQ(http_get(port, "/api/rooms/" + other.code).status, 200);
    const auto after = p.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "after"}});
    EXPECT_GT(after, 0u);
    EXPECT_EQ(http_get(port, "/api/rooms/" + other.code + "/export?format=json",
                       {{"Authorization", "Bearer " + other.facilitator_key}})
                  .status,
              200);
    EXPECT_FALSE(p.ws.closed());
    EXPECT_EQ(http_get(port, "/healthz").status, 200);
    EXPECT_TRUE(server.running());
    EXPECT_EQ(server.log_text().find("where=io_context"), std::string::npos) << server.log_text();
}
