// The protocol version every welcome carries (docs/protocol.md §4): a first join, a key, a
// resume with a replay, and the fresh welcome after a change of what members may see.
#include <gtest/gtest.h>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

// Written out from docs/protocol.md, not taken from the code.
constexpr int documented_version = 1;

TEST(ProtocolVersion, EveryWelcomeSaysWhichProtocolItSpeaks)
{
    const auto port = shared_server().port();
    auto keys = create_room(port);
    Member f(port, keys.code, with_key(keys.facilitator_key));
    Member s(port, keys.code, with_key(keys.screen_key));
    Member p(port, keys.code, as_participant("Maija"));
    for (const Member* m : {&f, &s, &p}) EXPECT_EQ(m->welcome.at("protocol"), documented_version) << m->role;

    // A resume that replays what it missed says it too.
    const std::uint64_t since = p.seq;
    const std::string token = p.token;
    f.ok("phase.goto", {{"phase", "plan"}});
    Member again(port, keys.code, with_token(token, since));
    ASSERT_TRUE(again.welcome.contains("replay"));
    EXPECT_EQ(again.welcome.at("protocol"), documented_version);

    // room.settings welcomes every member again, in its new view.
    f.ok("room.settings", {{"hide_names", true}});
    for (;;) {
        json m = again.next();
        if (m.at("type") != "welcome") continue;
        EXPECT_EQ(m.at("protocol"), documented_version);
        break;
    }
}

}  // namespace
