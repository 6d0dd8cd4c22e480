// The server's write path under load (docs/architecture.md, "Flow control"): a member's queued
// messages leave framed by the server in one gather write and arrive whole and in order; a
// member whose answers pile up is not read until they come down (backpressure), without
// touching another meeting; and the log says how many members the file limit lets in.
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <regex>
#include <string>
#include <thread>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

// The port of --metrics-bind, from the line the server logs before it says it runs.
std::uint16_t metrics_port(const Server_process& server)
{
    static const std::regex re(R"(metrics_listening address=127\.0\.0\.1 port=(\d+))");
    std::smatch m;
    const std::string log = server.log_text();
    if (!std::regex_search(log, m, re)) throw std::runtime_error("no metrics_listening line in\n" + log);
    return static_cast<std::uint16_t>(std::stoi(m[1]));
}

// One counter of /metrics (a sample without labels).
double counter(std::uint16_t metrics, const std::string& name)
{
    const auto answer = http_get(metrics, "/metrics");
    EXPECT_EQ(answer.status, 200);
    const std::regex re("(^|\n)" + name + " ([0-9.e+]+)\n");
    std::smatch m;
    if (!std::regex_search(answer.body, m, re)) throw std::runtime_error("no " + name + " in\n" + answer.body);
    return std::stod(m[2]);
}

json item_add(const std::string& text) { return {{"board", "timeline"}, {"column", "event"}, {"text", text}}; }

// The k of an item text "#k ...".
int number_of(const json& patch)
{
    const std::string text = patch["patch"][0]["value"]["text"];
    return std::stoi(text.substr(1, text.find(' ') - 1));
}

// Enough bytes to fill the kernel's buffers of a connection that reads nothing (a send buffer
// may grow to 4 MiB), so the rest waits in the server's queue and leaves in gather writes.
constexpr int burst = 3000;
const std::string filler(1900, 'x');

}  // namespace

TEST(CoalescedWrites, ABurstReachesAMemberWholeAndInOrderInFewerWritesThanMessages)
{
    Temp_dir dir;
    Server_process server(dir.path() / "burst.db", {"--metrics-bind", "127.0.0.1:0", "--queue-limit", "100000",
                                                     "--rate", "100000", "--burst", "100000"});
    const auto port = server.port();
    const auto metrics = metrics_port(server);
    auto keys = create_room(port);
    // The sender takes its messages as they come (a Member would apply 3000 big patches).
    Ws_client f(port);
    f.send(hello_message(keys.code, with_key(keys.facilitator_key)));
    auto f_welcome = f.recv(10s);
    ASSERT_TRUE(f_welcome);
    ASSERT_EQ((*f_welcome)["type"], "welcome");

    // The reader says hello and reads nothing while the burst comes, through a small window.
    Ws_client reader(port, {.read = false, .receive_buffer = 4096});
    reader.send(hello_message(keys.code, as_participant("Reader")));
    std::uint64_t start = 0;
    while (start == 0) {
        auto m = f.recv(10s);
        ASSERT_TRUE(m);
        if ((*m)["type"] == "patch" && (*m)["cmd"] == "participant.join") start = (*m)["seq"];
    }

    // The facilitator pipelines the burst, at most `window` unacknowledged at a time.
    constexpr int window = 64;
    int sent = 0, acked = 0;
    while (acked < burst) {
        for (; sent < burst && sent - acked < window; ++sent)
            f.send(do_message(next_command_id(), "item.add", item_add("#" + std::to_string(sent) + " " + filler)));
        auto m = f.recv(10s);
        ASSERT_TRUE(m) << f.end_reason();
        if ((*m)["type"] == "ack") ++acked;
        ASSERT_NE((*m)["type"], "error") << m->dump();
    }
    const double writes_before = counter(metrics, "keha_websocket_writes_total");
    const double messages_before = counter(metrics, "keha_websocket_messages_sent_total");

    // Now it reads: its welcome, then every patch after it, each a whole message, gapless and
    // in the order the items were sent.
    reader.start_reading();
    auto welcome = reader.recv(10s);
    ASSERT_TRUE(welcome);
    ASSERT_EQ((*welcome)["type"], "welcome") << welcome->dump();
    std::uint64_t seq = (*welcome)["seq"];
    ASSERT_LE(seq, start);
    int next_item = 0;
    while (seq < start + burst) {
        auto m = reader.recv(10s);
        ASSERT_TRUE(m) << "the reader stopped at seq " << seq << ": " << reader.end_reason();
        ASSERT_FALSE(m->contains("__raw")) << "not a whole JSON message";
        ASSERT_EQ((*m)["type"], "patch") << m->dump();
        ASSERT_EQ((*m)["seq"], seq + 1);
        seq = (*m)["seq"];
        if ((*m)["cmd"] != "item.add") continue;
        ASSERT_EQ(number_of(*m), next_item) << "a patch out of order";
        ASSERT_EQ((*m)["patch"][0]["value"]["text"].get<std::string>().size(), filler.size() + 2 + std::to_string(next_item).size());
        ++next_item;
    }
    EXPECT_EQ(next_item, burst);

    // What waited in the reader's queue left several messages to a write.
    const double writes = counter(metrics, "keha_websocket_writes_total") - writes_before;
    const double messages = counter(metrics, "keha_websocket_messages_sent_total") - messages_before;
    std::printf("[ writes   ] %.0f messages to the reader and others in %.0f writes after it began to read\n", messages,
                writes);
    EXPECT_GT(messages, 2 * writes);

    // The connection goes on: a ping is answered after the burst.
    reader.send(json{{"type", "ping"}, {"t", 1}});
    auto pong = reader.recv(5s);
    ASSERT_TRUE(pong);
    EXPECT_EQ((*pong)["type"], "pong");
}

