// The command line and server addresses of keha-desk.
#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

#include "options.hpp"
#include "url.hpp"

using keha::desk::Options;
using keha::desk::parse_options;
using keha::desk::parse_server_url;

namespace {

std::optional<int> parse(std::vector<std::string> args, Options& o)
{
    args.insert(args.begin(), "keha-desk");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    return parse_options(static_cast<int>(argv.size()), argv.data(), o);
}

}  // namespace

TEST(ServerUrl, AcceptsTheWaysPeopleWriteAnAddress)
{
    auto a = parse_server_url("http://127.0.0.1:8080/");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->host, "127.0.0.1");
    EXPECT_EQ(a->port, "8080");
    EXPECT_EQ(a->base(), "http://127.0.0.1:8080");
    auto b = parse_server_url("  keha.example.fi ");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->port, "80");
    EXPECT_EQ(b->base(), "http://keha.example.fi");
    auto c = parse_server_url("ws://[::1]:9000/ws");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->host, "::1");
    EXPECT_EQ(c->base(), "http://[::1]:9000");
    EXPECT_EQ(keha::desk::join_url(*a, "K7Q4MX"), "http://127.0.0.1:8080/r/K7Q4MX");
    EXPECT_FALSE(a->tls);
}

TEST(ServerUrl, HttpsAndWssMeanTls)
{
    auto a = parse_server_url("https://keha.example.fi");
    ASSERT_TRUE(a);
    EXPECT_TRUE(a->tls);
    EXPECT_EQ(a->port, "443");
    EXPECT_EQ(a->base(), "https://keha.example.fi");
    auto b = parse_server_url("wss://127.0.0.1:8443/ws");
    ASSERT_TRUE(b);
    EXPECT_TRUE(b->tls);
    EXPECT_EQ(b->base(), "https://127.0.0.1:8443");
    EXPECT_EQ(keha::desk::join_url(*b, "K7Q4MX"), "https://127.0.0.1:8443/r/K7Q4MX");
    EXPECT_FALSE(parse_server_url("ftp://keha.example.fi"));
}

TEST(ServerUrl, RefusesWhatItCannotReach)
{
    EXPECT_FALSE(parse_server_url(""));
    EXPECT_FALSE(parse_server_url("host:99999"));
    EXPECT_FALSE(parse_server_url("host:8o8o"));
    EXPECT_FALSE(parse_server_url("http://:8080"));
}

TEST(Options, TheProjectorFlags)
{
    Options o;
    EXPECT_FALSE(parse({"--projector", "--server", "http://h:1", "--room", "k7q-4mx", "--screen-key", "S",
                        "--fullscreen", "1", "--hide-names", "--lang", "sv"},
                       o));
    EXPECT_TRUE(o.projector);
    EXPECT_EQ(o.room, "k7q-4mx");
    EXPECT_EQ(o.screen_key, "S");
    ASSERT_TRUE(o.fullscreen);
    EXPECT_EQ(*o.fullscreen, 1);
    EXPECT_TRUE(o.hide_names);
    EXPECT_EQ(o.lang, "sv");
}

TEST(Options, FullscreenWithoutAMonitorMeansThePrimary)
{
    Options o;
    EXPECT_FALSE(parse({"--projector", "--fullscreen"}, o));
    ASSERT_TRUE(o.fullscreen);
    EXPECT_EQ(*o.fullscreen, 0);
}

TEST(Options, ScreenshotDefaultsToAFewFrames)
{
    Options o;
    EXPECT_FALSE(parse({"--screenshot", "a.png", "--size", "1280x720"}, o));
    EXPECT_EQ(o.frames, 3);
    EXPECT_EQ(o.width, 1280);
    EXPECT_EQ(o.height, 720);
}

TEST(Options, KeysCanComeFromTheEnvironment)
{
    setenv("KEHA_SCREEN_KEY", "from-env", 1);
    Options o;
    EXPECT_FALSE(parse({}, o));
    unsetenv("KEHA_SCREEN_KEY");
    EXPECT_EQ(o.screen_key, "from-env");
}

TEST(Options, BadValuesAreRefused)
{
    Options a, b, c;
    testing::internal::CaptureStderr();
    testing::internal::CaptureStdout();
    EXPECT_TRUE(parse({"--group", "boss"}, a));
    EXPECT_TRUE(parse({"--lang", "de"}, b));
    EXPECT_TRUE(parse({"--size", "big"}, c));
    testing::internal::GetCapturedStdout();
    testing::internal::GetCapturedStderr();
}
