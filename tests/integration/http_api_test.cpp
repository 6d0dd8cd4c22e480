// docs/protocol.md §2: the HTTP API — room creation, templates, room info and QR, the export's
// 404/401/403/200 answers and contents, /healthz, and the safety headers.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

std::uint16_t port() { return shared_server().port(); }

long rooms_in_db()
{
    sqlite3* db = nullptr;
    long n = -1;
    if (sqlite3_open_v2(shared_server().db().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 2000);
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM rooms", -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}
std::string dashed(const std::string& code)
{
    return lower(code.substr(0, code.size() / 2)) + "-" + lower(code.substr(code.size() / 2));
}

void expect_safety_headers(const Http_answer& a, const std::string& what)
{
    EXPECT_NE(a.header("content-security-policy").find("default-src"), std::string::npos) << what;
    EXPECT_EQ(a.header("x-content-type-options"), "nosniff") << what;
}

void expect_error_body(const Http_answer& a, const std::string& what)
{
    auto j = a.json_body();
    ASSERT_TRUE(j.is_object()) << what << ": " << a.body;
    EXPECT_TRUE(j.contains("error") && j["error"].is_string()) << what << ": " << a.body;
    EXPECT_TRUE(j.contains("message") && j["message"].is_string()) << what << ": " << a.body;
}

std::vector<std::pair<std::string, std::string>> bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

}  // namespace

TEST(HttpApi, CreatingARoomAnswers201WithACodeAndTwoUnguessableKeys)
{
    const long before = rooms_in_db();
    auto a = http_request(port(), "POST", "/api/rooms", R"({"title":"Kick-off","language":"sv","process":"Pilot"})");
    ASSERT_EQ(a.status, 201) << a.body;
    expect_safety_headers(a, "201");
    auto j = a.json_body();
    const std::string code = j["code"], fkey = j["facilitator_key"], skey = j["screen_key"];
    EXPECT_TRUE(std::regex_match(code, std::regex("[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{8}"))) << code;
    const std::regex key_re("[A-Za-z0-9_-]{22,}");  // 22 base64url characters carry 132 bits
    EXPECT_TRUE(std::regex_match(fkey, key_re)) << fkey;
    EXPECT_TRUE(std::regex_match(skey, key_re)) << skey;
    EXPECT_NE(fkey, skey);
    EXPECT_EQ(rooms_in_db(), before + 1);

    auto b = create_room(port());
    EXPECT_NE(b.code, code);
    EXPECT_NE(b.facilitator_key, fkey);

    // The room exists, with what was asked; the keys appear nowhere in its state.
    Member f(port(), code, with_key(fkey));
    EXPECT_EQ(f.state["room"]["title"], "Kick-off");
    EXPECT_EQ(f.state["room"]["language"], "sv");
    EXPECT_EQ(f.state["room"]["process"], "Pilot");
    const auto dump = f.welcome.dump();
    EXPECT_EQ(dump.find(fkey), std::string::npos);
    EXPECT_EQ(dump.find(skey), std::string::npos);
    // The default template has at least the timeline, the vision and the plan.
    std::set<std::string> kinds;
    for (const auto& ph : f.state["phases"]) kinds.insert(ph["kind"]);
    for (const char* k : {"timeline", "vision", "plan"}) EXPECT_TRUE(kinds.count(k)) << k;
}

TEST(HttpApi, BadCreateBodiesGet400WithErrorAndMessageAndCreateNothing)
{
    const long before = rooms_in_db();
    ASSERT_GE(before, 0);
    for (const std::string& body : std::vector<std::string>{R"({})", "not json", "[1,2]", R"({"title":""})", R"({"title":5})",
                                   R"({"title":"x","template":"no-such-template"})", R"({"title":"x","language":"de"})",
                                   R"({"title":"x","title":"y"})", R"({"title":"x","colour":"red"})",
                                   std::string(R"({"title":")") + std::string(201, 't') + "\"}", ""}) {
        SCOPED_TRACE(body);
        auto a = http_request(port(), "POST", "/api/rooms", body);
        EXPECT_EQ(a.status, 400) << a.body;
        expect_error_body(a, body);
        expect_safety_headers(a, "400");
    }
    EXPECT_EQ(rooms_in_db(), before);
}

TEST(HttpApi, TemplatesAreListedWithIdTitleAndLanguage)
{
    auto a = http_get(port(), "/api/templates");
    ASSERT_EQ(a.status, 200);
    expect_safety_headers(a, "templates");
    auto j = a.json_body();
    ASSERT_TRUE(j.is_array() && !j.empty()) << a.body;
    bool has_default = false;
    for (const auto& t : j) {
        EXPECT_TRUE(t.contains("id") && t.contains("title") && t.contains("language")) << t.dump();
        if (t["id"] == "default") has_default = true;
    }
    EXPECT_TRUE(has_default);
}

TEST(HttpApi, RoomInfoAndQrAcceptCodesInAnyCaseWithADash)
{
    auto keys = create_room(port(), {{"title", "Info"}, {"language", "fi"}});
    for (const auto& code : {keys.code, lower(keys.code), dashed(keys.code)}) {
        SCOPED_TRACE(code);
        auto a = http_get(port(), "/api/rooms/" + code);
        ASSERT_EQ(a.status, 200) << a.body;
        expect_safety_headers(a, "room info");
        const std::string base = "http://127.0.0.1:" + std::to_string(port());
        EXPECT_EQ(a.json_body(), json({{"code", keys.code}, {"title", "Info"}, {"language", "fi"}, {"locked", false},
                                       {"status", "open"},
                                       {"join", {{"url", base + "/r/" + keys.code}, {"address", base.substr(7)},
                                                 {"loopback", true}}}}));
        auto q = http_get(port(), "/api/rooms/" + code + "/qr.svg");
        EXPECT_EQ(q.status, 200);
        EXPECT_NE(q.header("content-type").find("image/svg+xml"), std::string::npos);
        EXPECT_NE(q.body.find("<svg"), std::string::npos);
    }
    EXPECT_EQ(http_get(port(), "/api/rooms/XXXXXX").status, 404);
    EXPECT_EQ(http_get(port(), "/api/rooms/XXXXXX/qr.svg").status, 404);
    auto missing = http_get(port(), "/api/rooms/not-a-code");
    EXPECT_EQ(missing.status, 404);
    expect_error_body(missing, "unknown room");
}

TEST(HttpApi, ExportIs404ForAnUnknownRoomWhateverTheKeyThen401WithoutAKeyAnd403ForAnyOtherKey)
{
    auto keys = create_room(port());
    auto other = create_room(port());
    const std::string target = "/api/rooms/" + keys.code + "/export?format=md";

    for (const auto& headers : {std::vector<std::pair<std::string, std::string>>{}, bearer(keys.facilitator_key),
                                bearer(keys.screen_key), bearer("nonsense")}) {
        auto a = http_get(port(), "/api/rooms/XXXXXX/export?format=md", headers);
        EXPECT_EQ(a.status, 404);
        expect_error_body(a, "unknown room");
    }
    auto no_key = http_get(port(), target);
    EXPECT_EQ(no_key.status, 401);
    expect_error_body(no_key, "no key");
    expect_safety_headers(no_key, "401");
    for (const auto& headers : {bearer(keys.screen_key), bearer(other.facilitator_key), bearer("nonsense"),
                                std::vector<std::pair<std::string, std::string>>{{"Authorization", keys.facilitator_key}},
                                std::vector<std::pair<std::string, std::string>>{{"Authorization", "Basic " + keys.facilitator_key}}}) {
        auto a = http_get(port(), target, headers);
        EXPECT_EQ(a.status, 403) << headers[0].second;
        expect_error_body(a, "other key");
    }
    for (const auto& code : {keys.code, lower(keys.code), dashed(keys.code)}) {
        auto a = http_get(port(), "/api/rooms/" + code + "/export?format=md", bearer(keys.facilitator_key));
        EXPECT_EQ(a.status, 200) << code;
    }
}

TEST(HttpApi, ExportGivesTheNotesInMarkdownHtmlAndJsonWithoutHiddenItems)
{
    auto keys = create_room(port(), {{"title", "Export meeting"}, {"language", "en"}});
    {
        Member f(port(), keys.code, with_key(keys.facilitator_key));
        Member p(port(), keys.code, as_participant("Pia"));
        p.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Visible-timeline-event"}, {"when", "2021"}});
        f.ok("item.add", {{"board", "vision"}, {"column", "enables"}, {"text", "Visible-vision-enabler"}});
        p.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Visible-plan-action"}, {"who", "Pia"}});
        p.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "HIDDEN-participant"}, {"hidden", true}});
        f.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "HIDDEN-facilitator"}, {"hidden", true}});
    }
    const auto auth = bearer(keys.facilitator_key);
    const std::vector<std::pair<std::string, std::string>> formats = {
        {"md", "text/markdown"}, {"html", "text/html"}, {"json", "application/json"}};
    for (const auto& [format, type] : formats) {
        SCOPED_TRACE(format);
        auto a = http_get(port(), "/api/rooms/" + keys.code + "/export?format=" + format, auth);
        ASSERT_EQ(a.status, 200) << a.body;
        expect_safety_headers(a, format);
        EXPECT_NE(a.header("content-type").find(type), std::string::npos) << a.header("content-type");
        for (const char* text : {"Visible-timeline-event", "Visible-vision-enabler", "Visible-plan-action"})
            EXPECT_NE(a.body.find(text), std::string::npos) << text;
        EXPECT_EQ(a.body.find("HIDDEN-"), std::string::npos) << "a hidden item is in the notes";
        if (format == "json") {
            auto j = a.json_body();
            ASSERT_FALSE(j.is_discarded()) << "the JSON export is not JSON";
        }
        if (format == "html") {
            EXPECT_NE(a.body.find("<html"), std::string::npos);
        }
    }
    auto bad = http_get(port(), "/api/rooms/" + keys.code + "/export?format=pdf", auth);
    EXPECT_EQ(bad.status, 400);
}

TEST(HttpApi, HealthzAnswers200AndPagesCarryTheSafetyHeaders)
{
    auto h = http_get(port(), "/healthz");
    EXPECT_EQ(h.status, 200);
    auto keys = create_room(port());
    for (const std::string& path : std::vector<std::string>{"/", "/r/" + keys.code, "/r/" + dashed(keys.code), "/screen/" + keys.code}) {
        auto a = http_get(port(), path);
        EXPECT_EQ(a.status, 200) << path;
        EXPECT_NE(a.header("content-type").find("text/html"), std::string::npos) << path;
        expect_safety_headers(a, path);
    }
    auto api404 = http_get(port(), "/api/nothing-here");
    EXPECT_EQ(api404.status, 404);
    expect_safety_headers(api404, "API 404");
    auto page404 = http_get(port(), "/no/such/page");
    EXPECT_EQ(page404.status, 404);
    expect_safety_headers(page404, "page 404");
}
