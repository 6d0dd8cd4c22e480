// Private writing for a phase (docs/protocol.md §8.3, "Private writing"): board.private,
// board.reveal, a template's private-writing phase, and the counts the room sees.
#include <gtest/gtest.h>

#include <fstream>

#include "keha/notes.hpp"
#include "keha/private_writing.hpp"
#include "keha/templates.hpp"
#include "keha/view.hpp"
#include "team.hpp"

namespace keha::test {
namespace {

class PrivateWriting : public ::testing::Test {
protected:
    Team m;
    json add(const std::string& pid, const std::string& text, json extra = json::object())
    {
        json args = {{"board", "timeline"}, {"column", "event"}, {"text", text}};
        args.update(extra);
        return m.p(pid, "item.add", args);
    }
    const json& last_item() { return m.item("timeline", "i" + std::to_string(m.seq)); }
};

TEST_F(PrivateWriting, EveryItemAddedToAPrivateBoardIsHeldWhateverHiddenSays)
{
    m.f("board.private", {{"board", "timeline"}, {"private", true}});
    EXPECT_TRUE(m.state["boards"]["timeline"]["private"]);
    add(m.pro[0], "Lähete 2021");
    EXPECT_TRUE(last_item()["hidden"]);
    add(m.pro[1], "Koulu soitti", {{"hidden", false}});
    EXPECT_TRUE(last_item()["hidden"]);
    m.f("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "Ohjaajan oma"}});
    EXPECT_TRUE(last_item()["hidden"]) << "the facilitator's own notes wait for the reveal too";
    // Other boards are not private.
    m.p(m.pro[0], "item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "Yhteinen kieli"}});
    EXPECT_FALSE(m.item("vision", "i" + std::to_string(m.seq))["hidden"]);
}

TEST_F(PrivateWriting, OthersSeeHowManyNotesEachPersonWroteButNoWords)
{
    m.f("board.private", {{"board", "timeline"}, {"private", true}});
    add(m.pro[0], "Ensimmäinen");
    add(m.pro[0], "Toinen", {{"when", "2021-03"}, {"sector", "school"}});
    add(m.pro[1], "Kolmas");
    const json seen = view_for(m.state, Viewer{m.lead[0], Role::participant});
    const json screen = view_for(m.state, Viewer{"p99", Role::screen});
    for (const json* v : {&seen, &screen}) {
        for (const auto& [id, it] : (*v)["boards"]["timeline"]["items"].items()) {
            EXPECT_FALSE(it.contains("text")) << id;
            EXPECT_FALSE(it.contains("when")) << id;
            EXPECT_FALSE(it.contains("sector")) << id;
        }
        const auto counts = private_counts(*v, "timeline");
        EXPECT_EQ(counts, (std::map<std::string, int>{{m.pro[0], 2}, {m.pro[1], 1}}));
    }
    // The author reads their own in full; the facilitators read all.
    const json own = view_for(m.state, Viewer{m.pro[0], Role::participant});
    EXPECT_EQ(own["boards"]["timeline"]["items"]["i" + std::to_string(m.seq - 1)]["text"], "Toinen");
    EXPECT_FALSE(own["boards"]["timeline"]["items"]["i" + std::to_string(m.seq)].contains("text"));
    const json fac = view_for(m.state, Viewer{m.fac, Role::facilitator});
    EXPECT_EQ(fac["boards"]["timeline"]["items"]["i" + std::to_string(m.seq)]["text"], "Kolmas");
}

TEST_F(PrivateWriting, OneRevealShowsEveryHeldNoteInOnePatchAndEndsPrivateWriting)
{
    add(m.pro[2], "Näkyvä ennen");
    const std::string visible = "i" + std::to_string(m.seq);
    m.f("board.private", {{"board", "timeline"}, {"private", true}});
    add(m.pro[0], "Yksi");
    add(m.pro[1], "Kaksi");
    add(m.lead[0], "Kolme");
    const json patch = m.f("board.reveal", {{"board", "timeline"}});
    ASSERT_EQ(patch.size(), 4u) << patch.dump();
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(patch[i]["op"], "add");
        EXPECT_EQ(patch[i]["value"]["hidden"], false);
        EXPECT_TRUE(patch[i]["value"].contains("text")) << "the whole item, words included";
        EXPECT_NE(patch[i]["path"], "/boards/timeline/items/" + visible);
    }
    EXPECT_EQ(patch[3], (json{{"op", "add"}, {"path", "/boards/timeline/private"}, {"value", false}}));
    EXPECT_TRUE(private_counts(m.state, "timeline").empty());
    // Written after the reveal: visible at once.
    add(m.pro[0], "Jälkeen");
    EXPECT_FALSE(last_item()["hidden"]);
    // A second reveal changes nothing.
    EXPECT_EQ(m.f("board.reveal", {{"board", "timeline"}}), json::array());
}

json catalog(const std::string& lang)
{
    std::ifstream in(std::string(KEHA_SOURCE_ASSET_DIR) + "/i18n/" + lang + ".json");
    return json::parse(in);
}

// Exported before the reveal, the notes leave the held notes out and say so at the top, in
// the notes' language, counted; after the reveal the line is gone and the words are in.
TEST_F(PrivateWriting, NotesExportedBeforeTheRevealSayHowManyNotesAreLeftOut)
{
    add(m.pro[2], "Näkyvä ennen");
    EXPECT_EQ(render_notes(m.state, Notes_format::md, catalog("fi")).find("näytetty"), std::string::npos);
    m.f("board.private", {{"board", "timeline"}, {"private", true}});
    add(m.pro[0], "Salainen yksi");
    const std::string fi_one = render_notes(m.state, Notes_format::md, catalog("fi"));
    EXPECT_NE(fi_one.find("Taululla Aikajana on 1 yksityisesti kirjoitettu muistiinpano, jota ei ole vielä näytetty."),
              std::string::npos) << fi_one;
    EXPECT_EQ(fi_one.find("Salainen"), std::string::npos);
    EXPECT_LT(fi_one.find("näytetty"), fi_one.find("Näkyvä ennen")) << "the line comes before the boards";
    add(m.pro[1], "Salainen kaksi");
    m.f("board.private", {{"board", "timeline"}, {"private", false}});  // stopped, not revealed: still held
    const std::string en = render_notes(m.state, Notes_format::html, catalog("en"));
    EXPECT_NE(en.find("2 notes written privately on the board Timeline have not been revealed yet"), std::string::npos) << en;
    const std::string sv = render_notes(m.state, Notes_format::md, catalog("sv"));
    EXPECT_NE(sv.find("På tavlan Tidslinje finns 2 privat skrivna anteckningar"), std::string::npos) << sv;
    m.f("board.reveal", {{"board", "timeline"}});
    const std::string after = render_notes(m.state, Notes_format::md, catalog("fi"));
    EXPECT_EQ(after.find("näytetty"), std::string::npos) << after;
    EXPECT_NE(after.find("Salainen kaksi"), std::string::npos);
}

TEST_F(PrivateWriting, TheRevealPatchGivesEveryMemberTheWordsThroughTheRedactedPatch)
{
    m.f("board.private", {{"board", "timeline"}, {"private", true}});
    add(m.pro[0], "Salainen");
    const std::string id = "i" + std::to_string(m.seq);
    json before = view_for(m.state, Viewer{m.lead[1], Role::participant});
    const json patch = m.f("board.reveal", {{"board", "timeline"}});
    const auto views = split_patch(patch, m.state, m.fac);
    before.patch_inplace(views.for_viewer(Viewer{m.lead[1], Role::participant}));
    EXPECT_EQ(before, view_for(m.state, Viewer{m.lead[1], Role::participant}));
    EXPECT_EQ(before["boards"]["timeline"]["items"][id]["text"], "Salainen");
}

TEST_F(PrivateWriting, AnAuthorWaitsForTheRevealButMayEditMoveAndDeleteTheirOwn)
{
    m.f("board.private", {{"board", "timeline"}, {"private", true}});
    add(m.pro[0], "Luonnos");
    const std::string id = "i" + std::to_string(m.seq);
    EXPECT_EQ(m.err(m.pro[0], Role::participant, "item.reveal", {{"board", "timeline"}, {"id", id}}), Error_code::conflict);
    // Revealing all of one's own leaves the notes that wait for everyone's.
    EXPECT_EQ(m.p(m.pro[0], "item.reveal", {{"board", "timeline"}}), json::array());
    EXPECT_TRUE(m.item("timeline", id)["hidden"]);
    m.p(m.pro[0], "item.edit", {{"board", "timeline"}, {"id", id}, {"text", "Parempi"}});
    m.p(m.pro[0], "item.move", {{"board", "timeline"}, {"id", id}, {"order", 7.5}});
    m.p(m.pro[0], "item.delete", {{"board", "timeline"}, {"id", id}});
    // A facilitator may still reveal one note early (item.reveal).
    add(m.pro[1], "Kiireellinen");
    const std::string early = "i" + std::to_string(m.seq);
    m.f("item.reveal", {{"board", "timeline"}, {"id", early}});
    EXPECT_FALSE(m.item("timeline", early)["hidden"]);
}

TEST_F(PrivateWriting, ANoteKeptPrivateByChoiceStaysPrivateAfterTheReveal)
{
    add(m.pro[2], "Oma ennen", {{"hidden", true}});
    const std::string before = "i" + std::to_string(m.seq);
    m.f("board.private", {{"board", "timeline"}, {"private", true}});
    add(m.pro[0], "Oma valinta", {{"hidden", true}});
    const std::string kept = "i" + std::to_string(m.seq);
    EXPECT_FALSE(m.item("timeline", kept).contains("awaits_reveal"));
    add(m.pro[0], "Kaikille");
    const std::string shared = "i" + std::to_string(m.seq);
    EXPECT_EQ(m.item("timeline", shared)["awaits_reveal"], true);
    // The count is of the notes that wait for the reveal.
    EXPECT_EQ(private_counts(view_for(m.state, Viewer{m.lead[0], Role::participant}), "timeline"),
              (std::map<std::string, int>{{m.pro[0], 1}}));
    m.f("board.reveal", {{"board", "timeline"}});
    EXPECT_FALSE(m.item("timeline", shared)["hidden"]);
    EXPECT_FALSE(m.item("timeline", shared).contains("awaits_reveal"));
    EXPECT_TRUE(m.item("timeline", kept)["hidden"]);
    EXPECT_TRUE(m.item("timeline", before)["hidden"]);
    // Its author may reveal it whenever they like, private writing or not.
    m.f("board.private", {{"board", "timeline"}, {"private", true}});
    m.p(m.pro[0], "item.reveal", {{"board", "timeline"}, {"id", kept}});
    EXPECT_FALSE(m.item("timeline", kept)["hidden"]);
}

TEST_F(PrivateWriting, TurningItOffHoldsNothingNewAndKeepsWhatIsHeld)
{
    m.f("board.private", {{"board", "timeline"}, {"private", true}});
    add(m.pro[0], "Pidetty");
    const std::string held = "i" + std::to_string(m.seq);
    const json off = m.f("board.private", {{"board", "timeline"}, {"private", false}});
    EXPECT_EQ(off, (json{{{"op", "add"}, {"path", "/boards/timeline/private"}, {"value", false}}}));
    EXPECT_TRUE(m.item("timeline", held)["hidden"]);
    add(m.pro[1], "Uusi");
    EXPECT_FALSE(last_item()["hidden"]);
    // Its author reveals their own again, as before private writing.
    m.p(m.pro[0], "item.reveal", {{"board", "timeline"}, {"id", held}});
    EXPECT_FALSE(m.item("timeline", held)["hidden"]);
    // Setting what is already set changes nothing.
    EXPECT_EQ(m.f("board.private", {{"board", "timeline"}, {"private", false}}), json::array());
}

TEST_F(PrivateWriting, OnlyFacilitatorsAndBadInputIsRefused)
{
    EXPECT_EQ(m.err(m.pro[0], Role::participant, "board.private", {{"board", "timeline"}, {"private", true}}),
              Error_code::forbidden);
    EXPECT_EQ(m.err(m.pro[0], Role::participant, "board.reveal", {{"board", "timeline"}}), Error_code::forbidden);
    EXPECT_EQ(m.err("p99", Role::screen, "board.reveal", {{"board", "timeline"}}), Error_code::forbidden);
    EXPECT_EQ(m.err(m.fac, Role::facilitator, "board.private", {{"board", "wall"}, {"private", true}}), Error_code::invalid);
    EXPECT_EQ(m.err(m.fac, Role::facilitator, "board.private", {{"board", "timeline"}}), Error_code::bad_request);
    EXPECT_EQ(m.err(m.fac, Role::facilitator, "board.private", {{"board", "timeline"}, {"private", "yes"}}),
              Error_code::bad_request);
    EXPECT_EQ(m.err(m.fac, Role::facilitator, "board.private", {{"board", "timeline"}, {"private", true}, {"x", 1}}),
              Error_code::invalid);
    EXPECT_EQ(m.err(m.fac, Role::facilitator, "board.reveal", {}), Error_code::bad_request);
    EXPECT_EQ(m.err(m.fac, Role::facilitator, "board.reveal", {{"board", "timeline"}, {"all", true}}), Error_code::invalid);
}

TEST_F(PrivateWriting, EnteringAPrivateWritingPhaseMakesItsBoardPrivate)
{
    m.f("phase.add", {{"title", "Hiljainen kirjoitus"}, {"board", "vision"}, {"private_writing", true}});
    const std::string phase = "x" + std::to_string(m.seq);
    EXPECT_EQ(m.state["phases"].back()["private_writing"], true);
    EXPECT_FALSE(m.state["boards"]["vision"]["private"]);
    const json patch = m.f("phase.goto", {{"phase", phase}});
    EXPECT_EQ(patch.size(), 2u) << patch.dump();
    EXPECT_TRUE(m.state["boards"]["vision"]["private"]);
    m.f("board.reveal", {{"board", "vision"}});
    // Going to the phase it is in already changes nothing: the revealed board stays open.
    EXPECT_EQ(m.f("phase.goto", {{"phase", phase}}), json::array());
    EXPECT_FALSE(m.state["boards"]["vision"]["private"]);
    // A private-writing phase needs a board.
    EXPECT_EQ(m.err(m.fac, Role::facilitator, "phase.add", {{"title", "Ei taulua"}, {"private_writing", true}}),
              Error_code::invalid);
    EXPECT_EQ(m.err(m.fac, Role::facilitator, "phase.add", {{"title", "T"}, {"board", "plan"}, {"private_writing", 1}}),
              Error_code::bad_request);
}

TEST(PrivateWritingTemplates, TheMonniTimelineAndEratauko_sInsightsAreWrittenPrivately)
{
    const json pros = read_template("monni-professionals");
    const json era = read_template("eratauko");
    auto phase = [](const json& t, const std::string& id) {
        for (const auto& p : t["phases"])
            if (p["id"] == id) return p;
        return json();
    };
    EXPECT_EQ(phase(pros, "timeline").value("private_writing", false), true);
    EXPECT_EQ(phase(era, "insights").value("private_writing", false), true);
    // A room of a template whose first phase writes privately starts with that board private.
    json t = pros;
    std::swap(t["phases"][0], t["phases"][1]);
    const json state = make_state(team_meta(), t);
    EXPECT_TRUE(state["boards"]["timeline"]["private"]);
    EXPECT_FALSE(state["boards"]["vision"]["private"]);
    EXPECT_FALSE(make_state(team_meta(), pros)["boards"]["timeline"]["private"]);
    // Templates say it with a boolean, and only on a phase with a board.
    Templates templates;
    json bad = pros;
    bad["phases"][1]["private_writing"] = "yes";
    EXPECT_NE(templates.add(bad), std::nullopt);
    bad["phases"][1]["private_writing"] = true;
    bad["phases"][1]["board"] = nullptr;
    EXPECT_NE(templates.add(bad), std::nullopt);
}

TEST(PrivateWritingDefaults, RoomsStoredBeforeGainTheDefaults)
{
    json old = make_state(team_meta(), read_template("default"));
    for (auto& [name, b] : old["boards"].items()) b.erase("private");
    for (auto& p : old["phases"]) p.erase("private_writing");
    private_writing_defaults(old);
    EXPECT_EQ(old, make_state(team_meta(), read_template("default")));
}

}  // namespace
}  // namespace keha::test
