// docs/protocol.md §9.3: for every member, the welcome's state with the member's patches applied in
// order equals the state a new welcome for the same participant carries at that seq — for
// participants, the facilitator and the screen alike, with hidden items in play.
#include <gtest/gtest.h>

#include <random>
#include <stdexcept>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

struct Meeting {
    std::uint16_t port;
    Room_keys keys;
    std::unique_ptr<Member> facilitator, alice, bob, screen;
    std::vector<Member*> all() { return {facilitator.get(), alice.get(), bob.get(), screen.get()}; }

    explicit Meeting(std::uint16_t p) : port(p), keys(create_room(p))
    {
        facilitator = std::make_unique<Member>(port, keys.code, with_key(keys.facilitator_key));
        alice = std::make_unique<Member>(port, keys.code, as_participant("Alice"));
        bob = std::make_unique<Member>(port, keys.code, as_participant("Bob", "expert"));
        screen = std::make_unique<Member>(port, keys.code, with_key(keys.screen_key));
    }

    // Everyone catches up with `seq`; then each member's own state must equal a fresh welcome.
    void expect_converged(std::uint64_t seq, const std::string& where)
    {
        for (auto* m : all()) m->catch_up(seq);
        for (auto* m : all()) {
            json fresh = fresh_welcome(port, keys.code, m->token);
            ASSERT_EQ(fresh["seq"], m->seq) << where << ": the room moved on under the test";
            EXPECT_EQ(m->state, fresh["state"]) << where << ": " << m->role << " " << m->you << " diverged\n"
                                                << json::diff(fresh["state"], m->state).dump(1);
            EXPECT_EQ(m->gaps, 0);
        }
    }
};

}  // namespace

TEST(Convergence, EveryRolesPatchedWelcomeEqualsAFreshWelcomeThroughHiddenItemsAndTheirReveal)
{
    Meeting room(shared_server().port());
    auto& f = *room.facilitator;
    auto& a = *room.alice;
    auto& b = *room.bob;

    // Hidden and visible items on every board, with board fields.
    auto h1 = a.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "secret start"},
                                 {"when", "2021-09"}, {"sector", "school"}, {"hidden", true}});
    auto v1 = a.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "open event"}, {"when", "2020"}});
    auto h2 = b.ok("item.add", {{"board", "plan"}, {"column", "action"}, {"text", "private plan"}, {"who", "Bob"},
                                 {"with", "Alice"}, {"due", "2026-12"}, {"status", "agreed"}, {"hidden", true}});
    auto h3 = a.ok("item.add", {{"board", "vision"}, {"column", "hinders"}, {"text", "quiet worry"}, {"hidden", true}});
    auto fh = f.ok("item.add", {{"board", "reflections"}, {"column", "reflection"}, {"text", "facilitator's note"},
                                 {"turn", "1"}, {"hidden", true}});
    b.ok("item.vote", {{"board", "timeline"}, {"id", "i" + std::to_string(v1)}});
    f.ok("item.vote", {{"board", "timeline"}, {"id", "i" + std::to_string(v1)}});
    a.ok("item.vote", {{"board", "timeline"}, {"id", "i" + std::to_string(h1)}});
    auto last = a.ok("item.edit", {{"board", "timeline"}, {"id", "i" + std::to_string(h1)}, {"text", "secret start, edited"},
                                   {"when", "2021-10"}});
    room.expect_converged(last, "hidden items added");
    // The hidden texts really are out of Bob's and the screen's views, so the check above means something.
    EXPECT_FALSE(item_of(b.state, "timeline", "i" + std::to_string(h1)).contains("text"));
    EXPECT_FALSE(item_of(room.screen->state, "plan", "i" + std::to_string(h2)).contains("who"));
    EXPECT_EQ(item_of(f.state, "vision", "i" + std::to_string(h3))["text"], "quiet worry");

    a.ok("item.move", {{"board", "timeline"}, {"id", "i" + std::to_string(h1)}, {"order", 0.5}});
    b.ok("item.edit", {{"board", "plan"}, {"id", "i" + std::to_string(h2)}, {"status", "done"}});
    f.ok("item.edit", {{"board", "vision"}, {"id", "i" + std::to_string(h3)}, {"text", "quiet worry (facilitator)"}});
    f.ok("item.vote", {{"board", "vision"}, {"id", "i" + std::to_string(h3)}});  // Bob may not: private
    f.ok("phase.goto", {{"phase", "vision"}});
    f.ok("timer.start", {{"duration_s", 300}});
    f.ok("timer.pause");
    a.ok("hand.raise");
    b.ok("hand.raise");
    f.ok("hand.lower", {{"pid", a.you}});
    b.ok("participant.rename", {{"name", "Bobby"}});
    last = f.ok("room.update", {{"title", "Renamed meeting"}});
    room.expect_converged(last, "edits of hidden items");

    a.ok("item.reveal", {{"board", "timeline"}, {"id", "i" + std::to_string(h1)}});
    f.ok("item.reveal", {{"board", "plan"}});
    b.ok("item.reveal", {{"board", "vision"}});  // nothing of Bob's there: accepted, empty patch
    a.ok("item.reveal", {{"board", "vision"}});
    f.ok("item.reveal", {{"board", "reflections"}, {"id", "i" + std::to_string(fh)}});
    last = f.ok("item.delete", {{"board", "timeline"}, {"id", "i" + std::to_string(v1)}});
    room.expect_converged(last, "after the reveals");
    EXPECT_EQ(item_of(b.state, "timeline", "i" + std::to_string(h1))["text"], "secret start, edited");
    EXPECT_EQ(item_of(room.screen->state, "plan", "i" + std::to_string(h2))["who"], "Bob");
}

