// keha-server's config file (--config, KEHA_CONFIG): every long option is a key, the command
// line wins, an unknown key or an unreadable file is an error naming it, and a real server
// started with nothing but --config serves on the port the file names. Also: a wrong --assets
// folder is an error naming it, never another folder in its place.
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "cli.hpp"
#include "support/http_client.hpp"
#include "support/program.hpp"
#include "support/server_process.hpp"

using namespace keha::itest;
using keha::server::Command_line;
using keha::server::Options;

namespace {

void write_file(const std::filesystem::path& file, const std::string& text)
{
    std::ofstream out(file);
    out << text;
}

// What the environment of the test runner might set must not change what a test parses.
void clear_environment()
{
    for (const char* name : {"KEHA_CONFIG", "KEHA_PUBLIC_URL", "KEHA_ASSETS", "KEHA_ORGANIZER_KEY"}) unsetenv(name);
}

Program_env env_with(const std::string& name, const std::string& value)
{
    Program_env env;
    env.set = {{name, value}};
    return env;
}

// Parses like main() does: a fresh App for each command line.
Command_line parse(std::vector<std::string> args)
{
    CLI::App app;
    Command_line into;
    keha::server::define_command_line(app, into);
    keha::server::parse_command_line(app, into, std::move(args));
    return into;
}

// The long name of each option of keha-server's App, without dashes, but --help and --version.
std::vector<std::string> long_options()
{
    CLI::App app;
    Command_line into;
    keha::server::define_command_line(app, into);
    std::vector<std::string> names;
    for (const auto* option : app.get_options()) {
        const auto& lnames = option->get_lnames();
        if (lnames.empty()) continue;
        if (lnames[0] == "help" || lnames[0] == "version") continue;
        names.push_back(lnames[0]);
    }
    return names;
}

// A port nobody listens on now (the kernel's pick, released again).
std::uint16_t free_port()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

class Config : public ::testing::Test {
protected:
    void SetUp() override { clear_environment(); }
    Temp_dir dir;
};

}  // namespace

