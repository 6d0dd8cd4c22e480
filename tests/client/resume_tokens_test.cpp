// keha-desk remembers its resume token per server and room (0600 file), and reads the
// personal rejoin link a participant copies from their own screen.
#include <gtest/gtest.h>

#include <filesystem>
#include <sys/stat.h>

#include "resume_tokens.hpp"

using namespace keha::desk;
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
