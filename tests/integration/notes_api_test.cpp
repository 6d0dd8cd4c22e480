// Notes, history, processes, imports and the anonymous questionnaire over the real server:
// HTTP routes of docs/protocol.md ("Notes, history, processes, ratings") and the WebSocket
// commands that need the store (ratings.close, item.import).
#include <gtest/gtest.h>

#include "support/meeting.hpp"
#include "support/stored_log.hpp"

using namespace keha::itest;

namespace {

std::uint16_t port() { return shared_server().port(); }
std::vector<std::pair<std::string, std::string>> bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

struct Process_keys {
    std::string id, key;
};
Process_keys create_process(const json& body = {{"title", "Lapsen asia"}, {"teams", {"Ammattilaiset", "Johtajat"}}})
{
    auto a = http_request(port(), "POST", "/api/processes", body.dump());
    if (a.status != 201) throw std::runtime_error("POST /api/processes gave " + std::to_string(a.status) + ": " + a.body);
    return {a.json_body().at("id"), a.json_body().at("key")};
}

// The server's database as another program sees it (WAL: readers do not disturb the server).
std::vector<std::vector<std::string>> db_rows(const std::string& sql) { return keha::itest::db_rows(shared_server().db(), sql); }

TEST(Processes, CreateListAndAuthorize)
{
    EXPECT_EQ(http_request(port(), "POST", "/api/processes", "{}").status, 400);
    EXPECT_EQ(http_request(port(), "POST", "/api/processes", R"({"title":"x","teams":"A"})").status, 400);
    EXPECT_EQ(http_request(port(), "POST", "/api/processes", R"({"title":"x","teams":["A","A"]})").status, 400);
    EXPECT_EQ(http_request(port(), "POST", "/api/processes", R"({"title":"x","color":"red"})").status, 400);
    auto p = create_process();
    EXPECT_EQ(p.id.rfind("prc_", 0), 0u);
    EXPECT_GE(p.key.size(), 43u);

    auto bad_team = http_request(port(), "POST", "/api/rooms", json{{"title", "T"}, {"process", p.id}, {"process_key", p.key}, {"team", "Kokit"}}.dump());
    EXPECT_EQ(bad_team.status, 400);
    // Any other process text is the core protocol's free label: the room belongs to no process.
    auto labelled = create_room(port(), {{"title", "T"}, {"process", "prc_nope"}});
    EXPECT_EQ(http_request(port(), "POST", "/api/rooms", json{{"title", "T"}, {"process", "prc_nope"}, {"team", "A"}}.dump()).status, 400);
    EXPECT_EQ(http_request(port(), "POST", "/api/rooms", json{{"title", "T"}, {"team", "Johtajat"}}.dump()).status, 400);

    auto first = create_room(port(), {{"title", "Ammattilaiset 1"}, {"process", p.id}, {"process_key", p.key}, {"team", "Ammattilaiset"}, {"language", "fi"}});
    auto second = create_room(port(), {{"title", "Johtajat 1"}, {"process", p.id}, {"process_key", p.key}, {"team", "Johtajat"}, {"language", "fi"}});
    auto outsider = create_room(port(), {{"title", "Muu"}});
    {
        Member f(port(), first.code, with_key(first.facilitator_key));
        EXPECT_EQ(f.state["room"]["process"], p.id);
        EXPECT_EQ(f.state["room"]["team"], "Ammattilaiset");
        f.ok("item.add", {{"board", "commitments"}, {"column", "commitment"}, {"text", "Sitoudun"}, {"who", "Maija"}});
        f.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Palaveri"}, {"status", "agreed"}});
    }
    const std::string target = "/api/processes/" + p.id;
    EXPECT_EQ(http_get(port(), "/api/processes/prc_nope", bearer(p.key)).status, 404);
    EXPECT_EQ(http_get(port(), target).status, 401);
    EXPECT_EQ(http_get(port(), target, bearer(outsider.facilitator_key)).status, 403);
    EXPECT_EQ(http_get(port(), target, bearer(labelled.facilitator_key)).status, 403);
    EXPECT_EQ(http_get(port(), target, bearer(first.screen_key)).status, 403);
    for (const auto& key : {p.key, first.facilitator_key, second.facilitator_key}) {
        auto a = http_get(port(), target, bearer(key));
        ASSERT_EQ(a.status, 200) << a.body;
        auto j = a.json_body();
        EXPECT_EQ(j["title"], "Lapsen asia");
        EXPECT_EQ(j["teams"], (json{"Ammattilaiset", "Johtajat"}));
        ASSERT_EQ(j["meetings"].size(), 2u);
        EXPECT_EQ(j["meetings"][0]["code"], first.code);
        EXPECT_EQ(j["meetings"][0]["title"], "Ammattilaiset 1");
        EXPECT_EQ(j["meetings"][0]["team"], "Ammattilaiset");
        EXPECT_EQ(j["meetings"][0]["template"], "default");
        EXPECT_EQ(j["meetings"][0]["status"], "open");
        EXPECT_EQ(j["meetings"][0]["counts"]["commitments"], 1);
        EXPECT_EQ(j["meetings"][0]["counts"]["agreements"], 1);
        EXPECT_EQ(j["meetings"][1]["code"], second.code);
        EXPECT_EQ(j["totals"]["commitments"], 1);
    }
    // Who opened the process is logged (ids only).
    const std::string log = shared_server().log_text();
    EXPECT_NE(log.find("process=" + p.id + " by=process"), std::string::npos);
    EXPECT_NE(log.find("process=" + p.id + " by=facilitator:" + first.code), std::string::npos);
    auto md = http_get(port(), target + "/report?format=md", bearer(p.key));
    ASSERT_EQ(md.status, 200);
    EXPECT_NE(md.header("content-type").find("text/markdown"), std::string::npos);
    EXPECT_NE(md.body.find("# Lapsen asia"), std::string::npos);
    EXPECT_NE(md.body.find("Ammattilaiset 1"), std::string::npos);
    EXPECT_NE(md.body.find("Sitoudun"), std::string::npos);
    auto html = http_get(port(), target + "/report?format=html", bearer(second.facilitator_key));
    ASSERT_EQ(html.status, 200);
    EXPECT_NE(html.body.find("<!doctype html>"), std::string::npos);
    EXPECT_EQ(http_get(port(), target + "/report?format=json", bearer(p.key)).status, 400);
    EXPECT_EQ(http_get(port(), target + "/report?format=md", bearer(outsider.facilitator_key)).status, 403);
}

TEST(Processes, ALaterMeetingImportsItemsWithProvenanceReadOnly)
{
    auto p = create_process();
    auto pros = create_room(port(), {{"title", "Ammattilaiset 1"}, {"process", p.id}, {"process_key", p.key}, {"team", "Ammattilaiset"}, {"language", "en"}});
    auto leaders = create_room(port(), {{"title", "Johtajat 1"}, {"process", p.id}, {"process_key", p.key}, {"team", "Johtajat"}, {"language", "en"}});
    auto elsewhere = create_room(port(), {{"title", "Toinen"}});
    {
        Member f(port(), pros.code, with_key(pros.facilitator_key));
        Member m(port(), pros.code, as_participant("Maija"));
        m.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Ilmoitus"}, {"when", "2021-09"}});
        m.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Palaveri kuukausittain"}, {"status", "agreed"}});
        m.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "PRIVATE"}, {"hidden", true}});
    }
    Member lf(port(), leaders.code, with_key(leaders.facilitator_key));
    Member lp(port(), leaders.code, as_participant("Liisa", "leader"));
    EXPECT_EQ(lp.run("item.import", {{"from", pros.code}})["code"], "forbidden");
    EXPECT_EQ(lf.run("item.import", {{"from", elsewhere.code}})["code"], "forbidden") << "another process";
    EXPECT_EQ(lf.run("item.import", {{"from", "ZZZZZZ"}})["code"], "not_found");
    EXPECT_EQ(lf.run("item.import", {{"from", leaders.code}})["code"], "invalid");
    lf.ok("item.import", {{"from", pros.code}});
    lp.catch_up(lf.seq);
    const json& plan = lp.state["boards"]["plan"]["items"];
    ASSERT_EQ(plan.size(), 1u) << plan.dump();
    const json item = plan.begin().value();
    EXPECT_EQ(item["text"], "Palaveri kuukausittain");
    EXPECT_EQ(item["readonly"], true);
    EXPECT_EQ(item["source"]["code"], pros.code);
    EXPECT_EQ(item["source"]["team"], "Ammattilaiset");
    EXPECT_EQ(item["source"]["meeting"], "Ammattilaiset 1");
    EXPECT_EQ(lp.state["boards"]["timeline"]["items"].size(), 1u);
    EXPECT_EQ(lf.run("item.edit", {{"board", "plan"}, {"id", item["id"]}, {"text", "x"}})["code"], "forbidden");
    lf.ok("item.copy", {{"board", "plan"}, {"id", item["id"]}});
    const std::string copy = "i" + std::to_string(lf.seq);
    lf.ok("item.edit", {{"board", "plan"}, {"id", copy}, {"text", "Palaveri työajalla"}});
    auto notes = http_get(port(), "/api/rooms/" + leaders.code + "/export?format=md", bearer(leaders.facilitator_key));
    ASSERT_EQ(notes.status, 200);
    EXPECT_NE(notes.body.find("Palaveri työajalla (from: Ammattilaiset · Ammattilaiset 1 · " + pros.code), std::string::npos)
        << notes.body;
    EXPECT_NE(notes.body.find("- **Process:** Lapsen asia\n"), std::string::npos);
    EXPECT_NE(notes.body.find("- **Team:** Johtajat\n"), std::string::npos);
    EXPECT_EQ(notes.body.find("PRIVATE"), std::string::npos);
}

