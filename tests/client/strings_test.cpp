// Every UI string the desktop client asks for exists in all three catalogs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "keha/json.hpp"
#include "strings.hpp"

namespace fs = std::filesystem;

namespace {

keha::json catalog(const std::string& lang)
{
    std::ifstream in(fs::path(KEHA_TEST_ASSETS) / "i18n" / (lang + ".json"));
    return keha::json::parse(in, nullptr, false);
}

}  // namespace

TEST(Strings, LoadsTheCatalogAndFallsBackToTheKey)
{
    keha::desk::Strings str;
    ASSERT_TRUE(str.load(KEHA_TEST_ASSETS, "fi"));
    EXPECT_STREQ(str("column.hinders"), "Estävät tekijät");
    EXPECT_STREQ(str("desk.no.such.key"), "desk.no.such.key");
    EXPECT_EQ(str.format("desk.people_online", "n", "7"), "7 paikalla");
    ASSERT_TRUE(str.load(KEHA_TEST_ASSETS, "sv"));
    EXPECT_STREQ(str("desk.link.online"), "Ansluten");
    EXPECT_FALSE(str.load("/nonexistent", "en"));
    EXPECT_STREQ(str("desk.link.online"), "desk.link.online");
}

TEST(Strings, EveryKeyTheClientUsesIsInEveryCatalog)
{
    // Literal keys in the sources, and the families built at run time.
    std::set<std::string> keys;
    std::regex literal(R"re("((?:desk|board|column|field|group|status|role|notes|error)\.[a-z_.]+[a-z_])")re");
    for (const auto& entry : fs::directory_iterator(fs::path(KEHA_DESK_SOURCES))) {
        std::ifstream in(entry.path());
        std::string text((std::istreambuf_iterator<char>(in)), {});
        for (std::sregex_iterator it(text.begin(), text.end(), literal), end; it != end; ++it) keys.insert((*it)[1]);
    }
    for (const char* b : {"timeline", "vision", "plan", "reflections", "commitments"}) {
        keys.insert(std::string("board.") + b);
        keys.insert(std::string("desk.add.hint.") + b);
    }
    for (const char* c : {"vision", "hinders", "enables"}) keys.insert(std::string("desk.empty.") + c);
    for (const char* r : {"removed", "room_closed", "slow_consumer", "server_shutdown", "rate_limited"})
        keys.insert(std::string("desk.bye.") + r);
    for (const char* e : {"bad_request", "invalid", "forbidden", "not_found", "conflict", "unknown_room",
                          "unauthorized", "locked", "room_closed", "rate_limited", "too_large", "unavailable"})
        keys.insert(std::string("error.") + e);
    for (const char* s : {"proposed", "agreed", "done"}) keys.insert(std::string("status.") + s);
    for (const char* g : {"professional", "leader", "expert", "other"}) keys.insert(std::string("group.") + g);
    for (const char* l : {"fi", "sv", "en"}) keys.insert(std::string("desk.lang.") + l);
    for (const char* s : {"conversation", "reflection", "response"}) {
        keys.insert(std::string("desk.stage.") + s);
        keys.insert(std::string("desk.guide.") + s);
    }
    for (const char* m : {"none", "reflecting_team", "round", "hand_queue", "pairs"})
        keys.insert(std::string("desk.turn_mode.") + m);
    keys.insert("desk.export.md");
    keys.insert("desk.export.html");
    keys.insert("desk.export.json");
    for (const char* n : {"room", "full", "initials", "groups"}) keys.insert(std::string("desk.export.names.") + n);
    for (const char* f : {"when", "sector", "who", "with", "due", "turn", "organisation"}) keys.insert(std::string("field.") + f);
    ASSERT_GT(keys.size(), 100u);
    for (const char* lang : {"fi", "sv", "en"}) {
        keha::json c = catalog(lang);
        ASSERT_TRUE(c.is_object()) << lang;
        for (const std::string& key : keys) EXPECT_TRUE(c.contains(key)) << lang << ": " << key;
    }
}
