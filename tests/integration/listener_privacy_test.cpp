// A listener's input in a reflecting team stays private until their group's speaking
// stage, whatever their client sends (docs/protocol.md §6, docs/privacy.md): over real
// sockets, the focus group and the projector never receive the text — not in a patch, not
// in a welcome — while the author and the facilitator do; a reveal and a hand while
// listening get the error `listening`.
#include <gtest/gtest.h>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

const std::string note_text = "Kuulin, etta koulu ja lastensuojelu puhuvat eri kielta";

struct Listening_meeting {
    std::uint16_t port = shared_server().port();
    Room_keys keys = create_room(port);
    Member f{port, keys.code, with_key(keys.facilitator_key)};
    Member pro{port, keys.code, as_participant("Aino", "professional")};
    Member lead{port, keys.code, as_participant("Liisa", "leader")};
    Member screen{port, keys.code, with_key(keys.screen_key)};

    std::vector<Member*> all() { return {&f, &pro, &lead, &screen}; }
    void everyone_at(std::uint64_t seq)
    {
        for (auto* m : all()) m->catch_up(seq);
    }
};

// Whether any frame the member received after its welcome, or its welcome, holds the text.
bool ever_received(const Member& m, const std::string& text)
{
    if (m.welcome.dump().find(text) != std::string::npos) return true;
    for (const auto& msg : m.messages)
        if (msg.dump().find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST(ListenerPrivacy, AListenersItemIsHeldEvenWhenTheClientAsksToPublishIt)
{
    Listening_meeting m;
    m.everyone_at(m.screen.seq);
    auto seq = m.f.ok("turns.reflecting.start", {{"focus_group", "professional"}, {"reflect_group", "leader"}});
    m.everyone_at(seq);
    ASSERT_EQ(m.lead.state["turns"]["listening"], json::array({m.lead.you}));

    // The leader's browser sends hidden:false, as the unticked box did.
    const auto note = m.lead.ok("item.add", {{"board", "reflections"}, {"column", "reflection"}, {"text", note_text}, {"hidden", false}});
    m.everyone_at(note);
    const std::string id = "i" + std::to_string(note);
    EXPECT_EQ(item_of(m.lead.state, "reflections", id)["text"], note_text) << "the author keeps their text";
    EXPECT_EQ(item_of(m.lead.state, "reflections", id)["hidden"], true);
    EXPECT_EQ(item_of(m.f.state, "reflections", id)["text"], note_text) << "the facilitator sees it";
    for (Member* other : {&m.pro, &m.screen}) {
        EXPECT_EQ(item_of(other->state, "reflections", id)["hidden"], true) << other->role;
        EXPECT_FALSE(item_of(other->state, "reflections", id).contains("text")) << other->role;
        EXPECT_FALSE(ever_received(*other, note_text)) << other->role;
    }

    // Publishing it anyway is refused with its own code, and so is a hand.
    auto reveal = m.lead.run("item.reveal", {{"board", "reflections"}, {"id", id}});
    EXPECT_EQ(reveal["code"], "listening") << reveal.dump();
    EXPECT_EQ(m.lead.run("item.reveal", {{"board", "reflections"}})["code"], "listening");
    EXPECT_EQ(m.lead.run("hand.raise")["code"], "listening");

    // Someone joining now, and the projector coming back, get a welcome without the text.
    Member late{m.port, m.keys.code, as_participant("Eero", "professional")};
    EXPECT_FALSE(ever_received(late, note_text));
    Member screen2{m.port, m.keys.code, with_key(m.keys.screen_key)};
    EXPECT_FALSE(ever_received(screen2, note_text));

    // Their group's turn: still private until the author reveals it; then everyone has it.
    seq = m.f.ok("turns.next");
    m.everyone_at(seq);
    EXPECT_EQ(m.pro.state["turns"]["stage"], "reflection");
    EXPECT_FALSE(item_of(m.pro.state, "reflections", id).contains("text"));
    EXPECT_FALSE(ever_received(m.screen, note_text));
    seq = m.lead.ok("item.reveal", {{"board", "reflections"}, {"id", id}});
    m.everyone_at(seq);
    EXPECT_EQ(item_of(m.pro.state, "reflections", id)["text"], note_text);
    EXPECT_EQ(item_of(m.screen.state, "reflections", id)["text"], note_text);
    EXPECT_EQ(item_of(m.screen.state, "reflections", id)["hidden"], false);
    EXPECT_EQ(m.lead.run("hand.raise")["type"], "ack") << "a speaker may raise a hand";
}

TEST(ListenerPrivacy, TheFocusGroupIsHeldWhileItListensAndAVisibleItemCannotChange)
{
    Listening_meeting m;
    const auto earlier = m.pro.ok("item.add", {{"board", "vision"}, {"column", "vision"}, {"text", "Yhteinen kieli"}});
    auto seq = m.f.ok("turns.reflecting.start", {{"focus_group", "professional"}, {"reflect_group", "leader"}});
    seq = m.f.ok("turns.stage", {{"stage", "reflection"}});
    m.everyone_at(seq);
    ASSERT_EQ(m.pro.state["turns"]["listening"], json::array({m.pro.you}));

    const std::string secret = "Fokusryhman oma muistiinpano";
    const auto note = m.pro.ok("item.add", {{"board", "reflections"}, {"column", "reflection"}, {"text", secret}});
    // Changing an item everyone already sees would publish new words while listening.
    auto edit = m.pro.run("item.edit", {{"board", "vision"}, {"id", "i" + std::to_string(earlier)}, {"text", "Yhteinen kieli ja aika"}});
    EXPECT_EQ(edit["code"], "listening") << edit.dump();
    m.everyone_at(note);
    EXPECT_FALSE(ever_received(m.lead, secret));
    EXPECT_FALSE(ever_received(m.screen, secret));
    EXPECT_EQ(item_of(m.f.state, "reflections", "i" + std::to_string(note))["text"], secret);
    EXPECT_EQ(item_of(m.lead.state, "vision", "i" + std::to_string(earlier))["text"], "Yhteinen kieli");

    // Response: the focus group speaks and may reveal; what it writes now is as it chooses.
    seq = m.f.ok("turns.next");
    seq = m.pro.ok("item.add", {{"board", "reflections"}, {"column", "reflection"}, {"text", "Nyt puhun itse"}});
    m.everyone_at(seq);
    EXPECT_EQ(item_of(m.lead.state, "reflections", "i" + std::to_string(seq))["text"], "Nyt puhun itse");
    EXPECT_FALSE(ever_received(m.lead, secret));
}