TEST(Ratings, AnswersCannotBeLinkedToPeopleOrReadBeforeTheClose)
{
    auto keys = create_room(port(), {{"title", "Arviot"}, {"language", "en"}});
    Member f(port(), keys.code, with_key(keys.facilitator_key));
    std::vector<std::unique_ptr<Member>> people;
    for (const char* name : {"Anna", "Bertta", "Cecilia"}) people.push_back(std::make_unique<Member>(port(), keys.code, as_participant(name)));
    EXPECT_EQ(people[0]->run("ratings.open")["code"], "forbidden");
    f.ok("ratings.open");
    const int heard[] = {3, 9, 7};
    for (std::size_t i = 0; i < people.size(); ++i)
        people[i]->ok("rating.submit", {{"answers", {{"heard", heard[i]}, {"useful", 8}}}, {"comment", "COMMENT-" + std::to_string(i)}});
    EXPECT_EQ(people[1]->run("rating.submit", {{"answers", {{"heard", 1}}}})["code"], "conflict") << "once per participant";
    f.catch_up(people[2]->seq);
    EXPECT_EQ(f.state["ratings"]["answered"], 3);
    EXPECT_TRUE(f.state["ratings"]["results"].is_null()) << "nothing before the close";
    for (const auto& m : f.patches) EXPECT_EQ(m.dump().find("COMMENT"), std::string::npos);
    f.ok("ratings.close");
    const json& r = f.state["ratings"]["results"];
    EXPECT_EQ(r["count"], 3);
    EXPECT_EQ(r["questions"][0]["id"], "heard");
    EXPECT_EQ(r["questions"][0]["median"], 7.0);
    EXPECT_EQ(r["questions"][1]["median"], 8.0);
    EXPECT_EQ(r["comments"], (json{"COMMENT-0", "COMMENT-1", "COMMENT-2"}));

    // The file: the op log says who answered and nothing of what (only the close carries the
    // aggregate, comments sorted); the answers name no one.
    auto ops = db_rows("SELECT by_pid, cmd, patch FROM ops WHERE room = '" + keys.code + "'");
    int submits = 0;
    for (const auto& op : ops) {
        if (op[1] != "ratings.close") {
            EXPECT_EQ(op[2].find("COMMENT"), std::string::npos) << op[1];
        }
        if (op[1] != "rating.submit") continue;
        ++submits;
        auto patch = json::parse(op[2]);
        ASSERT_EQ(patch.size(), 2u);
        EXPECT_EQ(patch[0]["path"], "/participants/" + op[0] + "/rated");
        EXPECT_EQ(patch[1]["path"], "/ratings/answered");
    }
    EXPECT_EQ(submits, 3);
    auto scores = db_rows("SELECT * FROM rating_scores WHERE room = '" + keys.code + "'");
    EXPECT_EQ(scores.size(), 6u);
    for (const auto& row : scores) {
        ASSERT_EQ(row.size(), 4u) << "id, room, question, score — nothing else";
        for (const auto& p : people) EXPECT_NE(row[1], p->you);
    }
    EXPECT_EQ(db_rows("SELECT * FROM rating_comments WHERE room = '" + keys.code + "'").size(), 3u);
    // Nothing else in the database refers to a person and a score together.
    for (const auto& t : db_rows("SELECT name FROM sqlite_schema WHERE type = 'table'"))
        for (const auto& col : db_rows("SELECT name FROM pragma_table_info('" + t[0] + "')"))
            if (t[0] == "rating_scores" || t[0] == "rating_comments") {
                EXPECT_TRUE(col[0] == "id" || col[0] == "room" || col[0] == "question" || col[0] == "score" || col[0] == "text") << col[0];
            }
}

