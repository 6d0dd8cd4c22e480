// Every UI string the desktop client asks for exists in all three catalogs; counted texts
// take the plural form of their number.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "keha/json.hpp"
#include "keha/permissions.hpp"
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
    EXPECT_EQ(str.format("desk.remove.confirm", "name", "Maija").find("Maija") != std::string::npos, true);
    ASSERT_TRUE(str.load(KEHA_TEST_ASSETS, "sv"));
    EXPECT_STREQ(str("desk.link.online"), "Ansluten");
    EXPECT_FALSE(str.load("/nonexistent", "en"));
    EXPECT_STREQ(str("desk.link.online"), "desk.link.online");
}

TEST(Strings, EveryKeyTheClientUsesIsInEveryCatalog)
{
    // Literal keys in the sources, and the families built at run time.
    std::set<std::string> keys, counted;
    std::regex literal(R"re("((?:desk|board|column|field|group|status|role|notes|error)\.[a-z_.]+[a-z_])")re");
    std::regex count_call(R"re(\bcount\("([a-z_.]+)")re");
    for (const auto& entry : fs::directory_iterator(fs::path(KEHA_DESK_SOURCES))) {
        std::ifstream in(entry.path());
        std::string text((std::istreambuf_iterator<char>(in)), {});
        for (std::sregex_iterator it(text.begin(), text.end(), count_call), end; it != end; ++it) counted.insert((*it)[1]);
        for (std::sregex_iterator it(text.begin(), text.end(), literal), end; it != end; ++it)
            if (!counted.contains((*it)[1])) keys.insert((*it)[1]);
    }
    for (const std::string& key : counted) {
        keys.erase(key);
        keys.insert(key + ".one");
        keys.insert(key + ".other");
    }
    ASSERT_GT(counted.size(), 10u);
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
    // Command names that look like keys ("board.reveal", "board.sort") are no catalog texts.
    for (auto command : keha::known_commands()) keys.erase(std::string(command));
    ASSERT_GT(keys.size(), 100u);
    for (const char* lang : {"fi", "sv", "en"}) {
        keha::json c = catalog(lang);
        ASSERT_TRUE(c.is_object()) << lang;
        for (const std::string& key : keys) EXPECT_TRUE(c.contains(key)) << lang << ": " << key;
    }
}

TEST(Strings, PluralFormsFollowEachLanguagesRule)
{
    using keha::desk::plural_form;
    for (const char* lang : {"fi", "sv", "en"}) {
        EXPECT_EQ(plural_form(lang, 1), "one") << lang;
        EXPECT_EQ(plural_form(lang, 2), "other") << lang;
        EXPECT_EQ(plural_form(lang, 0), "other") << lang;  // "0 osallistujaa", "0 deltagare", "0 participants"
        EXPECT_EQ(plural_form(lang, 21), "other") << lang;
    }
}

TEST(Strings, CountedTextsTakeTheSingularForOneAndThePluralOtherwise)
{
    keha::desk::Strings str;
    ASSERT_TRUE(str.load(KEHA_TEST_ASSETS, "fi"));
    EXPECT_EQ(str.count("desk.wall.private", 1), "1 yksityinen");
    EXPECT_EQ(str.count("desk.wall.private", 2), "2 yksityistä");
    EXPECT_EQ(str.count("desk.wall.private", 0), "0 yksityistä");
    EXPECT_EQ(str.count("desk.process.count.participants", 1), "1 osallistuja");
    EXPECT_EQ(str.count("desk.process.count.participants", 5), "5 osallistujaa");
    EXPECT_EQ(str.count("desk.me.private_notes", 1), "Sinulla on 1 yksityinen muistiinpano reflektiotaululla.");

    ASSERT_TRUE(str.load(KEHA_TEST_ASSETS, "sv"));
    EXPECT_EQ(str.count("desk.wall.private", 1), "1 privat");
    EXPECT_EQ(str.count("desk.wall.private", 2), "2 privata");
    EXPECT_EQ(str.count("desk.wall.private", 0), "0 privata");
    EXPECT_EQ(str.count("desk.process.count.agreements", 1), "1 överenskommelse");
    EXPECT_EQ(str.count("desk.process.count.agreements", 3), "3 överenskommelser");

    ASSERT_TRUE(str.load(KEHA_TEST_ASSETS, "en"));
    EXPECT_EQ(str.count("desk.process.count.items", 1), "1 item");
    EXPECT_EQ(str.count("desk.process.count.items", 2), "2 items");
    EXPECT_EQ(str.count("desk.process.count.items", 0), "0 items");
    EXPECT_EQ(str.count("desk.pic.found", 1), "Found in 1 place:");
    EXPECT_EQ(keha::desk::fill_in(str.count("desk.votes.left", 1), "limit", "3"), "1 vote left on this board (of 3)");
}