// Each option of the App, set in the file, reaches its field of Options. The keys come from the
// App itself: an option added without a line here fails this test, so none is forgotten.
TEST_F(Config, EveryLongOptionIsAKeyOfTheConfigFile)
{
    const auto key_file = dir.path() / "organizer-key";
    const auto cert = dir.path() / "cert.pem";
    const auto tls_key = dir.path() / "key.pem";
    const auto metrics_token = dir.path() / "metrics-token";
    for (const auto& f : {key_file, cert, tls_key, metrics_token}) write_file(f, "x\n");

    struct Key {
        std::string line;                            // what the file says
        std::function<bool(const Options&)> parsed;  // that the field holds it
    };
    const std::map<std::string, Key> keys = {
        {"port", {"port = 8443", [](const Options& o) { return o.port == 8443; }}},
        {"bind", {"bind = \"127.0.0.2\"", [](const Options& o) { return o.bind == "127.0.0.2"; }}},
        {"db", {"db = /var/lib/keha/keha.db", [](const Options& o) { return o.db == "/var/lib/keha/keha.db"; }}},
        {"assets", {"assets = /usr/share/keha", [](const Options& o) { return o.assets == "/usr/share/keha"; }}},
        {"organizer-key-file",
         {"organizer-key-file = " + key_file.string(),
          [=](const Options& o) { return o.organizer_key_file == key_file.string(); }}},
        {"tls-cert", {"tls-cert = " + cert.string(), [=](const Options& o) { return o.tls_cert == cert.string(); }}},
        {"tls-key",
         {"tls-key = " + tls_key.string(), [=](const Options& o) { return o.tls_key == tls_key.string(); }}},
        // A list, and the key again further down (below): all three count.
        {"trusted-proxy",
         {"trusted-proxy = [\"127.0.0.1\", \"::1\"]", [](const Options& o) {
              return o.trusted_proxies == std::vector<std::string>{"127.0.0.1", "::1", "10.0.0.0/8"};
          }}},
        {"allowed-origin",
         {"allowed-origin = https://a.example:8443",
          [](const Options& o) { return o.allowed_origins == std::vector<std::string>{"https://a.example:8443"}; }}},
        {"public-url",
         {"public-url = https://keha.example.fi/kehä",
          [](const Options& o) { return o.public_url == "https://keha.example.fi/kehä"; }}},
        {"threads", {"threads = 3", [](const Options& o) { return o.threads == 3; }}},
        {"queue-limit", {"queue-limit = 77", [](const Options& o) { return o.queue_limit == 77; }}},
        {"rate", {"rate = 12.5", [](const Options& o) { return o.rate_per_s == 12.5; }}},
        {"burst", {"burst = 25", [](const Options& o) { return o.rate_burst == 25; }}},
        {"snapshot-every", {"snapshot-every = 50", [](const Options& o) { return o.snapshot_every == 50; }}},
        {"idle-unload", {"idle-unload = 30", [](const Options& o) { return o.idle_unload_s == 30; }}},
        {"drain", {"drain = 12", [](const Options& o) { return o.drain_s == 12; }}},
        {"retention-days", {"retention-days = 30", [](const Options& o) { return o.retention_days == 30; }}},
        {"access-log-days", {"access-log-days = 365", [](const Options& o) { return o.access_log_days == 365; }}},
        {"max-connections-per-address",
         {"max-connections-per-address = 64", [](const Options& o) { return o.limits.connections_per_address == 64; }}},
        {"rooms-per-hour", {"rooms-per-hour = 5", [](const Options& o) { return o.limits.rooms_per_hour == 5; }}},
        {"processes-per-hour",
         {"processes-per-hour = 4", [](const Options& o) { return o.limits.processes_per_hour == 4; }}},
        {"code-tries", {"code-tries = 3", [](const Options& o) { return o.limits.code_tries == 3; }}},
        {"code-tries-per-minute",
         {"code-tries-per-minute = 2.5", [](const Options& o) { return o.limits.code_tries_per_minute == 2.5; }}},
        {"code-tries-global-per-s",
         {"code-tries-global-per-s = 1.5", [](const Options& o) { return o.limits.code_tries_global_per_s == 1.5; }}},
        {"code-tries-global",
         {"code-tries-global = 11", [](const Options& o) { return o.limits.code_tries_global == 11; }}},
        {"room-bytes", {"room-bytes = 1000000", [](const Options& o) { return o.limits.room_bytes == 1000000; }}},
        {"participant-bytes",
         {"participant-bytes = 200000", [](const Options& o) { return o.limits.participant_bytes == 200000; }}},
        {"room-items", {"room-items = 300", [](const Options& o) { return o.limits.room_items == 300; }}},
        {"room-members", {"room-members = 40", [](const Options& o) { return o.limits.room_members == 40; }}},
        {"room-participants",
         {"room-participants = 45", [](const Options& o) { return o.limits.room_participants == 45; }}},
        {"log-level", {"log-level = debug", [](const Options& o) { return o.log_level == "debug"; }}},
        {"metrics-bind",
         {"metrics-bind = \"127.0.0.1:9108\"", [](const Options& o) { return o.metrics_bind == "127.0.0.1:9108"; }}},
        {"metrics-token-file",
         {"metrics-token-file = " + metrics_token.string(),
          [=](const Options& o) { return o.metrics_token_file == metrics_token.string(); }}},
    };
    // Not keys: the file itself, and the organizer key, which belongs in organizer-key-file.
    const std::set<std::string> not_keys = {"config", "organizer-key"};

    std::string text = "# keha-server's configuration\n";
    for (const auto& name : long_options()) {
        if (not_keys.count(name)) continue;
        auto it = keys.find(name);
        if (it == keys.end()) {
            ADD_FAILURE() << "--" << name << " has no line in this test: add one (and check its field)";
            continue;
        }
        text += it->second.line + "\n";
    }
    text += "trusted-proxy = 10.0.0.0/8\n";
    const auto file = dir.path() / "keha.conf";
    write_file(file, text);

    const Options defaults;
    const auto parsed = parse({"--config", file.string()});
    EXPECT_EQ(parsed.config, file.string());
    for (const auto& [name, key] : keys) {
        EXPECT_FALSE(key.parsed(defaults)) << name << ": the test's value is the default, so it proves nothing";
        EXPECT_TRUE(key.parsed(parsed.options)) << name << ": the line \"" << key.line << "\" did not reach Options";
    }
}