TEST(Ratings, ResultsAreWithheldBelowThreeAnswers)
{
    auto keys = create_room(port(), {{"title", "Vähän"}, {"language", "en"}});
    Member f(port(), keys.code, with_key(keys.facilitator_key));
    Member a(port(), keys.code, as_participant("A"));
    Member b(port(), keys.code, as_participant("B"));
    f.ok("ratings.open");
    a.ok("rating.submit", {{"answers", {{"heard", 2}}}, {"comment", "SECRET-COMMENT"}});
    b.ok("rating.submit", {{"answers", {{"heard", 10}}}});
    f.catch_up(b.seq);
    f.ok("ratings.close");
    EXPECT_EQ(f.state["ratings"]["results"], (json{{"suppressed", true}, {"minimum", 3}}));
    auto md = http_get(port(), "/api/rooms/" + keys.code + "/export?format=md", bearer(keys.facilitator_key));
    EXPECT_NE(md.body.find("Fewer than three answered"), std::string::npos) << md.body;
    EXPECT_EQ(md.body.find("SECRET-COMMENT"), std::string::npos);
}

TEST(History, StateAndNotesAtAnyEarlierSeq)
{
    auto keys = create_room(port(), {{"title", "Historia"}, {"language", "en"}});
    Member f(port(), keys.code, with_key(keys.facilitator_key));
    const auto first = f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "EARLY-EVENT"}});
    const json at_first = f.state;
    f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "LATE-EVENT"}});
    const std::string base = "/api/rooms/" + keys.code + "/history";
    EXPECT_EQ(http_get(port(), base).status, 401);
    EXPECT_EQ(http_get(port(), base, bearer(keys.screen_key)).status, 403);
    EXPECT_EQ(http_get(port(), "/api/rooms/ZZZZZZ/history", bearer(keys.facilitator_key)).status, 404);
    EXPECT_EQ(http_get(port(), base + "?seq=abc", bearer(keys.facilitator_key)).status, 400);
    auto list = http_get(port(), base, bearer(keys.facilitator_key));
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.json_body()["last_seq"], f.seq);
    EXPECT_EQ(list.json_body()["ops"].size(), f.seq);
    EXPECT_EQ(list.json_body()["ops"][first - 1]["cmd"], "item.add");
    auto then = http_get(port(), base + "?seq=" + std::to_string(first), bearer(keys.facilitator_key));
    ASSERT_EQ(then.status, 200);
    EXPECT_EQ(then.json_body()["seq"], first);
    EXPECT_EQ(then.json_body()["state"], at_first) << "the state a member had right after that seq";
    auto notes = http_get(port(), "/api/rooms/" + keys.code + "/export?format=md&seq=" + std::to_string(first), bearer(keys.facilitator_key));
    ASSERT_EQ(notes.status, 200);
    EXPECT_NE(notes.body.find("EARLY-EVENT"), std::string::npos);
    EXPECT_EQ(notes.body.find("LATE-EVENT"), std::string::npos);
    EXPECT_NE(notes.body.find("As of"), std::string::npos);
    auto now = http_get(port(), "/api/rooms/" + keys.code + "/export?format=md", bearer(keys.facilitator_key));
    EXPECT_NE(now.body.find("LATE-EVENT"), std::string::npos);
}

