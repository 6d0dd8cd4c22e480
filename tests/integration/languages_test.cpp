// Each person reads the meeting in their own language (docs/protocol.md "Languages"): the
// template's texts come in Finnish, Swedish and English whatever the room's language, a sector
// picked from the list is one language-neutral key, and the notes are written in the language
// asked for. Over the real server and its SQLite file.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

std::uint16_t port() { return shared_server().port(); }
std::vector<std::pair<std::string, std::string>> bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

json shipped_template(const std::string& id)
{
    std::ifstream in(std::string(KEHA_SOURCE_DIR) + "/assets/templates/" + id + ".json");
    return json::parse(in);
}

json shipped_catalog(const std::string& lang)
{
    std::ifstream in(std::string(KEHA_SOURCE_DIR) + "/assets/i18n/" + lang + ".json");
    return json::parse(in);
}

const json& phase_of(const json& state, const std::string& id)
{
    for (const auto& p : state.at("phases"))
        if (p.at("id") == id) return p;
    throw std::runtime_error("no phase " + id);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

// A Finnish room sends a participant the agenda, the cards and the questionnaire in all three
// languages: the Swedish participant reads Swedish, the English one English.
TEST(Languages, TemplateTextsComeInEveryLanguageWhateverTheRoomsLanguage)
{
    const json tpl = shipped_template("eratauko");
    auto keys = create_room(port(), {{"title", "Erätauko"}, {"template", "eratauko"}, {"language", "fi"}});
    Member p(port(), keys.code, as_participant("Sara"));
    ASSERT_EQ(p.state["phases"].size(), tpl["phases"].size());
    for (std::size_t i = 0; i < tpl["phases"].size(); ++i) {
        const json& want = tpl["phases"][i];
        const json& got = p.state["phases"][i];
        EXPECT_EQ(got["title"], want["title"]) << want["id"];
        EXPECT_EQ(got["question"], want["question"]) << want["id"];
        if (want.contains("card")) {
            EXPECT_EQ(got["card"]["title"], want["card"]["title"]);
            EXPECT_EQ(got["card"]["lines"], want["card"]["lines"]);
        }
    }
    EXPECT_EQ(phase_of(p.state, "ground-rules")["card"]["title"]["sv"], tpl["phases"][1]["card"]["title"]["sv"]);
    ASSERT_FALSE(p.state["ratings"]["questions"].empty());
    for (std::size_t i = 0; i < tpl["ratings"].size(); ++i)
        EXPECT_EQ(p.state["ratings"]["questions"][i]["text"], tpl["ratings"][i]["text"]);

    // A phase the facilitator adds is free text, in the one language it was written in.
    Member f(port(), keys.code, with_key(keys.facilitator_key));
    const auto seq = f.ok("phase.add", {{"title", "Tauko"}, {"question", "Hengähdetään."}});
    p.catch_up(seq);
    const json& added = phase_of(p.state, "x" + std::to_string(seq));
    EXPECT_EQ(added["title"], "Tauko");
    EXPECT_EQ(added["question"], "Hengähdetään.");
}

// "Skola och elevhälsa" picked in Swedish and "Koulu ja oppilashuolto" picked in Finnish are one
// sector: both are stored as the key "school". Free text stays as written.
TEST(Languages, ASectorPickedInSwedishAndOneInFinnishAreTheSameKey)
{
    auto keys = create_room(port(), {{"title", "Aikajana"}, {"language", "fi"}});
    Member sv(port(), keys.code, as_participant("Sara"));
    Member fi(port(), keys.code, as_participant("Aino"));
    sv.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Skolan ringde hem"}, {"sector", "Skola och elevhälsa"}});
    fi.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Koulu soitti"}, {"sector", "Koulu ja oppilashuolto"}});
    fi.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Avain"}, {"sector", "school"}});
    const auto last = fi.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Oma"}, {"sector", " Nuorisotyö "}});
    sv.catch_up(last);
    std::map<std::string, std::string> sector_by_text;
    for (const auto& [id, item] : sv.state["boards"]["timeline"]["items"].items())
        sector_by_text[item["text"]] = item.value("sector", "");
    EXPECT_EQ(sector_by_text["Skolan ringde hem"], "school");
    EXPECT_EQ(sector_by_text["Koulu soitti"], "school");
    EXPECT_EQ(sector_by_text["Avain"], "school");
    EXPECT_EQ(sector_by_text["Oma"], "Nuorisotyö");

    // An edit that picks another sector in English stores its key too.
    std::string id;
    for (const auto& [k, item] : sv.state["boards"]["timeline"]["items"].items())
        if (item["text"] == "Koulu soitti") id = k;
    const auto edited = fi.ok("item.edit", {{"board", "timeline"}, {"id", id}, {"sector", "Child protection"}});
    sv.catch_up(edited);
    EXPECT_EQ(sv.state["boards"]["timeline"]["items"][id]["sector"], "child_protection");
}

// The notes are written in the language asked for: headings, phase titles and sector labels
// all in it; without one, in the room's language.
TEST(Languages, NotesInEnglishShowTheEnglishLabelsAndTitles)
{
    const json en = shipped_catalog("en");
    const json sv = shipped_catalog("sv");
    const json tpl = shipped_template("default");
    auto keys = create_room(port(), {{"title", "Kehittäjätiimi"}, {"language", "fi"}});
    {
        Member f(port(), keys.code, with_key(keys.facilitator_key));
        f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Koulu soitti"}, {"when", "2024-03"}, {"sector", "Koulu ja oppilashuolto"}});
        f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Skolan ringde"}, {"when", "2024-04"}, {"sector", "Skola och elevhälsa"}});
    }
    const std::string base = "/api/rooms/" + keys.code + "/export?format=md";
    auto english = http_get(port(), base + "&language=en", bearer(keys.facilitator_key));
    ASSERT_EQ(english.status, 200) << english.body;
    EXPECT_TRUE(contains(english.body, en["sector.school"].get<std::string>())) << english.body;
    EXPECT_FALSE(contains(english.body, "Koulu ja oppilashuolto")) << english.body;
    EXPECT_FALSE(contains(english.body, "Skola och elevhälsa")) << english.body;
    // One sector, so one heading for both events.
    const std::string heading = "### " + en["sector.school"].get<std::string>();
    EXPECT_EQ(english.body.find(heading), english.body.rfind(heading)) << english.body;
    EXPECT_TRUE(contains(english.body, en["notes.agenda"].get<std::string>()));
    for (const auto& p : tpl["phases"]) EXPECT_TRUE(contains(english.body, p["title"]["en"].get<std::string>())) << p["id"];
    EXPECT_FALSE(contains(english.body, tpl["phases"][1]["title"]["fi"].get<std::string>()));

    auto swedish = http_get(port(), base + "&language=sv", bearer(keys.facilitator_key));
    ASSERT_EQ(swedish.status, 200);
    EXPECT_TRUE(contains(swedish.body, sv["sector.school"].get<std::string>()));
    EXPECT_TRUE(contains(swedish.body, tpl["phases"][1]["title"]["sv"].get<std::string>()));

    auto room_language = http_get(port(), base, bearer(keys.facilitator_key));
    ASSERT_EQ(room_language.status, 200);
    EXPECT_TRUE(contains(room_language.body, "Koulu ja oppilashuolto"));
    EXPECT_TRUE(contains(room_language.body, tpl["phases"][1]["title"]["fi"].get<std::string>()));

    auto html = http_get(port(), "/api/rooms/" + keys.code + "/export?format=html&language=en", bearer(keys.facilitator_key));
    ASSERT_EQ(html.status, 200);
    EXPECT_TRUE(contains(html.body, "<html lang=\"en\">"));

    auto wrong = http_get(port(), base + "&language=de", bearer(keys.facilitator_key));
    EXPECT_EQ(wrong.status, 400);
    EXPECT_EQ(wrong.json_body().value("error", ""), "invalid");
}

// The JSON notes keep the template's texts in every language, so a room made from them still
// shows each person their own.
TEST(Languages, ARoomImportedFromJsonNotesKeepsEveryLanguage)
{
    const json tpl = shipped_template("default");
    auto keys = create_room(port(), {{"title", "Alku"}, {"language", "fi"}});
    auto notes = http_get(port(), "/api/rooms/" + keys.code + "/export?format=json", bearer(keys.facilitator_key));
    ASSERT_EQ(notes.status, 200);
    auto made = http_request(port(), "POST", "/api/rooms", json{{"title", "Jatko"}, {"import", notes.json_body()}}.dump());
    ASSERT_EQ(made.status, 201) << made.body;
    Member p(port(), made.json_body().at("code"), as_participant("Sara"));
    EXPECT_EQ(p.state["phases"][1]["title"], tpl["phases"][1]["title"]);
}

// Rooms stored before sectors had keys hold the label the person picked; read from the store
// they come to every client as keys (and the history as well), so they show in each
// person's language and group as one sector.
TEST(Languages, OldRoomsWithSectorLabelsAreReadAsKeys)
{
    Temp_dir dir;
    const auto db_path = dir.path() / "old.db";
    Room_keys keys;
    {
        Server_process server(db_path);
        keys = create_room(server.port(), {{"title", "Vanha"}, {"language", "sv"}});
        Member f(server.port(), keys.code, with_key(keys.facilitator_key));
        f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Skolan ringde"}, {"sector", "school"}});
        f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Egen"}, {"sector", "Ungdomsarbete"}});
    }
    // As an older server stored it: the Swedish label instead of the key.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    for (const char* set : {"ops SET patch = replace(patch", "snapshots SET state = replace(state"}) {
        const std::string sql = std::string("UPDATE ") + set + ", '\"sector\":\"school\"', '\"sector\":\"Skola och elevhälsa\"') WHERE room = '" + keys.code + "'";
        ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
    }
    int labelled = 0;
    sqlite3_exec(
        db, ("SELECT count(*) FROM ops WHERE patch LIKE '%Skola och elevhälsa%' AND room = '" + keys.code + "'").c_str(),
        [](void* n, int, char** v, char**) { *static_cast<int*>(n) = std::atoi(v[0]); return 0; }, &labelled, nullptr);
    sqlite3_close(db);
    ASSERT_EQ(labelled, 1) << "the stored op now holds the label";

    Server_process server(db_path);
    Member f(server.port(), keys.code, with_key(keys.facilitator_key));
    std::map<std::string, std::string> sector_by_text;
    for (const auto& [id, item] : f.state["boards"]["timeline"]["items"].items()) sector_by_text[item["text"]] = item["sector"];
    EXPECT_EQ(sector_by_text["Skolan ringde"], "school");
    EXPECT_EQ(sector_by_text["Egen"], "Ungdomsarbete");

    auto history = http_get(server.port(), "/api/rooms/" + keys.code + "/history?seq=1000000", bearer(keys.facilitator_key));
    ASSERT_EQ(history.status, 200) << history.body;
    EXPECT_FALSE(contains(history.body, "Skola och elevhälsa")) << history.body;
    EXPECT_TRUE(contains(history.body, "\"sector\":\"school\"")) << history.body;

    auto notes = http_get(server.port(), "/api/rooms/" + keys.code + "/export?format=md&language=en", bearer(keys.facilitator_key));
    ASSERT_EQ(notes.status, 200);
    EXPECT_TRUE(contains(notes.body, "School and pupil welfare")) << notes.body;
}
