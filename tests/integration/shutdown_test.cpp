// SIGTERM: connected members get bye server_shutdown, the process exits with status 0, and
// a restart on the same database finds everything that was acknowledged.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>

#include <map>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

json offline_everyone(json state)
{
    for (auto& [pid, p] : state["participants"].items()) p["online"] = false;
    return state;
}

}  // namespace

TEST(Shutdown, SigtermSaysByeToEveryMemberExitsWithZeroAndARestartFindsEverything)
{
    Temp_dir dir;
    const auto db = dir.path() / "shutdown.db";
    Room_keys keys;
    json state_before;
    std::string ftoken;
    std::map<std::uint64_t, std::string> acked;
    {
        Server_process server(db, {"--rate", "100000", "--burst", "100000"});
        keys = create_room(server.port());
        auto other = create_room(server.port());
        Member f(server.port(), keys.code, with_key(keys.facilitator_key));
        Member p(server.port(), keys.code, as_participant("Pat"));
        Member s(server.port(), keys.code, with_key(keys.screen_key));
        Member elsewhere(server.port(), other.code, as_participant("Elsewhere"));
        ftoken = f.token;
        f.ok("phase.goto", {{"phase", "timeline"}});
        p.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "visible"}});
        p.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "hidden"}, {"hidden", true}});

        // Commands in flight when the signal comes: whatever was acknowledged must survive.
        std::map<std::string, std::string> text_of;
        for (int i = 0; i < 200; ++i) {
            const auto text = "in flight " + std::to_string(i);
            text_of[p.send("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", text}})] = text;
        }
        for (int got = 0; got < 20;) {
            auto m = p.next();
            if (m["type"] == "ack") ++got;
        }
        server.signal(SIGTERM);

        for (Member* m : {&f, &p, &s, &elsewhere}) {
            bool bye = false;
            for (int i = 0; i < 1000 && !bye; ++i) {
                auto x = m->try_next(5s);
                if (!x) break;
                if ((*x)["type"] == "bye") {
                    EXPECT_EQ((*x)["reason"], "server_shutdown");
                    bye = true;
                }
            }
            EXPECT_TRUE(bye) << m->role << " " << m->you << " got no bye";
            EXPECT_TRUE(m->ws.wait_closed(5s)) << m->you;
        }
        auto status = server.wait_exit(10s);
        ASSERT_TRUE(status) << "keha-server did not exit after SIGTERM";
        EXPECT_TRUE(WIFEXITED(*status)) << "status " << *status;
        EXPECT_EQ(WEXITSTATUS(*status), 0);
        for (const auto& [id, reply] : p.replies)
            if (reply["type"] == "ack" && text_of.count(id)) acked[reply["seq"]] = text_of[id];
        EXPECT_GE(acked.size(), 20u);
        state_before = f.state;
    }

    Server_process server(db);
    Member f(server.port(), keys.code, with_token(ftoken));
    EXPECT_EQ(f.role, "facilitator");
    for (const auto& [seq, text] : acked)
        EXPECT_EQ(item_of(f.state, "timeline", "i" + std::to_string(seq))["text"], text) << "seq " << seq;
    // Everything the facilitator had seen is there; everyone is offline (then the facilitator's own online follows).
    json now = offline_everyone(f.state);
    json before = offline_everyone(state_before);
    // Items acknowledged after the facilitator's last patch may be there too; compare what it had.
    for (const auto& [id, item] : before["boards"]["timeline"]["items"].items())
        EXPECT_EQ(now["boards"]["timeline"]["items"][id], item) << id;
    now["boards"] = before["boards"] = nullptr;
    EXPECT_EQ(now, before);
    for (const auto& [pid, p] : f.state["participants"].items()) EXPECT_EQ(p["online"], false) << pid;
    auto online = f.next();
    EXPECT_EQ(online["cmd"], "participant.online");
    EXPECT_EQ(online["seq"], f.welcome["seq"].get<std::uint64_t>() + 1);
}