TEST(Export, IdentityCodeCheckAndNamePolicy)
{
    auto keys = create_room(port(), {{"title", "Tarkistus"}, {"language", "en"}});
    Member f(port(), keys.code, with_key(keys.facilitator_key));
    Member e(port(), keys.code, as_participant("Eetu Esimerkki", "expert"));
    e.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Syntynyt 131052-308T"}});
    const std::string id = "i" + std::to_string(e.seq);
    const std::string check = "/api/rooms/" + keys.code + "/export/check";
    EXPECT_EQ(http_get(port(), check).status, 401);
    EXPECT_EQ(http_get(port(), check, bearer(keys.screen_key)).status, 403);
    auto a = http_get(port(), check, bearer(keys.facilitator_key));
    ASSERT_EQ(a.status, 200) << a.body;
    EXPECT_EQ(a.json_body()["count"], 1);
    EXPECT_EQ(a.json_body()["identity_codes"][0], (json{{"board", "timeline"}, {"id", id}, {"field", "text"}, {"offset", 9}, {"length", 11}, {"hidden", false}}));

    const std::string exp = "/api/rooms/" + keys.code + "/export?format=md";
    EXPECT_NE(http_get(port(), exp, bearer(keys.facilitator_key)).body.find("E. E."), std::string::npos);
    EXPECT_NE(http_get(port(), exp + "&names=full", bearer(keys.facilitator_key)).body.find("Eetu Esimerkki"), std::string::npos);
    auto groups = http_get(port(), exp + "&names=groups", bearer(keys.facilitator_key)).body;
    EXPECT_EQ(groups.find("Eetu"), std::string::npos);
    EXPECT_EQ(groups.find("E. E."), std::string::npos);
    EXPECT_EQ(http_get(port(), exp + "&names=nick", bearer(keys.facilitator_key)).status, 400);
    f.ok("room.settings", {{"notes_names", "full"}});
    EXPECT_NE(http_get(port(), exp, bearer(keys.facilitator_key)).body.find("Eetu Esimerkki"), std::string::npos);
}

