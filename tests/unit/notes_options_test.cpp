// Notes options: the name policy, times from the op log (Finnish time), time per phase, links
// from actions to hinderers, provenance, ratings, commitments and history ("as of").
#include <gtest/gtest.h>

#include "helpers.hpp"
#include "keha/notes.hpp"
#include "keha/ratings.hpp"
#include "libkeha/meeting.hpp"

namespace keha::test {
namespace {

std::size_t pos(const std::string& hay, const std::string& needle)
{
    auto p = hay.find(needle);
    EXPECT_NE(p, std::string::npos) << "missing: " << needle << "\n" << hay;
    return p;
}

TEST(NotesTime, HelsinkiWinterAndSummerTime)
{
    // 2026-11-23 09:00 UTC is 11:00 in Helsinki (EET, +2).
    EXPECT_EQ(helsinki_date_time(1'795'424'400'000), (std::pair<std::string, std::string>{"2026-11-23", "11:00"}));
    // 2026-06-15 21:30 UTC is 00:30 the next day (EEST, +3).
    EXPECT_EQ(helsinki_date_time(1'781'559'000'000), (std::pair<std::string, std::string>{"2026-06-16", "00:30"}));
    // Summer time starts 2026-03-29 01:00 UTC: a minute before it is 02:59 EET, at it 04:00 EEST.
    EXPECT_EQ(helsinki_date_time(1'774'745'940'000).second, "02:59");
    EXPECT_EQ(helsinki_date_time(1'774'746'000'000).second, "04:00");
    // And ends 2026-10-25 01:00 UTC: 03:59 EEST, then 03:00 EET.
    EXPECT_EQ(helsinki_date_time(1'792'889'940'000).second, "03:59");
    EXPECT_EQ(helsinki_date_time(1'792'890'000'000).second, "03:00");
}

TEST(NotesTime, PhaseTimesComeFromPhaseChangesInTheOpLog)
{
    std::vector<Op_time> ops{
        {1000, R"([{"op":"add","path":"/participants/p1","value":{}}])"},
        {61'000, R"([{"op":"replace","path":"/phase","value":"timeline"}])"},
        {181'000, R"([{"op":"add","path":"/boards/timeline/items/i3","value":{"text":"/phase"}}])"},
        {241'000, R"([{"op":"replace","path":"/phase","value":"opening"}])"},
        {301'000, R"([{"op":"replace","path":"/phase","value":"plan"}])"},
        {361'000, R"([{"op":"replace","path":"/timer","value":{}}])"},
    };
    auto t = meeting_times("opening", ops);
    EXPECT_EQ(t.started_ms, 1000);
    EXPECT_EQ(t.ended_ms, 361'000);
    EXPECT_EQ(t.phase_ms["opening"], 60'000 + 60'000);
    EXPECT_EQ(t.phase_ms["timeline"], 180'000);
    EXPECT_EQ(t.phase_ms["plan"], 60'000);
    EXPECT_FALSE(meeting_times("opening", {}).started_ms);
}

TEST(NotesNames, Initials)
{
    EXPECT_EQ(initials("Maija Meikäläinen"), "M. M.");
    EXPECT_EQ(initials("eero"), "E.");
    EXPECT_EQ(initials("Änni-Liisa  Åberg"), "Ä. L. Å.");
    EXPECT_EQ(initials(""), "");
}

class NotesOptions : public ::testing::Test {
protected:
    NotesOptions() : m(test_meta("en"), default_template(), 1'795'424'400'000) {}
    void SetUp() override
    {
        fac = m.join("Fiona Facilitator", "other", "facilitator");
        pro = m.join("Paula Pro", "professional");
        exp = m.join("Eero Expert", "expert");
        lead = m.join("Liisa Leader", "leader");
    }
    std::string md(Notes_options o) { return render_notes(m.state, Notes_format::md, catalog("en"), o); }
    Meeting m;
    Actor fac{}, pro{}, exp{}, lead{};
};

TEST_F(NotesOptions, NamePolicies)
{
    Notes_options o;
    auto text = md(o);
    pos(text, "- **Professional**: Paula Pro");
    pos(text, "- **Experience expert**: E. E.");
    o.names = Notes_names::full;
    pos(md(o), "- **Experience expert**: Eero Expert");
    o.names = Notes_names::initials;
    text = md(o);
    pos(text, "- **Professional**: P. P.");
    pos(text, "- **Facilitator:** F. F.");
    o.names = Notes_names::groups;
    text = md(o);
    pos(text, "- **Professional**: 1");
    pos(text, "- **Leader**: 1");
    for (const char* name : {"Paula", "Eero", "Liisa", "Fiona", "P. P."}) EXPECT_EQ(text.find(name), std::string::npos) << name;
    m.ok(fac, "consent.record", {{"given_by", "Eero Expert"}, {"scope", "Notes may be shared"}});
    json j = json::parse(render_notes(m.state, Notes_format::json, catalog("en"), o));
    EXPECT_EQ(j["names"], "groups");
    for (const auto& [pid, p] : j["state"]["participants"].items()) EXPECT_FALSE(p.contains("name"));
    EXPECT_FALSE(j["state"]["consent"].contains("given_by"));
    o.names = Notes_names::initials;
    EXPECT_EQ(json::parse(render_notes(m.state, Notes_format::json, catalog("en"), o))["state"]["consent"]["given_by"], "E. E.");
    o.names = Notes_names::groups;

    // The room setting decides when the export does not say.
    m.ok(fac, "room.settings", {{"notes_names", "initials"}});
    pos(md(Notes_options{}), "- **Professional**: P. P.");
    EXPECT_EQ(m.refusal(fac, "room.settings", {{"notes_names", "nicknames"}}), Error_code::invalid);
    EXPECT_EQ(m.refusal(pro, "room.settings", {{"notes_names", "full"}}), Error_code::forbidden);
}

TEST_F(NotesOptions, DateTimesAndTimeSpentPerPhase)
{
    m.minutes(12);
    m.ok(fac, "phase.goto", {{"phase", "timeline"}});
    m.minutes(25);
    m.ok(fac, "phase.goto", {{"phase", "plan"}});
    m.minutes(70);
    m.add(pro, "plan", "action", "Call");
    auto text = md(m.notes_options());
    pos(text, "- **Date:** 2026-11-23\n");
    pos(text, "- **Time:** 11:00–12:47 (Finnish time)\n");
    pos(text, "- **Opening**: planned 10 min · spent 12 min\n");
    pos(text, "- **Timeline of our joint work**: planned 20 min · spent 25 min\n");
    pos(text, "- **Shared plan**: planned 25 min · spent 1 h 10 min\n");
    pos(text, "- **Reflection**: planned 15 min\n");
    Room_meta fi = test_meta("fi");
    Meeting finnish(fi, default_template(), 1'795'424'400'000);
    finnish.join("Fiona", "other", "facilitator");
    pos(render_notes(finnish.state, Notes_format::md, catalog("fi"), finnish.notes_options()), "- **Päivämäärä:** 23.11.2026\n");
}

TEST_F(NotesOptions, PlanLinksToTheHindererItAddresses)
{
    auto v = m.add(pro, "vision", "vision", "We trust each other");
    auto h1 = m.add(pro, "vision", "hinders", "Too little time");
    auto h2 = m.add(pro, "vision", "hinders", "No shared calendar");
    auto e1 = m.add(pro, "vision", "enables", "Short distances");
    m.add(pro, "plan", "action", "Shared calendar", {{"addresses", h2}, {"status", "agreed"}, {"who", "Paula"}});
    m.add(pro, "plan", "action", "Walk over", {{"addresses", e1}});
    m.add(pro, "plan", "action", "Think");
    (void)v;
    (void)h1;
    auto text = md({});
    pos(text, "- **H2**: No shared calendar\n");
    pos(text, "| Action | Who | With whom | By when | Status | Addresses |");
    pos(text, "| Shared calendar | Paula |  |  | Agreed | H2: No shared calendar |");
    pos(text, "| Walk over |  |  |  | Proposed | E1: Short distances |");
    auto html = render_notes(m.state, Notes_format::html, catalog("en"));
    pos(html, "<li id=\"v-" + h2 + "\"><strong>H2</strong>: No shared calendar</li>");
    pos(html, "<td><a href=\"#v-" + h2 + "\">H2: No shared calendar</a></td>");
    // Agreements list the agreed actions.
    auto agreements = pos(text, "## Agreements");
    EXPECT_LT(agreements, pos(text, "- Shared calendar — Paula\n"));
}

TEST_F(NotesOptions, CommitmentsHypothesesAndRatings)
{
    m.add(lead, "commitments", "commitment", "We apply the systemic approach in our unit", {{"who", "Liisa Leader"}, {"organisation", "City of Hämeenlinna"}});
    m.add(pro, "hypotheses", "hypothesis", "Perhaps the school hears too late");
    m.ok(fac, "ratings.open");
    auto text = md({});
    pos(text, "## Commitments\n\n- **Liisa Leader, City of Hämeenlinna**: We apply the systemic approach in our unit\n");
    pos(text, "## Hypotheses\n\n- Perhaps the school hears too late\n");
    pos(text, "## Ratings\n\nThe questionnaire is open. Answered: 0.\n");
    for (const Actor& a : {pro, exp, lead}) m.ok(a, "rating.submit", {{"answers", {{"heard", 8}}}});
    json results = rating_results(m.state["ratings"]["questions"], 3, {{"heard", 8}, {"heard", 8}, {"heard", 6}}, {"Good"});
    m.ok(fac, "ratings.close", json::object(), &results);
    text = md({});
    pos(text, "Answered: 3. Scale 0–10; the answers are anonymous.\n");
    pos(text, "| I was heard. | 3 | 8 | 6: 1 · 8: 2 |");
    pos(text, "| The meeting was useful. | 0 | – | too few answers |");
    pos(text, "### Comments\n\n- Good\n");
    json few = rating_results(m.state["ratings"]["questions"], 2, {}, {});
    m.ok(fac, "ratings.open");
    m.ok(fac, "ratings.close", json::object(), &few);
    pos(md({}), "Fewer than three answered, so the results are not shown.");
}

TEST_F(NotesOptions, AsOfAnEarlierSeqIsSaid)
{
    Notes_options o;
    o.as_of_seq = 42;
    pos(md(o), "- **As of:** after change no. 42\n");
    json j = json::parse(render_notes(m.state, Notes_format::json, catalog("en"), o));
    EXPECT_EQ(j["meeting"]["as_of_seq"], 42);
}

TEST(NotesSections, ABoardHasItsSectionWhenTheAgendaUsesItOrItHasItems)
{
    json tmpl = {{"id", "short"}, {"title", {{"fi", "Lyhyt"}}},
                 {"phases", json::array({{{"id", "plan"}, {"title", {{"fi", "Suunnitelma"}}}, {"board", "plan"}}})}};
    Meeting m(test_meta("en"), tmpl, 1'795'424'400'000);
    auto f = m.join("Fiona", "other", "facilitator");
    auto md = render_notes(m.state, Notes_format::md, catalog("en"));
    EXPECT_NE(md.find("## Shared plan\n\n- Nothing recorded."), std::string::npos) << md;
    EXPECT_NE(md.find("## Agreements"), std::string::npos);
    for (const char* absent : {"## Timeline", "## Vision", "## Reflections", "## Commitments", "## Hypotheses", "## Ratings"})
        EXPECT_EQ(md.find(absent), std::string::npos) << absent;
    m.add(f, "timeline", "event", "Imported or added anyway");
    EXPECT_NE(render_notes(m.state, Notes_format::md, catalog("en")).find("## Timeline"), std::string::npos);
}

TEST(NotesJson, CheckedBeforeImport)
{
    Room room;
    json notes = json::parse(render_notes(room.state, Notes_format::json, catalog("en")));
    EXPECT_FALSE(check_notes_json(notes));
    EXPECT_TRUE(check_notes_json(json::object()));
    json bad = notes;
    bad["state"]["boards"]["kanban"] = {{"items", json::object()}};
    EXPECT_TRUE(check_notes_json(bad));
    bad = notes;
    bad["state"]["boards"]["plan"]["items"]["i1"] = {{"text", "x"}, {"column", "nope"}};
    EXPECT_TRUE(check_notes_json(bad));
    bad = notes;
    bad["version"] = 9;
    EXPECT_TRUE(check_notes_json(bad));
}

}  // namespace
}  // namespace keha::test
