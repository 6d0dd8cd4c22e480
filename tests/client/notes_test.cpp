// What keha-desk derives for notes, history, imports and the questionnaire (docs/protocol.md §10):
// the identity-code warning list, provenance, the ratings results as shown (on a questionnaire
// run through the reducer and closed with the server's results), the history's seqs.
#include <gtest/gtest.h>

#include "api_client.hpp"
#include "desk_windows.hpp"
#include "document.hpp"
#include "keha/ratings.hpp"

using keha::json;
using namespace keha::desk;

TEST(Notes, IdentityCodeHitsSayWhereNotWhat)
{
    json check = {{"seq", 12},
                  {"count", 4},
                  {"identity_codes",
                   json::array({{{"board", "timeline"}, {"id", "i3"}, {"field", "text"}, {"offset", 5}, {"length", 11}, {"hidden", false}},
                                {{"board", "timeline"}, {"id", "i3"}, {"field", "text"}, {"offset", 30}, {"length", 11}, {"hidden", false}},
                                {{"board", "plan"}, {"id", "i7"}, {"field", "who"}, {"offset", 0}, {"length", 11}, {"hidden", true}},
                                {{"board", "room"}, {"id", nullptr}, {"field", "title"}, {"offset", 0}, {"length", 11}},
                                {{"board", "participants"}, {"id", "p4"}, {"field", "name"}, {"offset", 0}, {"length", 11}}})}};
    auto hits = identity_code_hits(check);
    ASSERT_TRUE(hits);
    ASSERT_EQ(hits->size(), 4u);  // two matches in one field are one place
    EXPECT_EQ((*hits)[0].board, "timeline");
    EXPECT_EQ((*hits)[0].id, "i3");
    EXPECT_EQ((*hits)[0].field, "text");
    EXPECT_FALSE((*hits)[0].hidden);
    EXPECT_EQ((*hits)[1].field, "who");
    EXPECT_TRUE((*hits)[1].hidden);
    EXPECT_EQ((*hits)[2].board, "room");
    EXPECT_EQ((*hits)[2].id, "");  // null id
    EXPECT_EQ((*hits)[3].id, "p4");

    auto none = identity_code_hits({{"seq", 3}, {"count", 0}, {"identity_codes", json::array()}});
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
    // Not an answer we can read: the client must not take it as "nothing found".
    EXPECT_FALSE(identity_code_hits(json::parse("{\"error\":\"not_found\"}")));
    EXPECT_FALSE(identity_code_hits(json()));
    EXPECT_FALSE(identity_code_hits({{"identity_codes", "x"}}));
}

TEST(Notes, ProvenanceOfAnImportedItem)
{
    json imported = {{"id", "i12_0"},
                     {"text", "Kouluterveydenhoitaja vaihtui"},
                     {"author", ""},
                     {"readonly", true},
                     {"source",
                      {{"team", "Ammattilaiset"}, {"meeting", "Ensimmäinen tapaaminen"}, {"code", "K7Q4MX"},
                       {"item", "i3"}, {"at", "2026-03-01T08:15:00Z"}, {"origin", "K7Q4MX/i3"}}}};
    Provenance p = provenance_of(imported);
    EXPECT_TRUE(p.imported);
    EXPECT_TRUE(p.readonly);
    EXPECT_EQ(p.team, "Ammattilaiset");
    EXPECT_EQ(p.meeting, "Ensimmäinen tapaaminen");
    EXPECT_EQ(p.code, "K7Q4MX");
    EXPECT_EQ(p.at, "2026-03-01");
    EXPECT_EQ(provenance_line(p), "Ammattilaiset \xc2\xb7 Ensimmäinen tapaaminen \xc2\xb7 K7Q4MX \xc2\xb7 2026-03-01");

    // The editable copy: same source, not read-only, and it says what it copies.
    json copy = imported;
    copy["id"] = "i14";
    copy["readonly"] = false;
    copy["copy_of"] = "i12_0";
    Provenance c = provenance_of(copy);
    EXPECT_TRUE(c.imported);
    EXPECT_FALSE(c.readonly);
    EXPECT_EQ(c.copy_of, "i12_0");

    // A team-less room (null team) and an ordinary item.
    json no_team = imported;
    no_team["source"]["team"] = nullptr;
    EXPECT_EQ(provenance_line(provenance_of(no_team)), "Ensimmäinen tapaaminen \xc2\xb7 K7Q4MX \xc2\xb7 2026-03-01");
    Provenance plain = provenance_of({{"id", "i1"}, {"text", "x"}});
    EXPECT_FALSE(plain.imported);
    EXPECT_FALSE(plain.readonly);
    EXPECT_EQ(provenance_line(plain), "");
}

