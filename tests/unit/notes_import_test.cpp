// Items carried from an earlier meeting of a process: provenance, read-only, editable copies,
// links from actions to hinderers kept, and an import done only once.
#include <gtest/gtest.h>

#include "helpers.hpp"
#include "keha/notes.hpp"
#include "keha/provenance.hpp"
#include "libkeha/meeting.hpp"

namespace keha::test {
namespace {

class Import : public ::testing::Test {
protected:
    Import()
        : pros(process_meta("PROAAA", "Professionals 1", "Professionals"), default_template(), 1'795'000'000'000),
          leaders(process_meta("LEDBBB", "Leaders 1", "Leaders"), default_template(), 1'796'000'000'000)
    {
    }
    void SetUp() override
    {
        auto f = pros.join("Fiona", "other", "facilitator");
        auto p = pros.join("Paula", "professional");
        event = pros.add(p, "timeline", "event", "First meeting with the family", {{"when", "2021-09"}, {"sector", "school"}});
        pros.add(p, "timeline", "event", "SECRET", {{"hidden", true}});
        hinder = pros.add(p, "vision", "hinders", "No shared calendar");
        action = pros.add(p, "plan", "action", "Shared calendar", {{"who", "Paula"}, {"addresses", hinder}, {"status", "agreed"}});
        lf = leaders.join("Leena", "leader", "facilitator");
        lp = leaders.join("Lauri", "leader");
        (void)f;
    }
    Meeting pros, leaders;
    Actor lf{}, lp{};
    std::string event, hinder, action;
};

TEST_F(Import, ArgsCarryProvenanceAndLeaveOutHiddenItems)
{
    json args = import_args(pros.state, {"timeline", "plan"});
    EXPECT_EQ(args["readonly"], true);
    ASSERT_EQ(args["items"].size(), 2u) << args.dump();
    const json& first = args["items"][0];
    EXPECT_EQ(first["board"], "timeline");
    EXPECT_EQ(first["fields"], (json{{"when", "2021-09"}, {"sector", "school"}}));
    EXPECT_EQ(first["source"], (json{{"team", "Professionals"},
                                     {"meeting", "Professionals 1"},
                                     {"code", "PROAAA"},
                                     {"item", event},
                                     {"at", "2026-11-23T09:00:00Z"},
                                     {"origin", "PROAAA/" + event}}));
    EXPECT_EQ(args.dump().find("SECRET"), std::string::npos);
}

TEST_F(Import, ImportedItemsAreReadOnlyWithTheirSource)
{
    json input = import_args(pros.state, {"timeline", "vision", "plan"});
    EXPECT_EQ(leaders.refusal(lp, "item.import", {{"from", "PROAAA"}}, &input), Error_code::forbidden);
    EXPECT_EQ(leaders.refusal(lf, "item.import", {{"from", "PROAAA"}}), Error_code::conflict) << "no items from the server";
    EXPECT_EQ(leaders.refusal(lf, "item.import", {{"from", "PROAAA"}, {"boards", {"kanban"}}}, &input), Error_code::invalid);
    leaders.ok(lf, "item.import", {{"from", "PROAAA"}, {"boards", {"timeline", "vision", "plan"}}}, &input);
    const json& plan = leaders.state["boards"]["plan"]["items"];
    ASSERT_EQ(plan.size(), 1u);
    const json& imported = plan.begin().value();
    const std::string id = imported["id"];
    EXPECT_EQ(imported["readonly"], true);
    EXPECT_EQ(imported["author"], "");
    EXPECT_EQ(imported["source"]["code"], "PROAAA");
    EXPECT_EQ(imported["source"]["item"], action);
    EXPECT_EQ(imported["status"], "agreed");
    // The action still points at the hinderer, now under its id in this meeting.
    const json& vision = leaders.state["boards"]["vision"]["items"];
    ASSERT_EQ(vision.size(), 1u);
    EXPECT_EQ(imported["addresses"], vision.begin().value()["id"]);

    EXPECT_EQ(leaders.refusal(lf, "item.edit", {{"board", "plan"}, {"id", id}, {"text", "changed"}}), Error_code::forbidden);
    EXPECT_EQ(leaders.refusal(lf, "item.move", {{"board", "plan"}, {"id", id}, {"order", 5}}), Error_code::forbidden);
    EXPECT_EQ(leaders.refusal(lf, "item.delete", {{"board", "plan"}, {"id", id}}), Error_code::forbidden);
    leaders.ok(lp, "item.vote", {{"board", "plan"}, {"id", id}});  // voting on it is fine

    // Importing again adds nothing.
    json again = leaders.ok(lf, "item.import", {{"from", "PROAAA"}}, &input);
    EXPECT_EQ(again, json::array());
}

TEST_F(Import, AnEditableCopyKeepsTheSourceAndTheOriginalStays)
{
    json input = import_args(pros.state, {"plan"});
    leaders.ok(lf, "item.import", {{"from", "PROAAA"}}, &input);
    const std::string original = leaders.state["boards"]["plan"]["items"].begin().key();
    EXPECT_EQ(leaders.refusal(lp, "item.copy", {{"board", "plan"}, {"id", original}}), Error_code::forbidden);
    leaders.ok(lf, "item.copy", {{"board", "plan"}, {"id", original}});
    const std::string copy = "i" + std::to_string(leaders.seq);
    const json& c = leaders.state["boards"]["plan"]["items"][copy];
    EXPECT_FALSE(c.value("readonly", false));
    EXPECT_EQ(c["copy_of"], original);
    EXPECT_EQ(c["source"]["origin"], "PROAAA/" + action);
    EXPECT_EQ(c["author"], std::string(lf.pid));
    EXPECT_FALSE(c.contains("addresses")) << "the hinderer was not imported, so there is no link";
    leaders.ok(lf, "item.edit", {{"board", "plan"}, {"id", copy}, {"text", "Shared calendar for leaders too"}, {"status", "done"}});
    EXPECT_EQ(origin_of(c, "LEDBBB"), "PROAAA/" + action);
    EXPECT_EQ(origin_of(leaders.state["boards"]["plan"]["items"][original], "LEDBBB"), "PROAAA/" + action);
    EXPECT_EQ(leaders.refusal(lf, "item.copy", {{"board", "plan"}, {"id", "i999"}}), Error_code::not_found);
}

TEST_F(Import, ChainsOfImportsKeepTheFirstOrigin)
{
    json input = import_args(pros.state, {"plan"});
    leaders.ok(lf, "item.import", {{"from", "PROAAA"}}, &input);
    json onward = import_args(leaders.state, {"plan"});
    ASSERT_EQ(onward["items"].size(), 1u);
    EXPECT_EQ(onward["items"][0]["source"]["code"], "LEDBBB");
    EXPECT_EQ(onward["items"][0]["source"]["team"], "Leaders");
    EXPECT_EQ(onward["items"][0]["source"]["origin"], "PROAAA/" + action);
}

TEST_F(Import, AddressesMustNameAVisionItem)
{
    auto p = pros.join("Pekka", "professional");
    EXPECT_EQ(pros.refusal(p, "item.add", {{"board", "plan"}, {"column", "action"}, {"text", "x"}, {"addresses", "i999"}}),
              Error_code::invalid);
    pros.add(p, "plan", "action", "y", {{"addresses", hinder}});
    pros.add(p, "plan", "action", "z", {{"addresses", ""}});
}

}  // namespace
}  // namespace keha::test

