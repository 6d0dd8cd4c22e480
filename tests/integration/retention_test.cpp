// Deleting a meeting, erasing a deleted item's text, and the access log, over the real server
// (docs/security.md, "Retention and deletion" and "The access log").
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <signal.h>

#include <fstream>
#include <iterator>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

const std::string organizer_key = "organizer-key-for-the-retention-test";

// A server of this file's own, with an organizer key.
Server_process& server()
{
    static Temp_dir dir;
    static Server_process process = [] () -> Server_process {
        std::ofstream(dir.path() / "organizer.key") << organizer_key << "\n";
        return Server_process(dir.path() / "keha.db", {"--organizer-key-file", (dir.path() / "organizer.key").string()});
    }();
    return process;
}
std::uint16_t port() { return server().port(); }
std::vector<std::pair<std::string, std::string>> bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

Room_keys make_room(const json& body = {{"title", "Verkostokokous"}, {"language", "fi"}})
{
    auto a = http_request(port(), "POST", "/api/rooms", body.dump(), bearer(organizer_key));
    if (a.status != 201) throw std::runtime_error("POST /api/rooms gave " + std::to_string(a.status) + ": " + a.body);
    return {a.json_body().at("code"), a.json_body().at("facilitator_key"), a.json_body().at("screen_key")};
}

std::string count_rows(const std::string& sql, const std::filesystem::path& file = server().db())
{
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
        throw std::runtime_error("cannot open the server's database");
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* s = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
}

bool in_files(const std::string& text)
{
    for (const char* suffix : {"", "-wal"}) {
        std::ifstream in(server().db().string() + suffix, std::ios::binary);
        std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        if (bytes.find(text) != std::string::npos) return true;
    }
    return false;
}

// The entries of a meeting's access log, as its facilitator downloads them.
json room_log(const Room_keys& room)
{
    auto a = http_get(port(), "/api/rooms/" + room.code + "/access-log", bearer(room.facilitator_key));
    if (a.status != 200) throw std::runtime_error("access log gave " + std::to_string(a.status) + ": " + a.body);
    return a.json_body().at("entries");
}

std::vector<json> with_event(const json& entries, const std::string& event)
{
    std::vector<json> out;
    for (const auto& e : entries)
        if (e.at("event") == event) out.push_back(e);
    return out;
}

// The next bye the member gets, skipping patches; null if the connection ends without one.
json bye_of(Member& m)
{
    while (auto next = m.try_next(5s))
        if (next->value("type", "") == "bye") return *next;
    return nullptr;
}

}  // namespace

TEST(DeleteMeeting, NeedsTheFacilitatorKeyAndSaysByeToEveryMember)
{
    auto room = make_room();
    Member facilitator(port(), room.code, with_key(room.facilitator_key));
    Member maija(port(), room.code, as_participant("Maija"));
    facilitator.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Poistuva muisto"}});

    EXPECT_EQ(http_request(port(), "DELETE", "/api/rooms/" + room.code).status, 401);
    EXPECT_EQ(http_request(port(), "DELETE", "/api/rooms/" + room.code, {}, bearer(room.screen_key)).status, 403);
    EXPECT_EQ(http_request(port(), "DELETE", "/api/rooms/" + room.code, {}, bearer("not-a-key")).status, 403);
    EXPECT_EQ(http_request(port(), "DELETE", "/api/rooms/ZZZZZZ", {}, bearer(room.facilitator_key)).status, 404);
    EXPECT_EQ(http_get(port(), "/api/rooms/" + room.code).status, 200) << "a refused delete deleted nothing";

    auto deleted = http_request(port(), "DELETE", "/api/rooms/" + room.code, {}, bearer(room.facilitator_key));
    ASSERT_EQ(deleted.status, 200) << deleted.body;
    EXPECT_EQ(deleted.json_body(), (json{{"code", room.code}, {"deleted", true}}));
    EXPECT_EQ(bye_of(facilitator), (json{{"type", "bye"}, {"reason", "room_deleted"}}));
    EXPECT_EQ(bye_of(maija), (json{{"type", "bye"}, {"reason", "room_deleted"}}));
    EXPECT_TRUE(maija.ws.wait_closed());

    EXPECT_EQ(http_get(port(), "/api/rooms/" + room.code).status, 404);
    EXPECT_EQ(http_get(port(), "/api/rooms/" + room.code + "/export", bearer(room.facilitator_key)).status, 404);
    auto hello = hello_answer(port(), hello_message(room.code, as_participant("Myöhäinen")));
    ASSERT_TRUE(hello.message);
    EXPECT_EQ(hello.message->value("code", ""), "unknown_room");
    for (const char* table : {"ops", "snapshots", "tokens"})
        EXPECT_EQ(count_rows(std::string("SELECT count(*) FROM ") + table + " WHERE room = '" + room.code + "'"), "0") << table;
    EXPECT_EQ(count_rows("SELECT count(*) FROM rooms WHERE code = '" + room.code + "'"), "0");
    EXPECT_FALSE(in_files("Poistuva muisto"));

    // Who was there stays, for the organizer.
    auto all = http_get(port(), "/api/access-log", bearer(organizer_key));
    ASSERT_EQ(all.status, 200);
    int joins = 0, deletions = 0;
    const json entries = all.json_body().at("entries");
    for (const auto& e : entries) {
        if (e.at("room") != room.code) continue;
        joins += e.at("event") == "join";
        deletions += e.at("event") == "room_deleted" && e.at("role") == "facilitator";
    }
    EXPECT_EQ(joins, 2);
    EXPECT_EQ(deletions, 1);
}

