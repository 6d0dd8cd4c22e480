// Failover (docs/deployment.md, "Several nodes behind HAProxy"): twenty rooms with members
// spread over two nodes send commands through HAProxy; one node is killed with SIGKILL in the
// middle of it. Every member of its rooms reconnects through HAProxy, as the browser view does
// (the same backoff), resumes on the other node and sends again; members of the other node's
// rooms never notice. Afterwards every acknowledged command is in the database at its seq, the
// seqs are gapless, no seq was acknowledged for two commands, and every member's state equals
// a fresh welcome. The test prints how long members took from the node's death until they
// were back and had a command acknowledged (p50, p99, max).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>

#include "pg_connection.hpp"
#include "support/cluster.hpp"
#include "support/meeting.hpp"

using namespace keha::itest;
using keha::cluster_test::Cluster;

namespace {

using Ms = std::chrono::milliseconds;
constexpr int rooms_count = 20;
constexpr auto back_within = 30s;  // a member not back by then fails the test

Ws_client::Options routed(const std::string& code)
{
    Ws_client::Options options;
    options.target = "/ws?room=" + code;
    return options;
}

double ms_since(Clock::time_point from) { return std::chrono::duration<double, std::milli>(Clock::now() - from).count(); }

// A fresh welcome (full state) through HAProxy for the participant behind `token`.
json routed_welcome(std::uint16_t port, const std::string& code, const std::string& token)
{
    Ws_client ws(port, routed(code));
    ws.send(hello_message(code, with_token(token)));
    auto w = ws.recv();
    if (!w || w->value("type", "") != "welcome" || !w->contains("state"))
        throw std::runtime_error("fresh welcome failed: " + (w ? w->dump() : std::string("nothing")));
    ws.close();
    return *w;
}

// When a node dies, what the room's members acknowledged and when they were back.
struct Failover {
    Clock::time_point killed_at{};
    std::atomic<bool> killed{false};
    std::atomic<bool> stop{false};
};

// One member of a room, on its own thread: sends an item every 100-200 ms and waits for its
// reply; when the connection ends, reconnects through HAProxy with its token and the seq it
// had (backoff as assets/web/conn.js: 300 ms, ×1.6 up to 4 s, ±20%) and goes on.
class Person {
public:
    Person(std::uint16_t port, Room_keys room, std::string name, json first_hello)
        : port_(port), room_(std::move(room)), name_(std::move(name))
    {
        member_ = std::make_unique<Member>(port_, room_.code, std::move(first_hello), routed(room_.code));
        token_ = member_->token;
    }

    void start(Failover& failover)
    {
        thread_ = std::thread([this, &failover] {
            try {
                run(failover);
            } catch (const std::exception& e) {
                std::lock_guard lock(mutex_);
                problems_.push_back(e.what());
            }
        });
    }
    void join()
    {
        if (thread_.joinable()) thread_.join();
    }

