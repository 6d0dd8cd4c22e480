// Golden notes of a scripted MONNI chain — the professionals' meeting, the leaders' meeting
// that imports its timeline and plan, and the cross-reflection meeting — and the process
// report, compared byte for byte with the files in golden/. The clock is the script's, so
// the files are the same on every run. After a deliberate change of the notes, regenerate
// them with KEHA_UPDATE_GOLDEN=1 and read the diff before committing it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "helpers.hpp"
#include "keha/provenance.hpp"
#include "keha/ratings.hpp"
#include "keha/report.hpp"
#include "libkeha/meeting.hpp"

namespace keha::test {
namespace {

// The templates are the test's own, so a change of the shipped texts does not move the goldens.
json monni_template(const std::string& id, const std::vector<std::pair<std::string, std::string>>& phases)
{
    json t = {{"id", id}, {"title", {{"fi", id}}}, {"phases", json::array()}};
    for (const auto& [pid, title] : phases) {
        std::string board = pid == "timeline" || pid == "vision" || pid == "plan" ? pid
                            : pid == "reflection"                                 ? "reflections"
                            : pid == "commitment"                                 ? "commitments"
                                                                                  : "";
        t["phases"].push_back({{"id", pid},
                               {"title", {{"fi", title}}},
                               {"board", board.empty() ? json(nullptr) : json(board)},
                               {"timebox_s", pid == "opening" ? 600 : 1200}});
    }
    t["ratings"] = json::array({{{"id", "heard"}, {"text", {{"fi", "Tulin kuulluksi."}}}},
                                {{"id", "useful"}, {"text", {{"fi", "Tapaamisesta oli hyötyä."}}}}});
    return t;
}

Room_meta meta(const std::string& code, const std::string& title, const std::string& team, const std::string& created)
{
    Room_meta m;
    m.code = code;
    m.title = title;
    m.language = "fi";
    m.template_id = "monni";
    m.process = "prc_golden";
    m.team = team;
    m.created_at = created;
    return m;
}

// Answers as the server would aggregate them from its anonymous table.
json close_with(Meeting& m, const Actor& fac, std::uint64_t submissions, std::vector<Rating_score> scores,
                std::vector<std::string> comments)
{
    json results = rating_results(m.state["ratings"]["questions"], submissions, scores, std::move(comments));
    m.ok(fac, "ratings.close", json::object(), &results);
    return results;
}

struct Chain {
    Meeting pros{meta("PRO2AA", "Ammattilaisten tiimi, tapaaminen 1", "Ammattilaiset", "2026-10-06T06:00:00Z"),
                 monni_template("monni-pros", {{"opening", "Aloitus"}, {"timeline", "Aikajana"}, {"vision", "Visio"},
                                               {"plan", "Yhteinen suunnitelma"}, {"closing", "Lopetus"}}),
                 1'791'266'400'000};  // 2026-10-06 06:00 UTC, 09:00 in Helsinki
    Meeting leaders{meta("LED3BB", "Johtajien tiimi, tapaaminen 1", "Johtajat", "2026-10-20T10:00:00Z"),
                    monni_template("monni-leaders", {{"opening", "Aloitus"}, {"timeline", "Ammattilaisten aikajana"},
                                                     {"vision", "Johtajien visio"}, {"plan", "Johtajien suunnitelma"},
                                                     {"closing", "Lopetus"}}),
                    1'792'490'400'000};  // 2026-10-20 10:00 UTC
    Meeting cross{meta("XRF4CC", "Ristiinreflektio", "Molemmat tiimit", "2026-11-10T11:00:00Z"),
                  monni_template("monni-cross", {{"opening", "Aloitus"}, {"plan", "Suunnitelma pöydälle"},
                                                 {"reflection", "Reflektoiva tiimi"}, {"commitment", "Sitoutuminen"},
                                                 {"closing", "Lopetus"}}),
                  1'794'312'000'000};  // 2026-11-10 11:00 UTC

