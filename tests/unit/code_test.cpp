// Room codes: the alphabet, normalize_code and make_code.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "keha/code.hpp"

namespace keha {
namespace {

TEST(Code, AlphabetHasNoLookAlikes)
{
    for (char c : std::string("0O1IL")) EXPECT_EQ(code_alphabet.find(c), std::string_view::npos) << c;
    EXPECT_EQ(code_alphabet.size(), 31u);
    std::set<char> unique(code_alphabet.begin(), code_alphabet.end());
    EXPECT_EQ(unique.size(), code_alphabet.size());
    for (char c : code_alphabet) EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '9')) << c;
    EXPECT_EQ(code_length, 8u);
    EXPECT_EQ(legacy_code_length, 6u);
}

TEST(Code, NormalizeAcceptsUpperCase)
{
    EXPECT_EQ(normalize_code("K7Q4MXP2"), "K7Q4MXP2");
    EXPECT_EQ(normalize_code("K7Q4MX"), "K7Q4MX");  // a room made before codes had eight characters
}

TEST(Code, NormalizeAcceptsAnyCase)
{
    EXPECT_EQ(normalize_code("k7q4mxp2"), "K7Q4MXP2");
    EXPECT_EQ(normalize_code("k7Q4mXp2"), "K7Q4MXP2");
    EXPECT_EQ(normalize_code("k7q4mx"), "K7Q4MX");
}

TEST(Code, NormalizeAcceptsOneDashInTheMiddle)
{
    EXPECT_EQ(normalize_code("k7q4-mxp2"), "K7Q4MXP2");
    EXPECT_EQ(normalize_code("K7Q4-MXP2"), "K7Q4MXP2");
    EXPECT_EQ(normalize_code("k7q-4mx"), "K7Q4MX");
    EXPECT_EQ(normalize_code("K7Q-4MX"), "K7Q4MX");
}

TEST(Code, NormalizeRejectsDashesElsewhere)
{
    for (const char* bad : {"k7q--4mx", "-k7q4mx", "k7q4mx-", "k7-q4mx", "k7q4-mx", "k-7q-4mx", "k7q-4m-x", "---", "-",
                            "k7q-4mxp2", "k7q4m-xp2", "k7q4--mxp2", "-k7q4mxp2", "k7q4mxp2-", "k7q4-mx-p2"})
        EXPECT_FALSE(normalize_code(bad)) << bad;
}

TEST(Code, NormalizeRejectsWrongLength)
{
    for (const char* bad : {"", "K7Q4M", "K7Q4MXA", "K7Q-4M", "K7Q-4MXA", "K7Q4MXK7Q4MX", "K7Q4MXP", "K7Q4MXP2A",
                            "K7Q4-MXP", "K7Q4M-XP2A"})
        EXPECT_FALSE(normalize_code(bad)) << bad;
}

TEST(Code, NormalizeRejectsCharactersOutsideTheAlphabet)
{
    for (const char* bad : {"K7Q4M0", "K7Q4MO", "K7Q4M1", "K7Q4MI", "K7Q4ML", "k7q4ml", "k7q4mo", "k7q4mi", "K7Q 4MX",
                            " K7Q4MX", "K7Q4MX ", "K7Q_4MX", "K7Q4MÄ", "K7Q4M\n", "K7Q4M!"})
        EXPECT_FALSE(normalize_code(bad)) << bad;
    EXPECT_FALSE(normalize_code(std::string_view("K7Q4M\0", 6)));
}

TEST(Code, MakeCodeUsesOnlyTheAlphabetAndNormalizesToItself)
{
    std::mt19937 rng(7);
    for (int i = 0; i < 1000; ++i) {
        auto code = make_code([&] { return static_cast<std::uint32_t>(rng()); });
        ASSERT_EQ(code.size(), code_length);
        for (char c : code) ASSERT_NE(code_alphabet.find(c), std::string_view::npos) << code;
        EXPECT_EQ(normalize_code(code), code);
    }
}

TEST(Code, MakeCodeCanProduceEveryCharacterInEveryPosition)
{
    std::mt19937 rng(99);
    std::vector<std::set<char>> seen(code_length);
    for (int i = 0; i < 3000; ++i) {
        auto code = make_code([&] { return static_cast<std::uint32_t>(rng()); });
        for (std::size_t k = 0; k < code.size(); ++k) seen[k].insert(code[k]);
    }
    for (std::size_t k = 0; k < code_length; ++k) EXPECT_EQ(seen[k].size(), code_alphabet.size()) << "position " << k;
}

TEST(Code, MakeCodeSkipsValuesThatWouldBiasTheDistribution)
{
    // Values at the very top of the range are rejected; the next ones are used.
    std::vector<std::uint32_t> values = {UINT32_MAX, 0, 1, 2, 3, 4, 5, 6, 7};
    std::size_t i = 0;
    auto code = make_code([&] { return values[i++]; });
    EXPECT_EQ(code, std::string(code_alphabet.substr(0, 8)));
    EXPECT_EQ(i, values.size());
}

}  // namespace
}  // namespace keha