namespace keha::test {
namespace {

TEST(NotesImport, JsonNotesBecomeTheFirstStateOfANewRoom)
{
    Room old;
    auto p = old.join("Paula", "participant", "professional");
    const Actor pa{p, Role::participant};
    auto h = old.add(pa, "vision", "hinders", "Kiire");
    auto a = old.add(pa, "plan", "action", "Aikaa", {{"addresses", h}, {"status", "agreed"}});
    old.add(pa, "plan", "action", "SECRET", {{"hidden", true}});
    old.ok(pa, "item.vote", {{"board", "plan"}, {"id", a}});
    json notes = json::parse(render_notes(old.state, Notes_format::json, catalog("en")));
    ASSERT_FALSE(check_notes_json(notes));

    Room_meta meta = test_meta("en");
    meta.code = "NEW234";
    meta.title = "Continued";
    json state = state_from_notes(notes, meta, default_template());
    EXPECT_EQ(state["room"]["title"], "Continued");
    EXPECT_EQ(state["participants"], json::object()) << "people stay behind";
    EXPECT_EQ(state["phases"], old.state["phases"]);
    const json& plan = state["boards"]["plan"]["items"];
    ASSERT_EQ(plan.size(), 1u);
    const json& action = plan["m" + a];
    EXPECT_EQ(action["text"], "Aikaa");
    EXPECT_EQ(action["addresses"], "m" + h);
    EXPECT_EQ(action["votes"], 0);
    EXPECT_EQ(action["author"], "");
    EXPECT_FALSE(action.contains("readonly"));
    EXPECT_EQ(action["source"]["code"], "K7Q4MX");
    EXPECT_EQ(action["source"]["item"], a);
    // The new room goes on with ids that cannot collide with the imported ones.
    Room fresh;
    fresh.state = state;
    auto f = fresh.join("Fiona", "facilitator", "other");
    fresh.ok(Actor{f, Role::facilitator}, "item.edit", {{"board", "plan"}, {"id", "m" + a}, {"text", "Lisää aikaa"}});
    auto added = fresh.add(Actor{f, Role::facilitator}, "plan", "action", "Uusi");
    EXPECT_EQ(fresh.state["boards"]["plan"]["items"].size(), 2u) << added;
}

}  // namespace
}  // namespace keha::test
