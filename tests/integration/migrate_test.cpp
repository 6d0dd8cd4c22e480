// keha-server migrate (docs/deployment.md, "Moving the meetings from the file"): a SQLite
// store that a real keha-server wrote — processes, meetings with snapshots, resume tokens,
// questionnaire answers, quick polls' values — copied into an empty PostgreSQL database, where keha-server then
// serves every meeting as it was; a database that holds anything is refused untouched.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>

#include "pg_cluster.hpp"
#include "pg_connection.hpp"
#include "support/meeting.hpp"
#include "support/program.hpp"

using namespace keha::itest;
using keha::store_test::Pg_cluster;

namespace {

struct Written {
    Room_keys in_process, alone;
    std::string process, process_key, token;
};

// A process with a meeting in it and a meeting alone, ops enough for snapshots, a
// participant's token and a closed questionnaire, written by keha-server on the file.
Written write_meetings(const std::filesystem::path& file)
{
    Server_process server(file, {"--snapshot-every", "4"});
    Written w;
    auto created = http_request(server.port(), "POST", "/api/processes",
                                json{{"title", "Kehittämistiimit"}, {"teams", {"A", "B"}}}.dump());
    if (created.status != 201) throw std::runtime_error("process: " + created.body);
    w.process = created.json_body()["id"];
    w.process_key = created.json_body()["key"];
    w.in_process = create_room(server.port(), {{"title", "Tiimi A"}, {"process", w.process},
                                               {"process_key", w.process_key}, {"team", "A"}});
    w.alone = create_room(server.port());
    for (const auto* keys : {&w.in_process, &w.alone}) {
        Member f(server.port(), keys->code, with_key(keys->facilitator_key));
        std::vector<std::unique_ptr<Member>> people;
        for (int i = 0; i < 3; ++i)
            people.push_back(std::make_unique<Member>(server.port(), keys->code, as_participant("P" + std::to_string(i))));
        for (int i = 0; i < 9; ++i)
            people[i % 3]->ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "tapahtuma " + std::to_string(i)}});
        f.ok("ratings.open");
        for (int i = 0; i < 3; ++i)
            people[i]->ok("rating.submit", {{"answers", {{"heard", i + 5}}}, {"comment", "kommentti " + std::to_string(i)}});
        f.ok("ratings.close");
        // A quick poll's anonymous values (poll_values), released with its tally.
        const auto poll = "l" + std::to_string(f.ok("poll.open", {{"kind", "words"}, {"question", "Yksi sana?"}}));
        for (int i = 0; i < 3; ++i) people[i]->ok("poll.answer", {{"poll", poll}, {"words", {"sana " + std::to_string(i % 2)}}});
        f.ok("poll.close", {{"poll", poll}});
        w.token = people[0]->token;
    }
    server.signal(SIGTERM);
    server.wait_exit(std::chrono::seconds(20));
    return w;
}

Server_process serve_on(const std::filesystem::path& log_beside, const std::string& db)
{
    return Server_process(log_beside, Server_process::Exact_args{
                                          {"--port", "0", "--bind", "127.0.0.1", "--db", db, "--assets", KEHA_TEST_ASSETS}});
}

}  // namespace

TEST(Migrate, CopiesEveryMeetingIntoAnEmptyDatabaseWhereTheyAreServedAsTheyWere)
{
    Temp_dir dir;
    const auto file = dir.path() / "keha.db";
    const auto w = write_meetings(file);
    // What a member who comes back sees on the file (a copy of it, served as it is).
    const auto copy = dir.path() / "copy.db";
    std::filesystem::copy_file(file, copy);
    if (std::filesystem::exists(file.string() + "-wal"))
        std::filesystem::copy_file(file.string() + "-wal", copy.string() + "-wal");
    json before;
    {
        auto server = serve_on(dir.path() / "sqlite", copy.string());
        before = fresh_welcome(server.port(), w.alone.code, w.token);
    }

    const auto db = Pg_cluster::shared().new_database();
    const auto run = run_program({KEHA_SERVER_BIN, "migrate", "--from", file.string(), "--to", db});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_NE(run.out.find("every room (2) reads back the same"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("rating_comments 6"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("processes 1"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("poll_values 6"), std::string::npos) << run.out;

    auto server = serve_on(dir.path() / "pg", db);
    const auto after = fresh_welcome(server.port(), w.alone.code, w.token);  // the token came too
    EXPECT_EQ(after["seq"], before["seq"]);
    EXPECT_EQ(after["state"]["boards"], before["state"]["boards"]);
    EXPECT_EQ(after["state"]["ratings"], before["state"]["ratings"]);
    EXPECT_EQ(after["state"]["participants"].size(), before["state"]["participants"].size());
    EXPECT_EQ(after["state"]["ratings"]["results"]["count"], 3);
    EXPECT_EQ(after["state"]["polls"], before["state"]["polls"]);
    EXPECT_EQ(after["state"]["polls"].begin().value()["results"]["words"], (json{{"sana 0", 2}, {"sana 1", 1}}));
    Member f(server.port(), w.in_process.code, with_key(w.in_process.facilitator_key));
    EXPECT_EQ(f.state["boards"]["timeline"]["items"].size(), 9u);
    auto process = http_request(server.port(), "GET", "/api/processes/" + w.process, "",
                                {{"Authorization", "Bearer " + w.process_key}});
    EXPECT_EQ(process.status, 200) << process.body;
    EXPECT_NE(process.body.find(w.in_process.code), std::string::npos) << process.body;
    EXPECT_GT(f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "jatkuu"}}), 0u);
}

TEST(Migrate, ADatabaseThatHoldsMeetingsIsRefusedAndLeftAsItWas)
{
    Temp_dir dir;
    const auto file = dir.path() / "keha.db";
    write_meetings(file);
    const auto db = Pg_cluster::shared().new_database();
    ASSERT_EQ(run_program({KEHA_SERVER_BIN, "migrate", "--from", file.string(), "--to", db}).exit_code, 0);
    keha::server::Pg_connection look(db);
    const auto ops = look.exec("SELECT count(*) FROM ops").integer(0, 0);

    const auto again = run_program({KEHA_SERVER_BIN, "migrate", "--from", file.string(), "--to", db});
    EXPECT_EQ(again.exit_code, 1);
    EXPECT_NE(again.err.find("is not empty"), std::string::npos) << again.err;
    EXPECT_EQ(look.exec("SELECT count(*) FROM ops").integer(0, 0), ops);
    EXPECT_EQ(look.exec("SELECT count(*) FROM rooms").integer(0, 0), 2);
}

TEST(Migrate, ATargetThatIsNoPostgresqlDatabaseOrASourceThatIsNoKehaFileIsRefused)
{
    Temp_dir dir;
    const auto file = dir.path() / "keha.db";
    write_meetings(file);
    const auto to_file = run_program({KEHA_SERVER_BIN, "migrate", "--from", file.string(), "--to",
                                      (dir.path() / "other.db").string()});
    EXPECT_EQ(to_file.exit_code, 1);
    EXPECT_NE(to_file.err.find("PostgreSQL"), std::string::npos) << to_file.err;

    const auto not_keha = dir.path() / "notes.txt";
    std::ofstream(not_keha) << "not a database";
    const auto db = Pg_cluster::shared().new_database();
    const auto from_text = run_program({KEHA_SERVER_BIN, "migrate", "--from", not_keha.string(), "--to", db});
    EXPECT_EQ(from_text.exit_code, 1);
    EXPECT_NE(from_text.err.find(not_keha.string()), std::string::npos) << from_text.err;
}
