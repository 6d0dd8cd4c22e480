// Questions and answers (keha/qa.hpp, docs/protocol.md §8.2, "Questions and answers"): who may do
// what, that asking records only that someone asked, the server's batches, moderation, hiding,
// up-votes once a person, what members who are not facilitators read, the order and the notes.
#include <gtest/gtest.h>

#include <map>

#include "keha/notes.hpp"
#include "keha/qa.hpp"
#include "keha/reducer.hpp"
#include "keha/view.hpp"
#include "team.hpp"

namespace keha::test {
namespace {

class Qa : public testing::Test, public Team {
public:
    // Opens a Q&A; its id.
    std::string open(const std::string& title = "Kysymyksiä johdolle")
    {
        f("qa.open", {{"title", title}});
        return "qa" + std::to_string(seq);
    }

    // The server's batch; the ids of the questions it published, in the order given.
    std::vector<std::string> publish(const std::string& qa, const std::vector<std::string>& texts)
    {
        ok(server, "qa.publish", qa_publish_args(qa, texts));
        std::vector<std::string> out;
        for (std::size_t k = 1; k <= texts.size(); ++k) out.push_back("q" + std::to_string(seq) + "_" + std::to_string(k));
        return out;
    }

    // Applies a command as the server does, for its effects.
    Effects effects_of(const std::string& pid, Role role, const std::string& cmd, json args)
    {
        auto r = apply_command(state, Actor{pid, role}, Command{cmd, std::move(args)}, Context{++seq, now_ms});
        auto* applied = std::get_if<Applied>(&r);
        if (!applied) {
            ADD_FAILURE() << cmd << " was refused: " << std::get<Error>(r).message;
            return {};
        }
        last_patch = applied->patch;
        return applied->effects;
    }

    const json& question(const std::string& qa, const std::string& qid) { return state["qa"][qa]["questions"][qid]; }

