// Quick polls (keha/polls.hpp, docs/protocol.md §8.1): launching from the short form and from a
// template's prepared list, who may do what, answers that record only that someone answered,
// the results a batch adds up to, suppression of polls about people's own experience, and what
// everyone but facilitators sees before the results are shown.
#include <gtest/gtest.h>

#include "helpers.hpp"
#include "keha/polls.hpp"
#include "keha/reducer.hpp"
#include "keha/templates.hpp"
#include "keha/view.hpp"

namespace keha::test {
namespace {

class Polls : public Four_people {
protected:
    // A poll from the short form; its id.
    std::string open(json args)
    {
        room.ok(fac(), "poll.open", std::move(args));
        return "l" + std::to_string(room.seq);
    }
    std::string open_choice(bool multiple = false, bool about_self = false, const std::string& show = "live")
    {
        return open({{"kind", "choice"}, {"question", "Mikä auttoi?"}, {"options", {"Aikajana", "Parit", "Tauko"}},
                     {"multiple", multiple}, {"about_self", about_self}, {"show", show}});
    }
    const json& poll(const std::string& id) { return room.state["polls"][id]; }
    // The server releases held answers (Room::release_topic).
    void tally(const std::string& id, json answers)
    {
        room.ok(Meeting::server, "poll.tally", {{"topic", poll_topic(id)}, {"answers", std::move(answers)}});
    }
    Applied applied(const Actor& who, const std::string& cmd, const json& args)
    {
        auto r = apply_command(room.state, who, Command{cmd, args}, Context{room.seq + 1, room.now_ms});
        EXPECT_TRUE(std::holds_alternative<Applied>(r)) << cmd;
        ++room.seq;
        return std::get<Applied>(r);
    }
};

TEST_F(Polls, TheShortFormLaunchesAnOpenPollOnTheWall)
{
    EXPECT_EQ(room.state["polls"], json::object());
    const std::string id = open_choice();
    const json& p = poll(id);
    EXPECT_EQ(p["id"], id);
    EXPECT_EQ(p["kind"], "choice");
    EXPECT_EQ(p["question"], "Mikä auttoi?");
    EXPECT_EQ(p["options"], json({"Aikajana", "Parit", "Tauko"}));
    EXPECT_EQ(p["status"], "open");
    EXPECT_EQ(p["show"], "live");
    EXPECT_EQ(p["shown"], true);
    EXPECT_EQ(p["answered"], 0);
    EXPECT_TRUE(p["results"].is_null());
    EXPECT_EQ(p["at"], room.now_ms);
    const std::string hidden = open({{"kind", "scale"}, {"question", "Jaksatko?"}, {"show", "reveal"}});
    EXPECT_EQ(poll(hidden)["shown"], false);
    EXPECT_EQ(poll(hidden)["options"], json::array());
}

TEST_F(Polls, OnlyFacilitatorsRunPollsAndOnlyTheServerTallies)
{
    const std::string id = open_choice();
    for (const Actor& who : {a(), screen()}) {
        room.fails(Error_code::forbidden, who, "poll.open", {{"kind", "scale"}, {"question", "?"}});
        room.fails(Error_code::forbidden, who, "poll.close", {{"poll", id}});
        room.fails(Error_code::forbidden, who, "poll.reveal", {{"poll", id}});
        room.fails(Error_code::forbidden, who, "poll.remove", {{"poll", id}});
        room.fails(Error_code::forbidden, who, "poll.tally", {{"topic", poll_topic(id)}, {"answers", {{{"choices", {0}}}}}});
    }
    room.fails(Error_code::forbidden, fac(), "poll.tally", {{"topic", poll_topic(id)}, {"answers", {{{"choices", {0}}}}}});
    room.fails(Error_code::forbidden, screen(), "poll.answer", {{"poll", id}, {"choices", {0}}});
    room.fails(Error_code::forbidden, Meeting::server, "poll.open", {{"kind", "scale"}, {"question", "?"}});
}

TEST_F(Polls, BadFormInputGetsAClearRefusal)
{
    room.fails(Error_code::invalid, fac(), "poll.open", {{"kind", "essay"}, {"question", "?"}});
    room.fails(Error_code::bad_request, fac(), "poll.open", {{"kind", "choice"}, {"question", "?"}});
    room.fails(Error_code::invalid, fac(), "poll.open", {{"kind", "choice"}, {"question", "?"}, {"options", {"one"}}});
    json eleven = json::array();
    for (int i = 0; i < 11; ++i) eleven.push_back("o" + std::to_string(i));
    room.fails(Error_code::invalid, fac(), "poll.open", {{"kind", "choice"}, {"question", "?"}, {"options", eleven}});
    room.fails(Error_code::invalid, fac(), "poll.open", {{"kind", "choice"}, {"question", "?"}, {"options", {"a", ""}}});
    room.fails(Error_code::bad_request, fac(), "poll.open", {{"kind", "choice"}, {"question", "?"}, {"options", {"a", 2}}});
    room.fails(Error_code::invalid, fac(), "poll.open", {{"kind", "scale"}, {"question", "?"}, {"options", {"a", "b"}}});
    room.fails(Error_code::invalid, fac(), "poll.open", {{"kind", "words"}, {"question", "?"}, {"multiple", true}});
    room.fails(Error_code::invalid, fac(), "poll.open", {{"kind", "scale"}, {"question", ""}});
    room.fails(Error_code::invalid, fac(), "poll.open", {{"kind", "scale"}, {"question", repeat("ä", 301)}});
    room.fails(Error_code::invalid, fac(), "poll.open", {{"kind", "scale"}, {"question", "?"}, {"show", "later"}});
    room.fails(Error_code::invalid, fac(), "poll.open", {{"kind", "scale"}, {"question", "?"}, {"colour", "red"}});
    room.fails(Error_code::not_found, fac(), "poll.open", {{"prepared", "t9"}});
    room.fails(Error_code::not_found, fac(), "poll.close", {{"poll", "l999"}});
    EXPECT_EQ(room.state["polls"], json::object());
}

TEST_F(Polls, AnAnswerRecordsOnlyThatThePersonAnswered)
{
    const std::string id = open_choice();
    const Applied done = applied(a(), "poll.answer", {{"poll", id}, {"choices", {1}}});
    ASSERT_TRUE(done.effects.anonymous_answer);
    EXPECT_EQ(done.effects.anonymous_answer->topic, "poll/" + id);
    EXPECT_EQ(done.effects.anonymous_answer->answer, json({{"choices", {1}}}));
    EXPECT_EQ(done.effects.anonymous_answer->release, "poll.tally");
    EXPECT_EQ(done.effects.anonymous_answer->batch, poll_minimum);
    // The patch: the count and who answered, nothing of the choice.
    for (const auto& op : done.patch) {
        const std::string path = op["path"];
        EXPECT_TRUE(path == "/polls/" + id + "/answered" || path == "/participants/" + a_id + "/polls_answered") << path;
    }
    EXPECT_EQ(poll(id)["answered"], 1);
    EXPECT_EQ(room.state["participants"][a_id]["polls_answered"], json({id}));
    EXPECT_TRUE(poll(id)["results"].is_null());
    room.fails(Error_code::conflict, a(), "poll.answer", {{"poll", id}, {"choices", {2}}});
}

TEST_F(Polls, AnswersAreCheckedByTheirKind)
{
    const std::string one = open_choice();
    room.fails(Error_code::invalid, a(), "poll.answer", {{"poll", one}, {"choices", {0, 1}}});
    room.fails(Error_code::invalid, a(), "poll.answer", {{"poll", one}, {"choices", {3}}});
    room.fails(Error_code::invalid, a(), "poll.answer", {{"poll", one}, {"choices", json::array()}});
    room.fails(Error_code::invalid, a(), "poll.answer", {{"poll", one}, {"choices", {-1}}});
    room.fails(Error_code::invalid, a(), "poll.answer", {{"poll", one}, {"value", 3}});
    room.fails(Error_code::bad_request, a(), "poll.answer", {{"poll", one}});
    const std::string several = open_choice(true);
    EXPECT_EQ(applied(a(), "poll.answer", {{"poll", several}, {"choices", {2, 0, 2}}}).effects.anonymous_answer->answer,
              json({{"choices", {0, 2}}}));
    const std::string scale = open({{"kind", "scale"}, {"question", "Jaksatko?"}});
    room.fails(Error_code::invalid, a(), "poll.answer", {{"poll", scale}, {"value", 11}});
    room.fails(Error_code::bad_request, a(), "poll.answer", {{"poll", scale}, {"value", "7"}});
    EXPECT_EQ(applied(a(), "poll.answer", {{"poll", scale}, {"value", 0}}).effects.anonymous_answer->answer, json({{"value", 0}}));
    const std::string words = open({{"kind", "words"}, {"question", "Yksi sana?"}});
    room.fails(Error_code::invalid, a(), "poll.answer", {{"poll", words}, {"words", {"a", "b", "c", "d"}}});
    room.fails(Error_code::invalid, a(), "poll.answer", {{"poll", words}, {"words", {"!!!"}}});
    room.fails(Error_code::invalid, a(), "poll.answer", {{"poll", words}, {"words", {repeat("x", 41)}}});
    EXPECT_EQ(applied(b(), "poll.answer", {{"poll", words}, {"words", {"Kiire", " KIIRE! ", "Ärsyttää"}}}).effects.anonymous_answer->answer,
              json({{"words", {"kiire", "ärsyttää"}}}));
}

TEST(PollWords, CaseIsFoldedWithoutALocaleAndFinnishAndSwedishLettersStay)
{
    EXPECT_EQ(normalize_word("  ÄITI  "), "äiti");
    EXPECT_EQ(normalize_word("Åland"), "åland");
    EXPECT_EQ(normalize_word("\"Öljy,\""), "öljy");
    EXPECT_EQ(normalize_word("hyvä \t  FIILIS"), "hyvä fiilis");
    EXPECT_EQ(normalize_word("ÉCOLE"), "école");
    EXPECT_EQ(normalize_word("ääliö"), "ääliö");
    EXPECT_EQ(normalize_word("×2"), "×2");            // the multiplication sign is no letter
    EXPECT_EQ(normalize_word("ΩMEGA"), "Ωmega");      // beyond Latin-1: kept as written
    EXPECT_EQ(normalize_word("..."), std::nullopt);
    EXPECT_EQ(normalize_word("   "), std::nullopt);
}

TEST_F(Polls, ABatchAddsUpToResults)
{
    const std::string choice = open_choice(true);
    tally(choice, {{{"choices", {0}}}, {{"choices", {0, 2}}}, {{"choices", {1}}}});
    EXPECT_EQ(poll(choice)["results"], json({{"count", 3}, {"options", {2, 1, 1}}}));
    EXPECT_EQ(poll(choice)["stored"], 3);
    const std::string scale = open({{"kind", "scale"}, {"question", "Jaksatko?"}});
    tally(scale, {{{"value", 7}}, {{"value", 3}}, {{"value", 8}}, {{"value", 7}}});
    EXPECT_EQ(poll(scale)["results"]["count"], 4);
    EXPECT_EQ(poll(scale)["results"]["distribution"], json({0, 0, 0, 1, 0, 0, 0, 2, 1, 0, 0}));
    EXPECT_EQ(poll(scale)["results"]["median"], 7.0);
    const std::string words = open({{"kind", "words"}, {"question", "Sana?"}});
    tally(words, {{{"words", {"kiire", "yhteistyö"}}}, {{"words", {"kiire"}}}, {{"words", {"toivo"}}}});
    tally(words, {{{"words", {"toivo"}}}, {{"words", {"kiire"}}}, {{"words", {"ilo"}}}});
    EXPECT_EQ(poll(words)["results"], json({{"count", 6}, {"words", {{"ilo", 1}, {"kiire", 3}, {"toivo", 2}, {"yhteistyö", 1}}}}));
    room.fails(Error_code::not_found, Meeting::server, "poll.tally", {{"topic", "poll/l999"}, {"answers", {{{"value", 1}}}}});
    room.fails(Error_code::bad_request, Meeting::server, "poll.tally", {{"topic", poll_topic(words)}, {"answers", json::array()}});
}

TEST_F(Polls, APollAboutOnesOwnExperienceShowsNothingBelowThreeAndNoSmallLastBatch)
{
    const std::string few = open_choice(false, true);
    room.ok(fac(), "poll.close", {{"poll", few}});
    tally(few, {{{"choices", {0}}}, {{"choices", {1}}}});
    EXPECT_EQ(poll(few)["results"], json({{"suppressed", true}, {"minimum", 3}}));
    EXPECT_EQ(poll(few)["stored"], 2);

    const std::string shown = open_choice(false, true);
    tally(shown, {{{"choices", {0}}}, {{"choices", {1}}}, {{"choices", {1}}}});
    EXPECT_EQ(poll(shown)["results"], json({{"count", 3}, {"options", {1, 2, 0}}}));
    room.ok(fac(), "poll.close", {{"poll", shown}});
    tally(shown, {{{"choices", {2}}}});
    // Added, the difference would show the last answer: it is counted as stored, not shown.
    EXPECT_EQ(poll(shown)["results"], json({{"count", 3}, {"options", {1, 2, 0}}, {"withheld", 1}}));
    EXPECT_EQ(poll(shown)["stored"], 4);

    // An ordinary poll counts every answer, however few.
    const std::string plain = open_choice();
    room.ok(fac(), "poll.close", {{"poll", plain}});
    tally(plain, {{{"choices", {2}}}});
    EXPECT_EQ(poll(plain)["results"], json({{"count", 1}, {"options", {0, 0, 1}}}));
}

TEST_F(Polls, CloseReleasesWhatIsHeldAndRemoveDropsIt)
{
    const std::string id = open_choice();
    const Applied closed = applied(fac(), "poll.close", {{"poll", id}});
    EXPECT_EQ(closed.effects.release_held, poll_topic(id));
    EXPECT_EQ(poll(id)["status"], "closed");
    room.fails(Error_code::conflict, a(), "poll.answer", {{"poll", id}, {"choices", {0}}});
    room.fails(Error_code::conflict, fac(), "poll.close", {{"poll", id}});
    const std::string other = open_choice();
    const Applied removed = applied(fac(), "poll.remove", {{"poll", other}});
    EXPECT_EQ(removed.effects.drop_held, poll_topic(other));
    EXPECT_FALSE(room.state["polls"].contains(other));
    room.ok(fac(), "poll.remove", {{"poll", id}});
    EXPECT_EQ(room.state["polls"], json::object());
}

TEST_F(Polls, ResultsNotShownReachOnlyFacilitators)
{
    const std::string id = open_choice(false, false, "reveal");
    const json before = room.state;
    const json patch = room.ok(Meeting::server, "poll.tally", {{"topic", poll_topic(id)}, {"answers", {{{"choices", {0}}}, {{"choices", {0}}}, {{"choices", {1}}}}}});
    const auto views = split_patch(patch, room.state, "server");
    EXPECT_EQ(before.patch(views.for_viewer({fac_id, Role::facilitator})), room.state);
    for (const Viewer& v : {Viewer{a_id, Role::participant}, Viewer{screen_id, Role::screen}}) {
        const json seen = view_for(room.state, v);
        EXPECT_TRUE(seen["polls"][id]["results"].is_null());
        EXPECT_EQ(view_for(before, v).patch(views.for_viewer(v)), seen);
        EXPECT_FALSE(view_is_whole(room.state, v));
    }
    EXPECT_EQ(view_for(room.state, {fac_id, Role::facilitator})["polls"][id]["results"]["count"], 3);

    // The reveal puts the whole poll: those who had no results get them in the same op.
    const json hidden = view_for(room.state, {a_id, Role::participant});
    const json reveal = room.ok(fac(), "poll.reveal", {{"poll", id}});
    const auto shown = split_patch(reveal, room.state, fac_id);
    const json seen = hidden.patch(shown.for_viewer({a_id, Role::participant}));
    EXPECT_EQ(seen, view_for(room.state, {a_id, Role::participant}));
    EXPECT_EQ(seen["polls"][id]["results"]["options"], json({2, 1, 0}));
    EXPECT_TRUE(view_is_whole(room.state, {a_id, Role::participant}));

    // Taken off the wall: back to the facilitators only.
    const json off = room.ok(fac(), "poll.reveal", {{"poll", id}, {"shown", false}});
    const json after = seen.patch(split_patch(off, room.state, fac_id).for_viewer({a_id, Role::participant}));
    EXPECT_TRUE(after["polls"][id]["results"].is_null());
    EXPECT_EQ(after, view_for(room.state, {a_id, Role::participant}));
}

TEST(PreparedPolls, ATemplatesPollsAreReadyToLaunchAndStayForAnotherRun)
{
    json t = default_template();
    t["polls"] = {{{"kind", "words"}, {"question", {{"fi", "Mikä sana?"}, {"sv", "Vilket ord?"}, {"en", "Which word?"}}}},
                  {{"kind", "scale"}, {"about_self", true}, {"show", "reveal"},
                   {"question", {{"fi", "Tulitko kuulluksi?"}, {"en", "Were you heard?"}}}}};
    EXPECT_EQ(check_template_polls(t["polls"]), std::nullopt);
    Meeting room(test_meta("fi"), t);
    const Actor fac = room.join("Fia", "leader", "facilitator");
    EXPECT_EQ(room.state["polls"]["t1"]["status"], "prepared");
    EXPECT_EQ(room.state["polls"]["t2"]["about_self"], true);
    EXPECT_EQ(room.state["polls"]["t2"]["show"], "reveal");
    room.ok(fac, "poll.open", {{"prepared", "t2"}});
    const std::string id = "l" + std::to_string(room.seq);
    EXPECT_EQ(room.state["polls"][id]["status"], "open");
    EXPECT_EQ(room.state["polls"][id]["question"], room.state["polls"]["t2"]["question"]);
    EXPECT_EQ(room.state["polls"][id]["shown"], false);
    EXPECT_EQ(room.state["polls"]["t2"]["status"], "prepared");
    room.fails(Error_code::conflict, fac, "poll.open", {{"prepared", id}});
    room.fails(Error_code::invalid, fac, "poll.open", {{"prepared", "t1"}, {"kind", "scale"}});
    room.fails(Error_code::conflict, fac, "poll.reveal", {{"poll", "t1"}});
    const Actor p = room.join("Pia", "expert");
    room.fails(Error_code::conflict, p, "poll.answer", {{"poll", "t1"}, {"words", {"a"}}});
}

TEST(PreparedPolls, AMalformedListIsRefusedWithAReason)
{
    EXPECT_TRUE(check_template_polls(json::object()));
    EXPECT_TRUE(check_template_polls({{{"kind", "essay"}, {"question", {{"fi", "?"}}}}}));
    EXPECT_TRUE(check_template_polls({{{"kind", "scale"}, {"question", "?"}}}));
    EXPECT_TRUE(check_template_polls({{{"kind", "choice"}, {"question", {{"fi", "?"}}}, {"options", {{{"fi", "a"}}}}}}));
    EXPECT_TRUE(check_template_polls({{{"kind", "words"}, {"question", {{"fi", "?"}}}, {"options", {{{"fi", "a"}}, {{"fi", "b"}}}}}}));
    EXPECT_TRUE(check_template_polls({{{"kind", "scale"}, {"question", {{"fi", "?"}}}, {"show", "later"}}}));
    Templates templates;
    json t = default_template();
    t["polls"] = {{{"kind", "scale"}}};
    EXPECT_TRUE(templates.add(t));
}

TEST(PreparedPolls, TheShippedTemplatesPrepareACheckInCloudAndAHeardScale)
{
    for (const char* name : {"monni-professionals", "eratauko"}) {
        const json t = read_template(name);
        ASSERT_TRUE(t.contains("polls")) << name;
        EXPECT_EQ(check_template_polls(t["polls"]), std::nullopt) << name;
        EXPECT_EQ(t["polls"][0]["kind"], "words") << name;
        EXPECT_EQ(t["polls"][1]["kind"], "scale") << name;
        EXPECT_EQ(t["polls"][1]["about_self"], true) << name;
        for (const char* lang : {"fi", "sv", "en"}) EXPECT_TRUE(t["polls"][1]["question"].contains(lang)) << name << lang;
    }
}

}  // namespace
}  // namespace keha::test
