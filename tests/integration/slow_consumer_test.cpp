// docs/protocol.md §9.5: a member that does not read its messages is dropped (bye slow_consumer, or
// its connection closed) and the others are not slowed: they get every patch and ack.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "support/meeting.hpp"

using namespace keha::itest;

namespace {

struct Figures {
    std::vector<double> ms;
    void print(const char* what) const
    {
        if (ms.empty()) return;
        auto s = ms;
        std::sort(s.begin(), s.end());
        auto at = [&](double q) { return s[std::min(s.size() - 1, static_cast<std::size_t>(q * s.size()))]; };
        std::printf("[ latency  ] %-44s n=%zu p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms\n", what, s.size(), at(0.5),
                    at(0.9), at(0.99), s.back());
        std::fflush(stdout);
    }
};

double ms_between(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

TEST(SlowConsumer, AMemberThatNeverReadsIsDroppedWhileTheOthersGetEveryPatchAndAck)
{
    Temp_dir dir;
    Server_process server(dir.path() / "slow.db", {"--queue-limit", "128", "--rate", "100000", "--burst", "100000",
                                                       "--participant-bytes", "0"});  // 3000 items of 2 KB from one sender
    const auto port = server.port();
    auto keys = create_room(port);
    Member f(port, keys.code, with_key(keys.facilitator_key));
    Member p(port, keys.code, as_participant("Sender"));

    // The stuck laptop: says hello, then never reads, with a small receive buffer.
    Ws_client stuck(port, {.read = false, .receive_buffer = 4096});
    stuck.send(hello_message(keys.code, as_participant("Stuck")));
    f.catch_up(p.seq + 1);
    ASSERT_EQ(f.patches.back()["cmd"], "participant.join");
    const std::string stuck_pid = f.patches.back()["patch"][0]["path"].get<std::string>().substr(std::string("/participants/").size());
    p.catch_up(f.seq);

    // The sender pipelines big items, at most `window` unacknowledged at a time. Enough bytes
    // to fill the kernel's buffers (a send buffer may grow to 4 MiB) and the server's queue.
    constexpr int n = 3000, window = 48;
    f.messages.clear();
    const std::string filler(1900, 'x');
    std::vector<Clock::time_point> sent_at(n);
    std::map<std::string, int> index_of;  // do.id -> k
    const std::uint64_t start = f.seq;
    Figures ack_latency, patch_latency;
    int acked = 0, sent = 0;
    std::map<std::uint64_t, Clock::time_point> f_patch_at;
    while (acked < n) {
        while (sent < n && sent - acked < window) {
            const auto id = next_command_id();
            index_of[id] = sent;
            sent_at[sent] = Clock::now();
            p.ws.send(do_message(id, "item.add", {{"board", "timeline"}, {"column", "event"},
                                                 {"text", "#" + std::to_string(sent) + " " + filler}}));
            ++sent;
        }
        auto r = p.ws.recv_timed(10s);
        ASSERT_TRUE(r) << "the sender was slowed down: " << acked << " acks";
        const auto& m = r->message;
        if (m["type"] == "ack") {
            ack_latency.ms.push_back(ms_between(sent_at[index_of.at(m["id"])], r->at));
            ++acked;
        } else {
            ASSERT_NE(m["type"], "error") << m.dump();
            ASSERT_NE(m["type"], "bye") << m.dump();
        }
        // The facilitator reads along.
        while (auto fm = f.ws.recv_timed(0ms)) {
            const auto& x = fm->message;
            f.messages.push_back(x);
            if (x["type"] == "patch" && x["cmd"] == "item.add") {
                const std::string text = x["patch"][0]["value"]["text"];
                const int k = std::stoi(text.substr(1, text.find(' ') - 1));
                patch_latency.ms.push_back(ms_between(sent_at[k], fm->at));
            }
            if (x["type"] == "patch") f_patch_at[x["seq"]] = fm->at;
            ASSERT_NE(x["type"], "bye") << "the facilitator was dropped: " << x.dump();
        }
    }
    // The facilitator gets every patch, gapless, and sees the stuck member go offline.
    std::uint64_t f_seq = start;
    bool stuck_offline = false;
    auto check = [&](const json& x) {
        if (x["type"] != "patch") return;
        EXPECT_EQ(x["seq"], f_seq + 1);
        f_seq = x["seq"];
        if (x["cmd"] == "participant.offline" && x["patch"][0]["path"].get<std::string>().find(stuck_pid) != std::string::npos)
            stuck_offline = true;
    };
    for (const auto& x : f.messages) check(x);
    const auto deadline = Clock::now() + 15s;
    // Count the items themselves: the stuck member's offline patch also takes a seq.
    while ((patch_latency.ms.size() < static_cast<std::size_t>(n) || !stuck_offline) && Clock::now() < deadline) {
        auto fm = f.ws.recv_timed(1s);
        if (!fm) continue;
        if (fm->message["type"] == "patch" && fm->message["cmd"] == "item.add") {
            const std::string text = fm->message["patch"][0]["value"]["text"];
            patch_latency.ms.push_back(ms_between(sent_at[std::stoi(text.substr(1, text.find(' ') - 1))], fm->at));
        }
        check(fm->message);
    }
    EXPECT_GE(f_seq, start + n);
    EXPECT_TRUE(stuck_offline) << "the stuck member was never dropped";
    EXPECT_EQ(patch_latency.ms.size(), static_cast<std::size_t>(n));

    // The stuck member, reading at last, finds a prefix of the meeting and then the end.
    stuck.start_reading();
    int patches = 0;
    bool bye = false;
    for (int i = 0; i < n + 10; ++i) {
        auto m = stuck.recv(2s);
        if (!m) break;
        if ((*m)["type"] == "patch") ++patches;
        if ((*m)["type"] == "bye") {
            EXPECT_EQ((*m)["reason"], "slow_consumer");
            bye = true;
        }
    }
    EXPECT_TRUE(stuck.wait_closed(5s));
    EXPECT_LT(patches, n) << "the stuck member got everything, so the test proved nothing";
    std::printf("[ slow     ] the stuck member got %d of %d patches before it was dropped (%s)\n", patches, n,
                bye ? "bye slow_consumer" : "connection closed");
    ack_latency.print("sender: item.add -> its ack");
    patch_latency.print("facilitator: item.add -> the patch");
    EXPECT_NE(server.log_text().find("slow_consumer"), std::string::npos);
}
