// docs/security.md "Store failures": when the store cannot write (the disk is full, another
// program holds the write lock past the busy timeout), a command gets `error unavailable`
// and changes nothing, room creation gets 503, the server keeps answering reads, every
// member's state stays what the store holds, and once the store can write again the next
// commands succeed with nothing acknowledged lost.
#include <gtest/gtest.h>

#include <unistd.h>

#include <functional>
#include <latch>
#include <map>
#include <optional>
#include <thread>
#include <vector>

#include "support/broken_store.hpp"
#include "support/meeting.hpp"
#include "support/small_disk.hpp"
#include "support/stored_log.hpp"

using namespace keha::itest;

namespace {

constexpr auto store_wait = 15s;  // a refused write may first wait out the 5 s busy timeout

json item_add(const std::string& text) { return {{"board", "timeline"}, {"column", "event"}, {"text", text}}; }

bool has_text(const json& state, const std::string& text)
{
    for (const auto& [id, item] : state["boards"]["timeline"]["items"].items())
        if (item.value("text", "") == text) return true;
    return false;
}

// The whole story, with `break_store` making writes fail and `mend_store` undoing it.
void refuse_then_recover(Server_process& server, const std::function<void()>& break_store,
                         const std::function<void()>& mend_store)
{
    const auto port = server.port();
    const auto keys = create_room(port);
    Member f(port, keys.code, with_key(keys.facilitator_key));
    Member p(port, keys.code, as_participant("Maija"));
    std::map<std::uint64_t, std::string> acked;
    for (int i = 0; i < 5; ++i) {
        const auto text = "before " + std::to_string(i);
        acked[p.ok("item.add", item_add(text))] = text;
    }
    f.catch_up(p.seq);

    break_store();

    // Creating a room: 503 with a code the page can translate.
    auto refused_room = http_request(port, "POST", "/api/rooms", json{{"title", "Refused"}, {"language", "en"}}.dump());
    EXPECT_EQ(refused_room.status, 503) << refused_room.body;
    EXPECT_EQ(refused_room.json_body().value("error", ""), "unavailable") << refused_room.body;

    // Commands: each gets `error unavailable`, two sent back to back as well.
    const auto a = p.send("item.add", item_add("refused a"));
    const auto b = p.send("item.add", item_add("refused b"));
    for (const auto& id : {a, b}) {
        const json r = p.reply(id, store_wait);
        EXPECT_EQ(r.value("type", ""), "error") << r.dump();
        EXPECT_EQ(r.value("code", ""), "unavailable") << r.dump();
    }
    const json r = f.reply(f.send("phase.goto", {{"phase", "vision"}}), store_wait);
    EXPECT_EQ(r.value("code", ""), "unavailable") << r.dump();

    // Reads go on: the health check, the room's public facts, a fresh welcome.
    EXPECT_EQ(http_get(port, "/healthz").status, 200);
    auto facts = http_get(port, "/api/rooms/" + keys.code);
    EXPECT_EQ(facts.status, 200) << facts.body;
    f.settle(300ms);
    p.settle(300ms);
    // Nobody was sent away, nobody saw what was refused, and everyone's state is the store's.
    EXPECT_FALSE(p.ws.closed());
    EXPECT_FALSE(f.ws.closed());
    for (const Member* m : {&f, &p})
        for (const auto& msg : m->messages) EXPECT_NE(msg.value("type", ""), "bye") << msg.dump();
    auto durable = read_durable(server.db(), keys.code);
    EXPECT_EQ(f.seq, durable.last);
    EXPECT_EQ(p.seq, durable.last);
    EXPECT_EQ(f.state, durable.state);
    EXPECT_FALSE(has_text(f.state, "refused a"));
    const json again = fresh_welcome(port, keys.code, f.token);
    EXPECT_EQ(again.value("seq", std::uint64_t{0}), durable.last);
    EXPECT_EQ(again["state"], durable.state);

    mend_store();

    // The next commands succeed, from the durable seq on.
    const auto first = p.ok("item.add", item_add("after"));
    EXPECT_EQ(first, durable.last + 1);
    acked[first] = "after";
    for (int i = 0; i < 5; ++i) {
        const auto text = "after " + std::to_string(i);
        acked[p.ok("item.add", item_add(text))] = text;
    }
    EXPECT_NE(f.ok("phase.goto", {{"phase", "vision"}}), 0u);
    const auto created = create_room(port);
    EXPECT_FALSE(created.code.empty());
    p.settle(200ms);
    f.catch_up(p.seq);
    f.settle(200ms);

    durable = read_durable(server.db(), keys.code);
    expect_nothing_acknowledged_lost(durable, acked);
    EXPECT_EQ(f.seq, durable.last);
    EXPECT_EQ(f.state, durable.state);
    EXPECT_EQ(f.gaps, 0);
    EXPECT_EQ(p.gaps, 0);
    EXPECT_TRUE(has_text(f.state, "after 4"));
}

}  // namespace

