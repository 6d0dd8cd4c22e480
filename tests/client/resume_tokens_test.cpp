// keha-desk remembers its resume token per server and room (0600 file), and reads the
// personal rejoin link a participant copies from their own screen.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <sys/stat.h>

#include "resume_tokens.hpp"

using namespace keha::desk;
using keha::json;
namespace fs = std::filesystem;

namespace {

struct Temp_dir {
    fs::path path = fs::temp_directory_path() / ("keha-tokens-" + std::to_string(::getpid()) + "-" +
                                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    Temp_dir() { fs::remove_all(path); }
    ~Temp_dir() { fs::remove_all(path); }
};

}  // namespace

TEST(ResumeTokens, RemembersOneTokenPerServerAndRoomReadableByItsOwnerOnly)
{
    Temp_dir dir;
    Resume_tokens tokens(dir.path / "keha");
    EXPECT_FALSE(tokens.load("http://127.0.0.1:8080", "K7Q4MXP2"));
    ASSERT_TRUE(tokens.save("http://127.0.0.1:8080", "K7Q4MXP2", "abc-DEF_123", "Aino"));
    ASSERT_TRUE(tokens.save("http://127.0.0.1:9090", "K7Q4MXP2", "other-server"));
    ASSERT_TRUE(tokens.save("http://127.0.0.1:8080", "AAAABBBB", "other-room"));
    // A second keha-desk started later reads what the first wrote.
    Resume_tokens later(dir.path / "keha");
    EXPECT_EQ(later.load("http://127.0.0.1:8080", "K7Q4MXP2")->token, "abc-DEF_123");
    EXPECT_EQ(later.load("http://127.0.0.1:8080", "K7Q4MXP2")->name, "Aino");
    EXPECT_EQ(later.load("http://127.0.0.1:9090", "K7Q4MXP2")->token, "other-server");
    EXPECT_EQ(later.load("http://127.0.0.1:8080", "AAAABBBB")->token, "other-room");

    for (const auto& entry : fs::recursive_directory_iterator(dir.path / "keha")) {
        struct stat st {};
        ASSERT_EQ(::stat(entry.path().c_str(), &st), 0);
        if (entry.is_directory()) EXPECT_EQ(st.st_mode & 0777, 0700u) << entry.path();
        else EXPECT_EQ(st.st_mode & 0777, 0600u) << entry.path();
    }
    later.forget("http://127.0.0.1:8080", "K7Q4MXP2");
    EXPECT_FALSE(tokens.load("http://127.0.0.1:8080", "K7Q4MXP2"));
    EXPECT_EQ(tokens.load("http://127.0.0.1:8080", "AAAABBBB")->token, "other-room");
}

TEST(ResumeTokens, WithoutAStateFolderNothingIsRemembered)
{
    Resume_tokens none{fs::path()};
    EXPECT_FALSE(none.save("http://h:1", "K7Q4MXP2", "t"));
    EXPECT_FALSE(none.load("http://h:1", "K7Q4MXP2"));
}

TEST(RejoinLink, ReadsTheCodeAndTheTokenFromTheFragment)
{
    auto link = parse_rejoin_link("  https://keha.example.fi/r/K7Q4MXP2#token=Ab-9_z\n");
    ASSERT_TRUE(link);
    EXPECT_EQ(link->code, "K7Q4MXP2");
    EXPECT_EQ(link->token, "Ab-9_z");
    auto lower = parse_rejoin_link("http://127.0.0.1:8080/r/k7q4-mxp2#lang=fi&token=0123abcd");
    ASSERT_TRUE(lower);
    EXPECT_EQ(lower->code, "K7Q4MXP2");
    EXPECT_EQ(lower->token, "0123abcd");
    EXPECT_FALSE(parse_rejoin_link("https://keha.example.fi/r/K7Q4MXP2"));             // no token
    EXPECT_FALSE(parse_rejoin_link("https://keha.example.fi/r/K7Q4MXP2#key=secret"));  // a key is no rejoin link
    EXPECT_FALSE(parse_rejoin_link("https://keha.example.fi/r/NOTACODE#token=abc"));
    EXPECT_FALSE(parse_rejoin_link("https://keha.example.fi/r/K7Q4MXP2#token=a%20b"));
    EXPECT_FALSE(parse_rejoin_link(""));
}

TEST(RejoinCode, ReadsTheCodeAsTypedAndNothingElse)
{
    EXPECT_EQ(parse_rejoin_code("abcde-fghjk"), "ABCDEFGHJK");
    EXPECT_EQ(parse_rejoin_code(" ABCDE FGHJK\n"), "ABCDEFGHJK");
    EXPECT_FALSE(parse_rejoin_code("ABCDE-FGHJ"));    // too short
    EXPECT_FALSE(parse_rejoin_code("ABCDE-FGHJKL"));  // too long
    EXPECT_FALSE(parse_rejoin_code("ABCDE-FGHIK"));   // I is not in the alphabet
    EXPECT_FALSE(parse_rejoin_code("https://keha.example.fi/r/K7Q4MXP2#token=abc"));
}

TEST(RejoinLink, IsBuiltAsTheBrowserBuildsItAndReadsBack)
{
    auto link = make_rejoin_link("https://keha.example.fi", "K7Q4MXP2", "Ab-9_z");
    EXPECT_EQ(link, "https://keha.example.fi/r/K7Q4MXP2#token=Ab-9_z");
    auto back = parse_rejoin_link(link);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->code, "K7Q4MXP2");
    EXPECT_EQ(back->token, "Ab-9_z");
    // Whatever a token held would stay in the fragment, encoded as encodeURIComponent does.
    EXPECT_EQ(make_rejoin_link("http://127.0.0.1:8080", "K7Q4MXP2", "a b/c"),
              "http://127.0.0.1:8080/r/K7Q4MXP2#token=a%20b%2Fc");
}

TEST(RejoinOffer, ReadsTheServersAnswerAndNothingElse)
{
    auto offer = parse_rejoin_offer(json{{"type", "rejoin_code"}, {"code", "ABCDE-FGHJK"}, {"expires_at_ms", 1700000600000}});
    ASSERT_TRUE(offer);
    EXPECT_EQ(offer->code, "ABCDE-FGHJK");
    EXPECT_EQ(offer->expires_at_ms, 1700000600000);
    EXPECT_FALSE(parse_rejoin_offer(json{{"type", "error"}, {"code", "forbidden"}}));
    EXPECT_FALSE(parse_rejoin_offer(json{{"type", "rejoin_code"}, {"code", "ABCDE-FGHJK"}}));  // no expiry
    EXPECT_FALSE(parse_rejoin_offer(json{{"type", "rejoin_code"}, {"code", "<b>"}, {"expires_at_ms", 1}}));
    EXPECT_FALSE(parse_rejoin_offer(json{{"type", "rejoin_code"}, {"code", 12}, {"expires_at_ms", 1}}));
}

TEST(RejoinOffer, ShowsUntilWhenInTheLocalClock)
{
    setenv("TZ", "Europe/Helsinki", 1);
    tzset();
    // 2024-01-15 10:30 UTC is 12:30 in Helsinki; the server's clock is 5 s ahead of ours.
    EXPECT_EQ(local_clock_text(1705314600000 + 5000, 5000), "12:30");
    setenv("TZ", "UTC", 1);
    tzset();
    EXPECT_EQ(local_clock_text(1705314600000, 0), "10:30");
    unsetenv("TZ");
    tzset();
}