TEST_F(Config, TheCommandLineWinsOverTheFile)
{
    const auto file = dir.path() / "keha.conf";
    write_file(file, "port = 8443\ndb = /var/lib/keha/keha.db\ntrusted-proxy = 127.0.0.1\n");
    const auto parsed = parse({"--port", "9000", "--config", file.string(), "--trusted-proxy", "::1"});
    EXPECT_EQ(parsed.options.port, 9000);
    EXPECT_EQ(parsed.options.db, "/var/lib/keha/keha.db");
    EXPECT_EQ(parsed.options.trusted_proxies, std::vector<std::string>{"::1"});
}

TEST_F(Config, KehaConfigNamesTheFileWhenNoConfigIsGiven)
{
    const auto file = dir.path() / "keha.conf";
    write_file(file, "port = 8443\n");
    setenv("KEHA_CONFIG", file.c_str(), 1);
    EXPECT_EQ(parse({}).options.port, 8443);
    const auto other = dir.path() / "other.conf";
    write_file(other, "port = 9443\n");
    EXPECT_EQ(parse({"--config", other.string()}).options.port, 9443);
    unsetenv("KEHA_CONFIG");
}

// A misspelt key must not quietly leave the default in force.
TEST_F(Config, AnUnknownKeyIsAnErrorNamingIt)
{
    const auto file = dir.path() / "keha.conf";
    write_file(file, "port = 8443\ntrusted-proxies = 127.0.0.1\n");
    try {
        parse({"--config", file.string()});
        FAIL() << "an unknown key was accepted";
    } catch (const CLI::ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("unknown key \"trusted-proxies\""), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    }
    // The same from the real program: it does not start, and says why on stderr.
    const auto run = run_program({KEHA_SERVER_BIN, "--config", file.string(), "--port", "0"});
    EXPECT_NE(run.exit_code, 0);
    EXPECT_NE(run.err.find("unknown key \"trusted-proxies\""), std::string::npos) << run.err;
    EXPECT_EQ(run.out.find("Kehä is running"), std::string::npos) << run.out;
}

TEST_F(Config, TheOrganizerKeyItselfIsNotAKeyOfTheFile)
{
    const auto file = dir.path() / "keha.conf";
    write_file(file, "organizer-key = sekret\n");
    const auto run = run_program({KEHA_SERVER_BIN, "--config", file.string(), "--port", "0"});
    EXPECT_NE(run.exit_code, 0);
    EXPECT_NE(run.err.find("organizer-key-file"), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find("sekret"), std::string::npos) << "the key is not repeated: " << run.err;
}

TEST_F(Config, AConfigFileThatCannotBeReadIsAnError)
{
    const auto missing = dir.path() / "missing.conf";
    auto run = run_program({KEHA_SERVER_BIN, "--config", missing.string(), "--port", "0"});
    EXPECT_NE(run.exit_code, 0);
    EXPECT_NE(run.err.find("cannot read the config file " + missing.string()), std::string::npos) << run.err;
    EXPECT_EQ(run.out.find("Kehä is running"), std::string::npos) << run.out;

    run = run_program({KEHA_SERVER_BIN, "--port", "0"}, env_with("KEHA_CONFIG", missing.string()));
    EXPECT_NE(run.exit_code, 0);
    EXPECT_NE(run.err.find("cannot read the config file " + missing.string() + " (KEHA_CONFIG)"), std::string::npos)
        << run.err;

    run = run_program({KEHA_SERVER_BIN, "--config", dir.path().string(), "--port", "0"});
    EXPECT_NE(run.exit_code, 0);
    EXPECT_NE(run.err.find("it is not a file"), std::string::npos) << run.err;
}

