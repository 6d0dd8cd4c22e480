// docs/protocol.md §8 room.settings wall_theme: the facilitator picks the walls' colours
// (default, dark, high contrast); the server keeps only those three, and every wall
// (a screen member) receives the choice live.
#include <gtest/gtest.h>

#include "support/meeting.hpp"

using namespace keha::itest;

TEST(WallTheme, TheFacilitatorsChoiceReachesTheWall)
{
    const auto port = shared_server().port();
    auto keys = create_room(port);
    Member f(port, keys.code, with_key(keys.facilitator_key));
    Member wall(port, keys.code, with_key(keys.screen_key));
    ASSERT_EQ(wall.role, "screen");
    EXPECT_FALSE(wall.state["room"]["settings"].contains("wall_theme")) << "no choice yet: the wall shows its default";

    for (const char* theme : {"contrast", "dark", "default"}) {
        auto seq = f.ok("room.settings", {{"wall_theme", theme}});
        wall.catch_up(seq);
        EXPECT_EQ(wall.state["room"]["settings"]["wall_theme"], theme);
    }
    // A room opened again starts with the last choice.
    f.ok("room.settings", {{"wall_theme", "contrast"}});
    Member later(port, keys.code, with_key(keys.screen_key));
    EXPECT_EQ(later.state["room"]["settings"]["wall_theme"], "contrast");
}

TEST(WallTheme, OnlyTheThreeThemesAndOnlyAFacilitator)
{
    const auto port = shared_server().port();
    auto keys = create_room(port);
    Member f(port, keys.code, with_key(keys.facilitator_key));
    Member a(port, keys.code, as_participant("Aino", "expert"));
    Member wall(port, keys.code, with_key(keys.screen_key));
    for (json bad : {json("neon"), json(""), json("Dark"), json(2), json(nullptr), json(std::string(30, 'd'))}) {
        auto reply = f.run("room.settings", {{"wall_theme", bad}});
        EXPECT_EQ(reply["type"], "error") << bad;
        EXPECT_TRUE(reply["code"] == "invalid" || reply["code"] == "bad_request") << reply;
    }
    auto bad = f.run("room.settings", {{"wall_theme", "neon"}});
    EXPECT_EQ(bad["code"], "invalid");
    EXPECT_NE(bad.value("message", "").find("default, dark or contrast"), std::string::npos) << bad;
    EXPECT_EQ(a.run("room.settings", {{"wall_theme", "dark"}})["code"], "forbidden");
    EXPECT_EQ(wall.run("room.settings", {{"wall_theme", "dark"}})["code"], "forbidden");
    f.settle(100ms);
    EXPECT_FALSE(f.state["room"]["settings"].contains("wall_theme")) << "a refused choice changed the room";
}
