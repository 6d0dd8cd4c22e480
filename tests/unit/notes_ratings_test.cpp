// The closing questionnaire in the reducer: who may open, answer and close it, one answer
// per participant, no score in any patch, and results only from the server, suppressed below 3.
#include <gtest/gtest.h>

#include <filesystem>

#include "helpers.hpp"
#include "keha/notes.hpp"
#include "keha/ratings.hpp"
#include "keha/templates.hpp"
#include "libkeha/meeting.hpp"

namespace keha::test {
namespace {

class Ratings : public ::testing::Test {
protected:
    Ratings() : m(test_meta("en"), default_template(), 1'795'000'000'000) {}
    void SetUp() override
    {
        fac = m.join("Fiona", "other", "facilitator");
        for (int i = 0; i < 4; ++i) people.push_back(m.join("P" + std::to_string(i), "professional"));
    }
    Meeting m;
    Actor fac{};
    std::vector<Actor> people;
};

TEST_F(Ratings, TemplateQuestionsAreCopiedInEveryLanguageAndClosed)
{
    const json& r = m.state["ratings"];
    ASSERT_EQ(r["questions"].size(), 3u);
    EXPECT_EQ(r["questions"][0]["id"], "heard");
    EXPECT_EQ(localized(r["questions"][0]["text"], "en"), "I was heard.");
    EXPECT_EQ(localized(r["questions"][0]["text"], "sv"), "Jag blev hörd.");
    EXPECT_EQ(r["open"], false);
    EXPECT_EQ(r["answered"], 0);
    EXPECT_TRUE(r["results"].is_null());
    Room_meta fi = test_meta("fi");
    EXPECT_EQ(localized(make_state(fi, default_template())["ratings"]["questions"][0]["text"], "fi"), "Tulin kuulluksi.");
    json no_questions = default_template();
    no_questions.erase("ratings");
    EXPECT_EQ(make_state(fi, no_questions)["ratings"]["questions"], json::array());
}

// The server says how many held answers it wrote (docs/privacy.md); nobody else may.
TEST_F(Ratings, OnlyTheServerCountsTheAnswersItStored)
{
    m.ok(fac, "ratings.open");
    EXPECT_EQ(m.state["ratings"]["stored"], 0) << "opening starts the count";
    EXPECT_EQ(m.refusal(fac, "ratings.stored", {{"count", 3}}), Error_code::forbidden);
    EXPECT_EQ(m.refusal(people[0], "ratings.stored", {{"count", 3}}), Error_code::forbidden);
    EXPECT_EQ(m.refusal(Meeting::server, "ratings.stored", {{"count", 0}}), Error_code::invalid);
    m.ok(Meeting::server, "ratings.stored", {{"count", 3}});
    m.ok(Meeting::server, "ratings.stored", {{"count", 4}});
    EXPECT_EQ(m.state["ratings"]["stored"], 7);
    m.ok(fac, "ratings.close");
    m.ok(fac, "ratings.open");
    EXPECT_EQ(m.state["ratings"]["stored"], 7) << "reopening keeps what is stored";
}

TEST_F(Ratings, OnlyTheFacilitatorOpensAndCloses)
{
    EXPECT_EQ(m.refusal(people[0], "ratings.open"), Error_code::forbidden);
    EXPECT_EQ(m.refusal(fac, "rating.submit", {{"answers", {{"heard", 5}}}}), Error_code::conflict) << "not open yet";
    EXPECT_EQ(m.refusal(fac, "ratings.close"), Error_code::conflict);
    m.ok(fac, "ratings.open");
    EXPECT_EQ(m.state["ratings"]["open"], true);
    EXPECT_EQ(m.refusal(people[0], "ratings.close"), Error_code::forbidden);
    EXPECT_EQ(m.refusal(fac, "ratings.open", {{"x", 1}}), Error_code::invalid);
}

TEST_F(Ratings, AnswersAreCheckedAndNoScoreEntersThePatch)
{
    m.ok(fac, "ratings.open");
    EXPECT_EQ(m.refusal(people[0], "rating.submit", {{"answers", {{"heard", 11}}}}), Error_code::invalid);
    EXPECT_EQ(m.refusal(people[0], "rating.submit", {{"answers", {{"heard", -1}}}}), Error_code::invalid);
    EXPECT_EQ(m.refusal(people[0], "rating.submit", {{"answers", {{"heard", 5.5}}}}), Error_code::invalid);
    EXPECT_EQ(m.refusal(people[0], "rating.submit", {{"answers", {{"nope", 5}}}}), Error_code::invalid);
    EXPECT_EQ(m.refusal(people[0], "rating.submit", {{"answers", json::object()}}), Error_code::invalid);
    EXPECT_EQ(m.refusal(people[0], "rating.submit", {{"answers", 7}}), Error_code::bad_request);
    EXPECT_EQ(m.refusal(people[0], "rating.submit", json::object()), Error_code::bad_request);
    EXPECT_EQ(m.refusal(people[0], "rating.submit", {{"answers", {{"heard", 5}}}, {"who", "me"}}), Error_code::invalid);

    json patch = m.ok(people[0], "rating.submit", {{"answers", {{"heard", 7}, {"useful", 9}}}, {"comment", "Kiitos, hyvä 9"}});
    EXPECT_EQ(patch, (json::array({{{"op", "add"}, {"path", "/participants/" + std::string(people[0].pid) + "/rated"}, {"value", true}},
                                   {{"op", "replace"}, {"path", "/ratings/answered"}, {"value", 1}}})));
    EXPECT_EQ(patch.dump().find("Kiitos"), std::string::npos);
    EXPECT_EQ(m.state.dump().find("Kiitos"), std::string::npos) << "the comment is not in the state either";
}

TEST_F(Ratings, OneAnswerPerParticipant)
{
    m.ok(fac, "ratings.open");
    m.ok(people[1], "rating.submit", {{"answers", {{"heard", 3}}}});
    EXPECT_EQ(m.refusal(people[1], "rating.submit", {{"answers", {{"useful", 3}}}}), Error_code::conflict);
    m.ok(fac, "ratings.close");
    m.ok(fac, "ratings.open");
    EXPECT_EQ(m.refusal(people[1], "rating.submit", {{"answers", {{"heard", 3}}}}), Error_code::conflict)
        << "reopening does not let anyone answer twice";
    EXPECT_EQ(m.state["ratings"]["answered"], 1);
}

TEST_F(Ratings, CloseTakesTheServersResultsOnly)
{
    m.ok(fac, "ratings.open");
    m.ok(fac, "ratings.close");
    EXPECT_TRUE(m.state["ratings"]["results"].is_null()) << "no results without the server's aggregate";
    m.ok(fac, "ratings.open");
    json results = rating_results(m.state["ratings"]["questions"], 3, {{"heard", 4}, {"heard", 8}, {"heard", 9}}, {});
    m.ok(fac, "ratings.close", json::object(), &results);
    EXPECT_EQ(m.state["ratings"]["results"], results);
    EXPECT_EQ(m.state["ratings"]["open"], false);
    EXPECT_EQ(m.refusal(fac, "ratings.close", {{"results", results}}), Error_code::invalid) << "a client cannot supply results";
}

// The notes write a median as the reader's language does: 8,5 in Finnish and Swedish, 8.5 in English.
TEST_F(Ratings, NotesWriteTheMedianWithTheLanguagesDecimalMark)
{
    m.ok(fac, "ratings.open");
    json results = rating_results(m.state["ratings"]["questions"], 4,
                                  {{"heard", 7}, {"heard", 8}, {"heard", 9}, {"heard", 10}}, {});
    m.ok(fac, "ratings.close", json::object(), &results);
    const std::string fi = render_notes(m.state, Notes_format::md, catalog("fi"));
    EXPECT_NE(fi.find("| 4 | 8,5 |"), std::string::npos) << fi;
    EXPECT_EQ(fi.find("8.5"), std::string::npos);
    EXPECT_NE(render_notes(m.state, Notes_format::html, catalog("sv")).find("8,5"), std::string::npos);
    EXPECT_NE(render_notes(m.state, Notes_format::md, catalog("en")).find("| 4 | 8.5 |"), std::string::npos);
}

TEST(RatingResults, SuppressedBelowThreeAnswers)
{
    json questions = json::array({{{"id", "heard"}, {"text", "I was heard."}}});
    EXPECT_EQ(rating_results(questions, 0, {}, {}), (json{{"suppressed", true}, {"minimum", 3}}));
    json two = rating_results(questions, 2, {{"heard", 10}, {"heard", 0}}, {"a comment"});
    EXPECT_EQ(two, (json{{"suppressed", true}, {"minimum", 3}}));
    EXPECT_EQ(two.dump().find("comment"), std::string::npos);
}

TEST(RatingResults, CountMedianDistributionAndPerQuestionSuppression)
{
    json questions = json::array({{{"id", "heard"}, {"text", "I was heard."}}, {{"id", "useful"}, {"text", "Useful."}}});
    std::vector<Rating_score> scores{{"heard", 8}, {"heard", 6}, {"heard", 9}, {"heard", 6}, {"useful", 10}, {"useful", 2}};
    json r = rating_results(questions, 4, scores, {"zeta", "alpha"});
    EXPECT_EQ(r["count"], 4);
    EXPECT_EQ(r["questions"][0]["count"], 4);
    EXPECT_EQ(r["questions"][0]["median"], 7.0);
    EXPECT_EQ(r["questions"][0]["distribution"], (json::array({0, 0, 0, 0, 0, 0, 2, 0, 1, 1, 0})));
    EXPECT_EQ(r["questions"][1]["suppressed"], true) << "two answers to this question";
    EXPECT_FALSE(r["questions"][1].contains("median"));
    EXPECT_FALSE(r["questions"][1].contains("distribution"));
    EXPECT_EQ(r["comments"], (json::array({"alpha", "zeta"}))) << "sorted, not in the order written";
    json odd = rating_results(questions, 3, {{"heard", 1}, {"heard", 5}, {"heard", 2}}, {});
    EXPECT_EQ(odd["questions"][0]["median"], 2.0);
}

TEST(RatingResults, ScoresAndCommentAreReadFromSubmitArguments)
{
    json args = {{"answers", {{"heard", 7}, {"useful", 0}}}, {"comment", "ok"}};
    auto s = rating_scores(args);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].question, "heard");
    EXPECT_EQ(s[0].score, 7);
    EXPECT_EQ(rating_comment(args), "ok");
    EXPECT_FALSE(rating_comment(json{{"comment", ""}}));
}

