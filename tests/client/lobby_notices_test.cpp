// The console's notices for those waiting in the lobby: one per newcomer, newest first and at
// most a few, the rest counted; gone when the person is let in, refused or leaves, or when the
// facilitator closes the notice or has seen them in the list.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lobby_notices.hpp"
#include "strings.hpp"

using keha::desk::Lobby_notice_view;
using keha::desk::Lobby_notices;
using keha::desk::Person;

namespace {

// The lobby as Document::lobby() gives it: first come first.
std::vector<Person> waiting(const std::vector<std::string>& names)
{
    std::vector<Person> lobby;
    int n = 0;
    for (const std::string& name : names) {
        Person p;
        p.pid = "p-" + name;
        p.name = name;
        p.admitted = false;
        p.joined_at = "2026-11-30T07:00:0" + std::to_string(n++) + "Z";
        lobby.push_back(p);
    }
    return lobby;
}

std::vector<std::string> names(const Lobby_notice_view& v)
{
    std::vector<std::string> out;
    for (const Person* p : v.shown) out.push_back(p->name);
    return out;
}

}  // namespace

TEST(LobbyNotices, NobodyWaitingNoNotice)
{
    Lobby_notices notices;
    Lobby_notice_view v = notices.update({});
    EXPECT_TRUE(v.shown.empty());
    EXPECT_EQ(v.more, 0u);
}

TEST(LobbyNotices, EachNewcomerHasANoticeTheNewestFirst)
{
    Lobby_notices notices;
    EXPECT_EQ(names(notices.update(waiting({"Eeva"}))), std::vector<std::string>{"Eeva"});
    Lobby_notice_view v = notices.update(waiting({"Eeva", "Aino"}));
    EXPECT_EQ(names(v), (std::vector<std::string>{"Aino", "Eeva"}));
    EXPECT_EQ(v.more, 0u);
}

TEST(LobbyNotices, AtMostAFewShownTheRestCounted)
{
    Lobby_notices notices;
    Lobby_notice_view v = notices.update(waiting({"Eeva", "Aino", "Jussi", "Outi", "Veikko"}));
    ASSERT_EQ(Lobby_notices::max_shown, 3u);
    EXPECT_EQ(names(v), (std::vector<std::string>{"Veikko", "Outi", "Jussi"}));
    EXPECT_EQ(v.more, 2u);
}

TEST(LobbyNotices, ANoticeGoesWhenThePersonIsLetInRefusedOrLeaves)
{
    Lobby_notices notices;
    notices.update(waiting({"Eeva", "Aino", "Jussi"}));
    // Aino let in (or refused, or gone): no longer in the lobby.
    std::vector<Person> lobby = waiting({"Eeva", "Aino", "Jussi"});
    lobby.erase(lobby.begin() + 1);
    EXPECT_EQ(names(notices.update(lobby)), (std::vector<std::string>{"Jussi", "Eeva"}));
    EXPECT_TRUE(notices.update({}).shown.empty());
}

TEST(LobbyNotices, AClosedNoticeStaysClosedWhileThePersonWaitsAndTheNextOneMovesUp)
{
    Lobby_notices notices;
    std::vector<Person> lobby = waiting({"Eeva", "Aino", "Jussi", "Outi"});
    EXPECT_EQ(notices.update(lobby).more, 1u);
    notices.dismiss("p-Outi");
    Lobby_notice_view v = notices.update(lobby);
    EXPECT_EQ(names(v), (std::vector<std::string>{"Jussi", "Aino", "Eeva"}));
    EXPECT_EQ(v.more, 0u);
    // Still closed on the next change of the lobby.
    std::vector<Person> more = waiting({"Eeva", "Aino", "Jussi", "Outi", "Veikko"});
    v = notices.update(more);
    EXPECT_EQ(names(v), (std::vector<std::string>{"Veikko", "Jussi", "Aino"}));
    EXPECT_EQ(v.more, 1u);
}

TEST(LobbyNotices, OneWhoLeavesAndComesBackIsNewAgain)
{
    Lobby_notices notices;
    notices.update(waiting({"Eeva"}));
    notices.dismiss("p-Eeva");
    EXPECT_TRUE(notices.update(waiting({"Eeva"})).shown.empty());
    notices.update({});
    EXPECT_EQ(names(notices.update(waiting({"Eeva"}))), std::vector<std::string>{"Eeva"});
}

TEST(LobbyNotices, ThoseSeenInTheListHaveNoNoticeButNewcomersDo)
{
    Lobby_notices notices;
    std::vector<Person> lobby = waiting({"Eeva", "Aino", "Jussi", "Outi"});
    notices.update(lobby);
    notices.seen_all(lobby);
    Lobby_notice_view v = notices.update(lobby);
    EXPECT_TRUE(v.shown.empty());
    EXPECT_EQ(v.more, 0u);
    EXPECT_EQ(names(notices.update(waiting({"Eeva", "Aino", "Jussi", "Outi", "Veikko"}))),
              std::vector<std::string>{"Veikko"});
}

// "+N more" takes the plural form of N in every language.
TEST(LobbyNotices, TheMoreLineIsCountedFromTheCatalogs)
{
    keha::desk::Strings str;
    ASSERT_TRUE(str.load(KEHA_TEST_ASSETS, "fi"));
    EXPECT_EQ(str.count("desk.lobby.more", 1), "+1 muu odottaa");
    EXPECT_EQ(str.count("desk.lobby.more", 4), "+4 muuta odottaa");
    ASSERT_TRUE(str.load(KEHA_TEST_ASSETS, "sv"));
    EXPECT_EQ(str.count("desk.lobby.more", 1), "+1 till väntar");
    EXPECT_EQ(str.count("desk.lobby.more", 4), "+4 till väntar");
    ASSERT_TRUE(str.load(KEHA_TEST_ASSETS, "en"));
    EXPECT_EQ(str.count("desk.lobby.more", 1), "+1 more waiting");
    EXPECT_EQ(str.count("desk.lobby.more", 4), "+4 more waiting");
}