TEST(Export, JsonNotesImportIntoANewRoom)
{
    auto keys = create_room(port(), {{"title", "Alkuperäinen"}, {"language", "fi"}});
    {
        Member f(port(), keys.code, with_key(keys.facilitator_key));
        f.ok("item.add", {{"board", "vision"}, {"column", "hinders"}, {"text", "Kiire"}});
        const std::string h = "i" + std::to_string(f.seq);
        f.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Aikaa"}, {"addresses", h}});
        f.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "HIDDEN"}, {"hidden", true}});
    }
    auto notes = http_get(port(), "/api/rooms/" + keys.code + "/export?format=json", bearer(keys.facilitator_key));
    ASSERT_EQ(notes.status, 200);
    EXPECT_EQ(http_request(port(), "POST", "/api/rooms", json{{"title", "Jatko"}, {"import", {{"format", "other"}}}}.dump()).status, 400);
    auto copy = create_room(port(), {{"title", "Jatko"}, {"import", notes.json_body()}});
    Member f(port(), copy.code, with_key(copy.facilitator_key));
    EXPECT_EQ(f.state["room"]["title"], "Jatko");
    EXPECT_EQ(f.state["room"]["code"], copy.code);
    const json& plan = f.state["boards"]["plan"]["items"];
    ASSERT_EQ(plan.size(), 1u);
    const json& action = plan.begin().value();
    EXPECT_EQ(action["text"], "Aikaa");
    EXPECT_EQ(action["source"]["code"], keys.code);
    EXPECT_TRUE(f.state["boards"]["vision"]["items"].contains(action["addresses"].get<std::string>()));
    f.ok("item.edit", {{"board", "plan"}, {"id", action["id"]}, {"status", "agreed"}});
    f.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Uusi"}});
    EXPECT_EQ(f.state["boards"]["plan"]["items"].size(), 2u);
}