TEST(Backpressure, AMemberWhoseAnswersPileUpIsNotReadUntilTheyComeDownAndAnotherMeetingGoesOn)
{
    Temp_dir dir;
    // Reading pauses at a quarter of the queue limit: the flooder's answers never reach it.
    Server_process server(dir.path() / "flood.db", {"--metrics-bind", "127.0.0.1:0", "--queue-limit", "64", "--rate",
                                                     "100000", "--burst", "100000"});
    const auto port = server.port();
    const auto metrics = metrics_port(server);
    auto a = create_room(port);
    auto b = create_room(port);
    Member other(port, b.code, with_key(b.facilitator_key));

    // The flooder sends a burst of big items and reads none of its answers.
    Ws_client flooder(port, {.read = false, .receive_buffer = 4096});
    flooder.send(hello_message(a.code, with_key(a.facilitator_key)));
    for (int k = 0; k < burst; ++k)
        flooder.send(do_message("f" + std::to_string(k), "item.add", item_add("#" + std::to_string(k) + " " + filler)));

    // The server stops reading it...
    double paused = 0;
    for (int round = 0; round < 500 && paused == 0; ++round) {
        paused = counter(metrics, "keha_reads_paused_total");
        if (paused == 0) std::this_thread::sleep_for(20ms);
    }
    EXPECT_GT(paused, 0) << "the flooder was never paused";

    // ...while the other meeting is answered as always.
    for (int k = 0; k < 20; ++k) other.ok("item.add", item_add("other " + std::to_string(k)));

    // Reading at last, the flooder finds an answer to every command it sent, in order, and was
    // never sent away as a slow consumer.
    flooder.start_reading();
    auto welcome = flooder.recv(10s);
    ASSERT_TRUE(welcome) << flooder.end_reason() << "\n" << server.log_text();
    ASSERT_EQ((*welcome)["type"], "welcome") << welcome->dump();
    int acks = 0;
    while (acks < burst) {
        auto m = flooder.recv(10s);
        ASSERT_TRUE(m) << "the flooder got " << acks << " acks, then nothing: " << flooder.end_reason();
        ASSERT_NE((*m)["type"], "bye") << m->dump();
        ASSERT_NE((*m)["type"], "error") << m->dump();
        if ((*m)["type"] != "ack") continue;
        ASSERT_EQ((*m)["id"], "f" + std::to_string(acks));
        ++acks;
    }
    EXPECT_EQ(counter(metrics, "keha_slow_consumer_disconnects_total"), 0);
    EXPECT_GE(counter(metrics, "keha_reads_paused_total"), paused);
}

TEST(FileLimit, TheServerRaisesItsOpenFileLimitToTheHardLimitAndSaysHowManyMembersFit)
{
    rlimit mine{};
    ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &mine), 0);
    // Started under a low soft limit, as a service with the default one is.
    rlimit low = mine;
    low.rlim_cur = std::min<rlim_t>(mine.rlim_max, 256);
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
    Temp_dir dir;
    std::optional<Server_process> server;
    server.emplace(dir.path() / "limit.db");
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &mine), 0);

    const std::string log = server->log_text();
    const std::string expected = "file_limit open_files=" + std::to_string(mine.rlim_max) +
                                 " members_fit=" + std::to_string(mine.rlim_max > 64 ? mine.rlim_max - 64 : 0);
    EXPECT_NE(log.find(expected), std::string::npos) << "expected \"" << expected << "\" in\n" << log;
}
