// docs/protocol.md §7: hidden items reach their author and the facilitator in full; every other
// member — screens included — sees them without text and board fields, in welcomes,
// replays and patches alike, until item.reveal.
#include <gtest/gtest.h>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

const char* const secret = "SECRET-7f3a";
const char* const secret_when = "WHEN-1999";
const char* const secret_sector = "SECTOR-hush";

bool mentions_secret(const json& message)
{
    const auto text = message.dump();
    return text.find("SECRET-") != std::string::npos || text.find(secret_when) != std::string::npos ||
           text.find(secret_sector) != std::string::npos;
}

void expect_redacted(const json& item, const std::string& who)
{
    ASSERT_TRUE(item.is_object()) << who << " does not see the item at all";
    EXPECT_EQ(item["hidden"], true) << who;
    EXPECT_FALSE(item.contains("text")) << who << " sees the text";
    EXPECT_FALSE(item.contains("when")) << who << " sees a board field";
    EXPECT_FALSE(item.contains("sector")) << who << " sees a board field";
    EXPECT_TRUE(item.contains("author") && item.contains("column")) << who;
}

void expect_full(const json& item, const std::string& who, const std::string& text = secret)
{
    ASSERT_TRUE(item.is_object()) << who << " does not see the item at all";
    EXPECT_EQ(item["text"], text) << who;
    EXPECT_EQ(item["when"], secret_when) << who;
    EXPECT_EQ(item["sector"], secret_sector) << who;
}

struct Hidden_meeting {
    std::uint16_t port;
    Room_keys keys;
    std::unique_ptr<Member> f, author, other, screen;
    std::uint64_t before_add = 0, added = 0;
    std::string id;

    explicit Hidden_meeting(std::uint16_t p) : port(p), keys(create_room(p))
    {
        f = std::make_unique<Member>(port, keys.code, with_key(keys.facilitator_key));
        author = std::make_unique<Member>(port, keys.code, as_participant("Author"));
        other = std::make_unique<Member>(port, keys.code, as_participant("Other", "leader"));
        screen = std::make_unique<Member>(port, keys.code, with_key(keys.screen_key));
        before_add = screen->seq;
        for (auto* m : all()) m->catch_up(before_add);
        added = author->ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", secret},
                                        {"when", secret_when}, {"sector", secret_sector}, {"hidden", true}});
        id = "i" + std::to_string(added);
        for (auto* m : all()) m->catch_up(added);
    }
    std::vector<Member*> all() { return {f.get(), author.get(), other.get(), screen.get()}; }
    json item(const Member& m) const { return item_of(m.state, "timeline", id); }
};

}  // namespace

TEST(HiddenItems, PatchesCarryTheTextOnlyToTheAuthorAndTheFacilitator)
{
    Hidden_meeting room(shared_server().port());
    const auto& full = room.author->patches.back();
    EXPECT_EQ(full["seq"], room.added);
    expect_full(full["patch"][0]["value"], "author's patch");
    expect_full(room.f->patches.back()["patch"][0]["value"], "facilitator's patch");
    for (auto* m : {room.other.get(), room.screen.get()}) {
        const auto& p = m->patches.back();
        EXPECT_EQ(p["seq"], room.added);
        EXPECT_EQ(p["by"], room.author->you);
        EXPECT_EQ(p["cmd"], "item.add");
        expect_redacted(p["patch"][0]["value"], m->role + " patch");
        expect_redacted(room.item(*m), m->role + " state");
    }

    // Edits, moves and votes on the hidden item stay redacted for the others.
    room.author->ok("item.edit", {{"board", "timeline"}, {"id", room.id}, {"text", "SECRET-edited"}});
    room.author->ok("item.move", {{"board", "timeline"}, {"id", room.id}, {"order", 3.0}});
    room.f->ok("item.vote", {{"board", "timeline"}, {"id", room.id}});
    const auto last = room.f->ok("item.edit", {{"board", "timeline"}, {"id", room.id}, {"text", "SECRET-by-facilitator"}});
    for (auto* m : room.all()) m->catch_up(last);
    expect_full(room.item(*room.author), "author", "SECRET-by-facilitator");
    expect_full(room.item(*room.f), "facilitator", "SECRET-by-facilitator");
    for (auto* m : {room.other.get(), room.screen.get()}) {
        for (const auto& msg : m->messages) EXPECT_FALSE(mentions_secret(msg)) << m->role << " got " << msg.dump();
        expect_redacted(room.item(*m), m->role);
        EXPECT_EQ(room.item(*m)["votes"], 1);
    }
}

