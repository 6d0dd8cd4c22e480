// docs/security.md "Hostile input": no request can take the server down. Badly typed imports,
// documents nested 100,000 levels deep, bodies that are not declared JSON and faults of the
// server itself each get one clear answer, and the server goes on serving every other room.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <csignal>
#include <functional>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

// A fresh server for each test: one that a body brought down shows in that test alone.
struct Hostile : ::testing::Test {
    Temp_dir dir;
    Server_process server{dir.path() / "hostile.db"};
    std::uint16_t port = server.port();
    // A meeting going on in another room, which must not notice anything.
    Room_keys bystander_keys = create_room(port, {{"title", "Toinen huone"}, {"language", "fi"}});
    Member bystander{port, bystander_keys.code, as_participant("Sivullinen")};

    void expect_server_serves(const std::string& what)
    {
        ASSERT_EQ(::kill(server.pid(), 0), 0) << what << ": the server process is gone";
        EXPECT_EQ(http_get(port, "/healthz").status, 200) << what;
        const auto before = bystander.seq;
        EXPECT_EQ(bystander.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Yhä täällä"}}),
                  before + 1)
            << what;
    }

    Http_answer post(const std::string& target, const std::string& body,
                     const std::vector<std::pair<std::string, std::string>>& headers = {})
    {
        return http_request(port, "POST", target, body, headers);
    }
};

void expect_error(const Http_answer& a, int status, const std::string& code, const std::string& what)
{
    EXPECT_EQ(a.status, status) << what << ": " << a.body;
    auto j = a.json_body();
    ASSERT_TRUE(j.is_object()) << what << ": " << a.body;
    EXPECT_EQ(j.value("error", ""), code) << what << ": " << a.body;
    EXPECT_FALSE(j.value("message", "").empty()) << what << ": " << a.body;
}

// Notes a meeting could have exported: every field state_from_notes reads, well typed.
json valid_notes()
{
    return {{"format", "keha-notes"},
            {"version", 2},
            {"state",
             {{"room", {{"code", "K7Q4MX"}, {"title", "Ensimmäinen"}, {"team", nullptr}, {"created_at", "2026-11-23T09:00:00Z"}}},
              {"phases",
               {{{"id", "timeline"}, {"kind", "timeline"}, {"title", "Aikajana"}, {"question", "Mitä tapahtui?"},
                 {"board", "timeline"}, {"timebox_s", 600}, {"turn_mode", "round"},
                 {"card", {{"title", "Säännöt"}, {"lines", {"Kuuntele"}}}}},
                {{"id", "plan"}, {"title", "Suunnitelma"}, {"board", nullptr}}}},
              {"boards",
               {{"timeline",
                 {{"items",
                   {{"i1", {{"column", "event"}, {"text", "Muutto"}, {"when", "2024"}, {"created_at", "2026-11-23T09:05:00Z"}, {"order", 1.0}}}}}}},
                {"vision", {{"items", {{"i2", {{"column", "hinders"}, {"text", "Kiire"}}}}}}},
                {"plan",
                 {{"items",
                   {{"i3", {{"column", "action"}, {"text", "Aikaa"}, {"addresses", "i2"}, {"status", "agreed"}, {"copy_of", "i2"}}}}}}}}}}}};
}

json import_body(const json& notes) { return {{"title", "Jatko"}, {"import", notes}}; }

json& item(json& notes, const char* board, const char* id) { return notes["state"]["boards"][board]["items"][id]; }

