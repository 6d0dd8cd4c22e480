// Agreements across a process over the real server: the professionals agree, the leaders import
// their plan and agree again, the cross reflection imports the leaders' plan. GET
// /api/processes/{id} counts each agreement once, where it was made; the report lists under
// each later meeting what it reaffirmed.
#include <gtest/gtest.h>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

std::uint16_t port() { return shared_server().port(); }
std::vector<std::pair<std::string, std::string>> bearer(const std::string& key) { return {{"Authorization", "Bearer " + key}}; }

std::string plan_item(const Member& m, const std::string& text)
{
    for (const auto& [id, item] : m.state["boards"]["plan"]["items"].items())
        if (item["text"] == text && !item.contains("copy_of")) return id;
    throw std::runtime_error("no plan item " + text);
}

TEST(ProcessCounts, EachAgreementCountsOnceAndEachReaffirmationIsListedUnderItsMeeting)
{
    auto made = http_request(port(), "POST", "/api/processes", json{{"title", "Counts"}, {"teams", {"Pros", "Leaders"}}}.dump());
    ASSERT_EQ(made.status, 201) << made.body;
    const std::string process = made.json_body()["id"], key = made.json_body()["key"];
    auto meeting = [&](const std::string& title) {
        return create_room(port(), {{"title", title}, {"process", process}, {"process_key", key}, {"language", "en"}});
    };
    auto pros = meeting("Professionals"), leaders = meeting("Leaders"), cross = meeting("Cross reflection");
    {
        Member f(port(), pros.code, with_key(pros.facilitator_key));
        Member m(port(), pros.code, as_participant("Maija"));
        m.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Monthly network meeting"}, {"status", "agreed"}});
        m.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "The young person is invited"}, {"status", "agreed"}});
        m.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "A school contact person"}});
    }
    {
        Member f(port(), leaders.code, with_key(leaders.facilitator_key));
        f.ok("item.import", {{"from", pros.code}});
        f.ok("item.copy", {{"board", "plan"}, {"id", plan_item(f, "A school contact person")}});
        f.ok("item.edit", {{"board", "plan"}, {"id", "i" + std::to_string(f.seq)}, {"status", "agreed"}});
        f.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "Meeting time within working hours"}, {"status", "agreed"}});
    }
    {
        Member f(port(), cross.code, with_key(cross.facilitator_key));
        f.ok("item.import", {{"from", leaders.code}, {"boards", {"plan"}}});
        f.ok("item.copy", {{"board", "plan"}, {"id", plan_item(f, "Monthly network meeting")}});
        f.ok("item.edit", {{"board", "plan"}, {"id", "i" + std::to_string(f.seq)}, {"status", "done"}});
    }

    auto answer = http_get(port(), "/api/processes/" + process, bearer(key));
    ASSERT_EQ(answer.status, 200) << answer.body;
    const json j = answer.json_body();
    ASSERT_EQ(j["meetings"].size(), 3u);
    // Four distinct agreements (two by the professionals, two by the leaders), not 2 + 4 + 4.
    EXPECT_EQ(j["totals"]["agreements"], 4);
    EXPECT_EQ(j["meetings"][0]["counts"]["agreements"], 2);
    EXPECT_EQ(j["meetings"][0]["counts"]["reaffirmed"], 0);
    EXPECT_EQ(j["meetings"][1]["counts"]["agreements"], 2);
    EXPECT_EQ(j["meetings"][1]["counts"]["reaffirmed"], 2);
    EXPECT_EQ(j["meetings"][2]["counts"]["agreements"], 0);
    EXPECT_EQ(j["meetings"][2]["counts"]["reaffirmed"], 4);
    int sum = 0;
    for (const auto& m : j["meetings"]) sum += m["counts"]["agreements"].get<int>();
    EXPECT_EQ(sum, j["totals"]["agreements"]) << "the totals are the meetings' own agreements added up";

    auto report = http_get(port(), "/api/processes/" + process + "/report?format=md&language=en", bearer(key));
    ASSERT_EQ(report.status, 200);
    const std::string& md = report.body;
    EXPECT_NE(md.find("Agreements in all: 4"), std::string::npos) << md;
    const auto leaders_at = md.find("### 2. Leaders"), cross_at = md.find("### 3. Cross reflection");
    ASSERT_NE(leaders_at, std::string::npos) << md;
    ASSERT_NE(cross_at, std::string::npos) << md;
    const std::string leaders_part = md.substr(leaders_at, cross_at - leaders_at);
    const std::string cross_part = md.substr(cross_at, md.find("\n## ", cross_at) - cross_at);
    // The leaders made two and reaffirmed the professionals' two.
    EXPECT_NE(leaders_part.find("- A school contact person\n"), std::string::npos) << leaders_part;
    EXPECT_NE(leaders_part.find("- Meeting time within working hours\n"), std::string::npos) << leaders_part;
    EXPECT_NE(leaders_part.find("- Monthly network meeting · agreed in 1. Professionals"), std::string::npos) << leaders_part;
    EXPECT_NE(leaders_part.find("- The young person is invited · agreed in 1. Professionals"), std::string::npos) << leaders_part;
    // The cross reflection made none and reaffirmed all four, each with where it was made.
    EXPECT_NE(cross_part.find("- Monthly network meeting (Done) · agreed in 1. Professionals"), std::string::npos) << cross_part;
    EXPECT_NE(cross_part.find("- The young person is invited · agreed in 1. Professionals"), std::string::npos) << cross_part;
    EXPECT_NE(cross_part.find("- A school contact person · agreed in 2. Leaders"), std::string::npos) << cross_part;
    EXPECT_NE(cross_part.find("- Meeting time within working hours · agreed in 2. Leaders"), std::string::npos) << cross_part;
    const auto reaffirmed = cross_part.find("Reaffirmed:");
    ASSERT_NE(reaffirmed, std::string::npos) << cross_part;
    EXPECT_EQ(cross_part.substr(0, reaffirmed).find("\n- "), std::string::npos) << "nothing listed as made in the cross reflection";
}

}  // namespace