// The MONNI chain with the shipped templates, end to end: the professionals' meeting, the
// leaders' meeting that starts with their timeline and plan, the cross-reflection that agrees
// the plan and records commitments; then the notes and the process report.
TEST(Processes, TheMonniChainWithTheShippedTemplates)
{
    auto p = create_process({{"title", "MONNI Kanta-Häme"}, {"teams", {"Ammattilaiset", "Johtajat"}}});
    auto pros = create_room(port(), {{"title", "Ammattilaisten tiimi 1"}, {"template", "monni-professionals"}, {"process", p.id}, {"process_key", p.key},
                                     {"team", "Ammattilaiset"}, {"language", "fi"}});
    auto leaders = create_room(port(), {{"title", "Johtajien tiimi 1"}, {"template", "monni-leaders"}, {"process", p.id}, {"process_key", p.key},
                                        {"team", "Johtajat"}, {"language", "fi"}});
    auto cross = create_room(port(), {{"title", "Ristiinreflektio"}, {"template", "cross-reflection"}, {"process", p.id}, {"process_key", p.key},
                                      {"language", "fi"}});
    {
        Member f(port(), pros.code, with_key(pros.facilitator_key));
        Member m(port(), pros.code, as_participant("Maija Meikäläinen"));
        Member e(port(), pros.code, as_participant("Eetu Esimerkki", "expert"));
        f.ok("phase.goto", {{"phase", "timeline"}});
        m.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Ensimmäinen ilmoitus"}, {"when", "2021-09"}, {"sector", "Lastensuojelu"}});
        f.ok("board.reveal", {{"board", "timeline"}});  // the timeline is written privately first
        f.ok("phase.goto", {{"phase", "vision"}});
        e.ok("item.add", {{"board", "vision"}, {"column", "hinders"}, {"text", "Nuori ei ole mukana"}});
        const std::string h = "i" + std::to_string(e.seq);
        f.ok("phase.goto", {{"phase", "plan"}});
        m.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Nuori kutsutaan palavereihin"}, {"who", "Maija"},
                          {"addresses", h}, {"status", "agreed"}});
        f.ok("ratings.open");
        for (Member* x : {&m, &e, &f}) x->ok("rating.submit", {{"answers", {{"heard", 8}, {"useful", 9}}}});
        f.ok("ratings.close");
        EXPECT_EQ(f.state["ratings"]["results"]["count"], 3);
    }
    {
        Member f(port(), leaders.code, with_key(leaders.facilitator_key));
        f.ok("item.import", {{"from", pros.code}});
        EXPECT_EQ(f.state["boards"]["timeline"]["items"].size(), 1u);
        ASSERT_EQ(f.state["boards"]["plan"]["items"].size(), 1u);
        Member l(port(), leaders.code, as_participant("Liisa Johtaja", "leader"));
        l.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Palaveriaika työaikaan"}, {"status", "agreed"}});
    }
    {
        Member f(port(), cross.code, with_key(cross.facilitator_key));
        f.ok("item.import", {{"from", leaders.code}, {"boards", {"plan"}}});
        std::string imported;
        for (const auto& [id, item] : f.state["boards"]["plan"]["items"].items())
            if (item["text"] == "Nuori kutsutaan palavereihin") imported = id;
        ASSERT_FALSE(imported.empty());
        EXPECT_EQ(f.state["boards"]["plan"]["items"][imported]["source"]["code"], leaders.code);
        f.ok("item.copy", {{"board", "plan"}, {"id", imported}});
        f.ok("item.edit", {{"board", "plan"}, {"id", "i" + std::to_string(f.seq)}, {"status", "done"}});
        f.ok("phase.goto", {{"phase", "commitment"}});
        Member l(port(), cross.code, as_participant("Liisa Johtaja", "leader"));
        l.ok("item.add", {{"board", "commitments"}, {"column", "commitment"}, {"text", "Sitoudumme systeemiseen työotteeseen"},
                          {"organisation", "Lastensuojelu"}});
    }
    auto notes = http_get(port(), "/api/rooms/" + pros.code + "/export?format=md", bearer(pros.facilitator_key));
    ASSERT_EQ(notes.status, 200);
    for (const char* text : {"- **Prosessi:** MONNI Kanta-Häme", "- **Tiimi:** Ammattilaiset", "### Lastensuojelu",
                             "- **Kokemusasiantuntija**: E. E.", "| Nuori kutsutaan palavereihin | Maija |  |  | Sovittu | E1: Nuori ei ole mukana |",
                             "Vastanneita: 3."})
        EXPECT_NE(notes.body.find(text), std::string::npos) << text << "\n" << notes.body;
    auto cross_notes = http_get(port(), "/api/rooms/" + cross.code + "/export?format=html", bearer(cross.facilitator_key));
    EXPECT_NE(cross_notes.body.find("Sitoudumme systeemiseen työotteeseen"), std::string::npos);
    auto report = http_get(port(), "/api/processes/" + p.id + "/report?format=md", bearer(p.key));
    ASSERT_EQ(report.status, 200);
    EXPECT_NE(report.body.find("| Nuori kutsutaan palavereihin | Sovittu | Sovittu | Tehty |"), std::string::npos) << report.body;
    EXPECT_NE(report.body.find("| Palaveriaika työaikaan | – | Sovittu | Sovittu |"), std::string::npos) << report.body;
    EXPECT_NE(report.body.find("Sitoumuksia yhteensä: 1"), std::string::npos);
    auto process = http_get(port(), "/api/processes/" + p.id, bearer(cross.facilitator_key)).json_body();
    EXPECT_EQ(process["totals"]["commitments"], 1);
    EXPECT_EQ(process["meetings"].size(), 3u);
    // The published questionnaire results per meeting, for a plot across meetings; none where
    // no questionnaire was closed.
    ASSERT_EQ(process["meetings"][0]["code"], pros.code);
    const json& published = process["meetings"][0]["ratings"];
    EXPECT_EQ(published["count"], 3);
    ASSERT_TRUE(published["questions"].is_array());
    ASSERT_FALSE(published["questions"].empty());
    EXPECT_EQ(published["questions"][0]["id"], "heard");
    EXPECT_EQ(published["questions"][0]["median"], 8);
    EXPECT_FALSE(published.contains("suppressed"));
    EXPECT_TRUE(process["meetings"][1]["ratings"].is_null());
    EXPECT_TRUE(process["meetings"][2]["ratings"].is_null());
}

}  // namespace