// The badly typed imports of the issue, and one of each other kind of wrong field.
std::vector<std::pair<std::string, std::function<void(json&)>>> bad_imports()
{
    return {
        {"phases [1]", [](json& n) { n["state"]["phases"] = {1}; }},
        {"order \"x\"", [](json& n) { item(n, "timeline", "i1")["order"] = "x"; }},
        {"created_at 5", [](json& n) { item(n, "timeline", "i1")["created_at"] = 5; }},
        {"phase id 5, timebox_s \"x\"", [](json& n) { n["state"]["phases"] = {{{"id", 5}, {"timebox_s", "x"}}}; }},
        {"timebox_s \"x\"", [](json& n) { n["state"]["phases"][0]["timebox_s"] = "x"; }},
        {"phase title missing", [](json& n) { n["state"]["phases"][1].erase("title"); }},
        {"two phases with one id", [](json& n) { n["state"]["phases"][1]["id"] = "timeline"; }},
        {"turn_mode 3", [](json& n) { n["state"]["phases"][0]["turn_mode"] = 3; }},
        {"board \"nowhere\"", [](json& n) { n["state"]["phases"][0]["board"] = "nowhere"; }},
        {"card lines 7", [](json& n) { n["state"]["phases"][0]["card"]["lines"] = 7; }},
        {"room team {}", [](json& n) { n["state"]["room"]["team"] = json::object(); }},
        {"room title []", [](json& n) { n["state"]["room"]["title"] = json::array(); }},
        {"text 2,001 characters", [](json& n) { item(n, "timeline", "i1")["text"] = std::string(2001, 'a'); }},
        {"text with NUL", [](json& n) { item(n, "timeline", "i1")["text"] = std::string("a\0b", 3); }},
        {"text with ESC", [](json& n) { item(n, "timeline", "i1")["text"] = "a\x1b[31mb"; }},
        {"when 2024", [](json& n) { item(n, "timeline", "i1")["when"] = 2024; }},
        {"when 201 characters", [](json& n) { item(n, "timeline", "i1")["when"] = std::string(201, 'x'); }},
        {"status \"maybe\"", [](json& n) { item(n, "plan", "i3")["status"] = "maybe"; }},
        {"addresses 2", [](json& n) { item(n, "plan", "i3")["addresses"] = 2; }},
        {"copy_of true", [](json& n) { item(n, "plan", "i3")["copy_of"] = true; }},
        {"source \"x\"", [](json& n) { item(n, "plan", "i3")["source"] = "x"; }},
        {"id with a slash", [](json& n) { item(n, "plan", "a/b") = item(n, "plan", "i3"); }},
        {"order true", [](json& n) { item(n, "timeline", "i1")["order"] = true; }},
    };
}

}  // namespace

TEST_F(Hostile, BadlyTypedImportsAre400WithAMessageAndChangeNothing)
{
    ASSERT_EQ(post("/api/rooms", import_body(valid_notes()).dump()).status, 201) << "the base notes import";
    for (const auto& [what, spoil] : bad_imports()) {
        SCOPED_TRACE(what);
        json notes = valid_notes();
        spoil(notes);
        auto a = post("/api/rooms", import_body(notes).dump());
        expect_error(a, 400, "invalid", what);
        if (a.status == 201) {
            // What the issue saw: created, then the first export took the server down.
            auto keys = a.json_body();
            http_get(port, "/api/rooms/" + keys.value("code", "") + "/export",
                     {{"Authorization", "Bearer " + keys.value("facilitator_key", "")}});
        }
        expect_server_serves(what);
    }
}