TEST(Strings, ACountedTextWithoutItsFormFallsBackToOther)
{
    // A catalog may give only "other" (a language where the forms agree); a key with no
    // forms at all shows itself, so the gap is visible.
    keha::desk::Strings str;
    ASSERT_TRUE(str.load(KEHA_TEST_ASSETS, "en"));
    EXPECT_EQ(str.count("desk.no.such.count", 1), "desk.no.such.count.other");
}

TEST(Strings, EveryCountedFormHasBothFormsInEveryCatalog)
{
    for (const char* lang : {"fi", "sv", "en"}) {
        keha::json c = catalog(lang);
        for (const auto& [key, text] : c.items()) {
            if (!key.ends_with(".one")) continue;
            const std::string other = key.substr(0, key.size() - 4) + ".other";
            ASSERT_TRUE(c.contains(other)) << lang << ": " << key;
            EXPECT_NE(text.get<std::string>().find("{n}"), std::string::npos) << lang << ": " << key;
            EXPECT_NE(c[other].get<std::string>().find("{n}"), std::string::npos) << lang << ": " << other;
        }
    }
}

// A number put into a catalog text with format("…", "n", …) bypasses the plural forms. Only
// ordinals and fractions may ("kierros 2", "kohta 3", "vuoro 1/2"): they count nothing.
TEST(Strings, NoCountedTextIsBuiltWithoutThePluralForms)
{
    const std::set<std::string> ordinals = {"desk.pic.item_n", "desk.turns.cycle", "desk.turns.cycle_short",
                                            "desk.turns.pairs_half"};
    std::regex numbered(R"re(format\(\s*"([a-z_.]+)",\s*"n",)re");
    int scanned = 0;
    for (const auto& entry : fs::directory_iterator(fs::path(KEHA_DESK_SOURCES))) {
        std::ifstream in(entry.path());
        std::string text((std::istreambuf_iterator<char>(in)), {});
        ++scanned;
        for (std::sregex_iterator it(text.begin(), text.end(), numbered), end; it != end; ++it)
            EXPECT_TRUE(ordinals.contains((*it)[1])) << entry.path().filename() << ": " << (*it)[1]
                                                     << " counts something; use Strings::count";
    }
    EXPECT_GT(scanned, 20);
}

TEST(Strings, CountedTextsTakeTheFormOfTheirNumber)
{
    keha::desk::Strings str;
    ASSERT_TRUE(str.load(KEHA_TEST_ASSETS, "en"));
    EXPECT_EQ(str.count("import.count.action", 1), "1 action");
    EXPECT_EQ(str.count("import.count.action", 3), "3 actions");
    EXPECT_EQ(str.count("import.count.action", 0), "0 actions");
    ASSERT_TRUE(str.load(KEHA_TEST_ASSETS, "fi"));
    EXPECT_EQ(str.count("import.count.event", 1), "1 aikajanan tapahtuma");
    EXPECT_EQ(str.count("import.count.event", 5), "5 aikajanan tapahtumaa");
}

TEST(Strings, AnImportSaysWhatItBroughtInTheBoardsOrder)
{
    keha::desk::Strings str;
    ASSERT_TRUE(str.load(KEHA_TEST_ASSETS, "en"));
    EXPECT_EQ(keha::desk::import_summary_text(str, {{"action", 3}, {"hinders", 2}, {"event", 5}}),
              "Brought 5 timeline events, 2 hinderers, 3 actions.");
    EXPECT_EQ(keha::desk::import_summary_text(str, {{"action", 1}, {"hinders", 1}}), "Brought 1 hinderer, 1 action.");
    EXPECT_EQ(keha::desk::import_summary_text(str, keha::json::object()), "Nothing new: everything had been brought before.");
    EXPECT_EQ(keha::desk::import_summary_text(str, {{"action", "many"}}), "Nothing new: everything had been brought before.");
    ASSERT_TRUE(str.load(KEHA_TEST_ASSETS, "sv"));
    EXPECT_EQ(keha::desk::import_summary_text(str, {{"action", 2}}), "Hämtades 2 åtgärder.");
}