TEST(TemplateRatings, ShapeIsChecked)
{
    EXPECT_FALSE(check_template_ratings(json::array()));
    EXPECT_FALSE(check_template_ratings(default_template()["ratings"]));
    EXPECT_TRUE(check_template_ratings(json::object()));
    EXPECT_TRUE(check_template_ratings(json::array({{{"id", "a"}}})));
    EXPECT_TRUE(check_template_ratings(json::array({{{"id", "a"}, {"text", {{"fi", "x"}}}}, {{"id", "a"}, {"text", {{"fi", "y"}}}}})));
}

}  // namespace
}  // namespace keha::test

namespace keha::test {
namespace {

TEST(TemplateRatings, ATemplateWithMalformedRatingsIsRefused)
{
    Templates templates;
    json t = default_template();
    EXPECT_FALSE(templates.add(t));
    t["id"] = "broken";
    t["ratings"] = json::array({{{"id", "heard"}}});
    auto e = templates.add(t);
    ASSERT_TRUE(e);
    EXPECT_NE(e->find("broken"), std::string::npos) << *e;
    // Every shipped template's questionnaire is well-formed.
    for (const auto& file : std::filesystem::directory_iterator(asset_path("templates")))
        if (file.path().extension() == ".json") {
            auto problem = check_template_ratings(load_json(file.path().string()).value("ratings", json::array()));
            EXPECT_FALSE(problem) << file.path() << ": " << problem.value_or("");
        }
}

}  // namespace
}  // namespace keha::test
