// docs/protocol.md §9.2: a command is acknowledged only once durable — a kill -9 at any moment
// loses nothing acknowledged; after the restart seqs continue without gaps and every
// participant is offline.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <map>
#include <memory>
#include <random>
#include <thread>

#include "support/broken_store.hpp"
#include "support/meeting.hpp"
#include "support/store_place.hpp"
#include "support/stored_log.hpp"

using namespace keha::itest;

namespace {

struct Acked {
    std::map<std::uint64_t, std::string> text_at;  // seq -> text of the acknowledged item.add
    std::uint64_t last = 0;
};

// Pipelines item.adds (at most `window` unacknowledged) and SIGKILLs the server as soon as
// `kill_after` acks have arrived, with more commands in flight.
Acked add_until_killed(Server_process& server, const Room_keys& keys, int kill_after)
{
    Member p(server.port(), keys.code, as_participant("Writer"));
    Acked acked;
    std::map<std::string, std::string> text_of;
    constexpr int window = 40;
    int sent = 0;
    while (static_cast<int>(acked.text_at.size()) < kill_after) {
        while (sent - static_cast<int>(acked.text_at.size()) < window) {
            const auto text = "durable " + std::to_string(sent++);
            text_of[p.send("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", text}})] = text;
        }
        auto m = p.ws.recv(10s);
        if (!m) throw std::runtime_error("no ack within 10 s");
        if ((*m)["type"] == "error") throw std::runtime_error("refused: " + m->dump());
        if ((*m)["type"] != "ack") continue;
        const std::uint64_t seq = (*m)["seq"];
        acked.text_at[seq] = text_of.at((*m)["id"]);
        acked.last = std::max(acked.last, seq);
    }
    server.signal(SIGKILL);
    auto status = server.wait_exit(10s);
    EXPECT_TRUE(status && WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL);
    // Acks that were already on their way count too: they were sent before the kill.
    for (auto m = p.ws.recv(200ms); m; m = p.ws.recv(200ms)) {
        if ((*m)["type"] != "ack") continue;
        const std::uint64_t seq = (*m)["seq"];
        acked.text_at[seq] = text_of.at((*m)["id"]);
        acked.last = std::max(acked.last, seq);
    }
    return acked;
}

void expect_all_there(const Member& f, const Acked& acked)
{
    EXPECT_GE(f.welcome["seq"].get<std::uint64_t>(), acked.last);
    int missing = 0;
    for (const auto& [seq, text] : acked.text_at) {
        const auto item = item_of(f.state, "timeline", "i" + std::to_string(seq));
        if (item.is_null() || item["text"] != text) ++missing;
    }
    EXPECT_EQ(missing, 0) << missing << " of " << acked.text_at.size() << " acknowledged items were lost";
    // Everyone but the facilitator who just joined is offline.
    int participants = 0;
    for (const auto& [pid, p] : f.welcome["state"]["participants"].items()) {
        if (pid == f.you) continue;
        ++participants;
        EXPECT_EQ(p["online"], false) << pid << " is online after the restart";
    }
    EXPECT_GE(participants, 1);
}

int random_kill_point()
{
    static std::mt19937 rng(std::random_device{}());
    return std::uniform_int_distribution<int>(50, 500)(rng);
}

}  // namespace

// The first two run on each store backend: a SQLite file, and PostgreSQL (the database server
// stays up; keha-server is what dies).
class CrashOn : public ::testing::TestWithParam<Backend> {};
INSTANTIATE_TEST_SUITE_P(, CrashOn, ::testing::Values(Backend::sqlite, Backend::postgresql),
                         [](const auto& info) { return backend_name(info.param); });

TEST_P(CrashOn, EveryAcknowledgedItemSurvivesKill9AndTheLogContinuesWithoutGaps)
{
    const Store_place db(GetParam(), "crash.db");
    const std::vector<std::string> flags = {"--snapshot-every", "0", "--rate", "100000", "--burst", "100000"};
    Room_keys keys;
    Acked acked;
    const int kill_after = random_kill_point();
    {
        auto server = db.start(flags);
        keys = create_room(server->port());
        acked = add_until_killed(*server, keys, kill_after);
    }
    std::printf("[ crash    ] SIGKILL after %d acks; %zu acknowledged, last seq %llu\n", kill_after, acked.text_at.size(),
                static_cast<unsigned long long>(acked.last));

    const auto restarted = db.start(flags);
    const Server_process& server = *restarted;
    Member f(server.port(), keys.code, with_key(keys.facilitator_key));
    expect_all_there(f, acked);

    // The whole op log, from seq 1 to now, with no gap; each acknowledged seq holds its item.add.
    Member again(server.port(), keys.code, with_token(f.token, 0));
    const auto& replay = again.welcome["replay"];
    ASSERT_EQ(replay.size(), again.welcome["seq"].get<std::uint64_t>());
    for (std::size_t i = 0; i < replay.size(); ++i) {
        ASSERT_EQ(replay[i]["seq"], i + 1);
        const std::uint64_t seq = i + 1;
        if (auto it = acked.text_at.find(seq); it != acked.text_at.end()) {
            EXPECT_EQ(replay[i]["cmd"], "item.add");
            EXPECT_EQ(replay[i]["patch"][0]["value"]["text"], it->second);
        }
    }
    // New commands continue from the last seq.
    f.settle(100ms);
    const auto before = f.seq;
    EXPECT_EQ(f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "after the crash"}}), before + 1);
}