TEST_F(Hostile, ARoomMadeFromABorderlineImportExportsInEveryFormat)
{
    // Everything optional left out, the longest texts, version 1, fields nobody reads.
    json notes = {{"format", "keha-notes"},
                  {"version", 1},
                  {"meeting", {{"anything", {1, 2, 3}}}},
                  {"state",
                   {{"room", json::object()},
                    {"phases", json::array()},
                    {"participants", {{"p1", {{"name", "Ei tuoda"}}}}},
                    {"boards",
                     {{"timeline", {{"items", {{"x", {{"column", "event"}, {"text", std::string(2000, 'a')}, {"votes", "many"}}}}}}},
                      {"vision", {{"items", json::object()}}},
                      {"plan",
                       {{"items",
                         {{"a-1_B", {{"column", "action"}, {"text", "\u05D0 rtl\tkohta\nrivi"}, {"who", std::string(200, 'w')},
                                     {"addresses", "hidden1"}, {"order", -1e300}, {"source", {{"origin", "AAAAAA/i1"}}}}}}}}}}}}}};
    auto a = post("/api/rooms", import_body(notes).dump());
    ASSERT_EQ(a.status, 201) << a.body;
    auto keys = a.json_body();
    const std::string code = keys["code"];
    for (const char* format : {"md", "html", "json"}) {
        SCOPED_TRACE(format);
        auto e = http_get(port, "/api/rooms/" + code + "/export?format=" + format,
                          {{"Authorization", "Bearer " + keys["facilitator_key"].get<std::string>()}});
        EXPECT_EQ(e.status, 200) << e.body;
        EXPECT_NE(e.body.find(std::string(200, 'w')), std::string::npos);
    }
    Member f(port, code, with_key(keys["facilitator_key"]));
    const json& plan = f.state["boards"]["plan"]["items"];
    ASSERT_TRUE(plan.contains("ma-1_B")) << plan.dump();
    EXPECT_FALSE(plan["ma-1_B"].contains("addresses")) << "a link to an item the notes left out goes";
    f.ok("item.edit", {{"board", "plan"}, {"id", "ma-1_B"}, {"status", "done"}});
    expect_server_serves("borderline import");
}

TEST_F(Hostile, A100000LevelBodyIs400AndTheServerGoesOn)
{
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    const std::string deep_objects = [] {
        std::string s;
        for (int i = 0; i < 100000; ++i) s += "{\"a\":";
        s += "1";
        s += std::string(100000, '}');
        return s;
    }();
    for (const auto& [target, body] : std::vector<std::pair<std::string, std::string>>{
             {"/api/rooms", R"({"title":"x","import":)" + deep + "}"},
             {"/api/rooms", R"({"title":"x","import":)" + deep_objects + "}"},
             {"/api/rooms", R"({"title":"x","import":{"format":"keha-notes","version":2,"state":)" + deep + "}}"},
             {"/api/processes", R"({"title":"x","teams":)" + deep + "}"},
             {"/api/processes", R"({"title":"x","teams":[)" + deep + "]}"},
             {"/api/processes", R"({"title":"x","teams":)" + deep_objects + "}"},
             {"/api/rooms", deep},
         }) {
        SCOPED_TRACE(target + " " + body.substr(0, 40));
        auto a = post(target, body);
        expect_error(a, 400, "bad_request", target);
        EXPECT_NE(a.json_body().value("message", "").find("64 levels"), std::string::npos) << a.body;
        expect_server_serves(target);
    }
    // 64 levels (the body's object and 63 arrays) are still JSON the server reads, and then
    // refuses as a wrong field; 65 are not.
    auto levels = [&](int arrays) {
        return post("/api/processes", R"({"title":"x","teams":)" + std::string(arrays, '[') + std::string(arrays, ']') + "}");
    };
    auto at_limit = levels(63);
    expect_error(at_limit, 400, "bad_request", "64 levels");
    EXPECT_EQ(at_limit.json_body().value("message", "").find("64 levels"), std::string::npos) << at_limit.body;
    auto past_limit = levels(64);
    expect_error(past_limit, 400, "bad_request", "65 levels");
    EXPECT_NE(past_limit.json_body().value("message", "").find("64 levels"), std::string::npos) << past_limit.body;
}

TEST_F(Hostile, ADeeplyNestedWebSocketMessageIsAnErrorAndTheConnectionGoesOn)
{
    // The deepest document one 64 KiB frame can carry.
    const std::string deep = std::string(30000, '[') + std::string(30000, ']');
    bystander.ws.send(R"({"type":"do","id":"deep","cmd":"item.add","args":{"board":"timeline","column":"event","text":)" + deep + "}}");
    auto e = bystander.next();
    EXPECT_EQ(e.value("type", ""), "error") << e.dump();
    EXPECT_EQ(e.value("code", ""), "bad_request") << e.dump();
    EXPECT_NE(e.value("message", "").find("64 levels"), std::string::npos) << e.dump();
    expect_server_serves("WebSocket message");

    // Before hello, too: one error and the connection closes.
    Ws_client ws(port);
    ws.send(R"({"type":"hello","room":")" + bystander_keys.code + R"(","name":)" + deep + "}");
    auto m = ws.recv();
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->value("code", ""), "bad_request") << m->dump();
    EXPECT_TRUE(ws.wait_closed());
    expect_server_serves("hello");
}

