// Quick polls in the notes (shared/src/notes_polls.cpp, docs/protocol.md §10.1): each poll that
// was run, in launch order, with its results as the room saw them — a word cloud's words most
// given first, a scale's median and distribution, a choice's counts — and nothing for a poll
// about people's own experience that fewer than three answered.
#include <gtest/gtest.h>

#include <fstream>

#include "keha/notes.hpp"
#include "keha/polls.hpp"
#include "team.hpp"

namespace keha::test {
namespace {

json catalog(const std::string& lang)
{
    std::ifstream in(std::string(KEHA_SOURCE_ASSET_DIR) + "/i18n/" + lang + ".json");
    return json::parse(in);
}

class PollNotes : public testing::Test, public Team {
public:
    std::string open(json args)
    {
        f("poll.open", std::move(args));
        return "l" + std::to_string(seq);
    }
    // The server adds a batch of held answers (Room::release_topic).
    void tally(const std::string& id, json answers)
    {
        ok(server, "poll.tally", {{"topic", poll_topic(id)}, {"answers", std::move(answers)}});
    }
};

TEST_F(PollNotes, EachPollRunIsInTheNotesWithItsResults)
{
    const std::string words = open({{"kind", "words"}, {"question", "Millä sanalla kuvaisit tunnelmaasi?"}});
    tally(words, {{{"words", {"kiire", "yhteistyö"}}}, {{"words", {"kiire"}}}, {{"words", {"toivo", "kiire"}}}});
    const std::string scale = open({{"kind", "scale"}, {"question", "Kuinka hyvin tulit kuulluksi?"}});
    tally(scale, {{{"value", 7}}, {{"value", 3}}, {{"value", 8}}});
    const std::string choice = open({{"kind", "choice"}, {"question", "Mikä auttoi?"}, {"options", {"Aikajana", "Parit"}}});
    tally(choice, {{{"choices", {1}}}, {{"choices", {1}}}, {{"choices", {0}}}});
    const std::string few = open({{"kind", "scale"}, {"question", "Jaksatko?"}, {"about_self", true}});
    f("poll.close", {{"poll", few}});
    tally(few, {{{"value", 2}}, {{"value", 9}}});

    const std::string md = render_notes(state, Notes_format::md, catalog("fi"));
    const auto at = [&](const std::string& s) { return md.find(s); };
    ASSERT_NE(at("## Pikakyselyt"), std::string::npos) << md;
    // In launch order, the words most given first with their counts.
    EXPECT_LT(at("tunnelmaasi"), at("kuulluksi"));
    EXPECT_LT(at("kuulluksi"), at("Mikä auttoi"));
    EXPECT_NE(at("| kiire | 3 |"), std::string::npos) << md;
    EXPECT_LT(at("| kiire | 3 |"), at("| toivo | 1 |"));
    EXPECT_NE(at("7"), std::string::npos);
    EXPECT_NE(at("3: 1 · 7: 1 · 8: 1"), std::string::npos) << md;
    EXPECT_NE(at("| Parit | 2 |"), std::string::npos) << md;
    // About people's own experience and answered by two: no numbers, only that they are withheld.
    const std::string after_few = md.substr(at("Jaksatko?"));
    EXPECT_EQ(after_few.find("2:"), std::string::npos) << after_few;
    EXPECT_EQ(after_few.find("9:"), std::string::npos) << after_few;

    const std::string html = render_notes(state, Notes_format::html, catalog("sv"));
    EXPECT_NE(html.find("kiire"), std::string::npos);
    EXPECT_NE(html.find("<table"), std::string::npos);
}

}  // namespace
}  // namespace keha::test