// What the systemd unit does: keha-server --config /etc/keha/keha.conf and nothing else.
TEST_F(Config, AServerStartedWithOnlyAConfigFileServesOnItsPort)
{
    const auto port = free_port();
    const auto db = dir.path() / "keha.db";
    const auto key_file = dir.path() / "organizer-key";
    write_file(key_file, "the-organizer-key\n");
    const auto file = dir.path() / "keha.conf";
    write_file(file, "# as an administrator writes it\n"
                     "port = " + std::to_string(port) + "\n"
                     "bind = 127.0.0.1\n"
                     "db = " + db.string() + "\n"
                     "assets = " KEHA_TEST_ASSETS "\n"
                     "organizer-key-file = " + key_file.string() + "\n"
                     "public-url = https://keha.example.fi\n");
    Server_process server(db, Server_process::Exact_args{{"--config", file.string()}});
    EXPECT_EQ(server.port(), port);
    EXPECT_EQ(http_get(port, "/api/templates").status, 200);
    EXPECT_TRUE(std::filesystem::exists(db));
    // The key file of the config file is in force: no key, no room; the key, a room.
    const std::string body = R"({"title":"Configured"})";
    EXPECT_EQ(http_request(port, "POST", "/api/rooms", body).status, 401);
    EXPECT_EQ(http_request(port, "POST", "/api/rooms", body, {{"Authorization", "Bearer the-organizer-key"}}).status,
              201);
}

// Every option and subcommand is in --help (the man page is made from it).
TEST_F(Config, HelpDescribesEveryOption)
{
    const auto run = run_program({KEHA_SERVER_BIN, "--help"});
    EXPECT_EQ(run.exit_code, 0);
    for (const auto& name : long_options()) EXPECT_NE(run.out.find("--" + name), std::string::npos) << name;
    EXPECT_NE(run.out.find("config file"), std::string::npos);
    EXPECT_NE(run.out.find("Subcommands:"), std::string::npos) << run.out;
    for (const char* sub : {"backup", "check", "migrate"}) {
        EXPECT_NE(run.out.find("\n  " + std::string(sub) + " "), std::string::npos) << sub;
        const auto help = run_program({KEHA_SERVER_BIN, sub, "--help"});
        EXPECT_EQ(help.exit_code, 0);
        EXPECT_NE(help.out.find("--config"), std::string::npos) << help.out;
    }
}

// A folder given by the operator is used or refused, never swapped for another that happens to exist.
TEST_F(Config, AWrongAssetsFolderIsAnErrorNamingIt)
{
    const auto wrong = dir.path() / "no-such-assets";
    const auto db = (dir.path() / "keha.db").string();
    auto run = run_program({KEHA_SERVER_BIN, "--port", "0", "--bind", "127.0.0.1", "--db", db, "--assets", wrong.string()});
    EXPECT_NE(run.exit_code, 0);
    EXPECT_NE(run.err.find(wrong.string()), std::string::npos) << run.err;
    EXPECT_EQ(run.out.find("Kehä is running"), std::string::npos) << run.out;

    // An existing folder without the assets in it, named in the config file.
    const auto empty = dir.path() / "empty";
    std::filesystem::create_directory(empty);
    const auto file = dir.path() / "keha.conf";
    write_file(file, "port = 0\nbind = 127.0.0.1\ndb = " + db + "\nassets = " + empty.string() + "\n");
    run = run_program({KEHA_SERVER_BIN, "--config", file.string()});
    EXPECT_NE(run.exit_code, 0);
    EXPECT_NE(run.err.find(empty.string()), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("templates/"), std::string::npos) << run.err;
    EXPECT_EQ(run.out.find("Kehä is running"), std::string::npos) << run.out;

    // And through KEHA_ASSETS.
    run = run_program({KEHA_SERVER_BIN, "--port", "0", "--bind", "127.0.0.1", "--db", db},
                      env_with("KEHA_ASSETS", wrong.string()));
    EXPECT_NE(run.exit_code, 0);
    EXPECT_NE(run.err.find(wrong.string()), std::string::npos) << run.err;
}