TEST_F(Hostile, BodiesNotDeclaredJsonAre415)
{
    const std::string room = json{{"title", "Lomake"}}.dump();
    const std::string process = json{{"title", "Prosessi"}}.dump();
    for (const std::string type : {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                                   "multipart/form-data; boundary=x", "application/jsonx", "application/json-seq"}) {
        SCOPED_TRACE(type);
        expect_error(post("/api/rooms", room, {{"Content-Type", type}}), 415, "bad_request", type);
        expect_error(post("/api/processes", process, {{"Content-Type", type}}), 415, "bad_request", type);
        expect_error(http_request(port, "PUT", "/api/rooms", room, {{"Content-Type", type}}), 415, "bad_request", type);
    }
    EXPECT_EQ(post("/api/rooms", room, {{"Content-Type", "application/json"}}).status, 201);
    EXPECT_EQ(post("/api/rooms", room, {{"Content-Type", "Application/JSON; charset=utf-8"}}).status, 201);
    expect_server_serves("415");
}

TEST_F(Hostile, TheBodyLimitMessageNamesTheLimit)
{
    // Only the header is sent: the server answers from the Content-Length alone.
    namespace net = boost::asio;
    net::io_context ioc;
    net::ip::tcp::socket socket(ioc);
    socket.connect({net::ip::make_address("127.0.0.1"), port});
    const std::string head = "POST /api/rooms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                             "Content-Length: " + std::to_string(1024 * 1024 + 1) + "\r\n\r\n";
    net::write(socket, net::buffer(head));
    std::string answer;
    boost::system::error_code ec;
    char buf[4096];
    while (!ec) answer.append(buf, socket.read_some(net::buffer(buf), ec));  // to the server's end
    EXPECT_NE(answer.find(" 413 "), std::string::npos) << answer;
    EXPECT_NE(answer.find("The request body is over 1 MiB."), std::string::npos) << answer;
    expect_server_serves("413");
}