TEST(Convergence, RandomCommandsFromEveryRoleKeepEveryMemberEqualToAFreshWelcome)
{
    Meeting room(shared_server().port());
    const unsigned seed = std::random_device{}();
    std::mt19937 rng(seed);
    SCOPED_TRACE("seed " + std::to_string(seed));
    const std::vector<std::pair<std::string, std::string>> places = {
        {"timeline", "event"}, {"vision", "vision"}, {"vision", "hinders"}, {"vision", "enables"},
        {"plan", "action"}, {"reflections", "reflection"}};
    std::vector<std::pair<std::string, std::string>> items;  // board, id
    std::vector<Member*> actors = {room.facilitator.get(), room.alice.get(), room.bob.get()};
    auto pick = [&](auto n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };

    std::uint64_t last = room.bob->seq;
    int accepted = 0;
    for (int step = 1; step <= 300; ++step) {
        Member& who = *actors[pick(actors.size())];
        const int kind = static_cast<int>(pick(8));
        json r;
        if (kind <= 2 || items.empty()) {
            const auto& [board, column] = places[pick(places.size())];
            json args = {{"board", board}, {"column", column}, {"text", "step " + std::to_string(step)},
                         {"hidden", pick(2) == 0}};
            if (board == "timeline") args["when"] = "20" + std::to_string(10 + pick(15));
            if (board == "plan") args["who"] = who.you;
            r = who.run("item.add", args);
            if (r["type"] == "ack") items.emplace_back(board, "i" + std::to_string(r["seq"].get<std::uint64_t>()));
        } else {
            const auto& [board, id] = items[pick(items.size())];
            switch (kind) {
            case 3: r = who.run("item.edit", {{"board", board}, {"id", id}, {"text", "edited " + std::to_string(step)}}); break;
            case 4: r = who.run("item.vote", {{"board", board}, {"id", id}}); break;
            case 5: r = who.run("item.move", {{"board", board}, {"id", id}, {"order", static_cast<double>(pick(10))}}); break;
            case 6: r = pick(2) ? who.run("item.reveal", {{"board", board}, {"id", id}}) : who.run("item.reveal", {{"board", board}}); break;
            default: r = who.run("item.delete", {{"board", board}, {"id", id}}); break;
            }
        }
        if (r["type"] == "ack") {
            ++accepted;
            last = r["seq"];
        } else {
            const auto code = r.value("code", "");
            EXPECT_TRUE(code == "forbidden" || code == "not_found") << r.dump();
        }
        if (step % 50 == 0) room.expect_converged(last, "step " + std::to_string(step));
    }
    EXPECT_GT(accepted, 100);
}