    Member* member() { return member_.get(); }  // null when it could not come back
    const std::string& code() const { return room_.code; }
    const std::string& token() const { return token_; }
    const std::map<std::uint64_t, std::string>& acked() const { return acked_; }
    std::vector<std::string> problems()
    {
        std::lock_guard lock(mutex_);
        return problems_;
    }
    int reconnects() const { return reconnects_; }
    std::optional<double> back_after_ms() const
    {
        const double ms = back_after_ms_;
        return ms < 0 ? std::nullopt : std::optional<double>(ms);
    }

private:
    void run(Failover& failover)
    {
        std::mt19937 random(std::random_device{}());
        bool lost_since_kill = false;
        for (int n = 0; !failover.stop; ++n) {
            if (!member_) {
                reconnect(failover);
                lost_since_kill = failover.killed;
                continue;
            }
            const std::string text = name_ + " " + std::to_string(n);
            const auto id = member_->send("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", text}});
            const auto reply = reply_to(id);
            if (!reply) {  // the connection ended; the command may or may not have been saved
                state_ = member_->state;
                seq_ = member_->seq;
                member_.reset();
                continue;
            }
            if ((*reply)["type"] == "ack") {
                const std::uint64_t seq = (*reply)["seq"];
                if (!acked_.emplace(seq, text).second) throw std::runtime_error("seq acknowledged twice");
                if (lost_since_kill && back_after_ms_ < 0) back_after_ms_ = ms_since(failover.killed_at);
            }
            std::this_thread::sleep_for(Ms(100 + random() % 100));
        }
    }

    // The reply to `id`, or nothing when the connection ended first.
    std::optional<json> reply_to(const std::string& id)
    {
        const auto until = Clock::now() + 10s;
        while (Clock::now() < until) {
            if (auto it = member_->replies.find(id); it != member_->replies.end()) return it->second;
            if (!member_->try_next(200ms) && member_->ws.closed()) return std::nullopt;
        }
        throw std::runtime_error(name_ + ": no reply to a command within 10 s on an open connection");
    }

    void reconnect(Failover& failover)
    {
        ++reconnects_;
        double delay = 300;
        std::mt19937 random(std::random_device{}());
        const auto until = Clock::now() + back_within;
        while (!failover.stop && Clock::now() < until) {
            std::this_thread::sleep_for(Ms(static_cast<int>(delay * (0.8 + 0.4 * (random() % 1000) / 1000.0))));
            delay = std::min(delay * 1.6, 4000.0);
            std::unique_ptr<Member> m;
            try {
                m = std::make_unique<Member>(port_, room_.code, with_token(token_, seq_), routed(room_.code), state_);
            } catch (const std::exception&) {
                continue;  // HAProxy had no node for it, or the node said to come back: again
            }
            check_replay(m->welcome, seq_);
            member_ = std::move(m);
            return;
        }
        if (!failover.stop) throw std::runtime_error(name_ + " was not back within 30 s");
    }

    // A resume's replay continues at the seq the member had, without gaps.
    void check_replay(const json& welcome, std::uint64_t since)
    {
        if (!welcome.contains("replay")) return;
        std::uint64_t expected = since + 1;
        for (const auto& patch : welcome["replay"]) {
            if (patch.at("seq").get<std::uint64_t>() != expected)
                throw std::logic_error(name_ + ": replay seq " + patch.at("seq").dump() + " after " + std::to_string(expected - 1));
            ++expected;
        }
    }

    std::uint16_t port_;
    Room_keys room_;
    std::string name_, token_;
    std::unique_ptr<Member> member_;
    json state_;             // what the member had when its connection ended, for its resume
    std::uint64_t seq_ = 0;
    std::map<std::uint64_t, std::string> acked_;
    std::atomic<double> back_after_ms_{-1};  // from the kill until its first ack after it came back
    std::atomic<int> reconnects_{0};
    std::thread thread_;
    std::mutex mutex_;
    std::vector<std::string> problems_;
};

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    const auto at = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(at, values.size() - 1)];
}

// The seqs of the room's ops as the database has them, in order.
std::vector<std::uint64_t> stored_seqs(const std::string& dsn, const std::string& code)
{
    keha::server::Pg_connection db(dsn);
    auto rows = db.run("SELECT seq FROM ops WHERE room = $1 ORDER BY seq", {code});
    std::vector<std::uint64_t> seqs;
    for (int r = 0; r < rows.rows(); ++r) seqs.push_back(static_cast<std::uint64_t>(rows.integer(r, 0)));
    return seqs;
}

// The first message on a new connection through HAProxy after a hello as a newcomer.
json newcomer_answer(std::uint16_t port, const std::string& code)
{
    Ws_client ws(port, routed(code));
    ws.send(hello_message(code, as_participant("Newcomer")));
    auto answer = ws.recv();
    return answer ? *answer : json();
}

// node1 comes back. A room that moved to node2 stays there while its members are in it: a
// newcomer HAProxy sends to node1 is told to come back (bye moved), and node2 goes on taking
// the members' commands. Once everyone has left and node2 unloaded it (--idle-unload 1), the
// next hello takes the room on node1, and its seqs go on from node2's.
void the_room_moves_back(Cluster& cluster, const std::string& code, std::vector<Member*> members)
{
    cluster.restart("node1");
    const json refused = newcomer_answer(cluster.port(), code);
    EXPECT_EQ(refused.value("type", ""), "bye") << refused.dump();
    EXPECT_EQ(refused.value("reason", ""), "moved") << refused.dump();
    const auto on_node2 = members.front()->ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "still on node2"}});

    for (Member* m : members) m->ws.close();
    std::unique_ptr<Member> back;
    for (auto until = Clock::now() + 20s; !back && Clock::now() < until;) {
        try {
            back = std::make_unique<Member>(cluster.port(), code, as_participant("Back on node1"), routed(code));
        } catch (const std::exception&) {
            std::this_thread::sleep_for(300ms);
        }
    }
    ASSERT_TRUE(back) << "the room never moved back to node1";
    const auto seq = back->ok("item.add", {{"board", "timeline"}, {"column", "event"}, {"text", "on node1 again"}});
    EXPECT_GT(seq, on_node2);
    EXPECT_EQ(item_of(back->state, "timeline", "i" + std::to_string(on_node2))["text"], "still on node2");
    EXPECT_NE(cluster.node("node1").log_text().find("room_loaded room=" + code), std::string::npos);
}

}  // namespace

