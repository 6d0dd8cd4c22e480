// The agreements of a process of three meetings (professionals → leaders, importing the plan →
// cross reflection, importing the leaders' plan): each agreement counts once, in the meeting
// where it was made; the report lists under a later meeting what that meeting reaffirmed.
#include <gtest/gtest.h>

#include "helpers.hpp"
#include "keha/provenance.hpp"
#include "keha/report.hpp"
#include "libkeha/meeting.hpp"

namespace keha::test {
namespace {

Room_meta meeting_meta(const std::string& code, const std::string& title, const std::string& created)
{
    Room_meta m = test_meta("en");
    m.code = code;
    m.title = title;
    m.template_id = "default";
    m.process = "prc_counts";
    m.created_at = created;
    return m;
}

std::string id_of(const Meeting& m, const std::string& text)
{
    for (const auto& [id, item] : m.state["boards"]["plan"]["items"].items())
        if (item["text"] == text && !item.contains("copy_of")) return id;
    ADD_FAILURE() << "no plan item " << text;
    return "";
}

struct Process {
    Meeting pros{meeting_meta("PRO2AA", "Professionals", "2026-10-06T06:00:00Z"), default_template(), 1'791'266'400'000};
    Meeting leaders{meeting_meta("LED3BB", "Leaders", "2026-10-20T10:00:00Z"), default_template(), 1'792'490'400'000};
    Meeting cross{meeting_meta("XRF4CC", "Cross reflection", "2026-11-10T11:00:00Z"), default_template(), 1'794'312'000'000};

    Process()
    {
        // Professionals: two agreements, one proposal.
        auto f = pros.join("Kaisa", "other", "facilitator");
        auto p = pros.join("Maija", "professional");
        pros.add(p, "plan", "action", "Monthly network meeting", {{"status", "agreed"}});
        pros.add(p, "plan", "action", "The young person is invited", {{"status", "agreed"}});
        pros.add(p, "plan", "action", "A school contact person", {{"status", "proposed"}});
        (void)f;

        // Leaders import the plan (read-only), agree the proposal on an editable copy, make
        // their own agreement, and take the monthly meeting on as an editable copy.
        auto lf = leaders.join("Kaisa", "other", "facilitator");
        auto l = leaders.join("Liisa", "leader");
        json plan = import_args(pros.state, {"plan"});
        leaders.ok(lf, "item.import", {{"from", "PRO2AA"}, {"boards", {"plan"}}}, &plan);
        leaders.ok(lf, "item.copy", {{"board", "plan"}, {"id", id_of(leaders, "A school contact person")}});
        leaders.ok(lf, "item.edit", {{"board", "plan"}, {"id", "i" + std::to_string(leaders.seq)}, {"status", "agreed"}});
        leaders.ok(lf, "item.copy", {{"board", "plan"}, {"id", id_of(leaders, "Monthly network meeting")}});
        leaders.add(l, "plan", "action", "Meeting time within working hours", {{"status", "agreed"}});

        // Cross reflection imports the leaders' plan; the monthly meeting is done by now.
        auto cf = cross.join("Kaisa", "other", "facilitator");
        json again = import_args(leaders.state, {"plan"});
        cross.ok(cf, "item.import", {{"from", "LED3BB"}, {"boards", {"plan"}}}, &again);
        cross.ok(cf, "item.copy", {{"board", "plan"}, {"id", id_of(cross, "Monthly network meeting")}});
        cross.ok(cf, "item.edit", {{"board", "plan"}, {"id", "i" + std::to_string(cross.seq)}, {"status", "done"}});
    }

    std::vector<const json*> states() const { return {&pros.state, &leaders.state, &cross.state}; }
};

std::size_t made_in(const std::vector<Process_agreement>& list, std::size_t meeting)
{
    return static_cast<std::size_t>(std::count_if(list.begin(), list.end(), [&](const Process_agreement& a) { return a.made_in == meeting; }));
}

TEST(ProcessAgreements, EachAgreementCountsOnceWhereItWasMade)
{
    Process p;
    auto agreed = process_agreements(p.states());
    ASSERT_EQ(agreed.size(), 3u);
    // Professionals: 2 made. Leaders: the school contact and their own made, 2 reaffirmed.
    // Cross reflection: nothing new, all 4 standing again.
    EXPECT_EQ(made_in(agreed[0], 0), 2u);
    EXPECT_EQ(agreed[0].size(), 2u);
    EXPECT_EQ(made_in(agreed[1], 1), 2u);
    EXPECT_EQ(agreed[1].size(), 4u);
    EXPECT_EQ(made_in(agreed[2], 2), 0u);
    EXPECT_EQ(agreed[2].size(), 4u);
    std::size_t total = 0;
    for (std::size_t i = 0; i < agreed.size(); ++i) total += made_in(agreed[i], i);
    EXPECT_EQ(total, 4u) << "four distinct agreements, however often they are imported";

    // Each reaffirmation names where it was made: the monthly meeting in the professionals' one.
    for (const auto& a : agreed[2])
        if ((*a.item)["text"] == "Monthly network meeting") {
            EXPECT_EQ(a.made_in, 0u);
            EXPECT_EQ(a.origin, "PRO2AA/i3");
            EXPECT_EQ((*a.item)["status"], "done") << "the copy stands for the imported original";
        }
}

TEST(ProcessAgreements, TheReportCountsByOriginAndListsTheReaffirmations)
{
    Process p;
    const json process = {{"id", "prc_counts"}, {"title", "Counts"}, {"teams", json::array()}, {"created_at", "2026-10-01T08:00:00Z"}};
    std::vector<Report_meeting> meetings;
    for (Meeting* m : {&p.pros, &p.leaders, &p.cross}) meetings.push_back({m->state, meeting_times(m->first_phase, m->ops)});
    const std::string md = render_process_report(process, meetings, Notes_format::md, catalog("en"));
    EXPECT_NE(md.find("Agreements in all: 4"), std::string::npos) << md;
    // The meetings table: agreements made there, then reaffirmed there.
    EXPECT_NE(md.find("| 1. Professionals |"), std::string::npos) << md;
    EXPECT_NE(md.find(" | 2 | 0 | "), std::string::npos) << md;
    EXPECT_NE(md.find(" | 2 | 2 | "), std::string::npos) << md;
    EXPECT_NE(md.find(" | 0 | 4 | "), std::string::npos) << md;
    // Under the cross reflection: no new agreement, four reaffirmed with where they were made.
    const auto cross = md.find("### 3. Cross reflection");
    ASSERT_NE(cross, std::string::npos) << md;
    const std::string section = md.substr(cross, md.find("\n## ", cross) - cross);
    EXPECT_NE(section.find("Reaffirmed:"), std::string::npos) << section;
    EXPECT_NE(section.find("- Monthly network meeting (Done) · agreed in 1. Professionals"), std::string::npos) << section;
    EXPECT_NE(section.find("- Meeting time within working hours · agreed in 2. Leaders"), std::string::npos) << section;
    EXPECT_NE(section.find("- A school contact person · agreed in 2. Leaders"), std::string::npos) << section;
    // Under the professionals: their two, made there, not marked as reaffirmed.
    const auto pros = md.find("### 1. Professionals");
    const std::string first = md.substr(pros, md.find("### 2.", pros) - pros);
    EXPECT_NE(first.find("- Monthly network meeting\n"), std::string::npos) << first;
    EXPECT_EQ(first.find("Reaffirmed"), std::string::npos) << first;
}

}  // namespace
}  // namespace keha::test
