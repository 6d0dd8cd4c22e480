// Meeting templates (Templates, localized) and the state a new room starts from (make_state).
#include <gtest/gtest.h>

#include <filesystem>

#include "helpers.hpp"
#include "keha/templates.hpp"

namespace keha::test {
namespace {

json minimal_template(const std::string& id = "mini")
{
    return {{"id", id},
            {"title", {{"fi", "Pieni"}, {"sv", "Liten"}, {"en", "Small"}}},
            {"phases", json::array({{{"id", "only"}, {"kind", "vision"}, {"board", "vision"}, {"timebox_s", 60},
                                     {"title", {{"fi", "Visio"}, {"en", "Vision"}}}}})}};
}

TEST(Templates, EveryShippedTemplateLoads)
{
    Templates templates;
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(asset_path("templates"))) {
        if (entry.path().extension() != ".json") continue;
        SCOPED_TRACE(entry.path().string());
        json t = load_json(entry.path().string());
        const std::string id = t.at("id");
        auto error = templates.add(t);
        EXPECT_FALSE(error) << *error;
        ASSERT_NE(templates.find(id), nullptr);
        // Every phase has its texts in all three languages and a known board.
        for (const auto& p : t["phases"]) {
            for (const char* lang : {"fi", "sv", "en"}) {
                EXPECT_TRUE(p["title"].contains(lang)) << p["id"] << " title " << lang;
                if (p.contains("question")) {
                    EXPECT_TRUE(p["question"].contains(lang)) << p["id"] << " question " << lang;
                }
            }
            if (!p["board"].is_null()) {
                EXPECT_TRUE(is_board(p["board"].get<std::string>()));
            }
        }
        // A room can be made from it in every language.
        for (const char* lang : {"fi", "sv", "en"}) {
            auto state = make_state(test_meta(lang), t);
            EXPECT_EQ(state["phases"].size(), t["phases"].size());
        }
        ++count;
    }
    EXPECT_GE(count, 1);
    EXPECT_FALSE(templates.default_id().empty());
}

TEST(Templates, DefaultTemplateHasTimelineVisionAndPlan)
{
    Templates templates;
    ASSERT_FALSE(templates.add(default_template()));
    EXPECT_EQ(templates.default_id(), "default");
    const json* t = templates.find(templates.default_id());
    ASSERT_NE(t, nullptr);
    std::set<std::string> boards;
    for (const auto& p : (*t)["phases"])
        if (p["board"].is_string()) boards.insert(p["board"].get<std::string>());
    for (const char* b : {"timeline", "vision", "plan"}) EXPECT_TRUE(boards.count(b)) << b;
}

TEST(Templates, DefaultIsTheOneMarkedDefaultElseTheFirst)
{
    Templates templates;
    ASSERT_FALSE(templates.add(minimal_template("a")));
    EXPECT_EQ(templates.default_id(), "a");
    ASSERT_FALSE(templates.add(minimal_template("b")));
    EXPECT_EQ(templates.default_id(), "a");
    json c = minimal_template("c");
    c["default"] = true;
    ASSERT_FALSE(templates.add(c));
    EXPECT_EQ(templates.default_id(), "c");
    EXPECT_EQ(templates.find("nope"), nullptr);
}

TEST(Templates, ListGivesLocalizedTitles)
{
    Templates templates;
    ASSERT_FALSE(templates.add(minimal_template()));
    auto sv = templates.list("sv");
    ASSERT_EQ(sv.size(), 1u);
    EXPECT_EQ(sv[0]["id"], "mini");
    EXPECT_EQ(sv[0]["title"], "Liten");
    EXPECT_EQ(sv[0]["language"], "sv");
    EXPECT_EQ(sv[0]["default"], true);
    EXPECT_EQ(sv[0]["phases"][0]["title"], "Visio");  // no Swedish text: Finnish
    EXPECT_EQ(templates.list("en")[0]["phases"][0]["title"], "Vision");
}

TEST(Templates, LocalizedFallsBackToFinnish)
{
    json texts = {{"fi", "Hei"}, {"en", "Hello"}};
    EXPECT_EQ(localized(texts, "en"), "Hello");
    EXPECT_EQ(localized(texts, "fi"), "Hei");
    EXPECT_EQ(localized(texts, "sv"), "Hei");
    EXPECT_EQ(localized(json("plain"), "sv"), "plain");
    EXPECT_EQ(localized(json(nullptr), "sv"), "");
    EXPECT_EQ(localized(json{{"en", "Only"}}, "sv"), "");
}

// A malformed template is refused with a message that names the template and the problem.
TEST(Templates, MalformedTemplatesGiveAClearMessage)
{
    struct Case {
        const char* what;
        json t;
        const char* mentions;
    };
    auto with = [](const char* key, json value) {
        json t = minimal_template();
        t[key] = std::move(value);
        return t;
    };
    auto with_phase = [](const char* key, json value) {
        json t = minimal_template();
        t["phases"][0][key] = std::move(value);
        return t;
    };
    auto without_phase = [](const char* key) {
        json t = minimal_template();
        t["phases"][0].erase(key);
        return t;
    };
    json no_id = minimal_template();
    no_id.erase("id");
    json no_title = minimal_template();
    no_title.erase("title");
    json no_phases = minimal_template();
    no_phases.erase("phases");
    json two_same = minimal_template();
    two_same["phases"].push_back(two_same["phases"][0]);
    const std::vector<Case> cases = {
        {"not an object", json::array(), "id"},
        {"no id", no_id, "id"},
        {"empty id", with("id", ""), "id"},
        {"numeric id", with("id", 5), "id"},
        {"no title", no_title, "title"},
        {"title without fi", with("title", {{"en", "x"}}), "title"},
        {"title a string", with("title", "x"), "title"},
        {"no phases", no_phases, "phases"},
        {"empty phases", with("phases", json::array()), "phases"},
        {"phases an object", with("phases", json::object()), "phases"},
        {"phase not an object", with("phases", json::array({"x"})), "phase"},
        {"phase without id", without_phase("id"), "id"},
        {"phase without title", without_phase("title"), "title"},
        {"phase title without fi", with_phase("title", {{"sv", "x"}}), "title"},
        {"unknown board", with_phase("board", "whiteboard"), "board"},
        {"board a number", with_phase("board", 3), "board"},
        {"negative timebox", with_phase("timebox_s", -5), "timebox_s"},
        {"timebox as text", with_phase("timebox_s", "600"), "timebox_s"},
        {"kind a number", with_phase("kind", 7), "kind"},
        {"turn_mode a number", with_phase("turn_mode", false), "turn_mode"},
        {"question a number", with_phase("question", 1), "question"},
        {"default a string", with("default", "yes"), "default"},
        {"duplicate phase ids", two_same, "only"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        Templates templates;
        std::optional<std::string> error;
        EXPECT_NO_THROW(error = templates.add(c.t));
        ASSERT_TRUE(error) << "accepted";
        EXPECT_NE(error->find(c.mentions), std::string::npos) << *error;
        EXPECT_EQ(templates.find("mini"), nullptr);
        EXPECT_TRUE(templates.list("fi").empty());
    }
}

TEST(Templates, NullBoardAndMissingOptionalFieldsAreFine)
{
    json t = minimal_template();
    t["phases"][0]["board"] = nullptr;
    t["phases"][0].erase("kind");
    t["phases"][0].erase("timebox_s");
    Templates templates;
    EXPECT_FALSE(templates.add(t));
    auto state = make_state(test_meta("fi"), t);
    const auto& p = state["phases"][0];
    EXPECT_EQ(p["kind"], "custom");
    EXPECT_TRUE(p["board"].is_null());
    EXPECT_EQ(p["timebox_s"], 0);
    EXPECT_EQ(p["turn_mode"], "none");
    EXPECT_EQ(p["question"], "");
}

// ---------------------------------------------------------------- make_state

TEST(MakeState, KeepsTheTemplatesTextsInEveryLanguage)
{
    // A Finnish room's phases carry the Swedish and English texts too: each person reads the
    // agenda in their own language, whatever the room's language.
    const json t = default_template();
    auto fi = make_state(test_meta("fi"), t);
    ASSERT_EQ(fi["phases"].size(), t["phases"].size());
    for (std::size_t i = 0; i < t["phases"].size(); ++i) {
        const auto& src = t["phases"][i];
        const auto& p = fi["phases"][i];
        for (const char* lang : {"fi", "sv", "en"}) {
            EXPECT_EQ(localized(p["title"], lang), src["title"][lang]);
            EXPECT_EQ(localized(p["question"], lang), src["question"][lang]);
        }
        EXPECT_EQ(p["id"], src["id"]);
        EXPECT_EQ(p["kind"], src["kind"]);
        EXPECT_EQ(p["board"], src["board"]);
        EXPECT_EQ(p["timebox_s"], src["timebox_s"]);
        EXPECT_EQ(p["turn_mode"], src["turn_mode"]);
    }
    auto timeline = std::find_if(fi["phases"].begin(), fi["phases"].end(), [](const json& p) { return p["id"] == "timeline"; });
    ASSERT_NE(timeline, fi["phases"].end());
    EXPECT_EQ(localized((*timeline)["title"], "fi"), "Yhdessä tekemisen aikajana");
    EXPECT_EQ(localized((*timeline)["title"], "sv"), "Tidslinje över vårt gemensamma arbete");
    for (const auto& q : fi["ratings"]["questions"]) {
        EXPECT_TRUE(q["text"].is_object()) << q["id"];
        EXPECT_NE(localized(q["text"], "sv"), localized(q["text"], "fi")) << q["id"];
    }
}

TEST(MakeState, PhaseHasExactlyTheDocumentedFields)
{
    auto state = make_state(test_meta("en"), default_template());
    for (const auto& p : state["phases"]) {
        std::set<std::string> keys;
        for (const auto& [k, v] : p.items()) keys.insert(k);
        EXPECT_EQ(keys, (std::set<std::string>{"id", "kind", "title", "question", "board", "timebox_s", "turn_mode",
                                                  "private_writing"}));
    }
}

TEST(MakeState, NewRoomIsOpenEmptyAndAtTheFirstPhase)
{
    Room_meta meta = test_meta("sv");
    meta.process = "Lapsen asia";
    auto state = make_state(meta, default_template());
    const json core = {{"code", "K7Q4MX"},
                       {"title", "Team meeting"},
                       {"language", "sv"},
                       {"template", "default"},
                       {"process", "Lapsen asia"},
                       {"status", "open"},
                       {"locked", false},
                       {"created_at", "2026-11-23T09:00:00Z"}};
    for (const auto& [k, v] : core.items()) EXPECT_EQ(state["room"][k], v) << k;
    EXPECT_EQ(state["phase"], state["phases"][0]["id"]);
    EXPECT_EQ(state["participants"], json::object());
    for (const char* b : board_names)
        EXPECT_EQ(state["boards"][b], (json{{"items", json::object()}, {"private", false}})) << b;
    EXPECT_EQ(state["boards"].size(), std::size(board_names));
    for (const char* b : {"timeline", "vision", "plan", "reflections"}) EXPECT_TRUE(state["boards"].contains(b)) << b;
    EXPECT_EQ(state["turns"], (json{{"mode", "none"}}));
    EXPECT_EQ(state["timer"], (json{{"state", "idle"}}));
    EXPECT_TRUE(state["spotlight"].is_null());
    EXPECT_TRUE(make_state(test_meta("fi"), default_template())["room"]["process"].is_null());
}

TEST(MakeState, StateHasNoKeys)
{
    auto dump = make_state(test_meta("fi"), default_template()).dump();
    EXPECT_EQ(dump.find("key"), std::string::npos);
    EXPECT_EQ(dump.find("token"), std::string::npos);
}

TEST(Boards, ColumnsAndFieldsFollowTheProtocolTable)
{
    auto names = [](std::span<const std::string_view> s) { return std::vector<std::string>(s.begin(), s.end()); };
    EXPECT_EQ(names(board_columns("timeline")), (std::vector<std::string>{"event"}));
    EXPECT_EQ(names(board_columns("vision")), (std::vector<std::string>{"vision", "hinders", "enables"}));
    EXPECT_EQ(names(board_columns("plan")), (std::vector<std::string>{"action"}));
    EXPECT_EQ(names(board_columns("reflections")), (std::vector<std::string>{"reflection"}));
    EXPECT_EQ(names(board_fields("timeline")), (std::vector<std::string>{"when", "sector"}));
    EXPECT_TRUE(board_fields("vision").empty());
    EXPECT_EQ(names(board_fields("plan")), (std::vector<std::string>{"who", "with", "due", "status", "addresses"}));
    EXPECT_EQ(names(board_fields("reflections")), (std::vector<std::string>{"turn"}));
    EXPECT_TRUE(board_columns("kanban").empty());
    EXPECT_FALSE(is_board("kanban"));
    EXPECT_FALSE(is_board(""));
    for (const char* b : board_names) EXPECT_TRUE(is_board(b));
}

}  // namespace
}  // namespace keha::test
