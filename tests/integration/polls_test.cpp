// Quick polls over the real server (docs/protocol.md §8.1, docs/privacy.md "Anonymous polls"):
// an answer reaches no member's messages, the op log, the anonymous table or the server's log
// until at least three are released together; results not shown reach only facilitators;
// roles and bad input get clear errors; deleting the meeting deletes its poll values.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "support/http_client.hpp"
#include "support/meeting.hpp"
#include "support/stored_log.hpp"

using namespace keha::itest;
namespace fs = std::filesystem;

namespace {

// Every message a member has received, as text.
std::string seen_by(const Member& m)
{
    std::string out = m.welcome.dump();
    for (const auto& msg : m.messages) out += msg.dump();
    return out;
}

// Every op of the room the store holds, and its poll values, as text.
std::string ops_text(const fs::path& db, const std::string& code)
{
    std::string out;
    for (const auto& r : db_rows(db, "SELECT cmd, patch FROM ops WHERE room = '" + code + "'")) out += r[0] + r[1];
    return out;
}
std::multiset<std::string> stored_values(const fs::path& db, const std::string& code)
{
    std::multiset<std::string> out;
    for (const auto& r : db_rows(db, "SELECT value FROM poll_values WHERE room = '" + code + "'")) out.insert(r[0]);
    return out;
}

// A refused command is answered after every commit before it (the room keeps its order).
void wait_for_commits(Member& f) { ASSERT_EQ(f.run("poll.close", {{"poll", "l0"}})["code"], "not_found"); }

struct Poll_room : ::testing::Test {
    Temp_dir dir;
    Server_process server{dir.path() / "keha.db"};
    Room_keys keys = create_room(server.port(), {{"title", "Kyselyt"}, {"language", "fi"}});
    Member f{server.port(), keys.code, with_key(keys.facilitator_key)};
    Member wall{server.port(), keys.code, with_key(keys.screen_key)};
    std::vector<std::unique_ptr<Member>> people;

