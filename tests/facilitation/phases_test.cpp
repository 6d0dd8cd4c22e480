#include "team.hpp"

using namespace keha;
using namespace keha::test;

namespace {
std::vector<std::string> phase_ids(const json& state)
{
    std::vector<std::string> out;
    for (const auto& p : state["phases"]) out.push_back(p["id"]);
    return out;
}
}  // namespace

TEST(Phases, FacilitatorAddsAPhaseAfterAnother)
{
    Team t;
    t.f("phase.add", {{"title", "Tauko"}, {"after", "timeline"}, {"timebox_s", 600}});
    auto ids = phase_ids(t.state);
    ASSERT_GE(ids.size(), 3u);
    EXPECT_EQ(ids[1], "timeline");
    EXPECT_EQ(ids[2], "x" + std::to_string(t.seq));
    EXPECT_EQ(t.state["phases"][2]["title"], "Tauko");
    t.f("phase.add", {{"title", "Loppuun"}});
    EXPECT_EQ(t.state["phases"].back()["title"], "Loppuun");
}

TEST(Phases, RemoveAndMoveKeepTheAgendaConsistent)
{
    Team t;
    const auto before = phase_ids(t.state);
    t.f("phase.move", {{"phase", "closing"}, {"index", 0}});
    EXPECT_EQ(phase_ids(t.state).front(), "closing");
    t.f("phase.move", {{"phase", "closing"}, {"index", 99}});
    EXPECT_EQ(phase_ids(t.state), before);
    t.f("phase.remove", {{"phase", "vision"}});
    EXPECT_EQ(phase_ids(t.state).size(), before.size() - 1);
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "phase.remove", {{"phase", t.state["phase"]}}), Error_code::conflict);
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "phase.remove", {{"phase", "nope"}}), Error_code::not_found);
    EXPECT_EQ(t.err(t.pro[0], Role::participant, "phase.add", {{"title", "x"}}), Error_code::forbidden);
    EXPECT_EQ(t.err(t.fac, Role::facilitator, "phase.add", {{"title", "x"}, {"board", "wall"}}), Error_code::invalid);
}