    Chain()
    {
        // --- The professionals' meeting --------------------------------------------------------
        auto f = pros.join("Kaisa Koordinaattori", "other", "facilitator");
        auto ls = pros.join("Maija Meikäläinen", "professional");
        auto ps = pros.join("Pekka Psykiatri", "professional");
        auto sc = pros.join("Sanna Sosionomi", "professional");
        auto ex = pros.join("Eetu Esimerkki", "expert");
        pros.join("Seinänäyttö", "other", "screen");
        pros.minutes(9);
        pros.ok(f, "phase.goto", {{"phase", "timeline"}});
        pros.add(ls, "timeline", "event", "Ensimmäinen lastensuojeluilmoitus koulusta", {{"when", "2021-09"}, {"sector", "Lastensuojelu"}});
        pros.add(sc, "timeline", "event", "Koulun huoli poissaoloista", {{"when", "2021-03"}, {"sector", "Koulu"}});
        pros.add(ps, "timeline", "event", "Lähete nuorisopsykiatrialle", {{"when", "2022-01-15"}, {"sector", "Nuorisopsykiatria"}});
        pros.add(ex, "timeline", "event", "Kukaan ei kysynyt, mitä minä ajattelen", {{"sector", "Nuoren kokemus"}});
        pros.add(ls, "timeline", "event", "Verkostopalaveri, jossa kaikki paikalla", {{"when", "2022-05"}, {"sector", "Lastensuojelu"}});
        pros.add(sc, "timeline", "event", "Yksityinen muistiinpano", {{"when", "2022"}, {"hidden", true}});
        pros.minutes(21);
        pros.ok(f, "phase.goto", {{"phase", "vision"}});
        auto v = pros.add(ps, "vision", "vision", "Nuori tietää, kuka auttaa ja milloin");
        auto h1 = pros.add(ls, "vision", "hinders", "Tieto kulkee vain paperilla");
        auto h2 = pros.add(ex, "vision", "hinders", "Nuori ei ole mukana palavereissa");
        auto e1 = pros.add(sc, "vision", "enables", "Koulukuraattori tuntee nuoren");
        pros.ok(ex, "item.vote", {{"board", "vision"}, {"id", v}});
        pros.ok(ls, "item.vote", {{"board", "vision"}, {"id", v}});
        pros.minutes(26);
        pros.ok(f, "phase.goto", {{"phase", "plan"}});
        pros.add(ls, "plan", "action", "Yhteinen verkostopalaveri kuukausittain",
                 {{"who", "Maija (lastensuojelu)"}, {"with", "koulu, nuorisopsykiatria"}, {"due", "2026-12"}, {"status", "agreed"}, {"addresses", h1}});
        pros.add(ex, "plan", "action", "Nuori kutsutaan jokaiseen palaveriin",
                 {{"who", "Maija"}, {"with", "Eetu"}, {"status", "agreed"}, {"addresses", h2}});
        pros.add(sc, "plan", "action", "Kuraattori nuoren tukihenkilöksi", {{"who", "Sanna"}, {"addresses", e1}});
        pros.minutes(24);
        pros.ok(f, "phase.goto", {{"phase", "closing"}});
        pros.ok(f, "ratings.open");
        for (const Actor& a : {ls, ps, sc, ex}) pros.ok(a, "rating.submit", {{"answers", {{"heard", 8}}}});
        pros.minutes(6);
        close_with(pros, f, 4, {{"heard", 9}, {"heard", 7}, {"heard", 8}, {"heard", 10}, {"useful", 8}, {"useful", 6}, {"useful", 9}},
                   {"Hyvä, että nuori oli mukana.", "Aikaa oli vähän."});

        // --- The leaders' meeting starts with the professionals' timeline and plan ----------------
        auto lf = leaders.join("Kaisa Koordinaattori", "other", "facilitator");
        auto l1 = leaders.join("Liisa Lastensuojelujohtaja", "leader");
        auto l2 = leaders.join("Olli Opetuspäällikkö", "leader");
        auto l3 = leaders.join("Paavo Psykiatrian ylilääkäri", "leader");
        json input = import_args(pros.state, {"timeline", "plan"});
        leaders.ok(lf, "item.import", {{"from", "PRO2AA"}, {"boards", {"timeline", "plan"}}}, &input);
        leaders.minutes(10);
        leaders.ok(lf, "phase.goto", {{"phase", "timeline"}});
        leaders.minutes(15);
        leaders.ok(lf, "phase.goto", {{"phase", "vision"}});
        auto lv = leaders.add(l1, "vision", "vision", "Organisaatiot sopivat yhteisistä käytännöistä");
        auto lh = leaders.add(l2, "vision", "hinders", "Ei yhteistä aikaa työntekijöille");
        leaders.add(l3, "vision", "enables", "Sovittu yhteyshenkilö jokaisesta palvelusta");
        (void)lv;
        leaders.minutes(25);
        leaders.ok(lf, "phase.goto", {{"phase", "plan"}});
        // The leaders make the monthly meeting theirs: an editable copy, agreed again.
        std::string monthly;
        for (const auto& [id, item] : leaders.state["boards"]["plan"]["items"].items())
            if (item["text"] == "Yhteinen verkostopalaveri kuukausittain") monthly = id;
        leaders.ok(lf, "item.copy", {{"board", "plan"}, {"id", monthly}});
        const std::string copy = "i" + std::to_string(leaders.seq);
        leaders.ok(lf, "item.edit", {{"board", "plan"}, {"id", copy}, {"text", "Verkostopalaveri kuukausittain työajalla"}, {"who", "Liisa"}});
        leaders.add(l2, "plan", "action", "Palaveriaika varataan kaikkien työaikaan", {{"who", "Olli"}, {"due", "2027-01"}, {"status", "agreed"}, {"addresses", lh}});
        leaders.minutes(30);
        leaders.ok(lf, "phase.goto", {{"phase", "closing"}});
        leaders.ok(lf, "ratings.open");
        for (const Actor& a : {l1, l2, l3}) leaders.ok(a, "rating.submit", {{"answers", {{"heard", 7}}}});
        leaders.minutes(5);
        close_with(leaders, lf, 3, {{"heard", 7}, {"heard", 8}, {"heard", 6}, {"useful", 9}, {"useful", 9}, {"useful", 7}}, {});
        leaders.ok(lf, "room.close");

        // --- Cross-reflection: both teams, the leaders' plan on the table -------------------------
        auto cf = cross.join("Kaisa Koordinaattori", "other", "facilitator");
        auto c1 = cross.join("Maija Meikäläinen", "professional");
        auto c2 = cross.join("Eetu Esimerkki", "expert");
        auto c3 = cross.join("Liisa Lastensuojelujohtaja", "leader");
        json plan = import_args(leaders.state, {"plan"});
        cross.ok(cf, "item.import", {{"from", "LED3BB"}, {"boards", {"plan"}}}, &plan);
        cross.minutes(10);
        cross.ok(cf, "phase.goto", {{"phase", "plan"}});
        cross.minutes(10);
        cross.ok(cf, "phase.goto", {{"phase", "reflection"}});
        cross.add(c1, "reflections", "reflection", "Kuulin, että johtajat haluavat antaa meille aikaa", {{"turn", "1:reflection"}});
        cross.add(c2, "reflections", "reflection", "Mietin, kuuleeko nuori tästä suunnitelmasta", {{"turn", "1:reflection"}});
        cross.add(c3, "reflections", "reflection", "Meitä puhutteli nuoren kysymys", {{"turn", "1:response"}});
        cross.minutes(35);
        cross.ok(cf, "phase.goto", {{"phase", "commitment"}});
        for (const auto& [id, item] : cross.state["boards"]["plan"]["items"].items())
            if (item["text"] == "Verkostopalaveri kuukausittain työajalla") copy_id = id;
        cross.ok(cf, "item.copy", {{"board", "plan"}, {"id", copy_id}});
        cross.ok(cf, "item.edit", {{"board", "plan"}, {"id", "i" + std::to_string(cross.seq)}, {"status", "done"}});
        cross.add(c3, "commitments", "commitment", "Sitoudumme soveltamaan systeemistä työotetta (Sytys)",
                  {{"who", "Liisa Lastensuojelujohtaja"}, {"organisation", "Hämeenlinnan lastensuojelu"}});
        cross.add(c1, "commitments", "commitment", "Kutsun nuoren mukaan jokaiseen verkostopalaveriin", {{"who", "Maija Meikäläinen"}});
        cross.minutes(15);
        cross.ok(cf, "phase.goto", {{"phase", "closing"}});
        cross.ok(cf, "ratings.open");
        for (const Actor& a : {c1, c2}) cross.ok(a, "rating.submit", {{"answers", {{"heard", 9}}}});
        cross.minutes(5);
        close_with(cross, cf, 2, {{"heard", 9}, {"heard", 10}}, {"Tärkeä tapaaminen"});
    }
    std::string copy_id;
};

std::string golden_path(const std::string& name) { return std::string(KEHA_GOLDEN_DIR) + "/" + name; }

void expect_golden(const std::string& name, const std::string& actual)
{
    const std::string path = golden_path(name);
    if (const char* update = std::getenv("KEHA_UPDATE_GOLDEN"); update && std::string(update) == "1") {
        std::ofstream(path, std::ios::binary) << actual;
        return;
    }
    std::ifstream in(path, std::ios::binary);
    ASSERT_TRUE(in) << "no golden file " << path << "; run with KEHA_UPDATE_GOLDEN=1 to write it";
    std::stringstream expected;
    expected << in.rdbuf();
    if (expected.str() == actual) return;
    // Point at the first difference, so a failure is readable.
    std::size_t at = 0;
    while (at < actual.size() && at < expected.str().size() && actual[at] == expected.str()[at]) ++at;
    ADD_FAILURE() << name << " differs from its golden file at byte " << at << ":\n  golden: "
                  << expected.str().substr(at > 40 ? at - 40 : 0, 120) << "\n  actual: " << actual.substr(at > 40 ? at - 40 : 0, 120);
}

class Golden : public ::testing::Test {
protected:
    static void SetUpTestSuite() { chain = new Chain(); }
    static void TearDownTestSuite() { delete chain; }
    static Chain* chain;
    static std::string notes(Meeting& m, Notes_format f)
    {
        Notes_options options = m.notes_options();
        options.process_title = "Hämeenlinnan kehittämisen tiimit";
        return render_notes(m.state, f, catalog("fi"), options);
    }
};
Chain* Golden::chain = nullptr;

TEST_F(Golden, ProfessionalsMeetingNotes)
{
    expect_golden("monni-1-professionals.md", notes(chain->pros, Notes_format::md));
    expect_golden("monni-1-professionals.html", notes(chain->pros, Notes_format::html));
    expect_golden("monni-1-professionals.json", notes(chain->pros, Notes_format::json));
}

TEST_F(Golden, LeadersMeetingNotesShowWhereTheImportedItemsCameFrom)
{
    auto md = notes(chain->leaders, Notes_format::md);
    EXPECT_NE(md.find("(lähde: Ammattilaiset · Ammattilaisten tiimi, tapaaminen 1 · PRO2AA · 2026-10-06)"), std::string::npos) << md;
    expect_golden("monni-2-leaders.md", md);
    expect_golden("monni-2-leaders.html", notes(chain->leaders, Notes_format::html));
    expect_golden("monni-2-leaders.json", notes(chain->leaders, Notes_format::json));
}

TEST_F(Golden, CrossReflectionNotes)
{
    auto md = notes(chain->cross, Notes_format::md);
    EXPECT_NE(md.find("Alle kolme vastasi"), std::string::npos) << "two answers: no results";
    EXPECT_EQ(md.find("Tärkeä tapaaminen"), std::string::npos) << "nor comments";
    expect_golden("monni-3-cross-reflection.md", md);
    expect_golden("monni-3-cross-reflection.html", notes(chain->cross, Notes_format::html));
    expect_golden("monni-3-cross-reflection.json", notes(chain->cross, Notes_format::json));
}

TEST_F(Golden, ProcessReport)
{
    const json process = {{"id", "prc_golden"},
                          {"title", "Hämeenlinnan kehittämisen tiimit"},
                          {"teams", {"Ammattilaiset", "Johtajat"}},
                          {"created_at", "2026-10-01T08:00:00Z"}};
    std::vector<Report_meeting> meetings;
    for (Meeting* m : {&chain->pros, &chain->leaders, &chain->cross})
        meetings.push_back({m->state, meeting_times(m->first_phase, m->ops)});
    auto md = render_process_report(process, meetings, Notes_format::md, catalog("fi"));
    // The monthly meeting is followed from proposal to done through two imports and two copies.
    EXPECT_NE(md.find("| Verkostopalaveri kuukausittain työajalla | Sovittu | Sovittu | Tehty |"), std::string::npos) << md;
    EXPECT_NE(md.find("Sitoumuksia yhteensä: 2"), std::string::npos);
    auto html = render_process_report(process, meetings, Notes_format::html, catalog("fi"));
    EXPECT_NE(html.find("<svg"), std::string::npos);
    expect_golden("monni-report.md", md);
    expect_golden("monni-report.html", html);
}

TEST(MeetingCounts, CountWhatAProcessLists)
{
    Chain chain;
    json c = meeting_counts(chain.cross.state);
    EXPECT_EQ(c["participants"], 3);
    EXPECT_EQ(c["commitments"], 2);
    EXPECT_EQ(c["ratings_answered"], 2);
    EXPECT_EQ(c["items"]["reflections"], 3);
    EXPECT_EQ(meeting_counts(chain.pros.state)["items"]["timeline"], 5) << "the hidden item is not counted";
}

}  // namespace
}  // namespace keha::test