TEST(Notes, RatingsBeforeAndWhileOpen)
{
    keha::desk::test::Desks d;
    keha::test::Team& t = d.t;
    Document& facilitator = d.open(t.fac, keha::Role::facilitator);
    Ratings_view before = ratings_view(facilitator.state());
    EXPECT_EQ(before.questions.size(), 3u) << "the default template's questions";
    EXPECT_FALSE(before.open);
    EXPECT_FALSE(before.published);

    keha::desk::test::Questionnaire q(d);
    q.submit(t.pro[0], {{"heard", 8}});
    q.submit(t.pro[1], {{"heard", 6}, {"useful", 7}});
    Ratings_view v = ratings_view(facilitator.state());
    ASSERT_EQ(v.questions.size(), 3u);
    EXPECT_EQ(v.questions[0].text, "Tulin kuulluksi.");
    EXPECT_EQ(v.questions[1].id, "useful");
    EXPECT_TRUE(v.open);
    EXPECT_EQ(v.answered, 2);
    EXPECT_FALSE(v.published);
    EXPECT_TRUE(v.results.empty());
}

TEST(Notes, RatingsResultsAreShapedForThePlot)
{
    keha::desk::test::Desks d;
    keha::test::Team& t = d.t;
    Document& facilitator = d.open(t.fac, keha::Role::facilitator);
    Document& aino = d.open(t.pro[0], keha::Role::participant);
    keha::desk::test::Questionnaire q(d);
    q.submit(t.pro[0], {{"heard", 5}, {"useful", 9}}, "Liian lyhyt");
    q.submit(t.pro[1], {{"heard", 7}, {"useful", 9}});
    q.submit(t.lead[0], {{"heard", 7}}, "Hyvä");
    q.submit(t.lead[1], {{"heard", 8}});
    q.close();
    Ratings_view v = ratings_view(facilitator.state());
    ASSERT_TRUE(v.published);
    EXPECT_FALSE(v.open);
    EXPECT_FALSE(v.suppressed);
    EXPECT_EQ(v.count, 4);
    ASSERT_EQ(v.results.size(), 3u);
    const Rating_question_result& heard = v.results[0];
    EXPECT_FALSE(heard.suppressed);
    EXPECT_EQ(heard.count, 4);
    EXPECT_DOUBLE_EQ(heard.median, 7);
    EXPECT_EQ(heard.max_count, 2);
    EXPECT_FLOAT_EQ(heard.distribution[7], 2);
    EXPECT_FLOAT_EQ(heard.distribution[5], 1);
    EXPECT_FLOAT_EQ(heard.distribution[0], 0);
    EXPECT_TRUE(v.results[1].suppressed) << "fewer than three answered this question";
    EXPECT_EQ(v.results[1].max_count, 0);
    // The facilitator reviews every comment; a participant sees only those let onto the wall.
    EXPECT_TRUE(v.reviewable);
    EXPECT_EQ(v.comments, (std::vector<std::string>{"Hyvä", "Liian lyhyt"}));
    EXPECT_TRUE(ratings_view(aino.state()).comments.empty());
    d.f("ratings.comment.show", {{"index", 0}, {"shown", true}});
    EXPECT_EQ(ratings_view(aino.state()).comments, (std::vector<std::string>{"Hyvä"}));

    EXPECT_EQ(format_median(7), "7");
    EXPECT_EQ(format_median(6.5), "6.5");
    EXPECT_EQ(format_median(6.5, ","), "6,5");  // Finnish and Swedish (notes.decimal_mark)
    EXPECT_EQ(format_median(7, ","), "7");
}

TEST(Notes, RatingsShowWhatTheServerPublishedAndNothingItSuppressed)
{
    // The rule on how many answers are enough is the server's; the client shows what it published.
    keha::desk::test::Desks d;
    keha::test::Team& t = d.t;
    Document& facilitator = d.open(t.fac, keha::Role::facilitator);
    keha::desk::test::Questionnaire q(d);
    q.submit(t.pro[0], {{"heard", 9}}, "Hyvä");
    q.submit(t.pro[1], {{"heard", 9}});
    q.close();
    Ratings_view two = ratings_view(facilitator.state());
    EXPECT_TRUE(two.published);
    EXPECT_TRUE(two.suppressed);
    EXPECT_EQ(two.minimum, static_cast<int>(keha::ratings_minimum));
    EXPECT_TRUE(two.results.empty());
    EXPECT_TRUE(two.comments.empty());
}

TEST(Notes, IRatedFollowsTheParticipant)
{
    keha::desk::test::Desks d;
    keha::test::Team& t = d.t;
    Document& aino = d.open(t.pro[0], keha::Role::participant);
    keha::desk::test::Questionnaire q(d);
    EXPECT_FALSE(aino.i_rated());
    q.submit(t.pro[0], {{"heard", 8}});
    EXPECT_TRUE(aino.i_rated());
    EXPECT_EQ(ratings_view(aino.state()).answered, 1);
}

TEST(Notes, HistoryOpsInSeqOrder)
{
    json answer = {{"code", "K7Q4MX"},
                   {"last_seq", 3},
                   {"ops", json::array({{{"seq", 2}, {"by", "p1"}, {"cmd", "item.add"}, {"at", "2026-03-01T08:16:00Z"}},
                                        {{"seq", 1}, {"by", "p1"}, {"cmd", "phase.goto"}, {"at", "2026-03-01T08:15:00Z"}},
                                        {{"seq", "x"}},
                                        {{"seq", 3}, {"by", "p2"}, {"cmd", "item.vote"}, {"at", "2026-03-01T08:17:00Z"}}})}};
    auto ops = history_ops(answer);
    ASSERT_EQ(ops.size(), 3u);
    EXPECT_EQ(ops[0].seq, 1u);
    EXPECT_EQ(ops[0].cmd, "phase.goto");
    EXPECT_EQ(ops[2].seq, 3u);
    EXPECT_TRUE(history_ops(json::object()).empty());
}