// docs/protocol.md §4: a settings change sends every member a fresh welcome, and a command that
// lands while that welcome is on its way (applied after the setting, before the setting was
// durable) reaches its author inside the welcome instead of by a patch. Pipelined, most rounds
// land it so; whatever the order, Alice ends with her entry — held for approval exactly when the
// setting came first — and her state equals a fresh welcome's.
TEST(Convergence, AnEntryLandingWhileTheSettingsWelcomeIsOnItsWayReachesItsAuthor)
{
    Meeting room(shared_server().port());
    // Read here as a client does (Member takes a welcome after its first for a gap).
    Ws_client& alice = room.alice->ws;
    Ws_client& facilitator = room.facilitator->ws;
    const auto is_answer_to = [](const json& m, const std::string& id) {
        return m.contains("id") && m["id"].is_string() && m["id"] == id;
    };
    const auto send = [&facilitator](const std::string& cmd, const json& args) {
        auto id = next_command_id();
        facilitator.send(do_message(id, cmd, args));
        return id;
    };
    const auto acked = [&](const std::string& id) {
        for (;;) {
            auto m = facilitator.recv();
            if (!m) throw std::runtime_error("no answer to " + id);
            if (!is_answer_to(*m, id)) continue;
            if (m->value("type", "") != "ack") throw std::runtime_error("refused: " + m->dump());
            return m->at("seq").get<std::uint64_t>();
        }
    };
    json state = room.alice->state;
    std::uint64_t seq = room.alice->seq;
    for (int round = 0; round < 20; ++round) {
        const bool moderated = round % 2 == 0;
        const std::string text = "entry " + std::to_string(round);
        // Pipelined: the facilitator's setting, and at once Alice's entry.
        const auto setting = send("room.settings", {{"moderated", moderated}});
        const auto add = next_command_id();
        alice.send(do_message(add, "item.add", {{"board", "plan"}, {"column", "action"}, {"text", text}}));
        const std::uint64_t setting_seq = acked(setting);
        // Alice starts over from each welcome; a patch she already has in a welcome is old.
        std::uint64_t add_seq = 0;
        bool welcomed = false;
        while (add_seq == 0 || !welcomed || seq < std::max(add_seq, setting_seq)) {
            auto m = alice.recv();
            ASSERT_TRUE(m) << "round " << round << ": Alice is at seq " << seq;
            const auto type = m->value("type", "");
            if (type == "welcome") {
                welcomed = welcomed || m->at("seq").get<std::uint64_t>() >= setting_seq;
                state = m->at("state");
                seq = m->at("seq");
            } else if (type == "patch" && m->at("seq").get<std::uint64_t>() > seq) {
                ASSERT_EQ(m->at("seq").get<std::uint64_t>(), seq + 1) << "round " << round << ": a gap";
                state.patch_inplace(m->at("patch"));
                seq = m->at("seq");
            } else if (type == "ack" && is_answer_to(*m, add)) {
                add_seq = m->at("seq");
            } else if (type == "error") {
                FAIL() << "round " << round << ": " << m->dump();
            }
        }
        const json item = item_of(state, "plan", "i" + std::to_string(add_seq));
        ASSERT_TRUE(item.is_object()) << "round " << round << ": Alice's entry is missing from her state";
        EXPECT_EQ(item["text"], text);
        // Held when moderation was on at its seq: this round's setting if it came first, else the last round's.
        const bool held = setting_seq < add_seq ? moderated : round > 0 && !moderated;
        EXPECT_EQ(item.value("pending", false), held) << "round " << round;
        if (item.value("pending", false))
            acked(send("item.approve", {{"board", "plan"}, {"id", "i" + std::to_string(add_seq)}}));
    }
    // Everyone quiet: Alice's state is what a fresh welcome gives her.
    const std::uint64_t last = acked(send("room.settings", {{"hide_names", true}}));
    for (;;) {
        auto m = alice.recv();
        ASSERT_TRUE(m) << "Alice is at seq " << seq << ", waited for " << last;
        if (m->value("type", "") == "welcome") {
            state = m->at("state");
            seq = m->at("seq");
        } else if (m->value("type", "") == "patch" && m->at("seq").get<std::uint64_t>() > seq) {
            state.patch_inplace(m->at("patch"));
            seq = m->at("seq");
        }
        if (seq >= last && m->value("type", "") == "welcome") break;
    }
    json fresh = fresh_welcome(room.port, room.keys.code, room.alice->token);
    ASSERT_EQ(fresh["seq"], seq);
    EXPECT_EQ(state, fresh["state"]) << json::diff(fresh["state"], state).dump(1);
}
