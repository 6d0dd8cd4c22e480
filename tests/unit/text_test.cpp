// Text helpers: utf8_length, iso8601_utc, the i18n catalogs, error codes and roles.
#include <gtest/gtest.h>

#include <set>

#include "helpers.hpp"
#include "keha/error.hpp"
#include "keha/i18n.hpp"
#include "keha/role.hpp"
#include "keha/text.hpp"

namespace keha::test {
namespace {

TEST(Utf8Length, CountsCodePointsNotBytes)
{
    EXPECT_EQ(utf8_length(""), 0u);
    EXPECT_EQ(utf8_length("abc"), 3u);
    EXPECT_EQ(utf8_length("ä"), 1u);
    EXPECT_EQ(utf8_length("äöå"), 3u);
    EXPECT_EQ(utf8_length("€"), 1u);
    EXPECT_EQ(utf8_length("😀"), 1u);
    EXPECT_EQ(utf8_length("Kehä 😀!"), 7u);
    EXPECT_EQ(utf8_length(std::string_view("a\0b", 3)), 3u);
    EXPECT_EQ(utf8_length("\xF4\x8F\xBF\xBF"), 1u);  // U+10FFFF, the last code point
    EXPECT_EQ(utf8_length(repeat("😀", 2000)), 2000u);
}

TEST(Utf8Length, RejectsInvalidUtf8)
{
    for (const char* bad : {
             "\x80",              // lone continuation byte
             "\xC3",              // truncated two-byte sequence
             "a\xE2\x82",         // truncated three-byte sequence
             "\xF0\x9F\x98",      // truncated four-byte sequence
             "\xC3\x28",          // bad continuation
             "\xC0\x80",          // overlong NUL
             "\xE0\x80\xAF",      // overlong '/'
             "\xF0\x80\x80\xAF",  // overlong '/'
             "\xED\xA0\x80",      // surrogate U+D800
             "\xED\xBF\xBF",      // surrogate U+DFFF
             "\xF4\x90\x80\x80",  // past U+10FFFF
             "\xF8\x88\x80\x80\x80",
             "\xFF",
         })
        EXPECT_FALSE(utf8_length(bad)) << testing::PrintToString(std::string(bad));
}

TEST(TextLength, AcceptsWhatAPersonWritesAndNoOtherControlCharacters)
{
    EXPECT_EQ(text_length(""), 0u);
    EXPECT_EQ(text_length("Kehä 😀"), 6u);
    EXPECT_EQ(text_length("rivi\nrivi\tsarake"), 16u);
    EXPECT_EQ(text_length("\u202Eoikealta"), 9u) << "bidi controls are text; the notes neutralize them";
    for (char c = 0; c < 0x20; ++c) {
        if (c == '\t' || c == '\n') continue;
        EXPECT_EQ(text_length(std::string("a") + c + "b"), std::nullopt) << int(c);
    }
    EXPECT_EQ(text_length(std::string_view("a\0b", 3)), std::nullopt);
    EXPECT_EQ(text_length("\xC3"), std::nullopt) << "invalid UTF-8";
}

TEST(NeutralizeControls, ReplacesBidiControlsAndC0ButKeepsTheText)
{
    const std::string fffd = "\uFFFD";
    for (const char* bidi : {"\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069"})
        EXPECT_EQ(neutralize_controls(std::string("a") + bidi + "b"), "a" + fffd + "b") << bidi;
    EXPECT_EQ(neutralize_controls(std::string_view("a\0b\x1b", 4)), "a" + fffd + "b" + fffd);
    // Their neighbours and everything a person writes stay as they are.
    for (const char* kept : {"\u2029", "\u202F", "\u2065", "\u206A", "\u200F", "\u05D0\u05D1", "Kehä 😀", "a\tb\nc\rd", "\xE2"})
        EXPECT_EQ(neutralize_controls(kept), kept) << kept;
}

TEST(Iso8601Utc, FormatsEpochMilliseconds)
{
    EXPECT_EQ(iso8601_utc(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(iso8601_utc(1'795'000'000'000), "2026-11-18T11:06:40Z");
    EXPECT_EQ(iso8601_utc(1'795'000'000'999), "2026-11-18T11:06:40Z");  // milliseconds dropped
    EXPECT_EQ(iso8601_utc(951'782'400'000), "2000-02-29T00:00:00Z");
}

TEST(I18n, TrFallsBackToTheKey)
{
    json cat = {{"board.plan", "Plan"}, {"odd", 5}};
    EXPECT_EQ(tr(cat, "board.plan"), "Plan");
    EXPECT_EQ(tr(cat, "board.nope"), "board.nope");
    EXPECT_EQ(tr(cat, "odd"), "odd");
    EXPECT_EQ(tr(json(nullptr), "x.y"), "x.y");
}

TEST(I18n, LanguagesAreFinnishSwedishEnglish)
{
    EXPECT_TRUE(is_language("fi"));
    EXPECT_TRUE(is_language("sv"));
    EXPECT_TRUE(is_language("en"));
    EXPECT_FALSE(is_language("de"));
    EXPECT_FALSE(is_language("FI"));
    EXPECT_FALSE(is_language(""));
}

TEST(I18n, ShippedCatalogsHaveTheSameKeysAndNoEmptyTexts)
{
    std::set<std::string> keys_fi;
    const json fi = catalog("fi");
    for (const auto& [k, v] : fi.items()) keys_fi.insert(k);
    for (auto lang : languages) {
        SCOPED_TRACE(std::string(lang));
        json cat = catalog(std::string(lang));
        ASSERT_TRUE(cat.is_object());
        std::set<std::string> keys;
        for (const auto& [k, v] : cat.items()) {
            keys.insert(k);
            ASSERT_TRUE(v.is_string()) << k;
            EXPECT_FALSE(v.get<std::string>().empty()) << k;
            EXPECT_TRUE(utf8_length(v.get<std::string>())) << k;
        }
        EXPECT_EQ(keys, keys_fi);
    }
}

TEST(I18n, CatalogsTranslateEveryErrorCodeAndEveryNotesHeading)
{
    const Error_code codes[] = {Error_code::bad_request, Error_code::invalid,  Error_code::forbidden,
                                Error_code::not_found,   Error_code::conflict, Error_code::unknown_room,
                                Error_code::unauthorized, Error_code::locked,  Error_code::room_closed,
                                Error_code::rate_limited, Error_code::too_large, Error_code::internal,
                                Error_code::unavailable, Error_code::listening};
    for (auto lang : languages) {
        json cat = catalog(std::string(lang));
        for (auto c : codes) EXPECT_TRUE(cat.contains("error." + std::string(to_string(c)))) << lang << " " << to_string(c);
        for (const char* k : {"notes.participants", "notes.agenda", "notes.empty", "notes.no_date", "board.timeline",
                              "board.vision", "board.plan", "board.reflections", "column.vision", "column.hinders",
                              "column.enables", "column.action", "field.who", "field.with", "field.due",
                              "field.status", "field.votes", "status.proposed", "status.agreed", "status.done",
                              "group.professional", "group.leader", "group.expert", "group.other"})
            EXPECT_TRUE(cat.contains(k)) << lang << " " << k;
    }
}

TEST(ErrorCode, NamesAreTheProtocolNames)
{
    EXPECT_EQ(to_string(Error_code::bad_request), "bad_request");
    EXPECT_EQ(to_string(Error_code::invalid), "invalid");
    EXPECT_EQ(to_string(Error_code::forbidden), "forbidden");
    EXPECT_EQ(to_string(Error_code::not_found), "not_found");
    EXPECT_EQ(to_string(Error_code::conflict), "conflict");
    EXPECT_EQ(to_string(Error_code::unknown_room), "unknown_room");
    EXPECT_EQ(to_string(Error_code::unauthorized), "unauthorized");
    EXPECT_EQ(to_string(Error_code::locked), "locked");
    EXPECT_EQ(to_string(Error_code::room_closed), "room_closed");
    EXPECT_EQ(to_string(Error_code::rate_limited), "rate_limited");
    EXPECT_EQ(to_string(Error_code::too_large), "too_large");
    EXPECT_EQ(to_string(Error_code::internal), "internal");
    EXPECT_EQ(to_string(Error_code::unavailable), "unavailable");
    EXPECT_EQ(to_string(Error_code::listening), "listening");
}

TEST(RoleNames, RoundTrip)
{
    for (Role r : {Role::facilitator, Role::participant, Role::screen, Role::server})
        EXPECT_EQ(role_from_string(to_string(r)), r);
    EXPECT_EQ(to_string(Role::screen), "screen");
    EXPECT_FALSE(role_from_string("admin"));
    EXPECT_FALSE(role_from_string("Facilitator"));
    EXPECT_FALSE(role_from_string(""));
}

}  // namespace
}  // namespace keha::test
