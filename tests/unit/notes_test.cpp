// The notes renderers (md, html, json) over a scripted meeting (the timeline's order: board_order_test.cpp).
#include <gtest/gtest.h>

#include "helpers.hpp"
#include "keha/notes.hpp"
#include "keha/report.hpp"

namespace keha::test {
namespace {

// Position of `needle` in `hay`, failing the test when it is absent.
std::size_t pos(const std::string& hay, const std::string& needle)
{
    auto p = hay.find(needle);
    EXPECT_NE(p, std::string::npos) << "missing: " << needle;
    return p;
}

class Notes : public ::testing::Test {
protected:
    void SetUp() override
    {
        fac_id = room.join("Fiona Facilitator", "facilitator", "leader");
        pro_id = room.join("Paula Pro", "participant", "professional");
        exp_id = room.join("Eero Expert", "participant", "expert");
        other_id = room.join("Olli Other", "participant", "other");
        room.join("Wall Screen", "screen", "other");
        const Actor fac{fac_id, Role::facilitator}, pro{pro_id, Role::participant}, ex{exp_id, Role::participant};

        room.ok(fac, "room.update", {{"title", "Spring review"}});
        // Timeline, added out of chronological order.
        room.add(pro, "timeline", "event", "Free text later", {{"when", "sometime"}});
        room.add(pro, "timeline", "event", "Project started", {{"when", "2021-09"}, {"sector", "school"}});
        room.add(ex, "timeline", "event", "First contact", {{"when", "2020"}});
        room.add(ex, "timeline", "event", "No date at all");
        room.add(pro, "timeline", "event", "Exact day", {{"when", "2021-03-05"}});
        room.add(ex, "timeline", "event", "Bad month is free text", {{"when", "2021-13"}});
        room.add(pro, "timeline", "event", "SECRET-TIMELINE", {{"when", "2019"}, {"hidden", true}});
        // Vision.
        auto v = room.add(pro, "vision", "vision", "We trust each other");
        room.add(ex, "vision", "hinders", "Too little time");
        room.add(ex, "vision", "enables", "Shared calendar");
        room.add(ex, "vision", "enables", "SECRET-VISION", {{"hidden", true}});
        room.ok(ex, "item.vote", {{"board", "vision"}, {"id", v}});
        room.ok(fac, "item.vote", {{"board", "vision"}, {"id", v}});
        // Plan.
        room.add(pro, "plan", "action", "Monthly check-in", {{"who", "Paula"}, {"with", "Eero"}, {"due", "2027-01"}, {"status", "agreed"}});
        room.add(fac, "plan", "action", "Write summary", {{"who", "Fiona"}});
        room.add(ex, "plan", "action", "SECRET-PLAN", {{"hidden", true}, {"who", "SECRET-WHO"}});
        // Reflections.
        room.add(ex, "reflections", "reflection", "I heard hope", {{"turn", "Team A"}});
        room.add(pro, "reflections", "reflection", "SECRET-REFLECTION", {{"hidden", true}});
    }

    std::string render(Notes_format f, const std::string& lang = "en") { return render_notes(room.state, f, catalog(lang)); }