TEST(HiddenItems, WelcomesAndReplaysRedactThemForEveryoneButTheAuthorAndTheFacilitator)
{
    Hidden_meeting room(shared_server().port());
    const auto port = room.port;
    const auto& code = room.keys.code;

    // Welcomes with the full state.
    Member newcomer(port, code, as_participant("Newcomer"));
    expect_redacted(item_of(newcomer.state, "timeline", room.id), "a new participant's welcome");
    EXPECT_FALSE(mentions_secret(newcomer.welcome));
    Member screen2(port, code, with_key(room.keys.screen_key));
    expect_redacted(item_of(screen2.state, "timeline", room.id), "a new screen's welcome");
    EXPECT_FALSE(mentions_secret(screen2.welcome));
    expect_redacted(item_of(fresh_welcome(port, code, room.other->token)["state"], "timeline", room.id), "other's resume");
    expect_full(item_of(fresh_welcome(port, code, room.author->token)["state"], "timeline", room.id), "author's resume");
    Member f2(port, code, with_key(room.keys.facilitator_key));
    expect_full(item_of(f2.state, "timeline", room.id), "a second facilitator's welcome");

    // Replays.
    for (auto* m : room.all()) {
        Member again(port, code, with_token(m->token, room.before_add));
        ASSERT_TRUE(again.welcome.contains("replay"));
        const auto& replay = again.welcome["replay"];
        ASSERT_FALSE(replay.empty());
        EXPECT_EQ(replay[0]["seq"], room.added);
        const auto& value = replay[0]["patch"][0]["value"];
        if (m == room.author.get() || m == room.f.get()) {
            expect_full(value, m->role + " replay");
        } else {
            expect_redacted(value, m->role + " replay");
            EXPECT_FALSE(mentions_secret(again.welcome));
        }
        again.ws.close();
    }
}

TEST(HiddenItems, RevealSendsTheTextAndFieldsToEveryone)
{
    Hidden_meeting room(shared_server().port());
    // The facilitator's own hidden item, on another board, and a second hidden item of the author.
    const auto fh = room.f->ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "SECRET-f"}, {"hidden", true}});
    const auto ah = room.author->ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "SECRET-a"}, {"hidden", true}});

    // The author reveals one item: the others get it in full.
    const auto seq = room.author->ok("item.reveal", {{"board", "timeline"}, {"id", room.id}});
    for (auto* m : room.all()) m->catch_up(seq);
    for (auto* m : room.all()) {
        expect_full(room.item(*m), m->role + " after reveal");
        EXPECT_EQ(room.item(*m)["hidden"], false);
    }
    // A participant's reveal of a whole board reveals only its own items; the facilitator's all.
    const auto s2 = room.author->ok("item.reveal", {{"board", "plan"}});
    room.other->catch_up(s2);
    EXPECT_EQ(item_of(room.other->state, "plan", "i" + std::to_string(ah))["text"], "SECRET-a");
    EXPECT_FALSE(item_of(room.other->state, "plan", "i" + std::to_string(fh)).contains("text"));
    EXPECT_EQ(room.other->run("item.reveal", {{"board", "plan"}, {"id", "i" + std::to_string(fh)}})["code"], "forbidden");
    const auto s3 = room.f->ok("item.reveal", {{"board", "plan"}});
    for (auto* m : room.all()) m->catch_up(s3);
    EXPECT_EQ(item_of(room.screen->state, "plan", "i" + std::to_string(fh))["text"], "SECRET-f");
    for (auto* m : room.all())
        EXPECT_EQ(m->state, fresh_welcome(room.port, room.keys.code, m->token)["state"]) << m->role;
}
