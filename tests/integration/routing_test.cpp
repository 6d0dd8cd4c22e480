// What a load balancer in front of several nodes relies on (docs/deployment.md, "Several
// nodes"): the WebSocket's address carries the room's code (`/ws?room=CODE`), a hello on such a
// socket for another room is refused, the old `/ws` still works, and `/healthz` says 503 while a
// node drains after SIGTERM (--drain) and the node goes on serving its members meanwhile.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>

#include <thread>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

Ws_client::Options at(const std::string& target)
{
    Ws_client::Options options;
    options.target = target;
    return options;
}

// The code as a person may type it: lower case, a dash between the halves.
std::string typed(const std::string& code)
{
    std::string lower;
    for (char c : code) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower.substr(0, 4) + "-" + lower.substr(4);
}

// /healthz once it answers `status` (the signal is handled asynchronously), bounded.
Http_answer healthz_once(std::uint16_t port, int status)
{
    Http_answer answer;
    for (int i = 0; i < 100; ++i) {
        answer = http_get(port, "/healthz");
        if (answer.status == status) break;
        std::this_thread::sleep_for(50ms);
    }
    return answer;
}

}  // namespace

TEST(Routing, AHelloOnTheSocketOfItsRoomIsWelcomedHoweverTheCodeIsWritten)
{
    auto& server = shared_server();
    const auto keys = create_room(server.port());
    Member f(server.port(), keys.code, with_key(keys.facilitator_key), at("/ws?room=" + keys.code));
    EXPECT_EQ(f.role, "facilitator");
    Member p(server.port(), keys.code, as_participant("Pia"), at("/ws?room=" + typed(keys.code)));
    Member q(server.port(), typed(keys.code), as_participant("Pekka"), at("/ws?lang=fi&room=" + keys.code));
    f.ok("phase.goto", {{"phase", "timeline"}});
    const auto seq = p.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "routed"}});
    q.catch_up(seq);
    EXPECT_EQ(item_of(q.state, "timeline", "i" + std::to_string(seq))["text"], "routed");
}

TEST(Routing, TheOldAddressWithoutARoomStillWorks)
{
    auto& server = shared_server();
    const auto keys = create_room(server.port());
    Member p(server.port(), keys.code, as_participant("Old client"), at("/ws"));
    EXPECT_EQ(p.role, "participant");
}

TEST(Routing, AHelloForAnotherRoomThanTheSocketsIsRefusedAndTheSocketClosed)
{
    auto& server = shared_server();
    const auto mine = create_room(server.port());
    const auto other = create_room(server.port());
    Ws_client ws(server.port(), at("/ws?room=" + mine.code));
    ws.send(hello_message(other.code, as_participant("Lost")));
    auto answer = ws.recv();
    ASSERT_TRUE(answer);
    EXPECT_EQ((*answer)["type"], "error");
    EXPECT_EQ((*answer)["code"], "bad_request");
    EXPECT_NE((*answer)["message"].get<std::string>().find("?room="), std::string::npos) << answer->dump();
    EXPECT_TRUE(ws.wait_closed());

    // A room in the address that is no code at all is another room too.
    Ws_client garbled(server.port(), at("/ws?room=nonsense"));
    garbled.send(hello_message(mine.code, as_participant("Lost")));
    auto refused = garbled.recv();
    ASSERT_TRUE(refused);
    EXPECT_EQ((*refused)["code"], "bad_request");
    EXPECT_TRUE(garbled.wait_closed());

    // Nobody joined either room through those sockets.
    Member f(server.port(), other.code, with_key(other.facilitator_key), at("/ws?room=" + other.code));
    for (const auto& [pid, person] : f.state["participants"].items()) EXPECT_NE(person.value("name", ""), "Lost") << pid;
}

TEST(Routing, HealthzIsOkWhileServing)
{
    auto answer = http_get(shared_server().port(), "/healthz");
    EXPECT_EQ(answer.status, 200);
    EXPECT_EQ(answer.body, "ok\n");
}

// The load balancer stops sending new connections to a draining node while its members carry
// on; a second SIGTERM then stops it as without --drain.
TEST(Routing, AfterSigtermWithDrainHealthzSays503WhileMembersGoOnThenASecondSigtermStops)
{
    Temp_dir dir;
    Server_process server(dir.path() / "drain.db", {"--drain", "120"});
    const auto keys = create_room(server.port());
    Member f(server.port(), keys.code, with_key(keys.facilitator_key), at("/ws?room=" + keys.code));
    f.ok("phase.goto", {{"phase", "timeline"}});

    server.signal(SIGTERM);
    auto health = healthz_once(server.port(), 503);
    EXPECT_EQ(health.status, 503);
    EXPECT_EQ(health.body, "draining\n");
    EXPECT_EQ(http_get(server.port(), "/readyz").status, 503);
    EXPECT_NE(server.log_text().find(" draining seconds=120"), std::string::npos) << server.log_text();

    // Still serving: the member's command is saved, a late arrival (before the balancer noticed) joins.
    const auto seq = f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "while draining"}});
    EXPECT_GT(seq, 0u);
    Member late(server.port(), keys.code, as_participant("Late"), at("/ws?room=" + keys.code));
    EXPECT_EQ(late.role, "participant");

    server.signal(SIGTERM);
    bool bye = false;
    for (int i = 0; i < 100 && !bye; ++i) {
        auto m = f.try_next(5s);
        if (!m) break;
        bye = (*m)["type"] == "bye" && (*m)["reason"] == "server_shutdown";
    }
    EXPECT_TRUE(bye);
    auto status = server.wait_exit(10s);
    ASSERT_TRUE(status) << "keha-server did not stop on the second SIGTERM";
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << *status;
}
