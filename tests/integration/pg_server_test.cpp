// keha-server on a PostgreSQL database (docs/deployment.md, "PostgreSQL instead of the file"):
// `db = postgresql://…` in the config file serves meetings and keeps them across a restart,
// the password a DSN may carry is never shown (a warning says where it belongs), and a
// database server that cannot be reached stops the start with a message that says so.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>

#include "pg_cluster.hpp"
#include "support/meeting.hpp"
#include "support/program.hpp"
#include "support/server_process.hpp"

using namespace keha::itest;
using keha::store_test::Pg_cluster;

namespace {

constexpr const char* password = "s3cret-pw-1";

void write_config(const std::filesystem::path& file, const std::string& db)
{
    std::ofstream(file) << "port = 0\nbind = 127.0.0.1\nassets = " << KEHA_TEST_ASSETS << "\ndb = " << db << "\n";
}

}  // namespace

TEST(PgServer, ADsnInTheConfigFileServesAndKeepsMeetingsAcrossARestart)
{
    Temp_dir dir;
    // The test cluster trusts its local users, so the password is never asked for; a county's
    // database would ask.
    const auto db = Pg_cluster::shared().new_database() + "&password=" + password;
    const auto config = dir.path() / "keha.conf";
    write_config(config, db);
    const auto log_beside = dir.path() / "keha";

    Room_keys keys;
    std::uint64_t seq = 0;
    {
        Server_process server(log_beside, Server_process::Exact_args{{"--config", config.string()}});
        EXPECT_EQ(server.start_line().find(password), std::string::npos) << server.start_line();
        EXPECT_NE(server.start_line().find("password=***"), std::string::npos) << server.start_line();
        keys = create_room(server.port());
        Member f(server.port(), keys.code, with_key(keys.facilitator_key));
        seq = f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "kept in PostgreSQL"}});
        server.signal(SIGTERM);
        const auto status = server.wait_exit(std::chrono::seconds(20));
        ASSERT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0);
    }
    Server_process server(log_beside, Server_process::Exact_args{{"--config", config.string()}});
    Member f(server.port(), keys.code, with_key(keys.facilitator_key));
    EXPECT_EQ(item_of(f.state, "timeline", "i" + std::to_string(seq))["text"], "kept in PostgreSQL");

    const auto log = server.log_text();
    EXPECT_NE(log.find("db_password_in_url"), std::string::npos) << log;
    EXPECT_EQ(log.find(password), std::string::npos) << log;
}

TEST(PgServer, AnUnreachableDatabaseStopsTheStartWithoutShowingThePassword)
{
    Temp_dir dir;
    const auto db = "postgresql://keha:" + std::string(password) + "@/keha?host=" + (dir.path() / "no-server").string();
    const auto run = run_program({KEHA_SERVER_BIN, "--port", "0", "--bind", "127.0.0.1", "--assets", KEHA_TEST_ASSETS,
                                  "--db", db});
    EXPECT_EQ(run.exit_code, 1);
    EXPECT_NE(run.err.find("cannot connect to PostgreSQL"), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find(password), std::string::npos) << run.err;
    EXPECT_EQ(run.out.find(password), std::string::npos) << run.out;
}