// A fault of the server itself, made real: a room whose stored state another program broke.
// Every request about it answers 500 (HTTP) or `internal` (WebSocket); the rest goes on.
TEST_F(Hostile, AFaultOfTheServerIsAnswered500AndInternalAndTheServerGoesOn)
{
    auto keys = create_room(port, {{"title", "Rikki"}});
    auto fresh = create_room(port, {{"title", "Ehjä"}});
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(server.db().c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    const std::string sql = "UPDATE snapshots SET state = '{\"room\": 5}' WHERE room = '" + keys.code + "'";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    const std::string sql2 = "UPDATE snapshots SET state = 'not json' WHERE room = '" + fresh.code + "'";
    ASSERT_EQ(sqlite3_exec(db, sql2.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);

    const std::vector<std::pair<std::string, std::string>> key = {{"Authorization", "Bearer " + keys.facilitator_key}};
    expect_error(http_get(port, "/api/rooms/" + keys.code + "/export", key), 500, "internal", "export");
    expect_error(http_get(port, "/api/rooms/" + keys.code, key), 500, "internal", "room info");
    expect_error(http_get(port, "/api/rooms/" + fresh.code + "/export",
                          {{"Authorization", "Bearer " + fresh.facilitator_key}}),
                 500, "internal", "export of unparsable state");
    expect_server_serves("HTTP faults");

    for (const auto& [code, facilitator] : {std::pair{keys.code, keys.facilitator_key}, std::pair{fresh.code, fresh.facilitator_key}}) {
        SCOPED_TRACE(code);
        auto answer = hello_answer(port, hello_message(code, with_key(facilitator)));
        ASSERT_TRUE(answer.message.has_value());
        EXPECT_EQ(answer.message->value("type", ""), "error") << answer.message->dump();
        EXPECT_EQ(answer.message->value("code", ""), "internal") << answer.message->dump();
        EXPECT_TRUE(answer.closed);
        expect_server_serves("hello to a broken room");
    }
    // Logged by type, without the document: a JSON exception's text would quote it.
    EXPECT_NE(server.log_text().find("internal_error"), std::string::npos);
    EXPECT_EQ(server.log_text().find("last read"), std::string::npos) << server.log_text();
}

// NUL and the other C0 controls but tab and newline are refused in every text, from the
// room's title to an item's field; tab and newline are text like any other.
TEST_F(Hostile, ControlCharactersAreRefusedInEveryTextAPersonWrites)
{
    const std::string nul("\0", 1);
    expect_error(post("/api/rooms", json{{"title", "a" + nul + "b"}}.dump()), 400, "invalid", "room title");
    expect_error(post("/api/rooms", json{{"title", "a"}, {"process", "p\x1b"}}.dump()), 400, "invalid", "process label");
    expect_error(post("/api/processes", json{{"title", "p\x01"}}.dump()), 400, "invalid", "process title");
    expect_error(post("/api/processes", json{{"title", "p"}, {"teams", {"t\r"}}}.dump()), 400, "invalid", "team");

    auto refused = hello_answer(port, hello_message(bystander_keys.code, as_participant("Maija" + nul)));
    ASSERT_TRUE(refused.message.has_value());
    EXPECT_EQ(refused.message->value("code", ""), "invalid") << refused.message->dump();

    auto item = [](const std::string& text, json fields = json::object()) {
        json args = {{"board", "timeline"}, {"column", "event"}, {"text", text}};
        args.update(fields);
        return args;
    };
    for (const auto& args : {item("a" + nul), item("a\x07"), item("a", {{"when", "2024\x08"}}), item("a", {{"sector", "\x1f"}})}) {
        SCOPED_TRACE(args.dump());
        auto e = bystander.run("item.add", args);
        EXPECT_EQ(e.value("type", ""), "error") << e.dump();
        EXPECT_EQ(e.value("code", ""), "invalid") << e.dump();
    }
    bystander.ok("item.add", item("rivi\n\tsisennetty rivi"));
    expect_server_serves("control characters");
}

// A fault in a room's own work (here a command meeting a stored board another program
// broke): its sender gets `internal`, the room is reopened from the store (its members are
// told to come back), and it goes on serving what does not meet the fault, as does every
// other room.
TEST_F(Hostile, AFaultInACommandAnswersInternalAndTheRoomReopens)
{
    auto keys = create_room(port, {{"title", "Rikki lauta"}});
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(server.db().c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    const std::string sql =
        "UPDATE snapshots SET state = json_set(state, '$.boards.timeline.items', 5) WHERE room = '" + keys.code + "'";
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);

    Member f(port, keys.code, with_key(keys.facilitator_key));
    const auto id = f.send("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Kaatuuko?"}});
    auto e = f.next();
    EXPECT_EQ(e.value("type", ""), "error") << e.dump();
    EXPECT_EQ(e.value("code", ""), "internal") << e.dump();
    EXPECT_EQ(e.value("id", ""), id) << e.dump();
    auto bye = f.next();
    EXPECT_EQ(bye.value("type", ""), "bye") << bye.dump();
    EXPECT_EQ(bye.value("reason", ""), "server_shutdown") << bye.dump();
    EXPECT_TRUE(f.ws.wait_closed());
    expect_server_serves("a fault in a command");

    // The facilitator comes back with the token and goes on where the fault is not.
    Member again(port, keys.code, with_token(f.token));
    EXPECT_EQ(again.you, f.you);
    again.ok("item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "Toimii"}});
    expect_server_serves("after the room reopened");
}
