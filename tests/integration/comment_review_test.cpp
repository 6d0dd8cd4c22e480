// The questionnaire's comments after the close (docs/privacy.md, "Comments"): only the
// facilitator reads them all; the wall and the participants get the ones the facilitator
// chose to show, and nothing else — in the welcome and in every patch. The choice is an op in
// the log, so it outlives a restart.
#include <gtest/gtest.h>

#include <csignal>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

const std::vector<std::string> written = {"Kiitos, tämä auttoi", "Liian vähän aikaa", "Selkeä suunnitelma"};

json comments_of(const Member& m) { return m.state["ratings"]["results"]["comments"]; }

// Three answers with a comment each, and the close.
void answer_and_close(std::uint16_t port, const Room_keys& keys, Member& f)
{
    f.ok("ratings.open");
    for (std::size_t i = 0; i < written.size(); ++i) {
        Member p(port, keys.code, as_participant("Vastaaja " + std::to_string(i)));
        p.ok("rating.submit", {{"answers", {{"heard", 7}}}, {"comment", written[i]}});
    }
    f.ok("ratings.close");
}

}  // namespace

TEST(CommentReview, OnlyTheCommentsTheFacilitatorChoosesReachTheWallAndTheParticipants)
{
    Temp_dir dir;
    Server_process server(dir.path() / "review.db");
    auto keys = create_room(server.port(), {{"title", "Arviot"}, {"language", "en"}});
    Member f(server.port(), keys.code, with_key(keys.facilitator_key));
    Member screen(server.port(), keys.code, with_key(keys.screen_key));
    Member p(server.port(), keys.code, as_participant("Maija"));
    answer_and_close(server.port(), keys, f);
    screen.catch_up(f.seq);
    p.catch_up(f.seq);

    // The facilitator reads every comment, and nothing says who wrote which.
    EXPECT_EQ(comments_of(f), json(written));
    EXPECT_EQ(f.state["ratings"]["results"]["comments_shown"], json::array());
    EXPECT_EQ(f.state["ratings"]["results"].dump().find("Vastaaja"), std::string::npos);
    // The wall and the participants: the results, no comments yet — by patch and by welcome.
    EXPECT_EQ(screen.state["ratings"]["results"]["count"], 3);
    EXPECT_EQ(comments_of(screen), json::array());
    EXPECT_EQ(comments_of(p), json::array());
    for (auto* m : {&screen, &p})
        for (const auto& patch : m->patches)
            for (const auto& c : written) EXPECT_EQ(patch.dump().find(c), std::string::npos) << patch.dump();
    EXPECT_EQ(comments_of(Member(server.port(), keys.code, with_key(keys.screen_key))), json::array());
    EXPECT_EQ(fresh_welcome(server.port(), keys.code, p.token)["state"]["ratings"]["results"]["comments"], json::array());

    // The facilitator shows one: exactly that one reaches everyone.
    f.ok("ratings.comment.show", {{"index", 2}, {"shown", true}});
    screen.catch_up(f.seq);
    p.catch_up(f.seq);
    EXPECT_EQ(comments_of(screen), json::array({written[2]}));
    EXPECT_EQ(comments_of(p), json::array({written[2]}));
    EXPECT_FALSE(screen.state["ratings"]["results"].contains("comments_shown"));
    EXPECT_EQ(comments_of(f), json(written)) << "the facilitator still reads them all";
    EXPECT_EQ(f.state["ratings"]["results"]["comments_shown"], json::array({2}));
    for (const auto& patch : p.patches)
        for (const auto& c : {written[0], written[1]}) EXPECT_EQ(patch.dump().find(c), std::string::npos) << patch.dump();
    EXPECT_EQ(fresh_welcome(server.port(), keys.code, p.token)["state"]["ratings"]["results"]["comments"],
              json::array({written[2]}));

    // All, then one taken back.
    f.ok("ratings.comment.show", {{"shown", true}});
    f.ok("ratings.comment.show", {{"index", 1}, {"shown", false}});
    screen.catch_up(f.seq);
    p.catch_up(f.seq);
    EXPECT_EQ(comments_of(screen), json::array({written[0], written[2]}));
    EXPECT_EQ(comments_of(p), json::array({written[0], written[2]}));
}

TEST(CommentReview, OnlyAFacilitatorChoosesAndOnlyCommentsThatExist)
{
    Temp_dir dir;
    Server_process server(dir.path() / "rules.db");
    auto keys = create_room(server.port(), {{"title", "Arviot"}, {"language", "en"}});
    Member f(server.port(), keys.code, with_key(keys.facilitator_key));
    Member screen(server.port(), keys.code, with_key(keys.screen_key));
    Member p(server.port(), keys.code, as_participant("Maija"));
    EXPECT_EQ(f.run("ratings.comment.show", {{"index", 0}, {"shown", true}})["code"], "conflict") << "nothing closed yet";
    answer_and_close(server.port(), keys, f);
    EXPECT_EQ(p.run("ratings.comment.show", {{"index", 0}, {"shown", true}})["code"], "forbidden");
    EXPECT_EQ(screen.run("ratings.comment.show", {{"shown", true}})["code"], "forbidden");
    EXPECT_EQ(f.run("ratings.comment.show", {{"index", 3}, {"shown", true}})["code"], "invalid");
    EXPECT_EQ(f.run("ratings.comment.show", {{"index", 0}})["code"], "bad_request");
    EXPECT_EQ(f.run("ratings.comment.show", {{"index", 0}, {"shown", true}, {"who", "p3"}})["code"], "invalid");
    p.catch_up(f.seq);
    EXPECT_EQ(comments_of(p), json::array());
}

TEST(CommentReview, TheChoiceOutlivesARestart)
{
    Temp_dir dir;
    const auto db = dir.path() / "restart.db";
    Room_keys keys;
    {
        Server_process server(db);
        keys = create_room(server.port(), {{"title", "Arviot"}, {"language", "en"}});
        Member f(server.port(), keys.code, with_key(keys.facilitator_key));
        answer_and_close(server.port(), keys, f);
        f.ok("ratings.comment.show", {{"index", 0}, {"shown", true}});
        server.signal(SIGTERM);
        ASSERT_TRUE(server.wait_exit(std::chrono::seconds(10)));
    }
    Server_process again(db);
    Member screen(again.port(), keys.code, with_key(keys.screen_key));
    EXPECT_EQ(comments_of(screen), json::array({written[0]}));
    Member f(again.port(), keys.code, with_key(keys.facilitator_key));
    EXPECT_EQ(comments_of(f), json(written));
    EXPECT_EQ(f.state["ratings"]["results"]["comments_shown"], json::array({0}));
}