    void join(int n)
    {
        for (int i = 0; i < n; ++i)
            people.push_back(std::make_unique<Member>(server.port(), keys.code, as_participant("P" + std::to_string(i))));
    }
    std::string open(const json& args)
    {
        const auto seq = f.ok("poll.open", args);
        return "l" + std::to_string(seq);
    }
    void settle_all()
    {
        f.settle();
        wall.settle();
        for (auto& p : people) p->settle();
    }
    const json& poll(const Member& m, const std::string& id) { return m.state["polls"][id]; }
};

TEST_F(Poll_room, AnAnswerIsNowhereUntilThreeAreReleasedTogether)
{
    join(5);
    const std::string id = open({{"kind", "words"}, {"question", "Yksi sana tunnelmasta?"}});
    const std::vector<std::string> words = {"SALASANA-A", "SALASANA-B", "SALASANA-C", "SALASANA-D", "SALASANA-E"};
    auto nowhere = [&](const std::string& word) {
        std::string lower = word;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        for (const Member* m : {&f, &wall}) EXPECT_EQ(seen_by(*m).find(lower), std::string::npos) << word;
        for (const auto& p : people) EXPECT_EQ(seen_by(*p).find(lower), std::string::npos) << word;
        EXPECT_EQ(ops_text(server.db(), keys.code).find(lower), std::string::npos) << word;
        EXPECT_EQ(stored_values(server.db(), keys.code).count(lower), 0u) << word;
    };
    for (int i = 0; i < 2; ++i) {
        people[i]->ok("poll.answer", {{"poll", id}, {"words", {words[i]}}});
        wait_for_commits(f);
        settle_all();
        nowhere(words[i]);
        EXPECT_EQ(poll(f, id)["answered"], i + 1);
        EXPECT_TRUE(poll(f, id)["results"].is_null());
    }
    people[2]->ok("poll.answer", {{"poll", id}, {"words", {words[2]}}});
    wait_for_commits(f);
    settle_all();
    // The third answer releases all three at once: in one server op, and in the table.
    const json results = poll(*people[4], id)["results"];
    EXPECT_EQ(results["count"], 3);
    EXPECT_EQ(results["words"].size(), 3u);
    EXPECT_EQ(stored_values(server.db(), keys.code).size(), 3u);
    EXPECT_EQ(poll(f, id)["stored"], 3);
    const auto tallies = db_rows(server.db(), "SELECT by_pid FROM ops WHERE room = '" + keys.code + "' AND cmd = 'poll.tally'");
    ASSERT_EQ(tallies.size(), 1u);
    EXPECT_EQ(tallies[0][0], "server");
    for (const auto& r : db_rows(server.db(), "SELECT patch FROM ops WHERE room = '" + keys.code + "' AND cmd = 'poll.answer'"))
        EXPECT_EQ(r[0].find("salasana"), std::string::npos);

    people[3]->ok("poll.answer", {{"poll", id}, {"words", {words[3], "Kiire"}}});
    wait_for_commits(f);
    settle_all();
    nowhere(words[3]);
    EXPECT_EQ(poll(wall, id)["results"]["count"], 3);
    f.ok("poll.close", {{"poll", id}});
    wait_for_commits(f);
    settle_all();
    // The close adds what is left: this poll is not about_self, so even one answer.
    EXPECT_EQ(poll(wall, id)["status"], "closed");
    EXPECT_EQ(poll(wall, id)["results"]["count"], 4);
    EXPECT_EQ(poll(wall, id)["results"]["words"]["kiire"], 1);
    EXPECT_EQ(stored_values(server.db(), keys.code).size(), 5u);
    EXPECT_EQ(people[4]->run("poll.answer", {{"poll", id}, {"words", {words[4]}}})["code"], "conflict");

    const std::string log = server.log_text();
    for (const auto& w : words) {
        std::string lower = w;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        EXPECT_EQ(log.find(lower), std::string::npos);
        EXPECT_EQ(log.find(w), std::string::npos);
    }
    // The table names no person, seq or time, and has no rowid to order rows by.
    std::set<std::string> columns;
    for (const auto& r : db_rows(server.db(), "SELECT name FROM pragma_table_info('poll_values')")) columns.insert(r[0]);
    EXPECT_EQ(columns, (std::set<std::string>{"id", "room", "poll", "value"}));
    EXPECT_THROW(db_rows(server.db(), "SELECT rowid FROM poll_values"), std::exception);

    // Deleting the meeting deletes its values.
    auto deleted = http_request(server.port(), "DELETE", "/api/rooms/" + keys.code, {},
                                {{"Authorization", "Bearer " + keys.facilitator_key}});
    EXPECT_EQ(deleted.status, 200);
    EXPECT_TRUE(stored_values(server.db(), keys.code).empty());
}

TEST_F(Poll_room, ResultsNotShownReachOnlyFacilitatorsUntilTheReveal)
{
    join(3);
    const std::string id = open({{"kind", "scale"}, {"question", "Kuinka hyvin tulit kuulluksi?"}, {"about_self", true},
                                 {"show", "reveal"}});
    for (int i = 0; i < 3; ++i) people[i]->ok("poll.answer", {{"poll", id}, {"value", 7 + i}});
    wait_for_commits(f);
    settle_all();
    EXPECT_EQ(poll(f, id)["results"]["count"], 3);
    EXPECT_EQ(poll(f, id)["results"]["median"], 8.0);
    for (const Member* m : {&wall, people[0].get()}) {
        EXPECT_TRUE(poll(*m, id)["results"].is_null());
        EXPECT_EQ(seen_by(*m).find("distribution"), std::string::npos);
        EXPECT_EQ(poll(*m, id)["answered"], 3);
    }
    f.ok("poll.reveal", {{"poll", id}});
    settle_all();
    for (const Member* m : {&wall, people[0].get()}) EXPECT_EQ(poll(*m, id)["results"]["count"], 3);
    EXPECT_EQ(poll(wall, id)["shown"], true);
    // A fresh welcome agrees with what the patches built.
    EXPECT_EQ(fresh_welcome(server.port(), keys.code, people[1]->token)["state"]["polls"], people[1]->state["polls"]);
}

TEST_F(Poll_room, RolesAndBadInputGetClearErrors)
{
    join(1);
    Member& p = *people[0];
    EXPECT_EQ(p.run("poll.open", {{"kind", "scale"}, {"question", "?"}})["code"], "forbidden");
    EXPECT_EQ(wall.run("poll.open", {{"kind", "scale"}, {"question", "?"}})["code"], "forbidden");
    EXPECT_EQ(f.run("poll.open", {{"kind", "essay"}, {"question", "?"}})["code"], "invalid");
    EXPECT_EQ(f.run("poll.open", {{"kind", "choice"}, {"question", "?"}})["code"], "bad_request");
    EXPECT_EQ(f.run("poll.tally", {{"topic", "poll/l1"}, {"answers", json::array()}})["code"], "forbidden");
    const std::string id = open({{"kind", "choice"}, {"question", "Kumpi?"}, {"options", {"Tämä", "Tuo"}}});
    EXPECT_EQ(wall.run("poll.answer", {{"poll", id}, {"choices", {0}}})["code"], "forbidden");
    EXPECT_EQ(p.run("poll.answer", {{"poll", id}, {"choices", {0, 1}}})["code"], "invalid");
    EXPECT_EQ(p.run("poll.answer", {{"poll", "l999"}, {"choices", {0}}})["code"], "not_found");
    EXPECT_EQ(p.run("poll.close", {{"poll", id}})["code"], "forbidden");
    p.ok("poll.answer", {{"poll", id}, {"choices", {1}}});
    EXPECT_EQ(p.run("poll.answer", {{"poll", id}, {"choices", {0}}})["code"], "conflict");
    // Removing the poll drops the answer held for it; the room may then unload as usual.
    f.ok("poll.remove", {{"poll", id}});
    settle_all();
    EXPECT_FALSE(p.state["polls"].contains(id));
    EXPECT_TRUE(stored_values(server.db(), keys.code).empty());
}

}  // namespace