TEST(Failover, ANodeKilledMidLoadItsMembersResumeOnTheOtherAndNothingAcknowledgedIsLost)
{
    Cluster cluster({"--rate", "100000", "--burst", "100000", "--idle-unload", "1"});
    std::vector<Room_keys> rooms;
    std::map<std::string, std::string> node_of;
    for (int i = 0; i < rooms_count; ++i) {
        rooms.push_back(create_room(cluster.port()));
        node_of[rooms.back().code] = cluster.node_of(rooms.back().code);
    }
    const auto count_on = [&](const std::string& node) {
        return std::count_if(node_of.begin(), node_of.end(), [&](const auto& r) { return r.second == node; });
    };
    ASSERT_GE(count_on("node1"), 1);
    ASSERT_GE(count_on("node2"), 1);

    std::vector<std::unique_ptr<Person>> people;
    for (const auto& room : rooms) {
        people.push_back(std::make_unique<Person>(cluster.port(), room, "Facilitator", with_key(room.facilitator_key)));
        people.back()->member()->ok("phase.goto", {{"phase", "timeline"}});
        for (const char* name : {"Aino", "Bertil"})
            people.push_back(std::make_unique<Person>(cluster.port(), room, name, as_participant(name)));
    }
    Failover failover;
    for (auto& person : people) person->start(failover);

    std::this_thread::sleep_for(2s);
    failover.killed_at = Clock::now();
    failover.killed = true;
    cluster.kill("node1");
    // Until every member of node1's rooms is back and had a command acknowledged (bounded by
    // the members themselves), then a little more load on the survivor.
    for (auto until = Clock::now() + back_within + 5s; Clock::now() < until;) {
        const bool all_back = std::all_of(people.begin(), people.end(), [&](const auto& p) {
            return node_of.at(p->code()) != "node1" || p->back_after_ms() || !p->problems().empty();
        });
        if (all_back) break;
        std::this_thread::sleep_for(100ms);
    }
    std::this_thread::sleep_for(1s);
    failover.stop = true;
    for (auto& person : people) person->join();

    std::vector<double> back;
    for (auto& person : people) {
        ASSERT_TRUE(person->problems().empty()) << person->code() << ": " << person->problems().front();
        ASSERT_TRUE(person->member());
        const auto& who = person->member()->you;
        if (node_of[person->code()] == "node1") {
            EXPECT_TRUE(person->back_after_ms()) << who << " in " << person->code() << " never sent again";
            if (person->back_after_ms()) back.push_back(*person->back_after_ms());
        } else {
            EXPECT_EQ(person->reconnects(), 0) << who << " of a room on the surviving node lost its connection";
        }
    }
    ASSERT_FALSE(back.empty());
    std::printf("failover: node1 (%ld of %d rooms, %zu members) killed with SIGKILL; back and acknowledged again after "
                "p50 %.0f ms, p99 %.0f ms, max %.0f ms\n",
                static_cast<long>(count_on("node1")), rooms_count, back.size(), percentile(back, 0.5),
                percentile(back, 0.99), percentile(back, 1.0));

    for (const auto& room : rooms) {
        std::map<std::uint64_t, std::string> acked;
        for (auto& person : people) {
            if (person->code() != room.code) continue;
            for (const auto& [seq, text] : person->acked())
                EXPECT_TRUE(acked.emplace(seq, text).second) << room.code << " seq " << seq << " acknowledged twice";
        }
        const auto seqs = stored_seqs(cluster.dsn(), room.code);
        for (std::size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], i + 1) << room.code << ": a gap in the stored seqs";
        for (auto& person : people) {
            if (person->code() != room.code) continue;
            auto& member = *person->member();
            member.settle();
            EXPECT_EQ(member.gaps, 0);
            const json fresh = routed_welcome(cluster.port(), room.code, person->token());
            EXPECT_EQ(member.state, fresh["state"]) << room.code << " " << member.you;
            for (const auto& [seq, text] : acked)
                EXPECT_EQ(item_of(fresh["state"], "timeline", "i" + std::to_string(seq))["text"], text)
                    << room.code << " seq " << seq << " was acknowledged and is not there";
        }
    }

    // The killed node returns; one of the rooms it had moves back, never on two nodes at once.
    const auto moved = std::find_if(rooms.begin(), rooms.end(), [&](const auto& r) { return node_of[r.code] == "node1"; });
    std::vector<Member*> members;
    for (auto& person : people)
        if (person->code() == moved->code) members.push_back(person->member());
    the_room_moves_back(cluster, moved->code, members);
    const auto seqs = stored_seqs(cluster.dsn(), moved->code);
    for (std::size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], i + 1) << moved->code << ": a gap after the move";
}