    Room room;
    std::string fac_id, pro_id, exp_id, other_id;
};

TEST_F(Notes, FormatNamesAndContentTypes)
{
    EXPECT_EQ(notes_format_from_string("md"), Notes_format::md);
    EXPECT_EQ(notes_format_from_string("html"), Notes_format::html);
    EXPECT_EQ(notes_format_from_string("json"), Notes_format::json);
    EXPECT_FALSE(notes_format_from_string("pdf"));
    EXPECT_FALSE(notes_format_from_string("MD"));
    EXPECT_EQ(content_type(Notes_format::md), "text/markdown; charset=utf-8");
    EXPECT_EQ(content_type(Notes_format::html), "text/html; charset=utf-8");
    EXPECT_EQ(content_type(Notes_format::json), "application/json");
}

TEST_F(Notes, MarkdownHasTitleAndParticipantsByGroup)
{
    auto md = render(Notes_format::md);
    EXPECT_EQ(md.rfind("# Spring review\n", 0), 0u) << md.substr(0, 80);
    pos(md, "## Participants");
    pos(md, "- **Professional**: Paula Pro");
    // Facilitators are named in the header; experience experts by their initials by default.
    pos(md, "- **Facilitator:** Fiona Facilitator");
    EXPECT_EQ(md.find("- **Leader**"), std::string::npos) << "the facilitator is not listed twice";
    pos(md, "- **Experience expert**: E. E.");
    EXPECT_EQ(md.find("Eero Expert"), std::string::npos);
    pos(md, "- **Other**: Olli Other");
    EXPECT_EQ(md.find("Wall Screen"), std::string::npos) << "screens are not people";
    pos(md, "K7Q4MX");
}

TEST_F(Notes, MarkdownTimelineIsChronologicalWithFreeTextAfter)
{
    auto md = render(Notes_format::md);
    std::size_t heading = pos(md, "## Timeline");
    // By sector (named sectors first, a list sector by its label), each in time order.
    std::vector<std::string> order = {"### " + catalog("en")["sector.school"].get<std::string>(), "Project started", "### No sector", "First contact", "Exact day",
                                      "Free text later", "No date at all", "Bad month is free text"};
    std::size_t last = heading;
    for (const auto& text : order) {
        auto p = pos(md, text);
        EXPECT_GT(p, last) << text << " out of order";
        last = p;
    }
    pos(md, "- **2021-09**: Project started");
    pos(md, "- **Date open**: No date at all");
    EXPECT_LT(last, pos(md, "## Vision"));
}

TEST_F(Notes, MarkdownHasVisionColumnsPlanTableAndReflections)
{
    auto md = render(Notes_format::md);
    auto vision = pos(md, "## Vision");
    auto cv = pos(md, "### Vision");
    auto ch = pos(md, "### What hinders");
    auto ce = pos(md, "### What enables");
    EXPECT_LT(vision, cv);
    EXPECT_LT(cv, ch);
    EXPECT_LT(ch, ce);
    EXPECT_LT(cv, pos(md, "We trust each other (Votes: 2)"));
    EXPECT_LT(ch, pos(md, "Too little time"));
    EXPECT_LT(ce, pos(md, "Shared calendar"));
    auto plan = pos(md, "## Shared plan");
    EXPECT_LT(plan, pos(md, "| Action | Who | With whom | By when | Status |"));
    pos(md, "| --- | --- | --- | --- | --- |");
    pos(md, "| Monthly check-in | Paula | Eero | 2027-01 | Agreed |");
    pos(md, "| Write summary | Fiona |  |  | Proposed |");
    auto refl = pos(md, "## Reflections");
    EXPECT_LT(refl, pos(md, "### Team A\n\n- I heard hope"));
}

TEST_F(Notes, HiddenItemsAreAbsentFromEveryFormat)
{
    for (auto f : {Notes_format::md, Notes_format::html, Notes_format::json}) {
        auto out = render(f);
        EXPECT_EQ(out.find("SECRET"), std::string::npos) << static_cast<int>(f);
    }
}

TEST_F(Notes, HeadingsFollowTheCatalogLanguage)
{
    auto md = render(Notes_format::md, "fi");
    pos(md, "## " + catalog("fi")["notes.participants"].get<std::string>());
    pos(md, "## " + catalog("fi")["board.timeline"].get<std::string>());
    auto sv = render(Notes_format::html, "sv");
    pos(sv, "<h2>" + catalog("sv")["board.plan"].get<std::string>() + "</h2>");
}

TEST_F(Notes, HtmlIsAPageWithTheSameContent)
{
    auto html = render(Notes_format::html);
    EXPECT_EQ(html.rfind("<!doctype html>", 0), 0u);
    pos(html, "<html lang=\"en\">");
    pos(html, "<meta charset=\"utf-8\">");
    pos(html, "<title>Spring review</title>");
    pos(html, "<h1>Spring review</h1>");
    pos(html, "<li><strong>Professional</strong>: Paula Pro</li>");
    auto first = pos(html, "First contact");
    auto exact = pos(html, "Exact day");
    auto free = pos(html, "Free text later");
    EXPECT_LT(first, exact);
    EXPECT_LT(exact, free);
    pos(html, "<h3>What hinders</h3>");
    pos(html, "<th>Action</th><th>Who</th><th>With whom</th><th>By when</th><th>Status</th>");
    pos(html, "<td>Monthly check-in</td><td>Paula</td><td>Eero</td><td>2027-01</td><td>Agreed</td>");
    pos(html, "<h3>Team A</h3>\n<ul>\n<li>I heard hope</li>");
    EXPECT_NE(html.find("</html>"), std::string::npos);
    // Every list that is opened is closed.
    std::size_t opened = 0, closed = 0;
    for (auto p = html.find("<ul>"); p != std::string::npos; p = html.find("<ul>", p + 1)) ++opened;
    for (auto p = html.find("</ul>"); p != std::string::npos; p = html.find("</ul>", p + 1)) ++closed;
    EXPECT_EQ(opened, closed);
}

TEST_F(Notes, HtmlEscapesMarkup)
{
    const Actor pro{pro_id, Role::participant};
    room.add(pro, "vision", "vision", "<img src=x onerror=alert(1)>");
    room.add(pro, "plan", "action", "a & b", {{"who", "\"quoted\" 'single'"}});
    room.ok(Actor{fac_id, Role::facilitator}, "room.update", {{"title", "<script>alert(2)</script>"}});
    auto html = render(Notes_format::html);
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_EQ(html.find("<script>"), std::string::npos);
    pos(html, "&lt;img src=x onerror=alert(1)&gt;");
    pos(html, "<title>&lt;script&gt;alert(2)&lt;/script&gt;</title>");
    pos(html, "<td>a &amp; b</td><td>&quot;quoted&quot; &#39;single&#39;</td>");
}

TEST_F(Notes, MarkdownEscapesSyntax)
{
    const Actor pro{pro_id, Role::participant};
    room.add(pro, "vision", "hinders", "a|b #c *d* _e_ [f](g) <h>");
    room.add(pro, "plan", "action", "x | y", {{"who", "#1"}});
    room.add(pro, "vision", "enables", "line one\nline two");
    room.ok(Actor{fac_id, Role::facilitator}, "room.update", {{"title", "# Not a heading *"}});
    auto md = render(Notes_format::md);
    pos(md, "a\\|b \\#c \\*d\\* \\_e\\_ \\[f\\](g) \\<h\\>");
    pos(md, "| x \\| y | \\#1 |");
    pos(md, "line one line two");
    EXPECT_EQ(md.rfind("# \\# Not a heading \\*\n", 0), 0u) << md.substr(0, 60);
    // No line of the notes starts a table row, a heading or a list except the notes' own.
    EXPECT_EQ(md.find("\n# "), std::string::npos);
}

TEST_F(Notes, JsonRoundTripsToTheStateWithoutHiddenItems)
{
    auto text = render(Notes_format::json);
    json notes = json::parse(text);
    EXPECT_EQ(notes["format"], "keha-notes");
    EXPECT_EQ(notes["version"], 2);
    EXPECT_EQ(notes["names"], "auto");
    json expected = room.state;
    for (auto& [name, board] : expected["boards"].items()) {
        std::vector<std::string> hidden;
        for (auto& [id, item] : board["items"].items())
            if (item["hidden"] == true) hidden.push_back(id);
        EXPECT_FALSE(name == "timeline" && hidden.empty());
        for (const auto& id : hidden) board["items"].erase(id);
    }
    EXPECT_EQ(notes["state"]["boards"], expected["boards"]);
    EXPECT_EQ(notes["state"]["room"], room.state["room"]);
    // Names follow the notes' name policy: the experience expert by initials.
    expected["participants"][exp_id]["name"] = "E. E.";
    EXPECT_EQ(notes["state"]["participants"], expected["participants"]);
    EXPECT_EQ(notes["state"]["phases"], room.state["phases"]);
    EXPECT_EQ(notes["state"], expected);
}

TEST_F(Notes, EmptyMeetingRendersPlaceholders)
{
    Room empty;
    auto md = render_notes(empty.state, Notes_format::md, catalog("en"));
    pos(md, "# Team meeting");
    pos(md, "- Nothing recorded.");
    auto html = render_notes(empty.state, Notes_format::html, catalog("en"));
    pos(html, "<li>Nothing recorded.</li>");
    auto j = json::parse(render_notes(empty.state, Notes_format::json, catalog("en")));
    EXPECT_EQ(j["state"], empty.state);
}

TEST_F(Notes, ClosedStatusIsShown)
{
    room.ok(Actor{fac_id, Role::facilitator}, "room.close");
    pos(render(Notes_format::md), "- **Status:** Closed");
}

// Text written to display reversed ("\u202E" right-to-left override) or cut short (NUL)
// is shown as U+FFFD in the Markdown and HTML notes and the process report, wherever it is.
TEST(NotesNeutral, BidiOverridesAndControlCharactersCannotReachTheNotes)
{
    const std::string rlo = "\u202E", lri = "\u2066", nul("\0", 1);
    Room room;
    auto f = room.join("Fiona" + rlo + "anoiF", "facilitator", "other");
    const Actor fa{f, Role::facilitator};
    // Commands refuse NUL now; a room stored before may still hold one.
    room.ok(fa, "room.update", {{"title", "Palaveri" + rlo + "txt.exe"}});
    auto h = room.add(fa, "vision", "hinders", "Kiire" + lri + "x");
    room.add(fa, "timeline", "event", "Muutto" + rlo + "oiraV", {{"when", "2024" + rlo}, {"sector", "koulu" + rlo}});
    room.add(fa, "plan", "action", "Aikaa" + rlo, {{"who", "Paula" + rlo}, {"with", "x" + lri}, {"due", "5" + rlo}, {"addresses", h}});
    room.add(fa, "commitments", "commitment", "Sitoudun" + rlo, {{"who", "P" + rlo}, {"organisation", "O" + rlo}});
    room.state["boards"]["timeline"]["items"]["i9"] = {{"id", "i9"}, {"column", "event"}, {"text", "ennen" + nul + "jälkeen"},
                                                       {"author", f}, {"order", 9}, {"votes", 0}, {"voters", json::array()}};
    for (auto format : {Notes_format::md, Notes_format::html}) {
        const std::string out = render_notes(room.state, format, catalog("fi"));
        SCOPED_TRACE(std::string(content_type(format)));
        EXPECT_EQ(out.find(rlo), std::string::npos) << out;
        EXPECT_EQ(out.find(lri), std::string::npos);
        EXPECT_EQ(out.find(nul), std::string::npos);
        for (const char* shown : {"Muutto\uFFFDoiraV", "Palaveri\uFFFDtxt.exe", "ennen\uFFFDjälkeen", "Paula\uFFFD"})
            EXPECT_NE(out.find(shown), std::string::npos) << shown;
    }
    const json process = {{"id", "prc_x"}, {"title", "Prosessi" + rlo}, {"teams", {"Tiimi" + rlo}}, {"created_at", "2026-10-01T08:00:00Z"}};
    for (auto format : {Notes_format::md, Notes_format::html}) {
        const std::string out = render_process_report(process, {{room.state, {}}}, format, catalog("fi"));
        EXPECT_EQ(out.find(rlo), std::string::npos) << out;
        EXPECT_EQ(out.find(nul), std::string::npos);
        EXPECT_NE(out.find("Prosessi\uFFFD"), std::string::npos);
        EXPECT_NE(out.find("Palaveri\uFFFDtxt.exe"), std::string::npos);
    }
}

}  // namespace
}  // namespace keha::test
