// The schema check of JSON notes imported into a new room (check_notes_json): the notes of
// every shipped template import as exported, and every field that the import reads is
// refused in every wrong type and range, so that state_from_notes never meets one.
#include <gtest/gtest.h>

#include <filesystem>

#include "helpers.hpp"
#include "keha/notes.hpp"
#include "keha/provenance.hpp"

namespace keha::test {
namespace {

// A room of the template with one item on each board and every board field filled.
json notes_of(const json& room_template)
{
    Room room;
    room.state = make_state(test_meta("fi"), room_template);
    auto f = room.join("Fiona", "facilitator", "other");
    const Actor fa{f, Role::facilitator};
    auto hinder = room.add(fa, "vision", "hinders", "Kiire");
    room.add(fa, "timeline", "event", "Muutto", {{"when", "2024-05"}, {"sector", "koulu"}});
    auto action = room.add(fa, "plan", "action", "Aikaa",
                           {{"who", "Paula"}, {"with", "Koulu"}, {"due", "5/2027"}, {"status", "agreed"}, {"addresses", hinder}});
    room.add(fa, "reflections", "reflection", "Kuultiin", {{"turn", "1:reflect"}});
    room.add(fa, "hypotheses", "hypothesis", "Ehkä");
    room.add(fa, "commitments", "commitment", "Sitoudun", {{"who", "Paula"}, {"organisation", "Koulu"}});
    room.ok(fa, "item.copy", {{"board", "plan"}, {"id", action}});
    return json::parse(render_notes(room.state, Notes_format::json, catalog("fi")));
}

json& item(json& notes, const std::string& board, const std::string& id)
{
    return notes["state"]["boards"][board]["items"][id];
}

std::string first_id(const json& notes, const std::string& board)
{
    return notes["state"]["boards"][board]["items"].begin().key();
}

TEST(NotesImportCheck, TheNotesOfEveryShippedTemplateImportAsExported)
{
    int templates = 0;
    for (const auto& entry : std::filesystem::directory_iterator(asset_path("templates"))) {
        SCOPED_TRACE(entry.path().filename().string());
        const json tmpl = load_json(entry.path());
        json notes = notes_of(tmpl);
        ASSERT_EQ(check_notes_json(notes), std::nullopt);
        Room_meta meta = test_meta("fi");
        meta.code = "NEW234";
        json state = state_from_notes(notes, meta, tmpl);
        EXPECT_EQ(state["phases"], notes["state"]["phases"]) << "phases keep every field";
        EXPECT_EQ(state["phase"], notes["state"]["phases"][0]["id"]);
        for (const char* board : {"timeline", "vision", "plan", "reflections", "hypotheses", "commitments"})
            EXPECT_EQ(state["boards"][board]["items"].size(), notes["state"]["boards"][board]["items"].size()) << board;
        ++templates;
    }
    EXPECT_GE(templates, 7);
}

// One way to spoil the notes, and what it is.
struct Spoil {
    std::string what;
    std::function<void(json&)> apply;
};

std::vector<Spoil> spoils(const json& notes)
{
    const std::string t = first_id(notes, "timeline"), p = first_id(notes, "plan"), r = first_id(notes, "reflections"),
                      c = first_id(notes, "commitments");
    const std::vector<json> not_text = {5, nullptr, true, json::array(), json::object(), 1.5};
    const std::vector<json> not_number = {"x", nullptr, true, json::array(), json::object()};
    std::vector<Spoil> out;
    auto each = [&](const std::string& what, const std::vector<json>& values, std::function<json&(json&)> at) {
        for (const auto& v : values)
            out.push_back({what + " = " + v.dump(), [v, at](json& n) { at(n) = v; }});
    };
    // The envelope.
    each("format", {5, "other", nullptr}, [](json& n) -> json& { return n["format"]; });
    each("version", {"2", 0, 3, 2.5, nullptr}, [](json& n) -> json& { return n["version"]; });
    each("state", {5, "x", json::array()}, [](json& n) -> json& { return n["state"]; });
    each("room", {5, json::array()}, [](json& n) -> json& { return n["state"]["room"]; });
    each("phases", {5, json::object()}, [](json& n) -> json& { return n["state"]["phases"]; });
    each("boards", {5, json::array()}, [](json& n) -> json& { return n["state"]["boards"]; });
    // The room.
    for (const char* k : {"code", "title", "created_at"})
        each(std::string("room.") + k, not_text, [k](json& n) -> json& { return n["state"]["room"][k]; });
    each("room.title", {std::string(201, 'a'), std::string("a\0b", 3)}, [](json& n) -> json& { return n["state"]["room"]["title"]; });
    each("room.team", {5, true, json::array(), json::object(), std::string(101, 't')},
         [](json& n) -> json& { return n["state"]["room"]["team"]; });
    // A phase.
    each("phase", {1, "x", nullptr, json::array()}, [](json& n) -> json& { return n["state"]["phases"][0]; });
    each("phase.id", {5, nullptr, "", std::string(101, 'i')}, [](json& n) -> json& { return n["state"]["phases"][0]["id"]; });
    each("phase.title", {5, nullptr, "", std::string(201, 'a')}, [](json& n) -> json& { return n["state"]["phases"][0]["title"]; });
    each("phase.kind", {5, nullptr, "", std::string(41, 'k')}, [](json& n) -> json& { return n["state"]["phases"][0]["kind"]; });
    each("phase.question", {5, nullptr, std::string(2001, 'q'), "a\x07"}, [](json& n) -> json& { return n["state"]["phases"][0]["question"]; });
    each("phase.board", {5, "nowhere", true}, [](json& n) -> json& { return n["state"]["phases"][0]["board"]; });
    each("phase.timebox_s", {"x", -1, 14401, 1.5, nullptr, true}, [](json& n) -> json& { return n["state"]["phases"][0]["timebox_s"]; });
    each("phase.turn_mode", {3, "dance", nullptr}, [](json& n) -> json& { return n["state"]["phases"][0]["turn_mode"]; });
    each("phase.card", {5, "x", json::array()}, [](json& n) -> json& { return n["state"]["phases"][0]["card"]; });
    each("phase.card.title", {5, std::string(201, 'a')}, [](json& n) -> json& { return n["state"]["phases"][0]["card"]["title"]; });
    each("phase.card.lines", {5, "x", json{1}, json{std::string(2001, 'l')}, json(std::vector<std::string>(51, "l"))},
         [](json& n) -> json& { return n["state"]["phases"][0]["card"]["lines"]; });
    out.push_back({"two phases with one id", [](json& n) { n["state"]["phases"][1]["id"] = n["state"]["phases"][0]["id"]; }});
    out.push_back({"phase without id", [](json& n) { n["state"]["phases"][0].erase("id"); }});
    out.push_back({"phase without title", [](json& n) { n["state"]["phases"][0].erase("title"); }});
    out.push_back({"101 phases", [](json& n) {
                       json phases = json::array();
                       for (int i = 0; i < 101; ++i) phases.push_back({{"id", "p" + std::to_string(i)}, {"title", "P"}});
                       n["state"]["phases"] = phases;
                   }});
    // A board and its items.
    out.push_back({"unknown board", [](json& n) { n["state"]["boards"]["kanban"] = {{"items", json::object()}}; }});
    each("board", {5, json::array()}, [](json& n) -> json& { return n["state"]["boards"]["plan"]; });
    each("board.items", {5, json::array(), nullptr}, [](json& n) -> json& { return n["state"]["boards"]["plan"]["items"]; });
    each("item", {5, "x", json::array(), nullptr}, [t](json& n) -> json& { return item(n, "timeline", t); });
    for (const std::string& bad_id : std::vector<std::string>{"a/b", "a~1", "", std::string(40, 'i'), "ä", "a b"})
        out.push_back({"item id \"" + bad_id + "\"", [t, bad_id](json& n) { item(n, "timeline", bad_id) = item(n, "timeline", t); }});
    each("item.text", not_text, [t](json& n) -> json& { return item(n, "timeline", t)["text"]; });
    each("item.text", {"", std::string(2001, 'a'), std::string("a\0b", 3), "a\rb", "\x1b[2J", "\x7f\x01"},
         [t](json& n) -> json& { return item(n, "timeline", t)["text"]; });
    out.push_back({"item without text", [t](json& n) { item(n, "timeline", t).erase("text"); }});
    each("item.column", {5, nullptr, "action"}, [t](json& n) -> json& { return item(n, "timeline", t)["column"]; });
    out.push_back({"item without column", [t](json& n) { item(n, "timeline", t).erase("column"); }});
    each("item.created_at", not_text, [t](json& n) -> json& { return item(n, "timeline", t)["created_at"]; });
    each("item.order", not_number, [t](json& n) -> json& { return item(n, "timeline", t)["order"]; });
    for (const auto& [board, id, fields] :
         {std::tuple{std::string("timeline"), t, std::vector<std::string>{"when", "sector"}},
          std::tuple{std::string("plan"), p, std::vector<std::string>{"who", "with", "due", "status", "addresses"}},
          std::tuple{std::string("reflections"), r, std::vector<std::string>{"turn"}},
          std::tuple{std::string("commitments"), c, std::vector<std::string>{"who", "organisation"}}})
        for (const auto& f : fields) {
            each("item." + f + " on " + board, not_text, [board, id, f](json& n) -> json& { return item(n, board, id)[f]; });
            each("item." + f + " on " + board, {std::string(201, 'x'), std::string("a\0", 2)},
                 [board, id, f](json& n) -> json& { return item(n, board, id)[f]; });
        }
    each("item.status", {"maybe", ""}, [p](json& n) -> json& { return item(n, "plan", p)["status"]; });
    each("item.addresses", {"a/b"}, [p](json& n) -> json& { return item(n, "plan", p)["addresses"]; });
    each("item.copy_of", {5, nullptr, true, "a/b", ""}, [p](json& n) -> json& { return item(n, "plan", p)["copy_of"]; });
    each("item.source", {5, "x", json::array()}, [p](json& n) -> json& { return item(n, "plan", p)["source"]; });
    each("item.source.origin", {5, nullptr, "", std::string(101, 'o')},
         [p](json& n) -> json& { return item(n, "plan", p)["source"]["origin"]; });
    return out;
}

TEST(NotesImportCheck, EveryFieldTheImportReadsIsRefusedInEveryWrongTypeAndRange)
{
    const json notes = notes_of(default_template());
    ASSERT_EQ(check_notes_json(notes), std::nullopt);
    int checked = 0;
    for (const auto& spoil : spoils(notes)) {
        SCOPED_TRACE(spoil.what);
        json bad = notes;
        spoil.apply(bad);
        auto problem = check_notes_json(bad);
        EXPECT_TRUE(problem.has_value()) << "accepted";
        if (problem) {
            EXPECT_FALSE(problem->empty());
        }
        ++checked;
    }
    EXPECT_GT(checked, 150);
}

TEST(NotesImportCheck, WhatItAcceptsBuildsAStateWithoutThrowing)
{
    const json notes = notes_of(default_template());
    const std::string t = first_id(notes, "timeline"), p = first_id(notes, "plan");
    // Every optional field left out, the longest texts, tab and newline, fields nobody reads.
    json lean = notes;
    for (const char* k : {"code", "title", "created_at", "team"}) lean["state"]["room"].erase(k);
    for (auto& phase : lean["state"]["phases"])
        for (const char* k : {"kind", "question", "board", "timebox_s", "turn_mode", "card"}) phase.erase(k);
    for (const char* k : {"created_at", "order", "when", "sector", "source", "copy_of"}) item(lean, "timeline", t).erase(k);
    item(lean, "timeline", t)["text"] = repeat("ä", 2000);
    item(lean, "timeline", t)["votes"] = "whatever";
    item(lean, "plan", p)["text"] = "rivi\n\tsisennys";
    item(lean, "plan", p)["addresses"] = "";
    lean["state"]["room"]["team"] = nullptr;
    lean["state"]["phases"][0]["board"] = nullptr;
    lean["version"] = 1;
    ASSERT_EQ(check_notes_json(lean), std::nullopt);
    Room_meta meta = test_meta("fi");
    json state;
    ASSERT_NO_THROW(state = state_from_notes(lean, meta, default_template()));
    EXPECT_EQ(state["boards"]["timeline"]["items"]["m" + t]["text"], repeat("ä", 2000));
    EXPECT_EQ(state["phases"][0]["turn_mode"], "none");
    ASSERT_NO_THROW(render_notes(state, Notes_format::md, catalog("fi")));
    ASSERT_NO_THROW(render_notes(state, Notes_format::html, catalog("fi")));
}

}  // namespace
}  // namespace keha::test
