// keha-desk's room copy against states the server really produces: a meeting runs through
// libkeha's reducer (the one libkeha fixture, tests/libkeha/meeting.hpp), and the desk's
// Document, welcomed part-way, takes each later op's patch as a `patch` message and ends
// with the reducer's own state.
#include <gtest/gtest.h>

#include "document.hpp"
#include "libkeha/meeting.hpp"

using keha::Actor;
using keha::json;
using keha::desk::Apply_result;
using keha::desk::Document;
using keha::test::Meeting;

namespace {

json welcome(const Meeting& m, const std::string& you)
{
    return {{"type", "welcome"}, {"you", you}, {"role", "facilitator"}, {"token", "t"}, {"seq", m.seq},
            {"state", m.state}};
}

json patch_message(std::uint64_t seq, const std::string& patch)
{
    return {{"type", "patch"}, {"seq", seq}, {"by", "p1"}, {"cmd", "x"}, {"patch", json::parse(patch)}};
}

}  // namespace

TEST(DocumentFollowsReducer, PatchesOfARealMeetingGiveTheReducersState)
{
    Meeting m;
    const Actor fac = m.join("Ohjaaja", "other", "facilitator");
    const Actor aino = m.join("Aino", "professional");
    Document doc;
    ASSERT_EQ(doc.apply_welcome(welcome(m, std::string(fac.pid))), Apply_result::applied);
    const std::size_t welcomed_at = m.ops.size();

    const Actor eero = m.join("Eero", "expert");
    const std::string item = m.add(aino, "vision", "vision", "Kesä 2024");
    m.ok(eero, "item.vote", {{"board", "vision"}, {"id", item}});
    m.ok(aino, "hand.raise");
    m.ok(fac, "phase.goto", {{"phase", m.state["phases"][1]["id"]}});
    m.minutes(5);
    m.ok(fac, "item.edit", {{"board", "vision"}, {"id", item}, {"text", "Syksy 2024"}});

    for (std::size_t i = welcomed_at; i < m.ops.size(); ++i)
        ASSERT_EQ(doc.apply_patch_message(patch_message(i + 1, m.ops[i].patch)), Apply_result::applied) << "op " << i + 1;
    EXPECT_EQ(doc.seq(), m.seq);
    EXPECT_EQ(doc.state(), m.state);
    EXPECT_EQ(doc.raised_hands().size(), 1u);
}
