// Opening a room that is not in memory (docs/architecture.md, "Threads and strands"): the
// registry reads it from the store off the I/O threads, once however many open it at the same
// moment, and every one of them gets the same room — so every member sees every other member's
// join, the seqs have no gap and no seq twice, and each member's state is what a fresh welcome
// gives.
#include <gtest/gtest.h>

#include <csignal>
#include <latch>
#include <memory>
#include <thread>
#include <vector>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

constexpr int members = 8;
constexpr int readers = 4;  // HTTP reads of the room's public facts, at the same moment

std::size_t count_of(const std::string& text, const std::string& what)
{
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

json item_add(const std::string& text) { return {{"board", "timeline"}, {"column", "event"}, {"text", text}}; }

// A room with some history, stored and then left out of memory by a restart.
struct Stored_room {
    Room_keys keys;
    std::uint64_t seq = 0;
};

Stored_room store_a_room(const std::filesystem::path& db)
{
    Server_process first(db);
    Stored_room stored{create_room(first.port(), {{"title", "Loaded once"}, {"language", "en"}}), 0};
    Member f(first.port(), stored.keys.code, with_key(stored.keys.facilitator_key));
    for (int i = 0; i < 20; ++i) stored.seq = f.ok("item.add", item_add("kept " + std::to_string(i)));
    f.ws.close();
    first.signal(SIGTERM);
    EXPECT_TRUE(first.wait_exit(10s)) << first.log_text();
    return stored;
}

struct Opened {
    std::vector<std::unique_ptr<Member>> members;
    std::vector<Http_answer> reads;
    std::vector<std::string> failures;
};

// `members` hellos and `readers` HTTP reads of one room, all let go at the same moment.
Opened open_at_once(std::uint16_t port, const std::string& code, const std::string& round)
{
    Opened opened;
    opened.members.resize(members);
    opened.reads.resize(readers);
    opened.failures.resize(members);
    std::latch go(members + readers);
    std::vector<std::thread> threads;
    for (int i = 0; i < members; ++i)
        threads.emplace_back([&, i] {
            go.arrive_and_wait();
            try {
                opened.members[i] = std::make_unique<Member>(port, code, as_participant(round + " " + std::to_string(i)));
            } catch (const std::exception& e) {
                opened.failures[i] = e.what();
            }
        });
    for (int i = 0; i < readers; ++i)
        threads.emplace_back([&, i] {
            go.arrive_and_wait();
            opened.reads[i] = http_get(port, "/api/rooms/" + code);
        });
    for (auto& t : threads) t.join();
    return opened;
}

// Every member is in one room: each saw all the others join, with no gap, and holds the state
// a fresh welcome gives it now.
void expect_one_room(Opened& opened, std::uint16_t port, const std::string& code, std::size_t participants)
{
    for (int i = 0; i < members; ++i) ASSERT_TRUE(opened.members[i]) << "member " << i << ": " << opened.failures[i];
    for (const auto& read : opened.reads) {
        EXPECT_EQ(read.status, 200) << read.body;
        EXPECT_EQ(read.json_body().value("title", ""), "Loaded once") << read.body;
    }
    // A command after every join: whoever has seen it has seen every join before it.
    const auto last = opened.members.front()->ok("hand.raise");
    for (auto& m : opened.members) {
        m->catch_up(last);
        EXPECT_EQ(m->gaps, 0) << m->you;
        EXPECT_EQ(m->seq, last) << m->you;
        EXPECT_EQ(m->state["participants"].size(), participants) << m->you << ": " << m->state["participants"].dump();
        EXPECT_EQ(m->state["boards"]["timeline"]["items"].size(), 20u) << m->you;
        const json again = fresh_welcome(port, code, m->token);
        EXPECT_EQ(again.value("seq", std::uint64_t{0}), last) << m->you;
        EXPECT_EQ(again["state"], m->state) << m->you;
    }
}

}  // namespace

TEST(RoomLoad, ManyOpeningARoomNotInMemoryAtOnceLoadItOnceAndShareIt)
{
    Temp_dir dir;
    const auto db = dir.path() / "load.db";
    const auto stored = store_a_room(db);

    Server_process server(db, {"--rate", "100000", "--burst", "100000"});
    const auto port = server.port();
    // The log goes on from the first server's (the same file beside the database).
    const std::string loaded = "room_loaded room=" + stored.keys.code;
    const auto before = count_of(server.log_text(), loaded);
    auto opened = open_at_once(port, stored.keys.code, "First");
    // The facilitator from before, and the eight who came now.
    expect_one_room(opened, port, stored.keys.code, members + 1);
    // The welcomes went on from the stored history: nothing of it was written twice.
    for (const auto& m : opened.members) EXPECT_GT(m->welcome.value("seq", std::uint64_t{0}), stored.seq) << m->you;

    const auto log = server.log_text();
    EXPECT_EQ(count_of(log, loaded), before + 1) << log;
    EXPECT_EQ(log.find("where=io_context"), std::string::npos) << log;
}

TEST(RoomLoad, ARoomUnloadedFromMemoryIsLoadedOnceAgainByManyAtOnce)
{
    Temp_dir dir;
    const auto db = dir.path() / "unload.db";
    const auto stored = store_a_room(db);

    Server_process server(db, {"--idle-unload", "1", "--rate", "100000", "--burst", "100000"});
    const auto port = server.port();
    const std::string loaded = "room_loaded room=" + stored.keys.code;
    const auto before = count_of(server.log_text(), loaded);
    {
        auto first = open_at_once(port, stored.keys.code, "First");
        expect_one_room(first, port, stored.keys.code, members + 1);
    }
    // Everyone has left: the room leaves memory within a couple of seconds.
    const std::string unloaded = "room_unloaded room=" + stored.keys.code;
    const auto unloads = count_of(server.log_text(), unloaded);
    for (int i = 0; i < 100 && count_of(server.log_text(), unloaded) == unloads; ++i) std::this_thread::sleep_for(100ms);
    ASSERT_EQ(count_of(server.log_text(), unloaded), unloads + 1) << server.log_text();
    ASSERT_EQ(count_of(server.log_text(), loaded), before + 1) << server.log_text();

    auto second = open_at_once(port, stored.keys.code, "Second");
    expect_one_room(second, port, stored.keys.code, 2 * members + 1);
    EXPECT_EQ(count_of(server.log_text(), loaded), before + 2) << server.log_text();
}
