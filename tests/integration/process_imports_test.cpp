// Imports along a process over the real server: the ack says what an import brought; an item
// carried from A through B into C says where it began; an action finds its hinderer again
// when that comes in a later import.
#include <gtest/gtest.h>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

std::uint16_t port() { return shared_server().port(); }

std::string id_of(const Member& m, const std::string& board, const std::string& text)
{
    for (const auto& [id, item] : m.state["boards"][board]["items"].items())
        if (item["text"] == text && !item.contains("copy_of")) return id;
    throw std::runtime_error("no " + board + " item " + text);
}

TEST(ProcessImports, TheAckSaysWhatCameTheFirstMeetingIsKeptAndLinksFindTheirHinderer)
{
    auto made = http_request(port(), "POST", "/api/processes", json{{"title", "Imports"}, {"teams", {"Pros", "Leaders"}}}.dump());
    ASSERT_EQ(made.status, 201) << made.body;
    const std::string process = made.json_body()["id"], key = made.json_body()["key"];
    auto meeting = [&](const std::string& title, const std::string& team) {
        return create_room(port(), {{"title", title}, {"process", process}, {"process_key", key}, {"team", team}, {"language", "en"}});
    };
    auto pros = meeting("Professionals 1", "Pros"), leaders = meeting("Leaders 1", "Leaders"), cross = meeting("Cross", "Pros");
    {
        Member f(port(), pros.code, with_key(pros.facilitator_key));
        for (const char* e : {"First report from school", "Referral to psychiatry", "Network meeting"})
            f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", e}});
        f.ok("item.add", {{"board", "vision"}, {"column", "hinders"}, {"text", "Information only on paper"}});
        const std::string h = "i" + std::to_string(f.seq);
        f.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Shared calendar"}, {"addresses", h}, {"status", "agreed"}});
        f.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Invite the young person"}});
    }
    Member l(port(), leaders.code, with_key(leaders.facilitator_key));
    // The default boards: the timeline and the plan.
    json ack = l.run("item.import", {{"from", pros.code}});
    ASSERT_EQ(ack["type"], "ack") << ack.dump();
    EXPECT_EQ(ack["imported"], (json{{"event", 3}, {"action", 2}}));
    EXPECT_FALSE(l.state["boards"]["plan"]["items"][id_of(l, "plan", "Shared calendar")].contains("addresses"));
    // The vision later: the action answers the hinderer again, and only the hinderer is new.
    ack = l.run("item.import", {{"from", pros.code}, {"boards", {"vision"}}});
    EXPECT_EQ(ack["imported"], (json{{"hinders", 1}}));
    l.catch_up(ack["seq"]);
    EXPECT_EQ(l.state["boards"]["plan"]["items"][id_of(l, "plan", "Shared calendar")]["addresses"], id_of(l, "vision", "Information only on paper"));
    // Everything again: nothing new, and the ack says so with an empty object.
    ack = l.run("item.import", {{"from", pros.code}, {"boards", {"timeline", "vision", "plan"}}});
    EXPECT_EQ(ack["imported"], json::object());
    // Other commands' acks stay as they were.
    ack = l.run("item.vote", {{"board", "plan"}, {"id", id_of(l, "plan", "Shared calendar")}});
    EXPECT_FALSE(ack.contains("imported"));

    // The cross reflection brings in the leaders' plan and vision: from the professionals, via the leaders.
    Member c(port(), cross.code, with_key(cross.facilitator_key));
    ack = c.run("item.import", {{"from", leaders.code}, {"boards", {"vision", "plan"}}});
    EXPECT_EQ(ack["imported"], (json{{"hinders", 1}, {"action", 2}}));
    c.catch_up(ack["seq"]);
    const json& action = c.state["boards"]["plan"]["items"][id_of(c, "plan", "Shared calendar")];
    EXPECT_EQ(action["source"]["code"], leaders.code);
    EXPECT_EQ(action["source"]["meeting"], "Leaders 1");
    ASSERT_TRUE(action["source"].contains("first")) << action.dump();
    EXPECT_EQ(action["source"]["first"]["code"], pros.code);
    EXPECT_EQ(action["source"]["first"]["meeting"], "Professionals 1");
    EXPECT_EQ(action["source"]["first"]["team"], "Pros");
    EXPECT_EQ(action["addresses"], id_of(c, "vision", "Information only on paper"));
    // A participant sees the same provenance.
    Member p(port(), cross.code, as_participant("Eetu", "expert"));
    EXPECT_EQ(p.state["boards"]["plan"]["items"][id_of(p, "plan", "Shared calendar")]["source"]["first"]["meeting"], "Professionals 1");
}

}  // namespace