TEST(EraseItem, TheTextLeavesTheHistoryAndTheFile)
{
    auto room = make_room();
    Member facilitator(port(), room.code, with_key(room.facilitator_key));
    Member maija(port(), room.code, as_participant("Maija"));
    const auto added = facilitator.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Lapsi 131052-308T muutti"}});
    const std::string id = "i" + std::to_string(added);
    facilitator.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Tämä jää"}});
    auto refused = maija.run("item.delete", {{"board", "timeline"}, {"id", id}, {"erase", true}});
    EXPECT_EQ(refused.value("code", ""), "forbidden");
    ASSERT_TRUE(in_files("131052-308T"));

    const auto erased = facilitator.ok("item.delete", {{"board", "timeline"}, {"id", id}, {"erase", true}});
    // The ack comes after the erasure is committed.
    EXPECT_FALSE(in_files("131052-308T"));
    EXPECT_TRUE(in_files("Tämä jää"));
    auto at = http_get(port(), "/api/rooms/" + room.code + "/history?seq=" + std::to_string(added), bearer(room.facilitator_key));
    ASSERT_EQ(at.status, 200);
    json item = at.json_body()["state"]["boards"]["timeline"]["items"][id];
    EXPECT_EQ(item["text"], "");
    EXPECT_EQ(item["erased"], true);
    auto ops = http_get(port(), "/api/rooms/" + room.code + "/history", bearer(room.facilitator_key)).json_body();
    EXPECT_EQ(ops["last_seq"], erased) << "the ops stay";
    auto notes = http_get(port(), "/api/rooms/" + room.code + "/export?format=json&seq=" + std::to_string(added),
                          bearer(room.facilitator_key));
    EXPECT_EQ(notes.body.find("131052-308T"), std::string::npos);
    // A member who comes back later is not replayed the patch that held the text.
    auto again = fresh_welcome(port(), room.code, maija.token);
    EXPECT_EQ(again.dump().find("131052-308T"), std::string::npos);
    Member resumed(port(), room.code, with_token(maija.token, added - 1));
    EXPECT_EQ(resumed.welcome.dump().find("131052-308T"), std::string::npos);
    EXPECT_TRUE(resumed.welcome.contains("state"));

    auto log = room_log(room);
    auto rows = with_event(log, "item_erased");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0]["detail"], "board=timeline item=" + id);
}

