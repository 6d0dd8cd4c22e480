// docs/protocol.md §9.5: a member that floods is rate-limited (error rate_limited with the do.id),
// then dropped with bye rate_limited if it keeps going; others in the room carry on.
#include <gtest/gtest.h>

#include <thread>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

json timeline_item(const std::string& text) { return {{"board", "timeline"}, {"column", "event"}, {"text", text}}; }

Server_process& flood_server()
{
    static Temp_dir dir;
    static Server_process server(dir.path() / "flood.db", {"--rate", "5", "--burst", "10"});
    return server;
}

}  // namespace

TEST(Flood, AMemberOverItsRateGetsRateLimitedErrorsAndCanGoOnAfterSlowingDown)
{
    const auto port = flood_server().port();
    auto keys = create_room(port);
    Member m(port, keys.code, as_participant("Eager"));

    std::vector<std::string> ids;
    for (int i = 0; i < 30; ++i) ids.push_back(m.send("item.add", timeline_item("burst " + std::to_string(i))));
    int acks = 0, limited = 0;
    for (const auto& id : ids) {
        // rate_limited errors are the session's own and may overtake the acks of earlier commands.
        json r = m.reply(id);
        if (r["type"] == "ack") {
            ++acks;
        } else {
            EXPECT_EQ(r["code"], "rate_limited") << r.dump();
            ++limited;
        }
    }
    EXPECT_GE(acks, 5);
    EXPECT_LE(acks, 12);
    EXPECT_GE(limited, 18);
    EXPECT_FALSE(m.ws.closed());

    // After a pause the bucket has refilled: commands are accepted again.
    std::this_thread::sleep_for(700ms);
    m.ok("item.add", timeline_item("after a pause"));
}

TEST(Flood, AMemberThatKeepsFloodingIsDroppedWithByeRateLimitedWhileOthersCarryOn)
{
    const auto port = flood_server().port();
    auto keys = create_room(port);
    Member flooder(port, keys.code, as_participant("Flooder"));
    Member calm(port, keys.code, as_participant("Calm"));

    for (int i = 0; i < 400; ++i) flooder.ws.send(do_message("f" + std::to_string(i), "hand.raise"));
    bool bye = false;
    int limited = 0;
    for (int i = 0; i < 500; ++i) {
        auto msg = flooder.ws.recv(3s);
        if (!msg) break;
        if ((*msg)["type"] == "error" && (*msg)["code"] == "rate_limited") ++limited;
        if ((*msg)["type"] == "bye") {
            EXPECT_EQ((*msg)["reason"], "rate_limited");
            bye = true;
            break;
        }
    }
    EXPECT_TRUE(bye) << "no bye rate_limited after " << limited << " rate_limited errors";
    EXPECT_GT(limited, 0);
    EXPECT_TRUE(flooder.ws.wait_closed(6s));

    // The calm member, within its rate, gets every ack.
    for (int i = 0; i < 3; ++i) {
        calm.ok("item.add", timeline_item("calm " + std::to_string(i)));
        std::this_thread::sleep_for(250ms);
    }
}