// A new participant's welcome goes out before its join is durable (docs/architecture.md, "A new
// participant's welcome"). A kill -9 before that commit loses the join and nothing else: the
// token it got is refused (`unauthorized`, on which the clients join again with the name), the
// facilitator key still opens the room, nothing the member sent meanwhile was acknowledged or
// stored, and joining again works.
TEST(Crash, AJoinWelcomedBeforeItsCommitAndLostInAKill9JoinsAgainCleanly)
{
    Temp_dir dir;
    const auto db = dir.path() / "join-crash.db";
    const std::vector<std::string> flags = {"--rate", "100000", "--burst", "100000"};
    Room_keys keys;
    std::string token;
    std::uint64_t durable_seq = 0;
    {
        Server_process server(db, flags);
        keys = create_room(server.port());
        Member f(server.port(), keys.code, with_key(keys.facilitator_key));
        durable_seq = f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "durable"}});
        Write_lock_holder other(db);  // the join's commit waits for the store (5 s busy timeout)
        Member p(server.port(), keys.code, as_participant("Maija"));
        EXPECT_EQ(p.seq, durable_seq + 1);
        token = p.token;
        const auto sent = p.send("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "typed at once"}});
        server.signal(SIGKILL);
        auto status = server.wait_exit(10s);
        EXPECT_TRUE(status && WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL);
        while (p.try_next(200ms)) {
        }
        EXPECT_FALSE(p.replies.count(sent)) << "acknowledged before the join was durable";
    }
    Server_process server(db, flags);
    const auto resumed = hello_answer(server.port(), hello_message(keys.code, with_token(token)));
    ASSERT_TRUE(resumed.message.has_value());
    EXPECT_EQ(resumed.message->value("code", ""), "unauthorized") << resumed.message->dump();
    Member f(server.port(), keys.code, with_key(keys.facilitator_key));
    EXPECT_EQ(item_of(f.state, "timeline", "i" + std::to_string(durable_seq))["text"], "durable");
    for (const auto& [pid, person] : f.state["participants"].items()) EXPECT_NE(person["name"], "Maija") << pid;
    Member again(server.port(), keys.code, as_participant("Maija"));
    const auto seq = again.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "typed again"}});
    f.catch_up(seq);
    EXPECT_EQ(item_of(f.state, "timeline", "i" + std::to_string(seq))["text"], "typed again");
    EXPECT_EQ(f.state["participants"][again.you]["name"], "Maija");
    EXPECT_EQ(f.gaps, 0);
}

TEST_P(CrashOn, AcknowledgedItemsSurviveKill9WithSnapshotsInTheLog)
{
    const Store_place db(GetParam(), "crash-snapshots.db");
    const std::vector<std::string> flags = {"--snapshot-every", "37", "--rate", "100000", "--burst", "100000"};
    Room_keys keys;
    Acked acked;
    const int kill_after = random_kill_point();
    {
        auto server = db.start(flags);
        keys = create_room(server->port());
        acked = add_until_killed(*server, keys, kill_after);
    }
    std::printf("[ crash    ] SIGKILL after %d acks (snapshots every 37); %zu acknowledged, last seq %llu\n", kill_after,
                acked.text_at.size(), static_cast<unsigned long long>(acked.last));
    std::uint64_t seq_after_first_restart;
    {
        auto server = db.start(flags);
        Member f(server->port(), keys.code, with_key(keys.facilitator_key));
        expect_all_there(f, acked);
        f.settle(100ms);
        seq_after_first_restart = f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "between"}});
        EXPECT_EQ(seq_after_first_restart, f.welcome["seq"].get<std::uint64_t>() + 1);
        server->signal(SIGKILL);
        server->wait_exit(10s);
    }
    // A second crash and restart: still everything, and the seq goes on from there.
    const auto server = db.start(flags);
    Member f(server->port(), keys.code, with_key(keys.facilitator_key));
    expect_all_there(f, acked);
    EXPECT_EQ(item_of(f.state, "timeline", "i" + std::to_string(seq_after_first_restart))["text"], "between");
    EXPECT_GT(f.welcome["seq"].get<std::uint64_t>(), seq_after_first_restart);
}