TEST(AccessLog, RecordsWhoOpenedWhatAndFromWhere)
{
    auto process = http_request(port(), "POST", "/api/processes", json{{"title", "Perheen asia"}}.dump(), bearer(organizer_key));
    ASSERT_EQ(process.status, 201);
    const std::string process_id = process.json_body()["id"], process_key = process.json_body()["key"];
    auto room = make_room({{"title", "Kokous"}, {"process", process_id}, {"process_key", process_key}});
    Member facilitator(port(), room.code, with_key(room.facilitator_key));
    Member maija(port(), room.code, as_participant("Maija M", "expert"));
    Member screen(port(), room.code, with_key(room.screen_key));
    EXPECT_EQ(hello_answer(port(), hello_message(room.code, with_key("wrong-key"))).message->value("code", ""), "unauthorized");
    EXPECT_EQ(hello_answer(port(), hello_message("ZZZZZZ", as_participant("Arvaaja"))).message->value("code", ""), "unknown_room");
    EXPECT_EQ(http_get(port(), "/api/rooms/ZZZZZZ").status, 404);
    const auto f = bearer(room.facilitator_key);
    EXPECT_EQ(http_get(port(), "/api/rooms/" + room.code + "/export?format=html", f).status, 200);
    EXPECT_EQ(http_get(port(), "/api/rooms/" + room.code + "/export/check", f).status, 200);
    EXPECT_EQ(http_get(port(), "/api/rooms/" + room.code + "/history?seq=1", f).status, 200);
    EXPECT_EQ(http_get(port(), "/api/rooms/" + room.code + "/export", bearer(room.screen_key)).status, 403);
    EXPECT_EQ(http_get(port(), "/api/processes/" + process_id + "/report", bearer(process_key)).status, 200);

    // Only the facilitator downloads the meeting's log; only the organizer the whole log.
    EXPECT_EQ(http_get(port(), "/api/rooms/" + room.code + "/access-log").status, 401);
    EXPECT_EQ(http_get(port(), "/api/rooms/" + room.code + "/access-log", bearer(room.screen_key)).status, 403);
    EXPECT_EQ(http_get(port(), "/api/access-log").status, 401);
    EXPECT_EQ(http_get(port(), "/api/access-log", f).status, 403);

    json log = room_log(room);
    auto joins = with_event(log, "join");
    ASSERT_EQ(joins.size(), 3u);
    EXPECT_EQ(joins[0]["role"], "facilitator");
    EXPECT_EQ(joins[1]["role"], "participant");
    EXPECT_EQ(joins[1]["name"], "Maija M");
    EXPECT_EQ(joins[1]["pid"], maija.you);
    EXPECT_EQ(joins[1]["address"], "127.0.0.1");
    EXPECT_EQ(joins[2]["role"], "screen");
    EXPECT_EQ(with_event(log, "join_refused").size(), 1u);
    auto exports = with_event(log, "export");
    ASSERT_EQ(exports.size(), 1u);
    EXPECT_EQ(exports[0]["detail"], "format=html");
    EXPECT_EQ(exports[0]["role"], "facilitator");
    EXPECT_EQ(exports[0]["address"], "127.0.0.1");
    EXPECT_EQ(with_event(log, "identity_code_check").size(), 1u);
    EXPECT_EQ(with_event(log, "history").size(), 1u);
    EXPECT_EQ(with_event(log, "denied").size(), 3u) << "the screen key on the export, no key and the screen key on the log";
    auto reports = with_event(log, "report");
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0]["role"], "process");
    for (const auto& e : log) {
        EXPECT_FALSE(e.at("at").get<std::string>().empty());
        EXPECT_EQ(e.at("room"), room.code);
    }

    auto csv = http_get(port(), "/api/rooms/" + room.code + "/access-log?format=csv", f);
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
    EXPECT_EQ(csv.body.rfind("at,room,event,role,pid,name,address,detail\r\n", 0), 0u);
    EXPECT_NE(csv.body.find(",join,participant," + maija.you + ",Maija M,127.0.0.1,"), std::string::npos);
    EXPECT_EQ(http_get(port(), "/api/rooms/" + room.code + "/access-log?format=xml", f).status, 400);

    auto all = http_get(port(), "/api/access-log", bearer(organizer_key));
    ASSERT_EQ(all.status, 200);
    int guesses = 0;
    const json entries = all.json_body().at("entries");
    for (const auto& e : entries)
        if (e.at("room") == "ZZZZZZ" && e.at("event") == "unknown_room" && e.at("address") == "127.0.0.1") ++guesses;
    EXPECT_GE(guesses, 2) << "the hello and the page lookup with a wrong code";
    EXPECT_EQ(http_get(port(), "/api/access-log?format=csv", bearer(organizer_key)).status, 200);
}

