// Imports along a process: where an item began (A → B → C shows "from A, via B"), the links
// between actions and the hinderers or enablers they answer (kept through copies, chains and
// imports made at different times), and what an import brought.
#include <gtest/gtest.h>

#include "helpers.hpp"
#include "keha/provenance.hpp"
#include "libkeha/meeting.hpp"

namespace keha::test {
namespace {

class ProcessImports : public ::testing::Test {
protected:
    ProcessImports()
        : a(process_meta("AAAAAA", "Professionals 1", "Professionals"), default_template(), 1'795'000'000'000),
          b(process_meta("BBBBBB", "Leaders 1", "Leaders"), default_template(), 1'796'000'000'000),
          c(process_meta("CCCCCC", "Cross reflection", "Both"), default_template(), 1'797'000'000'000)
    {
    }
    void SetUp() override
    {
        af = a.join("Fiona", "other", "facilitator");
        auto p = a.join("Paula", "professional");
        a.add(p, "timeline", "event", "First meeting with the family", {{"when", "2021-09"}});
        hinder = a.add(p, "vision", "hinders", "No shared calendar");
        enabler = a.add(p, "vision", "enables", "The school counsellor knows the young person");
        action = a.add(p, "plan", "action", "Shared calendar", {{"addresses", hinder}, {"status", "agreed"}});
        other = a.add(p, "plan", "action", "Counsellor as support person", {{"addresses", enabler}});
        bf = b.join("Leena", "leader", "facilitator");
        cf = c.join("Kaisa", "other", "facilitator");
    }

    static json import(Meeting& into, const Actor& by, const Meeting& from, const std::vector<std::string>& boards)
    {
        json input = import_args(from.state, boards);
        json b = json::array();
        for (const auto& x : boards) b.push_back(x);
        return into.ok(by, "item.import", {{"from", from.state["room"]["code"]}, {"boards", b}}, &input);
    }
    static const json& item(const Meeting& m, const std::string& board, const std::string& text)
    {
        for (const auto& [id, it] : m.state["boards"][board]["items"].items())
            if (it["text"] == text && !it.contains("copy_of")) return it;
        static const json none;
        ADD_FAILURE() << "no " << board << " item " << text;
        return none;
    }
    static std::string text_of_target(const Meeting& m, const json& action)
    {
        if (!action.contains("addresses")) return "(no link)";
        const json& vision = m.state["boards"]["vision"]["items"];
        auto t = vision.find(action["addresses"].get<std::string>());
        return t == vision.end() ? "(a missing item)" : (*t)["text"].get<std::string>();
    }

