// Questions and answers over real sockets against a real keha-server (docs/protocol.md §8.2,
// docs/privacy.md "Anonymous questions"): a question reaches no member's frame, no row of the
// op log in the SQLite file and no line of the server's log before the server publishes a
// shuffled batch of three; fewer than three are never shown and the close drops them; roles
// and bad input; moderation and who up-voted what.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/meeting.hpp"
#include "support/stored_log.hpp"

using namespace keha::itest;
namespace fs = std::filesystem;

namespace {

// Every byte of the database, its WAL included: the words must not be anywhere in it.
std::string file_bytes(const fs::path& db)
{
    std::string all;
    for (const fs::path& p : {db, fs::path(db.string() + "-wal")}) {
        std::ifstream in(p, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        all += ss.str();
    }
    return all;
}

std::string frames_of(const Member& m)
{
    std::string all;
    for (const auto& msg : m.messages) all += msg.dump();
    return all;
}

// A refused command of the facilitator comes back only after every commit before it.
void wait_for_commits(Member& f) { ASSERT_EQ(f.run("qa.open", {{"title", ""}})["code"], "invalid"); }

struct Room_of_five {
    Temp_dir dir;
    Server_process server{dir.path() / "keha.db"};
    Room_keys keys = create_room(server.port(), {{"title", "Kysymyksiä"}, {"language", "fi"}});
    Member f{server.port(), keys.code, with_key(keys.facilitator_key)};
    Member screen{server.port(), keys.code, with_key(keys.screen_key)};
    std::vector<std::unique_ptr<Member>> people;

    Room_of_five()
    {
        for (int i = 0; i < 4; ++i)
            people.push_back(std::make_unique<Member>(server.port(), keys.code, as_participant("P" + std::to_string(i))));
    }

    std::string open_qa()
    {
        const std::string id = f.send("qa.open", {{"title", "Kysymyksiä johdolle"}});
        const json ack = f.reply(id);
        EXPECT_EQ(ack["type"], "ack") << ack.dump();
        return ack.value("qa", "");
    }

    void settle_all()
    {
        f.settle();
        screen.settle();
        for (auto& p : people) p->settle();
    }
};

TEST(QaPrivacy, NoFrameOpLogOrServerLogHoldsAQuestionBeforeItsBatch)
{
    Room_of_five room;
    const std::string qa = room.open_qa();
    ASSERT_FALSE(qa.empty());
    room.people[0]->ok("qa.ask", {{"qa", qa}, {"text", "KYSYMYS-0 miksi?"}});
    room.people[1]->ok("qa.ask", {{"qa", qa}, {"text", "KYSYMYS-1 milloin?"}});
    wait_for_commits(room.f);
    room.settle_all();
    EXPECT_EQ(room.f.state["qa"][qa]["waiting"], 2) << "the facilitator sees that two are waiting";
    EXPECT_TRUE(room.f.state["qa"][qa]["questions"].empty());
    for (const Member* m : {&room.f, &room.screen, room.people[0].get(), room.people[1].get(), room.people[2].get()})
        EXPECT_EQ(frames_of(*m).find("KYSYMYS"), std::string::npos) << m->you << " received a question before its batch";
    EXPECT_EQ(file_bytes(room.server.db()).find("KYSYMYS"), std::string::npos) << "a held question reached the file";
    EXPECT_EQ(room.server.log_text().find("KYSYMYS"), std::string::npos);

    room.people[2]->ok("qa.ask", {{"qa", qa}, {"text", "KYSYMYS-2 kuka?"}});
    wait_for_commits(room.f);
    room.settle_all();
    const json& questions = room.people[3]->state["qa"][qa]["questions"];
    ASSERT_EQ(questions.size(), 3u) << room.people[3]->state["qa"].dump();
    EXPECT_EQ(room.people[3]->state["qa"][qa]["waiting"], 0);
    EXPECT_EQ(room.screen.state["qa"][qa]["questions"].size(), 3u);
    // The texts came in one op by the server, none with an asker's op.
    int publish_ops = 0;
    for (const auto& r : db_rows(room.server.db(), "SELECT by_pid, cmd, patch FROM ops WHERE room = '" + room.keys.code + "'", true)) {
        if (r[1] == "qa.publish") {
            ++publish_ops;
            EXPECT_EQ(r[0], "server");
            for (int i = 0; i < 3; ++i) EXPECT_NE(r[2].find("KYSYMYS-" + std::to_string(i)), std::string::npos);
        } else {
            EXPECT_EQ(r[2].find("KYSYMYS"), std::string::npos) << r[1] << " by " << r[0] << " holds a question";
        }
    }
    EXPECT_EQ(publish_ops, 1);
    for (const auto& m : room.people[3]->patches) {
        if (m.value("cmd", "") == "qa.ask") {
            EXPECT_EQ(m.dump().find("KYSYMYS"), std::string::npos);
        }
    }
    EXPECT_EQ(room.server.log_text().find("KYSYMYS"), std::string::npos) << "the server's log names a question";
}

TEST(QaPrivacy, FewerThanThreeAreNeverShownAndTheCloseDropsThem)
{
    Room_of_five room;
    const std::string qa = room.open_qa();
    room.people[0]->ok("qa.ask", {{"qa", qa}, {"text", "YKSINÄINEN-0"}});
    room.people[1]->ok("qa.ask", {{"qa", qa}, {"text", "YKSINÄINEN-1"}});
    room.f.ok("qa.close", {{"qa", qa}});
    wait_for_commits(room.f);
    room.settle_all();
    EXPECT_EQ(room.f.state["qa"][qa]["status"], "closed");
    EXPECT_EQ(room.f.state["qa"][qa]["waiting"], 0);
    EXPECT_EQ(room.f.state["qa"][qa]["asked"], 2);
    EXPECT_TRUE(room.f.state["qa"][qa]["questions"].empty());
    EXPECT_EQ(file_bytes(room.server.db()).find("YKSINÄINEN"), std::string::npos);
    EXPECT_EQ(frames_of(room.f).find("YKSINÄINEN"), std::string::npos);
    // A closed Q&A takes no more questions.
    EXPECT_EQ(room.people[2]->run("qa.ask", {{"qa", qa}, {"text", "Myöhässä"}})["code"], "conflict");
}

TEST(QaProtocol, RolesAndBadInputGetClearErrors)
{
    Room_of_five room;
    Member& p = *room.people[0];
    EXPECT_EQ(p.run("qa.open", {{"title", "x"}})["code"], "forbidden");
    EXPECT_EQ(room.screen.run("qa.open", {{"title", "x"}})["code"], "forbidden");
    const std::string qa = room.open_qa();
    EXPECT_EQ(room.screen.run("qa.ask", {{"qa", qa}, {"text", "x"}})["code"], "forbidden");
    EXPECT_EQ(p.run("qa.publish", json{{"topic", "qa/" + qa}, {"answers", {"a", "b", "c"}}})["code"], "forbidden");
    EXPECT_EQ(room.f.run("qa.publish", json{{"topic", "qa/" + qa}, {"answers", {"a", "b", "c"}}})["code"], "forbidden");
    EXPECT_EQ(p.run("qa.close", {{"qa", qa}})["code"], "forbidden");
    EXPECT_EQ(p.run("qa.ask", {{"qa", qa}, {"text", std::string(501, 'a')}})["code"], "invalid");
    EXPECT_EQ(p.run("qa.ask", {{"qa", qa}, {"text", ""}})["code"], "invalid");
    EXPECT_EQ(p.run("qa.ask", {{"qa", qa}})["code"], "bad_request");
    EXPECT_EQ(p.run("qa.ask", {{"qa", "qa9999"}, {"text", "x"}})["code"], "not_found");
    EXPECT_EQ(p.run("qa.upvote", {{"qa", qa}, {"question", "q1_1"}})["code"], "not_found");
    const json bad = p.run("qa.ask", {{"qa", qa}, {"text", "ok"}, {"name", "Aino"}});
    EXPECT_EQ(bad["code"], "invalid");
    EXPECT_FALSE(bad.value("message", "").empty());
}

TEST(QaProtocol, ModeratedQuestionsReachOnlyFacilitatorsUntilApproved)
{
    Room_of_five room;
    room.f.ok("room.settings", {{"moderated", true}});
    const std::string qa = room.open_qa();
    for (int i = 0; i < 3; ++i) room.people[static_cast<std::size_t>(i)]->ok("qa.ask", {{"qa", qa}, {"text", "ODOTTAA-" + std::to_string(i)}});
    wait_for_commits(room.f);
    room.settle_all();
    ASSERT_EQ(room.f.state["qa"][qa]["questions"].size(), 3u);
    EXPECT_NE(room.f.state["qa"][qa].dump().find("ODOTTAA"), std::string::npos);
    EXPECT_EQ(frames_of(*room.people[3]).find("ODOTTAA"), std::string::npos);
    EXPECT_EQ(frames_of(room.screen).find("ODOTTAA"), std::string::npos);
    const std::string first = room.f.state["qa"][qa]["questions"].begin().key();
    EXPECT_EQ(room.people[3]->run("qa.upvote", {{"qa", qa}, {"question", first}})["code"], "conflict");
    room.f.ok("qa.approve", {{"qa", qa}, {"question", first}});
    room.people[3]->ok("qa.upvote", {{"qa", qa}, {"question", first}});
    room.settle_all();
    EXPECT_TRUE(room.people[3]->state["qa"][qa]["questions"][first].contains("text"));
    EXPECT_EQ(room.screen.state["qa"][qa]["questions"][first]["upvotes"], 1);
    // Who up-voted: the person and the facilitators only.
    EXPECT_EQ(room.people[3]->state["participants"][room.people[3]->you]["qa_upvoted"], json::array({first}));
    EXPECT_FALSE(room.people[2]->state["participants"][room.people[3]->you].contains("qa_upvoted"));
    EXPECT_FALSE(room.screen.state["participants"][room.people[3]->you].contains("qa_upvoted"));
    EXPECT_EQ(room.f.state["participants"][room.people[3]->you]["qa_upvoted"], json::array({first}));
    // A fresh welcome agrees with what the patches built.
    EXPECT_EQ(fresh_welcome(room.server.port(), room.keys.code, room.people[2]->token)["state"]["qa"], room.people[2]->state["qa"]);
}

}  // namespace
