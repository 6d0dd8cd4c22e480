// Reads of the store run off the I/O threads and off the rooms' strands (docs/architecture.md,
// "Threads and strands"). What a client sees of that:
//
// Opening a room that is not in memory: the registry reads it from the store once however many
// open it at the same moment, and every one of them gets the same room — so every member sees
// every other member's join, the seqs have no gap and no seq twice, and each member's state is
// what a fresh welcome gives.
//
// A command whose input the room reads from the store (ratings.close): what the room is sent
// meanwhile waits behind it and is answered after it, in the order it came.
#include <gtest/gtest.h>

#include <algorithm>
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

// ratings.close reads the questionnaire's answers from the store off the room's strand; what
// the room is sent meanwhile waits behind it and is answered after it, in the order it came.
TEST(StoreReads, CommandsSentWhileTheRatingsCloseReadsTheStoreAreAnsweredInOrder)
{
    Temp_dir dir;
    Server_process server(dir.path() / "reads.db", {"--rate", "100000", "--burst", "100000"});
    const auto port = server.port();
    const auto keys = create_room(port, {{"title", "Loaded once"}, {"language", "en"}});
    Member f(port, keys.code, with_key(keys.facilitator_key));
    std::vector<std::unique_ptr<Member>> people;
    for (const char* name : {"Anna", "Bertta", "Cecilia"})
        people.push_back(std::make_unique<Member>(port, keys.code, as_participant(name)));
    f.ok("ratings.open");
    for (std::size_t i = 0; i < people.size(); ++i)
        people[i]->ok("rating.submit", {{"answers", {{"heard", 5 + static_cast<int>(i)}}}});

    // The close and, without waiting for it, more commands from the facilitator and from a participant.
    std::vector<std::string> sent{f.send("ratings.close")};
    for (int i = 0; i < 10; ++i) sent.push_back(f.send("item.add", item_add("after close " + std::to_string(i))));
    std::vector<std::string> theirs;
    for (int i = 0; i < 5; ++i) theirs.push_back(people[0]->send("item.add", item_add("from Anna " + std::to_string(i))));

    std::uint64_t last = 0;
    for (const auto& id : sent) {
        const json r = f.reply(id);
        ASSERT_EQ(r.value("type", ""), "ack") << r.dump();
        EXPECT_GT(r.value("seq", std::uint64_t{0}), last) << "answered out of order: " << r.dump();
        last = std::max(last, r.value("seq", std::uint64_t{0}));
    }
    // The acks came in the order the commands were sent.
    std::vector<std::string> acked;
    for (const auto& m : f.messages)
        if (m.value("type", "") == "ack") acked.push_back(m.value("id", ""));
    const std::vector<std::string> tail(acked.end() - static_cast<std::ptrdiff_t>(sent.size()), acked.end());
    EXPECT_EQ(tail, sent);
    for (const auto& id : theirs) last = std::max(last, people[0]->reply(id).value("seq", std::uint64_t{0}));

    const json& results = f.state["ratings"]["results"];
    EXPECT_EQ(results.value("count", 0), 3) << results.dump();
    for (auto* m : {&f, people[0].get(), people[1].get(), people[2].get()}) {
        m->catch_up(last);
        EXPECT_EQ(m->gaps, 0) << m->you;
        EXPECT_EQ(fresh_welcome(port, keys.code, m->token)["state"], m->state) << m->you;
    }
    EXPECT_EQ(f.state["boards"]["timeline"]["items"].size(), 15u);
}