TEST(StoreFailure, AFullDiskRefusesWritesKeepsReadsAndRecovers)
{
    // Filling a real disk needs a small one of its own: a tmpfs, which only root may mount.
    ASSERT_EQ(::geteuid(), 0u) << "This test mounts a small tmpfs to fill it and must run as root "
                                  "(CI runs make test as root); run it with sudo. It is not skipped.";
    Temp_dir dir;
    Small_disk disk(dir.path() / "disk", "6m");
    Server_process server(disk.path() / "full.db", {"--rate", "100000", "--burst", "100000"});
    refuse_then_recover(server, [&] { disk.fill(); }, [&] { disk.free_space(); });
    EXPECT_TRUE(server.running());
}

TEST(StoreFailure, AnotherProgramHoldingTheWriteLockRefusesWritesKeepsReadsAndRecovers)
{
    Temp_dir dir;
    const auto db = dir.path() / "locked.db";
    Server_process server(db, {"--rate", "100000", "--burst", "100000"});
    std::optional<Write_lock_holder> other;
    refuse_then_recover(server, [&] { other.emplace(db); }, [&] { other.reset(); });
    EXPECT_TRUE(server.running());
}

// A store read that fails is answered — `unavailable` to a hello, a 5xx with an error code to
// an HTTP read — and nothing of it reaches the I/O threads' last exception boundary: the
// server goes on answering, and another room's members go on as if nothing had happened.
TEST(StoreFailure, AReadThatFailsIsAnsweredAndAnotherRoomGoesOn)
{
    Temp_dir dir;
    const auto db = dir.path() / "unreadable.db";
    Server_process server(db, {"--rate", "100000", "--burst", "100000"});
    const auto port = server.port();
    const auto broken = create_room(port);
    const auto other = create_room(port);
    Member f(port, other.code, with_key(other.facilitator_key));
    Member p(port, other.code, as_participant("Maija"));
    p.ok("item.add", item_add("before"));

    make_snapshots_unreadable(db, broken.code);

    for (int attempt = 0; attempt < 3; ++attempt) {
        // Joining the meeting that cannot be read: an answer the client can act on, then the close.
        const auto joined = hello_answer(port, hello_message(broken.code, with_key(broken.facilitator_key)));
        ASSERT_TRUE(joined.message) << "no answer to a hello whose room cannot be read";
        EXPECT_EQ(joined.message->value("type", ""), "error") << joined.message->dump();
        EXPECT_EQ(joined.message->value("code", ""), "unavailable") << joined.message->dump();
        EXPECT_TRUE(joined.closed);
        // Its history as of the start: the read fails, and the answer says so.
        const auto history =
            http_get(port, "/api/rooms/" + broken.code + "/history?seq=0",
                     {{"Authorization", "Bearer " + broken.facilitator_key}});
        EXPECT_GE(history.status, 500) << history.body;
        EXPECT_LT(history.status, 600) << history.body;
        EXPECT_FALSE(history.json_body().value("error", "").empty()) << history.body;
    }

    // The other room: nobody was sent away, commands go on, a newcomer joins and sees them.
    const auto after = p.ok("item.add", item_add("after"));
    f.catch_up(after);
    EXPECT_TRUE(has_text(f.state, "after"));
    Member late(port, other.code, as_participant("Myöhässä"));
    EXPECT_TRUE(has_text(late.state, "before"));
    EXPECT_TRUE(has_text(late.state, "after"));
    for (const Member* m : {&f, &p}) {
        EXPECT_FALSE(m->ws.closed());
        for (const auto& msg : m->messages) EXPECT_NE(msg.value("type", ""), "bye") << msg.dump();
    }
    EXPECT_EQ(http_get(port, "/healthz").status, 200);
    EXPECT_TRUE(server.running());
    EXPECT_EQ(server.log_text().find("where=io_context"), std::string::npos) << server.log_text();
}

