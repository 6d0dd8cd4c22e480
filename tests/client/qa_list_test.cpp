// keha-desk's reading of a Q&A (client/src/qa_list.hpp) from states the reducer made: which Q&A
// the room is on, the questions most up-voted first, held ones only for facilitators, and
// which the person up-voted.
#include <gtest/gtest.h>

#include "keha/qa.hpp"
#include "libkeha/meeting.hpp"
#include "qa_list.hpp"

using namespace keha;
using namespace keha::desk;
using keha::test::Meeting;

namespace {

class QaList : public testing::Test {
protected:
    void SetUp() override
    {
        fac = m.join("Ohjaaja", "other", "facilitator");
        aino = m.join("Aino", "professional");
        eero = m.join("Eero", "professional");
    }

    std::string open(const std::string& title)
    {
        m.ok(fac, "qa.open", {{"title", title}});
        return "qa" + std::to_string(m.seq);
    }

    std::string publish(const std::string& qa, std::vector<std::string> texts)
    {
        m.ok(Meeting::server, "qa.publish", qa_publish_args(qa, texts));
        return "q" + std::to_string(m.seq) + "_";
    }

    Meeting m;
    Actor fac, aino, eero;
};

TEST_F(QaList, NoneUntilOneIsOpenedAndTheLatestOpenOneAfter)
{
    EXPECT_FALSE(current_qa(m.state, std::string(aino.pid), false));
    const auto first = open("Aamupäivä");
    const auto second = open("Iltapäivä");
    auto qa = current_qa(m.state, std::string(aino.pid), false);
    ASSERT_TRUE(qa);
    EXPECT_EQ(qa->id, second);
    EXPECT_EQ(qa->title, "Iltapäivä");
    EXPECT_TRUE(qa->open);
    m.ok(fac, "qa.close", {{"qa", second}});
    EXPECT_EQ(current_qa(m.state, std::string(aino.pid), false)->id, first);
    m.ok(fac, "qa.close", {{"qa", first}});
    EXPECT_FALSE(current_qa(m.state, std::string(aino.pid), false)) << "a participant sees no closed Q&A";
    ASSERT_TRUE(current_qa(m.state, std::string(fac.pid), true));
    EXPECT_EQ(current_qa(m.state, std::string(fac.pid), true)->id, second) << "the facilitator sees the latest";
}

TEST_F(QaList, MostUpVotedFirstHeldOnlyForFacilitatorsAndMine)
{
    const auto qa = open("Kysymyksiä");
    const auto q = publish(qa, {"Eka", "Toka", "Kolmas"});
    m.ok(aino, "qa.upvote", {{"qa", qa}, {"question", q + "3"}});
    m.ok(eero, "qa.upvote", {{"qa", qa}, {"question", q + "3"}});
    m.ok(eero, "qa.upvote", {{"qa", qa}, {"question", q + "2"}});
    m.ok(fac, "qa.hide", {{"qa", qa}, {"question", q + "1"}});
    auto mine = current_qa(m.state, std::string(aino.pid), false);
    ASSERT_TRUE(mine);
    ASSERT_EQ(mine->questions.size(), 2u);
    EXPECT_EQ(mine->questions[0].text, "Kolmas");
    EXPECT_EQ(mine->questions[0].upvotes, 2);
    EXPECT_TRUE(mine->questions[0].mine);
    EXPECT_EQ(mine->questions[1].text, "Toka");
    EXPECT_FALSE(mine->questions[1].mine);
    auto facilitator = current_qa(m.state, std::string(fac.pid), true);
    ASSERT_EQ(facilitator->questions.size(), 3u);
    EXPECT_TRUE(facilitator->questions[2].hidden);
}

TEST_F(QaList, WaitingAndPendingAreCounted)
{
    m.ok(fac, "room.settings", {{"moderated", true}});
    const auto qa = open("Kysymyksiä");
    m.ok(aino, "qa.ask", {{"qa", qa}, {"text", "Odottaa"}});
    publish(qa, {"A", "B", "C"});
    m.ok(eero, "qa.ask", {{"qa", qa}, {"text", "Odottaa"}});
    auto qa_list = current_qa(m.state, std::string(aino.pid), false);
    ASSERT_TRUE(qa_list);
    EXPECT_EQ(qa_list->waiting, 1);
    EXPECT_EQ(qa_list->pending_count, 3);
    EXPECT_TRUE(qa_list->questions.empty());
}

}  // namespace
