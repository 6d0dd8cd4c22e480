// The wall's three colour sets (room.settings wall_theme): the room's choice picks one, and
// every text colour the projector draws reads against the wall and the cards — at least 7:1
// in high contrast, 4.5:1 in dark.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "document.hpp"
#include "theme.hpp"

using keha::json;
using namespace keha::desk;

namespace {

double luminance(ImU32 c)
{
    auto channel = [](unsigned v) {
        double s = v / 255.0;
        return s <= 0.03928 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c & 0xFF) + 0.7152 * channel((c >> 8) & 0xFF) + 0.0722 * channel((c >> 16) & 0xFF);
}

double ratio(ImU32 a, ImU32 b)
{
    double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

Document room_with(json settings)
{
    Document d;
    d.apply_welcome({{"type", "welcome"}, {"you", "s1"}, {"role", "screen"}, {"seq", 1},
                     {"state", {{"room", {{"code", "K7Q4MX"}, {"settings", settings}}},
                                {"phases", json::array()}, {"participants", json::object()}}}});
    return d;
}

void expect_readable(const theme::Wall_palette& w, double least)
{
    // Text drawn on the wall or on a card, and the text on a chip of the accent colours.
    for (ImU32 text : {w.ink, w.muted, w.accent, w.hand, w.speaking, w.listening, w.signal, w.online, w.hinders, w.enables}) {
        EXPECT_GE(ratio(text, w.paper), least) << std::hex << text;
        EXPECT_GE(ratio(text, w.card), least) << std::hex << text;
    }
    for (ImU32 chip : {w.accent, w.speaking, w.listening, w.hand}) EXPECT_GE(ratio(w.on_accent, chip), least) << std::hex << chip;
    EXPECT_GE(ratio(w.ink, w.past), least);
    EXPECT_GE(ratio(w.ink, w.speaking_soft), least);
    EXPECT_GE(ratio(w.ink, w.listening_soft), least);
    EXPECT_GE(ratio(w.ink, w.signal_soft), least);
}

}  // namespace

TEST(WallTheme, TheRoomsChoicePicksTheColours)
{
    EXPECT_EQ(room_with(json::object()).wall_theme(), "default");
    EXPECT_EQ(room_with({{"wall_theme", "dark"}}).wall_theme(), "dark");
    EXPECT_EQ(room_with({{"wall_theme", "contrast"}}).wall_theme(), "contrast");
    EXPECT_EQ(room_with({{"wall_theme", "neon"}}).wall_theme(), "default") << "an unknown theme is the default wall";
    EXPECT_EQ(room_with({{"wall_theme", 3}}).wall_theme(), "default");
    EXPECT_EQ(theme::wall_palette("contrast").paper, theme::rgb(0, 0, 0));
    EXPECT_EQ(theme::wall_palette("default").paper, theme::paper);
    EXPECT_EQ(theme::wall_palette("anything").paper, theme::paper);
}

TEST(WallTheme, HighContrastIsAtLeastSevenToOne) { expect_readable(theme::wall_palette("contrast"), 7.0); }

TEST(WallTheme, DarkIsAtLeastFourAndAHalfToOne) { expect_readable(theme::wall_palette("dark"), 4.5); }

TEST(WallTheme, TheFocusHighlightStandsOutFromTheConsole)
{
    // Where the keyboard is: 3:1 against the paper, the cards and the buttons (WCAG 1.4.11).
    for (ImU32 behind : {theme::paper, theme::card, theme::rgb(0xE6, 0xEF, 0xEC), theme::accent_soft})
        EXPECT_GE(ratio(theme::focus, behind), 3.0) << std::hex << behind;
}
