// The address on the wall (docs/facilitator-guide.md, "Putting the wall up"): with
// --public-url the room API, the welcome and the QR code give that URL and the room's code
// whatever Host the projector's browser used; without it, a server bound to loopback says so
// (the clients warn the facilitator), and a malformed --public-url stops the start.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>

#include "qr.hpp"
#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

struct Exit {
    int code = -1;
    std::string output;
};

// keha-server with `args`, to its end: its exit code and everything it wrote.
Exit run_server(const std::string& args)
{
    const std::string command = std::string("'") + KEHA_SERVER_BIN + "' " + args + " 2>&1";
    Exit out;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return out;
    char buf[512];
    while (auto n = std::fread(buf, 1, sizeof buf, pipe)) out.output.append(buf, n);
    const int status = pclose(pipe);
    if (WIFEXITED(status)) out.code = WEXITSTATUS(status);
    return out;
}

std::string qr_of(std::uint16_t port, const std::string& code, const std::string& host)
{
    auto answer = http_get(port, "/api/rooms/" + code + "/qr.svg", {{"Host", host}});
    EXPECT_EQ(answer.status, 200);
    return answer.body;
}

}  // namespace

TEST(PublicUrl, WallAndQrGiveThePublicUrlWhateverTheHost)
{
    Temp_dir dir;
    Server_process server(dir.path() / "public.db", {"--public-url", "https://kokous.example.fi/keha/"});
    auto room = create_room(server.port());
    const std::string expected = "https://kokous.example.fi/keha/r/" + room.code;

    for (const std::string& host : std::vector<std::string>{"localhost:" + std::to_string(server.port()), "127.0.0.1", "evil.example"}) {
        auto info = http_get(server.port(), "/api/rooms/" + room.code, {{"Host", host}});
        ASSERT_EQ(info.status, 200);
        const auto join = info.json_body()["join"];
        EXPECT_EQ(join["url"], expected) << host;
        EXPECT_EQ(join["address"], "kokous.example.fi/keha") << host;
        EXPECT_EQ(join["loopback"], false) << host;
        EXPECT_EQ(qr_of(server.port(), room.code, host), keha::server::qr_svg(expected).value()) << host;
    }
    // The projector and the facilitator are told it in their welcome.
    Member screen(server.port(), room.code, with_key(room.screen_key));
    EXPECT_EQ(screen.welcome["join"]["url"], expected);
    Member facilitator(server.port(), room.code, with_key(room.facilitator_key));
    EXPECT_EQ(facilitator.welcome["join"]["address"], "kokous.example.fi/keha");
    EXPECT_EQ(facilitator.welcome["join"]["loopback"], false);
}

TEST(PublicUrl, TheEnvironmentSetsItToo)
{
    Temp_dir dir;
    ::setenv("KEHA_PUBLIC_URL", "http://10.20.30.40:8080", 1);
    Server_process server(dir.path() / "env.db");
    ::unsetenv("KEHA_PUBLIC_URL");
    auto room = create_room(server.port());
    auto join = http_get(server.port(), "/api/rooms/" + room.code).json_body()["join"];
    EXPECT_EQ(join["url"], "http://10.20.30.40:8080/r/" + room.code);
    EXPECT_EQ(join["address"], "10.20.30.40:8080");
}

TEST(PublicUrl, BoundToLoopbackTheWallSaysSoAndTheFacilitatorIsWarned)
{
    // The shared server is bound to 127.0.0.1 without --public-url.
    auto& server = shared_server();
    auto room = create_room(server.port());
    const std::string expected = "http://127.0.0.1:" + std::to_string(server.port()) + "/r/" + room.code;
    auto join = http_get(server.port(), "/api/rooms/" + room.code, {{"Host", "meeting.example:9000"}}).json_body()["join"];
    EXPECT_EQ(join["url"], expected);
    EXPECT_EQ(join["loopback"], true);
    EXPECT_EQ(qr_of(server.port(), room.code, "meeting.example:9000"), keha::server::qr_svg(expected).value());
    Member facilitator(server.port(), room.code, with_key(room.facilitator_key));
    EXPECT_EQ(facilitator.welcome["join"]["loopback"], true);
    EXPECT_EQ(facilitator.welcome["join"]["address"], "127.0.0.1:" + std::to_string(server.port()));
}

TEST(PublicUrl, ALoopbackPublicUrlIsFlaggedToo)
{
    Temp_dir dir;
    Server_process server(dir.path() / "local.db", {"--public-url", "http://localhost:8080"});
    auto room = create_room(server.port());
    auto join = http_get(server.port(), "/api/rooms/" + room.code).json_body()["join"];
    EXPECT_EQ(join["url"], "http://localhost:8080/r/" + room.code);
    EXPECT_EQ(join["loopback"], true);
}

TEST(PublicUrl, AMalformedPublicUrlStopsTheStartWithExitCode2)
{
    Temp_dir dir;
    const std::string db = "--port 0 --bind 127.0.0.1 --db '" + (dir.path() / "bad.db").string() + "'";
    for (const char* bad : {"kokous.example.fi", "ftp://kokous.example.fi", "https://", "https://x.example/?a=1",
                                  "https://x.example/#top", "https://user:pw@x.example", "//kokous.example.fi/keha"}) {
        auto run = run_server(db + " --public-url '" + std::string(bad) + "'");
        EXPECT_EQ(run.code, 2) << bad << ": " << run.output;
        EXPECT_NE(run.output.find("--public-url"), std::string::npos) << run.output;
        EXPECT_EQ(run.output.find("Kehä is running"), std::string::npos) << run.output;
    }
}