    Meeting a, b, c;
    Actor af{}, bf{}, cf{};
    std::string hinder, enabler, action, other;
};

TEST_F(ProcessImports, AnItemCarriedTwiceSaysWhereItBeganAndWhichMeetingItCameThrough)
{
    import(b, bf, a, {"plan"});
    const json& in_b = item(b, "plan", "Shared calendar");
    EXPECT_EQ(in_b["source"]["meeting"], "Professionals 1");
    EXPECT_FALSE(in_b["source"].contains("first")) << "one hop: the meeting it came from is where it began";

    import(c, cf, b, {"plan"});
    const json& in_c = item(c, "plan", "Shared calendar");
    EXPECT_EQ(in_c["source"]["meeting"], "Leaders 1");
    EXPECT_EQ(in_c["source"]["code"], "BBBBBB");
    ASSERT_TRUE(in_c["source"].contains("first")) << in_c.dump();
    EXPECT_EQ(in_c["source"]["first"],
              (json{{"team", "Professionals"}, {"meeting", "Professionals 1"}, {"code", "AAAAAA"}, {"at", "2026-11-23T09:00:00Z"}}));
    EXPECT_EQ(in_c["source"]["origin"], "AAAAAA/" + action);

    // An editable copy made in B, carried on to C: still from A, via B.
    b.ok(bf, "item.copy", {{"board", "plan"}, {"id", item(b, "plan", "Counsellor as support person")["id"]}});
    b.ok(bf, "item.edit", {{"board", "plan"}, {"id", "i" + std::to_string(b.seq)}, {"text", "Counsellor as support person, agreed"}});
    json onward = import_args(b.state, {"plan"});
    bool seen = false;
    for (const auto& it : onward["items"])
        if (it["text"] == "Counsellor as support person, agreed") {
            seen = true;
            EXPECT_EQ(it["source"]["first"]["meeting"], "Professionals 1");
            EXPECT_EQ(it["source"]["meeting"], "Leaders 1");
        }
    EXPECT_TRUE(seen) << onward.dump();
}

TEST_F(ProcessImports, ADefaultImportKeepsTheLinksWhenBothCome)
{
    // In A the hinderer was made editable as a copy: the copy goes on in its place, and the
    // action that answered the original answers the copy in B.
    a.ok(af, "item.copy", {{"board", "vision"}, {"id", hinder}});
    a.ok(af, "item.edit", {{"board", "vision"}, {"id", "i" + std::to_string(a.seq)}, {"text", "No shared calendar between services"}});
    import(b, bf, a, {"timeline", "vision", "plan"});
    EXPECT_EQ(text_of_target(b, item(b, "plan", "Shared calendar")), "No shared calendar between services");
    EXPECT_EQ(text_of_target(b, item(b, "plan", "Counsellor as support person")), "The school counsellor knows the young person");
}

TEST_F(ProcessImports, ALinkIsMadeWhenTheHindererComesInALaterImport)
{
    import(b, bf, a, {"timeline", "plan"});  // the default boards: no vision yet
    EXPECT_EQ(text_of_target(b, item(b, "plan", "Shared calendar")), "(no link)");
    json patch = import(b, bf, a, {"vision"});
    EXPECT_EQ(text_of_target(b, item(b, "plan", "Shared calendar")), "No shared calendar");
    EXPECT_EQ(text_of_target(b, item(b, "plan", "Counsellor as support person")), "The school counsellor knows the young person");
    EXPECT_EQ(import_summary(patch), (json{{"hinders", 1}, {"enables", 1}})) << "the links set are no items brought";
}

TEST_F(ProcessImports, ALinkSurvivesAMeetingThatDidNotBringTheHinderer)
{
    import(b, bf, a, {"plan"});
    import(c, cf, b, {"plan"});
    import(c, cf, a, {"vision"});
    EXPECT_EQ(text_of_target(c, item(c, "plan", "Shared calendar")), "No shared calendar");
}

TEST_F(ProcessImports, ALinkAPersonClearedStaysCleared)
{
    import(b, bf, a, {"plan"});
    const std::string id = item(b, "plan", "Shared calendar")["id"];
    b.ok(bf, "item.copy", {{"board", "plan"}, {"id", id}});
    const std::string copy = "i" + std::to_string(b.seq);
    b.ok(bf, "item.edit", {{"board", "plan"}, {"id", copy}, {"addresses", ""}});
    import(b, bf, a, {"vision"});
    EXPECT_EQ(b.state["boards"]["plan"]["items"][copy]["addresses"], "");
}

TEST_F(ProcessImports, AnImportSaysWhatItBrought)
{
    json patch = import(b, bf, a, {"timeline", "vision", "plan"});
    EXPECT_EQ(import_summary(patch), (json{{"event", 1}, {"hinders", 1}, {"enables", 1}, {"action", 2}}));
    EXPECT_EQ(import_summary(import(b, bf, a, {"timeline", "vision", "plan"})), json::object()) << "nothing twice";
    EXPECT_EQ(import_summary(json::array({{{"op", "add"}, {"path", "/boards/plan/items/i1/addresses"}, {"value", "i2"}}})),
              json::object());
}

}  // namespace
}  // namespace keha::test