// Many opening at once a room whose store read fails: the one read fails for all of them, and
// each is answered — `unavailable` to every hello, 503 to every HTTP read — while the server
// goes on and another room loads as before.
TEST(StoreFailure, ManyOpeningAnUnreadableRoomAtOnceAreAllAnsweredUnavailable)
{
    Temp_dir dir;
    const auto db = dir.path() / "unreadable-at-once.db";
    Server_process server(db);
    const auto port = server.port();
    const auto broken = create_room(port);
    const auto other = create_room(port);
    make_snapshots_unreadable(db, broken.code);

    constexpr int hellos = 6, reads = 3;
    std::vector<Hello_answer> answers(hellos);
    std::vector<Http_answer> facts(reads);
    std::latch go(hellos + reads);
    std::vector<std::thread> threads;
    for (int i = 0; i < hellos; ++i)
        threads.emplace_back([&, i] {
            go.arrive_and_wait();
            answers[i] = hello_answer(port, hello_message(broken.code, as_participant("P" + std::to_string(i))));
        });
    for (int i = 0; i < reads; ++i)
        threads.emplace_back([&, i] {
            go.arrive_and_wait();
            facts[i] = http_get(port, "/api/rooms/" + broken.code);
        });
    for (auto& t : threads) t.join();

    for (const auto& a : answers) {
        ASSERT_TRUE(a.message) << "no answer to a hello whose room cannot be read";
        EXPECT_EQ(a.message->value("type", ""), "error") << a.message->dump();
        EXPECT_EQ(a.message->value("code", ""), "unavailable") << a.message->dump();
        EXPECT_TRUE(a.closed);
    }
    for (const auto& f : facts) {
        EXPECT_EQ(f.status, 503) << f.body;
        EXPECT_EQ(f.json_body().value("error", ""), "unavailable") << f.body;
    }
    Member p(port, other.code, as_participant("Maija"));
    EXPECT_NE(p.ok("item.add", item_add("still here")), 0u);
    EXPECT_TRUE(server.running());
    EXPECT_EQ(server.log_text().find("where=io_context"), std::string::npos) << server.log_text();
}

// A new participant's welcome does not wait for its join's commit when everything before the
// join is durable (docs/architecture.md, "A new participant's welcome"). If the store then
// refuses the join, the member is told to join again and closed; nobody else saw the join, the
// token it got opens nothing, and joining again with the name works.
TEST(StoreFailure, AJoinWelcomedBeforeItsCommitIsUndoneCleanlyWhenTheStoreRefusesIt)
{
    Temp_dir dir;
    const auto db = dir.path() / "join.db";
    Server_process server(db, {"--rate", "100000", "--burst", "100000"});
    const auto keys = create_room(server.port());
    Member f(server.port(), keys.code, with_key(keys.facilitator_key));
    f.ok("item.add", item_add("before"));  // acknowledged: everything so far is durable
    std::optional<Write_lock_holder> other(std::in_place, db);

    Ws_client joiner(server.port());
    joiner.send(hello_message(keys.code, as_participant("Maija")));
    // The welcome comes while the join still waits for the store (its busy timeout is 5 s).
    const auto welcome = joiner.recv();
    ASSERT_TRUE(welcome.has_value());
    ASSERT_EQ(welcome->value("type", ""), "welcome") << welcome->dump();
    const std::string you = (*welcome)["you"];
    EXPECT_EQ((*welcome)["seq"], f.seq + 1);
    EXPECT_EQ((*welcome)["state"]["participants"][you]["name"], "Maija");
    // Then the store refuses it: join again, and the connection ends.
    const auto refused = joiner.recv(store_wait);
    ASSERT_TRUE(refused.has_value());
    EXPECT_EQ(refused->value("type", ""), "error") << refused->dump();
    EXPECT_EQ(refused->value("code", ""), "unavailable") << refused->dump();
    EXPECT_TRUE(joiner.wait_closed(5s));

    other.reset();
    f.settle(300ms);
    for (const auto& patch : f.patches) EXPECT_NE(patch.value("cmd", ""), "participant.join") << patch.dump();
    auto durable = read_durable(db, keys.code);
    EXPECT_EQ(f.state, durable.state);
    EXPECT_FALSE(durable.state["participants"].contains(you));
    // The token of the join that was undone opens nothing: the clients join again with the name.
    const auto resumed = hello_answer(server.port(), hello_message(keys.code, with_token((*welcome)["token"])));
    ASSERT_TRUE(resumed.message.has_value());
    EXPECT_EQ(resumed.message->value("code", ""), "unauthorized") << resumed.message->dump();
    Member again(server.port(), keys.code, as_participant("Maija"));
    EXPECT_NE(again.ok("item.add", item_add("after joining again")), 0u);
    f.catch_up(again.seq);
    EXPECT_EQ(f.state["participants"][again.you]["name"], "Maija");
    EXPECT_EQ(f.gaps, 0);
}
