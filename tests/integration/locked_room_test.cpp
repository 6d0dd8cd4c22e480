// docs/protocol.md §6 (room.lock): a locked room admits no new participant (error locked, then the
// connection closes) while tokens still resume and the facilitator key still joins.
#include <gtest/gtest.h>

#include "support/meeting.hpp"

using namespace keha::itest;

TEST(LockedRoom, RefusesANewParticipantButResumesTokensAndAdmitsTheFacilitator)
{
    const auto port = shared_server().port();
    auto keys = create_room(port);
    Member f(port, keys.code, with_key(keys.facilitator_key));
    std::string alice_token, alice_id;
    {
        Member a(port, keys.code, as_participant("Alice"));
        alice_token = a.token;
        alice_id = a.you;
    }
    f.ok("room.lock", {{"locked", true}});
    EXPECT_EQ(f.state["room"]["locked"], true);
    f.settle(100ms);
    const auto seq_before = f.seq;

    auto refused = hello_answer(port, hello_message(keys.code, as_participant("Mallory")));
    ASSERT_TRUE(refused.message);
    EXPECT_EQ((*refused.message)["type"], "error");
    EXPECT_EQ((*refused.message)["code"], "locked");
    EXPECT_TRUE(refused.closed);
    f.settle(100ms);
    EXPECT_EQ(f.seq, seq_before) << "the refused join changed the room";

    Member a(port, keys.code, with_token(alice_token));
    EXPECT_EQ(a.you, alice_id);
    a.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "still here"}});

    Member f2(port, keys.code, with_key(keys.facilitator_key));
    EXPECT_EQ(f2.role, "facilitator");
    Member screen(port, keys.code, with_key(keys.screen_key));
    EXPECT_EQ(screen.role, "screen");

    f.ok("room.lock", {{"locked", false}});
    Member late(port, keys.code, as_participant("Late comer"));
    EXPECT_EQ(late.role, "participant");
}