TEST(RetentionSweep, TheServerDeletesMeetingsAndLogRowsWhoseTimeIsUp)
{
    Temp_dir dir;
    const auto db = dir.path() / "keha.db";
    constexpr long long three_days = 3LL * 24 * 60 * 60 * 1000;
    std::string old_code, new_code;
    {
        Server_process first(db);
        auto old_room = create_room(first.port());
        auto new_room = create_room(first.port());
        old_code = old_room.code;
        new_code = new_room.code;
        // A quick poll in each meeting, three answers each: their values are rows of poll_values.
        for (const auto* keys : {&old_room, &new_room}) {
            Member fac(first.port(), keys->code, with_key(keys->facilitator_key));
            const auto poll = "l" + std::to_string(fac.ok("poll.open", {{"kind", "scale"}, {"question", "Kuinka hyvin?"}}));
            for (int i = 0; i < 3; ++i)
                Member(first.port(), keys->code, as_participant("P" + std::to_string(i))).ok("poll.answer", {{"poll", poll}, {"value", 7}});
            fac.ok("poll.close", {{"poll", poll}});
            fac.ws.close();
        }
        Member f(first.port(), old_code, with_key(old_room.facilitator_key));
        f.ok("item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "Vanha visio"}});
        f.ok("room.close");
        f.ws.close();
        first.signal(SIGTERM);
        ASSERT_TRUE(first.wait_exit(10s));
    }
    // As if the first meeting had closed three days ago, and a wrong code was tried then.
    count_rows("UPDATE ops SET at_ms = at_ms - " + std::to_string(three_days) + " WHERE room = '" + old_code + "'", db);
    count_rows("UPDATE rooms SET created_at_ms = created_at_ms - " + std::to_string(three_days) + " WHERE code = '" + old_code + "'", db);
    count_rows("INSERT INTO access_log (at_ms, room, event, role, pid, name, address, detail) VALUES "
               "((strftime('%s','now') * 1000) - " + std::to_string(three_days) + ", 'ZZZZZZ', 'unknown_room', '', '', '', '10.0.0.9', 'hello')",
               db);
    ASSERT_NE(count_rows("SELECT count(*) FROM ops WHERE room = '" + old_code + "'", db), "0");
    ASSERT_EQ(count_rows("SELECT count(*) FROM poll_values WHERE room = '" + old_code + "'", db), "3");
    const auto joins = count_rows("SELECT count(*) FROM access_log WHERE room = '" + old_code + "' AND event = 'join'", db);
    ASSERT_NE(joins, "0");

    Server_process second(db, {"--retention-days", "2", "--access-log-days", "1"});
    // The sweep runs two seconds after the start and ends with the pruning of the log; wait
    // for its line, bounded.
    const auto deadline = Clock::now() + 20s;
    while (second.log_text().find("access_log_pruned") == std::string::npos && Clock::now() < deadline)
        std::this_thread::sleep_for(100ms);
    EXPECT_EQ(http_get(second.port(), "/api/rooms/" + old_code).status, 404);
    EXPECT_EQ(http_get(second.port(), "/api/rooms/" + new_code).status, 200) << "a meeting still in use stays";
    EXPECT_EQ(count_rows("SELECT count(*) FROM ops WHERE room = '" + old_code + "'", db), "0");
    EXPECT_EQ(count_rows("SELECT count(*) FROM poll_values WHERE room = '" + old_code + "'", db), "0");
    EXPECT_EQ(count_rows("SELECT count(*) FROM poll_values WHERE room = '" + new_code + "'", db), "3");
    EXPECT_EQ(count_rows("SELECT count(*) FROM access_log WHERE room = '" + old_code + "' AND event = 'join'", db), joins)
        << "the deleted meeting's joins are younger than their period";
    EXPECT_EQ(count_rows("SELECT count(*) FROM access_log WHERE room = '" + old_code + "' AND event = 'room_deleted' AND role = 'server'", db), "1");
    EXPECT_EQ(count_rows("SELECT count(*) FROM access_log WHERE room = 'ZZZZZZ' AND address = '10.0.0.9'", db), "0")
        << "a row past its period goes";
    EXPECT_NE(second.log_text().find("room_expired room=" + old_code), std::string::npos);
}
