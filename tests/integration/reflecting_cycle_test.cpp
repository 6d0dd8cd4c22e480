// A whole reflecting-team cycle over the protocol (issue 5): the facilitator names the
// focus group and the reflectors, advances conversation -> reflection -> response, and
// every member sees at each stage who speaks and who listens; a listener's private note
// reaches the others only when revealed in its turn; the lobby and hidden names hold on
// the wire as well as in the reducer.
#include <gtest/gtest.h>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

json list_of(std::initializer_list<std::string> pids) { return json(std::vector<std::string>(pids)); }

struct Cycle_meeting {
    std::uint16_t port = shared_server().port();
    Room_keys keys = create_room(port);
    Member f{port, keys.code, with_key(keys.facilitator_key)};
    Member pro1{port, keys.code, as_participant("Aino", "professional")};
    Member pro2{port, keys.code, as_participant("Eero", "professional")};
    Member lead{port, keys.code, as_participant("Liisa", "leader")};
    Member screen{port, keys.code, with_key(keys.screen_key)};

    std::vector<Member*> all() { return {&f, &pro1, &pro2, &lead, &screen}; }
    void everyone_at(std::uint64_t seq)
    {
        for (auto* m : all()) m->catch_up(seq);
    }
};

}  // namespace

TEST(ReflectingCycle, EveryMemberSeesWhoSpeaksAtEachStage)
{
    Cycle_meeting m;
    m.everyone_at(m.screen.seq);
    auto seq = m.f.ok("turns.reflecting.start", {{"focus_group", "professional"}, {"reflect_group", "leader"}, {"reflection_s", 300}});
    m.everyone_at(seq);
    for (auto* member : m.all()) {
        EXPECT_EQ(member->state["turns"]["stage"], "conversation") << member->you;
        EXPECT_EQ(member->state["turns"]["speaking"], list_of({m.pro1.you, m.pro2.you})) << member->you;
        EXPECT_EQ(member->state["turns"]["listening"], list_of({m.lead.you})) << member->you;
    }

    // A listener writes a private note while listening, and may not take the floor.
    auto note = m.lead.ok("item.add", {{"board", "reflections"}, {"column", "reflection"}, {"text", "Kuulin toiveikkuutta"}, {"hidden", true}});
    auto refused = m.lead.run("hand.raise");
    EXPECT_EQ(refused["type"], "error");
    EXPECT_EQ(refused["code"], "listening");
    m.everyone_at(note);
    const std::string id = "i" + std::to_string(note);
    EXPECT_FALSE(item_of(m.pro1.state, "reflections", id).contains("text"));
    EXPECT_FALSE(item_of(m.screen.state, "reflections", id).contains("text"));
    EXPECT_EQ(item_of(m.lead.state, "reflections", id)["turn"], "1:conversation");

    // A participant cannot move the stage on.
    auto not_yours = m.pro1.run("turns.next");
    EXPECT_EQ(not_yours["code"], "forbidden");

    seq = m.f.ok("turns.next");
    m.everyone_at(seq);
    for (auto* member : m.all()) {
        EXPECT_EQ(member->state["turns"]["stage"], "reflection") << member->you;
        EXPECT_EQ(member->state["turns"]["speaking"], list_of({m.lead.you})) << member->you;
        EXPECT_EQ(member->state["timer"]["state"], "running");
        EXPECT_EQ(member->state["timer"]["duration_s"], 300);
    }
    seq = m.lead.ok("item.reveal", {{"board", "reflections"}});
    m.everyone_at(seq);
    EXPECT_EQ(item_of(m.pro1.state, "reflections", id)["text"], "Kuulin toiveikkuutta");
    EXPECT_EQ(item_of(m.screen.state, "reflections", id)["text"], "Kuulin toiveikkuutta");

    seq = m.f.ok("turns.next");
    m.everyone_at(seq);
    EXPECT_EQ(m.pro2.state["turns"]["stage"], "response");
    EXPECT_EQ(m.pro2.state["turns"]["speaking"], list_of({m.pro1.you, m.pro2.you}));

    seq = m.f.ok("turns.next");
    m.everyone_at(seq);
    EXPECT_EQ(m.lead.state["turns"]["stage"], "conversation");
    EXPECT_EQ(m.lead.state["turns"]["cycle"], 2);

    seq = m.f.ok("turns.round.start", {{"per_speaker_s", 60}});
    m.everyone_at(seq);
    const json order = m.f.state["turns"]["order"];
    ASSERT_EQ(order.size(), 3u);
    Member* first = nullptr;
    for (auto* member : m.all())
        if (member->you == order[0]) first = member;
    ASSERT_NE(first, nullptr);
    seq = first->ok("turns.round.pass");
    m.everyone_at(seq);
    EXPECT_EQ(m.screen.state["turns"]["passed"], list_of({order[0].get<std::string>()}));
    EXPECT_EQ(m.screen.state["turns"]["speaking"], list_of({order[1].get<std::string>()}));

    // Every member's patched state is still what a fresh welcome would give it.
    for (auto* member : {&m.pro1, &m.lead, &m.f})
        EXPECT_EQ(member->state, fresh_welcome(m.port, m.keys.code, member->token)["state"]) << member->you;
}

TEST(Lobby, AJoinerWaitsUntilAdmittedAndThenGetsTheState)
{
    const auto port = shared_server().port();
    auto keys = create_room(port);
    Member f(port, keys.code, with_key(keys.facilitator_key));
    f.ok("room.settings", {{"admit_joiners", true}, {"hide_names", true}});
    Ws_client guest(port);
    guest.send(hello_message(keys.code, as_participant("Nuori", "expert")));
    auto lobby = guest.recv().value();
    ASSERT_EQ(lobby["type"], "lobby");
    EXPECT_EQ(lobby["reason"], "admit");
    const std::string pid = lobby["you"];
    guest.send(do_message("c1", "hand.raise"));
    auto refused = guest.recv().value();
    EXPECT_EQ(refused["code"], "forbidden");

    f.ok("participant.admit", {{"pid", pid}});
    auto welcome = guest.recv().value();
    ASSERT_EQ(welcome["type"], "welcome");
    EXPECT_EQ(welcome["you"], pid);
    EXPECT_EQ(welcome["state"]["participants"][pid]["name"], "Nuori");               // their own name
    EXPECT_FALSE(welcome["state"]["participants"][f.you].contains("name"));         // others' hidden
}