// GET /api/processes/{id} as the Process panel plots it: a median per question per meeting, in
// the meetings' order, with a gap where a meeting published nothing, was suppressed overall, or
// suppressed one question; questions in order of first appearance.
TEST(Notes, ProcessRatingsAcrossMeetings)
{
    auto question = [](const char* id, const char* text, double median, int count = 4) {
        json dist = json::array();
        for (int i = 0; i <= 10; ++i) dist.push_back(i == static_cast<int>(median) ? count : 0);
        return json{{"id", id}, {"text", text}, {"count", count}, {"median", median}, {"distribution", dist}};
    };
    auto meeting = [](const char* code, const char* title, const char* team, json ratings) {
        return json{{"code", code},          {"title", title},   {"team", team}, {"template", "default"},
                    {"created_at", "2026-03-01T08:00:00Z"},      {"started_at", nullptr},
                    {"ended_at", nullptr},   {"status", "closed"}, {"last_seq", 40},
                    {"counts", {{"participants", 6}, {"items", {{"timeline", 3}, {"plan", 2}}}, {"agreements", 1},
                                {"commitments", 0}, {"ratings_answered", 4}}},
                    {"ratings", ratings}};
    };
    json answer = {
        {"id", "prc_x"},
        {"title", "MONNI"},
        {"teams", {"Ammattilaiset", "Johtajat"}},
        {"created_at", "2026-03-01T08:00:00Z"},
        {"totals", {{"meetings", 5}, {"agreements", 5}, {"commitments", 0}}},
        {"meetings",
         json::array({meeting("AAA111", "Ammattilaiset 1", "Ammattilaiset",
                              {{"count", 4}, {"questions", json::array({question("heard", "Tulin kuulluksi", 8),
                                                                        question("useful", "Hyödyllinen", 6.5)})}}),
                      meeting("BBB222", "Johtajat 1", "Johtajat", nullptr),  // not closed: a gap
                      meeting("CCC333", "Ristiin", "", {{"suppressed", true}, {"minimum", 3}}),
                      meeting("DDD444", "Johtajat 2", "Johtajat",
                              {{"count", 5},
                               {"questions", json::array({{{"id", "heard"}, {"text", "Tulin kuulluksi"}, {"count", 2}, {"suppressed", true}},
                                                          question("useful", "Hyödyllinen", 9),
                                                          question("next", "Tiedän jatkon", 7)})}}),
                      // Two answers, as the server publishes them: suppressed, a gap.
                      meeting("EEE555", "Ammattilaiset 2", "Ammattilaiset",
                              keha::rating_results(json::array({{{"id", "heard"}, {"text", "Tulin kuulluksi"}}}), 2,
                                                   {{"heard", 10}, {"heard", 10}}, {}))})}};
    Process_view v = process_view(answer);
    ASSERT_TRUE(v.valid);
    EXPECT_EQ(v.title, "MONNI");
    EXPECT_EQ(v.teams, (std::vector<std::string>{"Ammattilaiset", "Johtajat"}));
    ASSERT_EQ(v.meetings.size(), 5u);
    EXPECT_EQ(v.meetings[0].code, "AAA111");
    EXPECT_EQ(v.meetings[0].date, "2026-03-01");
    EXPECT_EQ(v.meetings[0].items, 5);
    EXPECT_EQ(v.meetings[0].participants, 6);
    EXPECT_EQ(v.meetings[0].boards.size(), 2u);
    EXPECT_EQ(v.meetings[2].team, "");
    ASSERT_EQ(v.ratings.size(), 3u);
    EXPECT_EQ(v.ratings[0].id, "heard");
    EXPECT_EQ(v.ratings[0].text, "Tulin kuulluksi");
    EXPECT_EQ(v.ratings[1].id, "useful");
    EXPECT_EQ(v.ratings[2].id, "next");
    using M = std::vector<std::optional<double>>;
    EXPECT_EQ(v.ratings[0].medians, (M{8.0, std::nullopt, std::nullopt, std::nullopt, std::nullopt}));
    EXPECT_EQ(v.ratings[1].medians, (M{6.5, std::nullopt, std::nullopt, 9.0, std::nullopt}));
    EXPECT_EQ(v.ratings[2].medians, (M{std::nullopt, std::nullopt, std::nullopt, 7.0, std::nullopt}));
    for (const auto& series : v.ratings) EXPECT_EQ(series.medians.size(), v.meetings.size());
    // Nothing published anywhere: no series; not a process answer: not valid.
    json none = answer;
    for (auto& m : none["meetings"]) m["ratings"] = nullptr;
    EXPECT_TRUE(process_view(none).ratings.empty());
    EXPECT_FALSE(process_view(json{{"error", "not_found"}}).valid);
}
