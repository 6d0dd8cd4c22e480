// The closing questionnaire against someone who copies the store (docs/security.md,
// "Anonymous ratings"): a real keha-server, participants answering one at a time, and a copy
// of the SQLite file and its WAL after every commit. From the copies the attacker knows who
// had answered by each copy (the op log says so) and which answer rows had appeared; the
// answers must not be pinned on anyone. Then what a crash costs, as docs/privacy.md states it.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <csignal>
#include <filesystem>
#include <map>
#include <set>

#include "support/meeting.hpp"
#include "support/stored_log.hpp"

using namespace keha::itest;
namespace fs = std::filesystem;

namespace {

// What one copy of the store says about one room's questionnaire.
struct Copy {
    std::set<std::string> answered;  // pids whose rating.submit is in the op log
    std::set<std::string> comments;
    std::multiset<std::pair<std::string, int>> scores;
    std::string ops_text;            // every op's patch but the close's, for what must never be there
};

// Copies the file and its WAL as they are now (the server is idle: every commit is done),
// the way a backup or someone with access to the disk would, and reads the copy.
Copy copy_store(const fs::path& db, const fs::path& into, const std::string& room)
{
    fs::create_directories(into);
    fs::copy_file(db, into / "keha.db", fs::copy_options::overwrite_existing);
    const fs::path wal = db.string() + "-wal";
    if (fs::exists(wal)) fs::copy_file(wal, into / "keha.db-wal", fs::copy_options::overwrite_existing);
    const fs::path c = into / "keha.db";
    Copy out;
    for (const auto& r : db_rows(c, "SELECT by_pid, cmd, patch FROM ops WHERE room = '" + room + "'", true)) {
        if (r[1] == "rating.submit") out.answered.insert(r[0]);
        if (r[1] != "ratings.close") out.ops_text += r[2];  // the close publishes the aggregate
    }
    for (const auto& r : db_rows(c, "SELECT text FROM rating_comments WHERE room = '" + room + "'", true)) out.comments.insert(r[0]);
    for (const auto& r : db_rows(c, "SELECT question, score FROM rating_scores WHERE room = '" + room + "'", true))
        out.scores.insert({r[0], std::stoi(r[1])});
    fs::remove_all(into);
    return out;
}

// The attack: an answer first seen in copy j was given by someone who had answered by copy j
// and is not already pinned to another answer. Returns, for every answer that can be pinned
// on exactly one person, who that is.
std::map<std::string, std::string> pin(const std::vector<Copy>& copies, std::function<std::set<std::string>(const Copy&)> answers)
{
    std::map<std::string, std::set<std::string>> candidates;  // answer -> who may have given it
    std::set<std::string> seen;
    for (const auto& c : copies)
        for (const auto& a : answers(c))
            if (seen.insert(a).second) candidates[a] = c.answered;
    std::map<std::string, std::string> pinned;
    for (bool changed = true; changed;) {
        changed = false;
        for (auto& [answer, who] : candidates) {
            if (pinned.count(answer)) continue;
            for (const auto& [a, p] : pinned) who.erase(p);
            if (who.size() == 1) {
                pinned[answer] = *who.begin();
                changed = true;
            }
        }
    }
    return pinned;
}

// The facilitator's refused command comes back only after every commit before it (the
// outbox keeps the room's order): then the store is idle and a copy holds every commit.
void wait_for_commits(Member& f) { ASSERT_EQ(f.run("ratings.open", {{"x", 1}})["code"], "invalid"); }

TEST(RatingsPrivacy, NoCopyOfTheStoreTakenAfterAnyCommitPairsAnAnswerWithItsAuthor)
{
    Temp_dir dir;
    Server_process server(dir.path() / "keha.db");
    auto keys = create_room(server.port(), {{"title", "Arviot"}, {"language", "en"}});
    Member f(server.port(), keys.code, with_key(keys.facilitator_key));
    std::vector<std::unique_ptr<Member>> people;
    for (int i = 0; i < 10; ++i) people.push_back(std::make_unique<Member>(server.port(), keys.code, as_participant("P" + std::to_string(i))));
    f.ok("ratings.open");
    std::vector<Copy> copies;
    std::map<std::string, std::string> author_of_comment, author_of_score;
    for (int i = 0; i < 10; ++i) {
        const std::string comment = "COMMENT-" + std::to_string(i);
        people[i]->ok("rating.submit", {{"answers", {{"heard", i}, {"useful", 10 - i}}}, {"comment", comment}});
        author_of_comment[comment] = people[i]->you;
        author_of_score["heard=" + std::to_string(i)] = people[i]->you;
        wait_for_commits(f);
        copies.push_back(copy_store(server.db(), dir.path() / "copy", keys.code));
        EXPECT_EQ(copies.back().answered.size(), static_cast<std::size_t>(i + 1)) << "the op log says who answered";
    }
    f.ok("ratings.close");
    copies.push_back(copy_store(server.db(), dir.path() / "copy", keys.code));

    const Copy& last = copies.back();
    EXPECT_EQ(last.comments.size(), 10u) << "every answer is stored by the close";
    EXPECT_EQ(last.scores.size(), 20u);
    for (const auto& c : copies) {
        EXPECT_EQ(c.ops_text.find("COMMENT"), std::string::npos);
        // Rows appear only many at a time: never one answer alone.
        EXPECT_TRUE(c.comments.empty() || c.comments.size() >= 3) << c.comments.size();
    }
    auto comments = pin(copies, [](const Copy& c) { return c.comments; });
    auto heard = pin(copies, [](const Copy& c) {
        std::set<std::string> out;
        for (const auto& [q, v] : c.scores)
            if (q == "heard") out.insert("heard=" + std::to_string(v));
        return out;
    });
    EXPECT_TRUE(comments.empty()) << "a comment was pinned on its author, e.g. " << comments.begin()->first << " on "
                                  << comments.begin()->second << " (really " << author_of_comment[comments.begin()->first] << ")";
    EXPECT_TRUE(heard.empty()) << "a score was pinned on its author";

    const json& r = f.state["ratings"]["results"];
    EXPECT_EQ(r["count"], 10);
    EXPECT_EQ(r["questions"][0]["median"], 4.5);
    EXPECT_EQ(r["comments"].size(), 10u);
    EXPECT_EQ(f.state["ratings"]["answered"], 10);
    EXPECT_EQ(f.state["ratings"]["stored"], 10);
}

// An answer is acknowledged when the op that says "answered" is durable; the answer itself
// waits in memory until it can be mixed with others. What a crash costs is exactly what the
// room held, and the results say so: `answered` counts everyone, `count` what was stored.
TEST(RatingsPrivacy, ACrashLosesOnlyTheHeldAnswersAndAPlannedStopWritesThem)
{
    Temp_dir dir;
    const fs::path db = dir.path() / "keha.db";
    Room_keys keys;
    std::vector<std::string> tokens;
    {
        Server_process server(db);
        keys = create_room(server.port(), {{"title", "Kaatuu"}, {"language", "en"}});
        Member f(server.port(), keys.code, with_key(keys.facilitator_key));
        f.ok("ratings.open");
        for (int i = 0; i < 8; ++i) {
            Member p(server.port(), keys.code, as_participant("P" + std::to_string(i)));
            p.ok("rating.submit", {{"answers", {{"heard", 7}}}, {"comment", "C" + std::to_string(i)}});
        }
        wait_for_commits(f);
        EXPECT_EQ(f.state["ratings"]["stored"], 3) << "3 of the first 6 were written, 5 are held";
        server.signal(SIGKILL);
        server.wait_exit(std::chrono::seconds(10));
    }
    {
        Server_process server(db);
        Member f(server.port(), keys.code, with_key(keys.facilitator_key));
        EXPECT_EQ(f.state["ratings"]["answered"], 8);
        for (int i = 8; i < 12; ++i) {
            Member p(server.port(), keys.code, as_participant("P" + std::to_string(i)));
            p.ok("rating.submit", {{"answers", {{"heard", 7}}}});
        }
        wait_for_commits(f);
        server.signal(SIGTERM);
        auto status = server.wait_exit(std::chrono::seconds(20));
        ASSERT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
    }
    {
        Server_process server(db);
        Member f(server.port(), keys.code, with_key(keys.facilitator_key));
        EXPECT_EQ(f.state["ratings"]["stored"], 7) << "the planned stop wrote the 4 it held";
        f.ok("ratings.close");
        EXPECT_EQ(f.state["ratings"]["answered"], 12);
        EXPECT_EQ(f.state["ratings"]["results"]["count"], 7) << "the 5 held at the crash are lost, and counted as lost";
    }
}

// Fewer answers than a batch are never written: nothing of them reaches the file.
TEST(RatingsPrivacy, TwoAnswersNeverReachTheFile)
{
    Temp_dir dir;
    Server_process server(dir.path() / "keha.db");
    auto keys = create_room(server.port(), {{"title", "Pieni"}, {"language", "en"}});
    Member f(server.port(), keys.code, with_key(keys.facilitator_key));
    Member a(server.port(), keys.code, as_participant("A"));
    Member b(server.port(), keys.code, as_participant("B"));
    f.ok("ratings.open");
    a.ok("rating.submit", {{"answers", {{"heard", 2}}}, {"comment", "SECRET-COMMENT"}});
    b.ok("rating.submit", {{"answers", {{"heard", 10}}}});
    f.ok("ratings.close");
    EXPECT_EQ(f.state["ratings"]["results"], (json{{"suppressed", true}, {"minimum", 3}}));
    Copy c = copy_store(server.db(), dir.path() / "copy", keys.code);
    EXPECT_TRUE(c.comments.empty());
    EXPECT_TRUE(c.scores.empty());
}

}  // namespace