// Many crashes in a row while several members write at once: a real keha-server is killed
// with SIGKILL 20 times; after each restart the members resume with their tokens and go on.
// Every acknowledged command is in the store at its seq, and the stored log has no gap.
TEST(Crash, TwentyKillsWhileMembersWriteLoseNothingAcknowledged)
{
    constexpr int cycles = 20;
    constexpr int writers = 3;  // the facilitator and two participants
    constexpr int window = 8;   // unacknowledged commands per writer
    Temp_dir dir;
    const auto db = dir.path() / "crash-loop.db";
    const std::vector<std::string> flags = {"--snapshot-every", "50", "--rate", "100000", "--burst", "100000"};
    Room_keys keys;
    std::vector<std::string> tokens(writers);
    std::map<std::uint64_t, std::string> acked;
    std::uint64_t last_acked = 0;
    std::atomic<int> refused{0};
    std::mt19937 rng(std::random_device{}());

    for (int cycle = 0; cycle < cycles; ++cycle) {
        Server_process server(db, flags);
        if (cycle == 0) keys = create_room(server.port());
        std::vector<std::unique_ptr<Member>> members;
        for (int w = 0; w < writers; ++w) {
            json hello = cycle > 0 ? with_token(tokens[w])
                         : w == 0  ? with_key(keys.facilitator_key)
                                   : as_participant("Writer " + std::to_string(w));
            members.push_back(std::make_unique<Member>(server.port(), keys.code, hello));
            tokens[w] = members.back()->token;
        }
        // The facilitator's welcome after the restart holds everything acknowledged so far.
        const Member& f = *members[0];
        EXPECT_GE(f.welcome["seq"].get<std::uint64_t>(), last_acked) << "cycle " << cycle;
        int missing = 0;
        for (const auto& [seq, text] : acked)
            if (item_of(f.state, "timeline", std::string("i").append(std::to_string(seq))).value("text", "") != text)
                ++missing;
        EXPECT_EQ(missing, 0) << "cycle " << cycle << ": " << missing << " acknowledged items missing after the restart";

        // Everyone writes, pipelined, until the kill.
        const int kill_after = std::uniform_int_distribution<int>(30, 150)(rng);
        std::atomic<int> acks{0};
        std::atomic<bool> killed{false};
        std::vector<std::map<std::uint64_t, std::string>> got(writers);
        std::vector<std::thread> threads;
        for (int w = 0; w < writers; ++w)
            threads.emplace_back([&, w] {
                Ws_client& ws = members[w]->ws;
                std::map<std::string, std::string> text_of;
                int sent = 0, outstanding = 0;
                auto take = [&](const json& m) {
                    if (m.value("type", "") == "error") ++refused;
                    if (m.value("type", "") != "ack") return;
                    got[w][m["seq"].get<std::uint64_t>()] = text_of.at(m["id"]);
                    --outstanding;
                    ++acks;
                };
                while (!killed) {
                    while (outstanding < window) {
                        const auto id = next_command_id();
                        std::string text = "c";
                        text.append(std::to_string(cycle)).append(" w").append(std::to_string(w));
                        text.append(" #").append(std::to_string(sent++));
                        text_of[id] = text;
                        ws.send(do_message(id, "item.add", {{"board", "timeline"}, {"column", "event"}, {"text", text}}));
                        ++outstanding;
                    }
                    if (auto m = ws.recv(50ms)) take(*m);
                    else if (ws.closed()) break;
                }
                // Acks already on their way when the server died count too.
                while (auto m = ws.recv(200ms)) take(*m);
            });
        const auto deadline = Clock::now() + 10s;
        while (acks < kill_after && Clock::now() < deadline) std::this_thread::sleep_for(1ms);
        EXPECT_GE(acks.load(), kill_after) << "cycle " << cycle << ": the server stopped acknowledging";
        server.signal(SIGKILL);
        auto status = server.wait_exit(10s);
        EXPECT_TRUE(status && WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL);
        killed = true;
        for (auto& t : threads) t.join();
        for (const auto& g : got)
            for (const auto& [seq, text] : g) {
                EXPECT_TRUE(acked.emplace(seq, text).second) << "seq " << seq << " was acknowledged twice";
                last_acked = std::max(last_acked, seq);
            }
    }

    // After the last kill: everything acknowledged is stored, the log has no gap, work goes on.
    const auto lost = expect_nothing_acknowledged_lost(read_durable(db, keys.code), acked);
    EXPECT_EQ(refused.load(), 0);
    Server_process server(db, flags);
    Member f(server.port(), keys.code, with_token(tokens[0]));
    EXPECT_GE(f.seq, last_acked);
    f.settle(100ms);
    const auto before = f.seq;
    EXPECT_EQ(f.ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "after the last crash"}}), before + 1);
    std::printf("[ crash    ] %d SIGKILL cycles with %d writers: %zu commands acknowledged, last seq %llu, lost %d\n",
                cycles, writers, acked.size(), static_cast<unsigned long long>(last_acked), lost);
}