    json last_patch;
};

TEST_F(Qa, FacilitatorsOpenAndCloseEveryoneAsks)
{
    EXPECT_EQ(err(pro[0], Role::participant, "qa.open", {{"title", "x"}}), Error_code::forbidden);
    EXPECT_EQ(err("p99", Role::screen, "qa.open", {{"title", "x"}}), Error_code::forbidden);
    EXPECT_EQ(err(fac, Role::facilitator, "qa.open", {{"title", ""}}), Error_code::invalid);
    EXPECT_EQ(err(fac, Role::facilitator, "qa.open", json::object()), Error_code::bad_request);
    const auto qa = open();
    EXPECT_EQ(state["qa"][qa]["status"], "open");
    EXPECT_EQ(state["qa"][qa]["asked"], 0);
    EXPECT_EQ(err("p99", Role::screen, "qa.ask", {{"qa", qa}, {"text", "x"}}), Error_code::forbidden);
    EXPECT_EQ(err(pro[0], Role::participant, "qa.close", {{"qa", qa}}), Error_code::forbidden);
    EXPECT_EQ(err(pro[0], Role::participant, "qa.publish", qa_publish_args(qa, {"a", "b", "c"})),
              Error_code::forbidden);
    EXPECT_EQ(err(fac, Role::facilitator, "qa.publish", qa_publish_args(qa, {"a", "b", "c"})),
              Error_code::forbidden);
    p(pro[0], "qa.ask", {{"qa", qa}, {"text", "Milloin päätös tulee?"}});
    f("qa.close", {{"qa", qa}});
    EXPECT_EQ(state["qa"][qa]["status"], "closed");
    EXPECT_EQ(state["qa"][qa]["waiting"], 0);
    EXPECT_EQ(err(pro[1], Role::participant, "qa.ask", {{"qa", qa}, {"text", "Myöhässä"}}), Error_code::conflict);
    EXPECT_EQ(err(fac, Role::facilitator, "qa.close", {{"qa", qa}}), Error_code::conflict);
    EXPECT_EQ(err(pro[1], Role::participant, "qa.ask", {{"qa", "qa999"}, {"text", "Kenelle?"}}), Error_code::not_found);
}

TEST_F(Qa, AskingRecordsOnlyThatSomeoneAsked)
{
    const auto qa = open();
    const std::string text = "Miksi perheohjaus loppui kesken?";
    const Effects e = effects_of(pro[0], Role::participant, "qa.ask", {{"qa", qa}, {"text", text}});
    ASSERT_TRUE(e.anonymous_answer);
    EXPECT_EQ(e.anonymous_answer->topic, qa_topic(qa));
    EXPECT_EQ(e.anonymous_answer->answer, text);
    EXPECT_EQ(last_patch.dump().find("perheohjaus"), std::string::npos) << last_patch.dump();
    EXPECT_EQ(last_patch.dump().find(pro[0]), std::string::npos) << last_patch.dump();
    EXPECT_EQ(state["qa"][qa]["asked"], 1);
    EXPECT_EQ(state["qa"][qa]["waiting"], 1);
    EXPECT_TRUE(state["qa"][qa]["questions"].empty());
}

TEST_F(Qa, TextsAreOneToFiveHundredCharacters)
{
    const auto qa = open();
    EXPECT_EQ(err(pro[0], Role::participant, "qa.ask", {{"qa", qa}, {"text", ""}}), Error_code::invalid);
    EXPECT_EQ(err(pro[0], Role::participant, "qa.ask", {{"qa", qa}, {"text", std::string(501, 'a')}}), Error_code::invalid);
    EXPECT_EQ(err(pro[0], Role::participant, "qa.ask", {{"qa", qa}, {"text", 5}}), Error_code::bad_request);
    EXPECT_EQ(err(pro[0], Role::participant, "qa.ask", {{"qa", qa}, {"text", "ok"}, {"who", "me"}}), Error_code::invalid);
    p(pro[0], "qa.ask", {{"qa", qa}, {"text", std::string(500, 'a')}});
    EXPECT_EQ(fails(Error_code::invalid, server, "qa.publish", qa_publish_args(qa, {"a", "", "c"})).code,
              Error_code::invalid);
}

TEST_F(Qa, TheServerPublishesABatch)
{
    const auto qa = open();
    for (int i = 0; i < 3; ++i) p(pro[static_cast<std::size_t>(i)], "qa.ask", {{"qa", qa}, {"text", "k" + std::to_string(i)}});
    const auto ids = publish(qa, {"Kolmas", "Ensimmäinen", "Toinen"});
    EXPECT_EQ(state["qa"][qa]["waiting"], 0);
    EXPECT_EQ(state["qa"][qa]["published"], 3);
    EXPECT_EQ(question(qa, ids[1])["text"], "Ensimmäinen");
    EXPECT_EQ(question(qa, ids[1])["upvotes"], 0);
    EXPECT_FALSE(question(qa, ids[1]).contains("pending"));
    EXPECT_EQ(question(qa, ids[1]).dump().find(pro[0]), std::string::npos);
}

TEST_F(Qa, UpVotesOnceAPersonAndTakingBack)
{
    const auto qa = open();
    const auto ids = publish(qa, {"A", "B", "C"});
    p(pro[0], "qa.upvote", {{"qa", qa}, {"question", ids[2]}});
    p(pro[1], "qa.upvote", {{"qa", qa}, {"question", ids[2]}});
    EXPECT_EQ(question(qa, ids[2])["upvotes"], 2);
    p(pro[0], "qa.upvote", {{"qa", qa}, {"question", ids[2]}});
    EXPECT_EQ(question(qa, ids[2])["upvotes"], 1);
    EXPECT_EQ(participant(pro[0])["qa_upvoted"], json::array());
    EXPECT_EQ(participant(pro[1])["qa_upvoted"], json::array({ids[2]}));
    EXPECT_EQ(err(pro[0], Role::participant, "qa.upvote", {{"qa", qa}, {"question", "q1_9"}}), Error_code::not_found);
    // Sorted by up-votes, then in the order they were published.
    f("qa.upvote", {{"qa", qa}, {"question", ids[1]}});
    f("qa.upvote", {{"qa", qa}, {"question", ids[2]}});
    EXPECT_EQ(qa_question_order(state["qa"][qa]["questions"]), (std::vector<std::string>{ids[2], ids[1], ids[0]}));
}

// participant.merge: the up-votes follow the kept person; one both gave counts once and can be
// taken back once.
TEST_F(Qa, AMergedPersonKeepsTheirUpVotesAndOneBothGaveCountsOnce)
{
    const auto qa = open();
    const auto ids = publish(qa, {"A", "B", "C"});
    const std::string again = join("Aino", "professional");  // the same person on a second device
    p(pro[0], "qa.upvote", {{"qa", qa}, {"question", ids[0]}});
    p(again, "qa.upvote", {{"qa", qa}, {"question", ids[0]}});
    p(again, "qa.upvote", {{"qa", qa}, {"question", ids[1]}});
    p(pro[1], "qa.upvote", {{"qa", qa}, {"question", ids[0]}});
    EXPECT_EQ(question(qa, ids[0])["upvotes"], 3);
    f("participant.merge", {{"from", again}, {"into", pro[0]}});
    EXPECT_EQ(question(qa, ids[0])["upvotes"], 2);
    EXPECT_EQ(question(qa, ids[1])["upvotes"], 1);
    EXPECT_EQ(participant(pro[0])["qa_upvoted"], json::array({ids[0], ids[1]}));
    EXPECT_FALSE(participant(again).contains("qa_upvoted"));
    // Sent again it takes back the one up-vote she has, not a second one.
    p(pro[0], "qa.upvote", {{"qa", qa}, {"question", ids[0]}});
    EXPECT_EQ(question(qa, ids[0])["upvotes"], 1);
    p(pro[0], "qa.upvote", {{"qa", qa}, {"question", ids[1]}});
    EXPECT_EQ(question(qa, ids[1])["upvotes"], 0);
    EXPECT_EQ(participant(pro[0])["qa_upvoted"], json::array());
    // Someone who never up-voted, merged into someone who did, changes nothing.
    const std::string third = join("Eero", "professional");
    p(pro[1], "qa.upvote", {{"qa", qa}, {"question", ids[2]}});
    f("participant.merge", {{"from", third}, {"into", pro[1]}});
    EXPECT_EQ(participant(pro[1])["qa_upvoted"], json::array({ids[0], ids[2]}));
    EXPECT_EQ(question(qa, ids[2])["upvotes"], 1);
}

TEST_F(Qa, WhoUpVotedIsReadOnlyByThemAndFacilitators)
{
    const auto qa = open();
    const auto ids = publish(qa, {"A", "B", "C"});
    const json patch = p(pro[0], "qa.upvote", {{"qa", qa}, {"question", ids[0]}});
    const auto views = split_patch(patch, state, pro[0]);
    EXPECT_EQ(views.for_viewer({pro[1], Role::participant}).dump().find("qa_upvoted"), std::string::npos);
    EXPECT_NE(views.for_viewer({pro[0], Role::participant}).dump().find("qa_upvoted"), std::string::npos);
    EXPECT_NE(views.for_viewer({fac, Role::facilitator}).dump().find("qa_upvoted"), std::string::npos);
    EXPECT_FALSE(view_for(state, {pro[1], Role::participant})["participants"][pro[0]].contains("qa_upvoted"));
    EXPECT_TRUE(view_for(state, {pro[0], Role::participant})["participants"][pro[0]].contains("qa_upvoted"));
    EXPECT_FALSE(view_is_whole(state, {pro[1], Role::participant}));
}

TEST_F(Qa, ModeratedRoomsHoldQuestionsForApproval)
{
    f("room.settings", {{"moderated", true}});
    const auto qa = open();
    const auto ids = publish(qa, {"Saako tästä puhua?", "B", "C"});
    EXPECT_EQ(question(qa, ids[0])["pending"], true);
    const json seen = view_for(state, {pro[0], Role::participant});
    EXPECT_FALSE(seen["qa"][qa]["questions"][ids[0]].contains("text"));
    EXPECT_TRUE(view_for(state, {fac, Role::facilitator})["qa"][qa]["questions"][ids[0]].contains("text"));
    EXPECT_EQ(err(pro[0], Role::participant, "qa.upvote", {{"qa", qa}, {"question", ids[0]}}), Error_code::conflict);
    EXPECT_EQ(err(pro[0], Role::participant, "qa.approve", {{"qa", qa}, {"question", ids[0]}}), Error_code::forbidden);
    f("qa.approve", {{"qa", qa}, {"question", ids[0]}});
    EXPECT_EQ(question(qa, ids[0])["pending"], false);
    EXPECT_EQ(view_for(state, {pro[0], Role::participant})["qa"][qa]["questions"][ids[0]]["text"], "Saako tästä puhua?");
}

TEST_F(Qa, PatchesOfHeldQuestionsCarryNoText)
{
    f("room.settings", {{"moderated", true}});
    const auto qa = open();
    json patch = ok(server, "qa.publish", qa_publish_args(qa, {"Salainen A", "Salainen B", "Salainen C"}));
    auto views = split_patch(patch, state, "server");
    EXPECT_EQ(views.for_viewer({pro[0], Role::participant}).dump().find("Salainen"), std::string::npos);
    EXPECT_NE(views.for_viewer({fac, Role::facilitator}).dump().find("Salainen"), std::string::npos);
    // Approved, it reaches everyone whole.
    const std::string qid = "q" + std::to_string(seq) + "_1";
    patch = f("qa.approve", {{"qa", qa}, {"question", qid}});
    views = split_patch(patch, state, fac);
    EXPECT_NE(views.for_viewer({pro[0], Role::participant}).dump().find("Salainen A"), std::string::npos);
}

TEST_F(Qa, HiddenQuestionsLeaveTheRoomAndComeBack)
{
    const auto qa = open();
    const auto ids = publish(qa, {"Asiaton", "B", "C"});
    const json patch = f("qa.hide", {{"qa", qa}, {"question", ids[0]}});
    EXPECT_EQ(question(qa, ids[0])["hidden"], true);
    const auto views = split_patch(patch, state, fac);
    EXPECT_EQ(views.for_viewer({pro[0], Role::participant}).dump().find("Asiaton"), std::string::npos);
    f("qa.hide", {{"qa", qa}, {"question", ids[0]}, {"hidden", false}});
    EXPECT_EQ(question(qa, ids[0])["hidden"], false);
    f("qa.answered", {{"qa", qa}, {"question", ids[1]}});
    EXPECT_EQ(question(qa, ids[1])["answered"], true);
    f("qa.answered", {{"qa", qa}, {"question", ids[1]}, {"answered", false}});
    EXPECT_EQ(question(qa, ids[1])["answered"], false);
    EXPECT_EQ(err(pro[0], Role::participant, "qa.hide", {{"qa", qa}, {"question", ids[1]}}), Error_code::forbidden);
    EXPECT_EQ(err(pro[0], Role::participant, "qa.answered", {{"qa", qa}, {"question", ids[1]}}), Error_code::forbidden);
}

TEST_F(Qa, PatchesGiveEveryMemberTheViewOfAFreshWelcome)
{
    f("room.settings", {{"moderated", true}});
    const auto qa = open();
    std::map<std::string, json> had;
    const std::vector<Viewer> viewers = {{fac, Role::facilitator}, {pro[0], Role::participant}, {pro[1], Role::participant}};
    for (const auto& v : viewers) had[v.pid] = view_for(state, v);
    auto step = [&](const std::string& pid, Role role, const std::string& cmd, json args) {
        const json patch = role == Role::server ? ok(server, cmd, std::move(args)) : ok(pid, role, cmd, std::move(args));
        const auto views = split_patch(patch, state, pid);
        for (const auto& v : viewers) {
            had[v.pid].patch_inplace(views.for_viewer(v));
            EXPECT_EQ(had[v.pid], view_for(state, v)) << cmd << " for " << v.pid;
        }
    };
    step("server", Role::server, "qa.publish", qa_publish_args(qa, {"A", "B", "C"}));
    const std::string a = "q" + std::to_string(seq) + "_1";
    step(fac, Role::facilitator, "qa.approve", {{"qa", qa}, {"question", a}});
    step(pro[0], Role::participant, "qa.upvote", {{"qa", qa}, {"question", a}});
    step(pro[1], Role::participant, "qa.upvote", {{"qa", qa}, {"question", a}});
    step(pro[0], Role::participant, "qa.upvote", {{"qa", qa}, {"question", a}});
    step(fac, Role::facilitator, "qa.hide", {{"qa", qa}, {"question", a}});
    step(fac, Role::facilitator, "qa.hide", {{"qa", qa}, {"question", a}, {"hidden", false}});
    step(fac, Role::facilitator, "qa.answered", {{"qa", qa}, {"question", a}});
    step(fac, Role::facilitator, "qa.close", {{"qa", qa}});
}

TEST_F(Qa, ClosingEndsTheWaiting)
{
    const auto qa = open();
    p(pro[0], "qa.ask", {{"qa", qa}, {"text", "A"}});
    f("qa.close", {{"qa", qa}});
    EXPECT_EQ(state["qa"][qa]["waiting"], 0);
    EXPECT_EQ(state["qa"][qa]["asked"], 1);
    EXPECT_EQ(qa_of_topic(qa_topic(qa)), qa);
    EXPECT_FALSE(qa_of_topic("ratings"));
}

TEST_F(Qa, RoomsFromBeforeQAndAGainIt)
{
    state.erase("qa");
    const auto qa = open();
    EXPECT_EQ(state["qa"][qa]["status"], "open");
}

TEST_F(Qa, TheNotesListTheQuestionsTheRoomSaw)
{
    const auto qa = open("Kysymyksiä johdolle");
    const auto ids = publish(qa, {"Vähän kysytty", "Eniten kysytty", "Piilotettu kysymys"});
    p(pro[0], "qa.upvote", {{"qa", qa}, {"question", ids[1]}});
    f("qa.answered", {{"qa", qa}, {"question", ids[1]}});
    f("qa.hide", {{"qa", qa}, {"question", ids[2]}});
    const std::string md = render_notes(state, Notes_format::md, catalog("fi"));
    EXPECT_NE(md.find("Kysymykset ja vastaukset"), std::string::npos) << md;
    EXPECT_NE(md.find("Kysymyksiä johdolle"), std::string::npos);
    const auto most = md.find("Eniten kysytty"), least = md.find("Vähän kysytty");
    ASSERT_NE(most, std::string::npos);
    ASSERT_NE(least, std::string::npos);
    EXPECT_LT(most, least);
    EXPECT_NE(md.find("Peukut: 1, Vastattu"), std::string::npos) << md;
    EXPECT_EQ(md.find("Piilotettu kysymys"), std::string::npos);
    const std::string js = render_notes(state, Notes_format::json, catalog("fi"));
    EXPECT_EQ(js.find("Piilotettu kysymys"), std::string::npos);
    EXPECT_EQ(js.find("qa_upvoted"), std::string::npos);
}

}  // namespace
}  // namespace keha::test
