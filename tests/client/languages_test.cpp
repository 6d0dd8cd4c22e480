// keha-desk shows the template's texts and the sectors in its user's language, whatever the
// room's language (docs/protocol.md §5.1), with the same pick as the server's notes.
#include <gtest/gtest.h>

#include "desk_windows.hpp"
#include "document.hpp"
#include "language_texts.hpp"

using namespace keha::desk;
using keha::json;

namespace {

const json phase = {{"id", "timeline"},
                    {"title", {{"fi", "Aikajana"}, {"sv", "Tidslinje"}, {"en", "Timeline"}}},
                    {"question", {{"fi", "Mitä tapahtui?"}, {"sv", "Vad hände?"}}},
                    {"card", {{"title", "Oma kortti"}}}};

}  // namespace

TEST(DeskLanguages, TemplateTextsInTheDesksLanguageFreeTextAsWritten)
{
    Strings str;
    ASSERT_TRUE(str.load(KEHA_TEST_ASSETS, "sv"));
    EXPECT_EQ(text_in_language(str, phase, "title"), "Tidslinje");
    EXPECT_EQ(text_in_language(str, phase, "question"), "Vad hände?");
    EXPECT_EQ(text_in_language(str, phase["card"], "title"), "Oma kortti");  // free text
    EXPECT_EQ(text_in_language(str, phase, "missing"), "");
    ASSERT_TRUE(str.load(KEHA_TEST_ASSETS, "en"));
    EXPECT_EQ(text_in_language(str, phase, "title"), "Timeline");
    EXPECT_EQ(text_in_language(str, phase, "question"), "Mitä tapahtui?");  // no English: Finnish
}

TEST(DeskLanguages, RatingQuestionsInTheDesksLanguage)
{
    // A Finnish meeting's questionnaire (the default template's questions), closed with results.
    keha::desk::test::Desks d;
    keha::test::Team& t = d.t;
    Document& facilitator = d.open(t.fac, keha::Role::facilitator);
    keha::desk::test::Questionnaire q(d);
    for (const std::string& pid : {t.pro[0], t.pro[1], t.lead[0]}) q.submit(pid, {{"heard", 8}});
    q.close();
    Ratings_view sv = ratings_view(facilitator.state(), "sv");
    ASSERT_EQ(sv.questions.size(), 3u);
    EXPECT_EQ(sv.questions[0].text, "Jag blev hörd.");
    ASSERT_FALSE(sv.results.empty());
    EXPECT_EQ(sv.results[0].text, "Jag blev hörd.");
    EXPECT_EQ(ratings_view(facilitator.state(), "en").questions[0].text, "I was heard.");
    EXPECT_EQ(ratings_view(facilitator.state(), "fi").results[0].text, "Tulin kuulluksi.");
}

TEST(DeskLanguages, SectorsShowTheirLabelAndATypedLabelGoesAsItsKey)
{
    Strings str;
    ASSERT_TRUE(str.load(KEHA_TEST_ASSETS, "sv"));
    EXPECT_EQ(sector_text(str, {{"sector", "school"}}), "Skola och elevhälsa");
    EXPECT_EQ(sector_text(str, {{"sector", "Koulu ja oppilashuolto"}}), "Skola och elevhälsa");  // a stored label
    EXPECT_EQ(sector_text(str, {{"sector", "Ungdomsarbete"}}), "Ungdomsarbete");
    EXPECT_EQ(sector_text(str, json::object()), "");
    EXPECT_EQ(sector_value(str, "Skola och elevhälsa"), "school");
    EXPECT_EQ(sector_value(str, " Barnskydd "), "child_protection");
    EXPECT_EQ(sector_value(str, "Ungdomsarbete"), "Ungdomsarbete");
    ASSERT_TRUE(str.load(KEHA_TEST_ASSETS, "en"));
    EXPECT_EQ(sector_text(str, {{"sector", "school"}}), "School and pupil welfare");
}
