#pragma once
// Members of meetings on a Cluster (cluster.hpp) sending commands while a node dies: what the
// Failover test checks (nothing acknowledged lost) and what `make bench` measures (how long a
// member of the dead node's rooms takes to be back and able to send, tests/bench/failover.cpp).
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/meeting.hpp"

namespace keha::cluster_test {

using itest::Clock;
using itest::json;

// The WebSocket address HAProxy hashes on: /ws?room=CODE.
itest::Ws_client::Options routed(const std::string& code);

// When a node dies (and comes back), what the room's members acknowledged and when they were back.
struct Failover {
    Clock::time_point killed_at{}, returned_at{};
    std::atomic<bool> killed{false};
    std::atomic<bool> returned{false};  // the killed node was started again
    std::atomic<bool> stop{false};
};

// One member of a room, on its own thread: sends an item every 100-200 ms and waits for its
// reply; when the connection ends, reconnects through HAProxy with its token and the seq it
// had (backoff as assets/web/conn.js: 300 ms, ×1.6 up to 4 s, ±20%) and goes on. One not
// back within `back_within` has a problem.
class Person {
public:
    static constexpr auto back_within = std::chrono::seconds(30);

    Person(std::uint16_t port, itest::Room_keys room, std::string name, json first_hello);
    ~Person() { join(); }
    Person(const Person&) = delete;
    Person& operator=(const Person&) = delete;

    void start(Failover& failover);
    void join();

    itest::Member* member() { return member_.get(); }  // null when it could not come back
    const std::string& code() const { return room_.code; }
    const std::string& token() const { return token_; }
    const std::map<std::uint64_t, std::string>& acked() const { return acked_; }
    std::vector<std::string> problems();
    int reconnects() const { return reconnects_; }
    // From the kill until its first command acknowledged after it came back.
    std::optional<double> back_after_ms() const;
    // From the killed node's new start until its first command acknowledged after its room
    // moved back there (its connection ended after that start).
    std::optional<double> back_after_return_ms() const;

private:
    void run(Failover& failover);
    std::optional<json> reply_to(const std::string& id);
    void reconnect(Failover& failover);
    void check_replay(const json& welcome, std::uint64_t since);

    std::uint16_t port_;
    itest::Room_keys room_;
    std::string name_, token_;
    std::unique_ptr<itest::Member> member_;
    json state_;  // what the member had when its connection ended, for its resume
    std::uint64_t seq_ = 0;
    std::map<std::uint64_t, std::string> acked_;
    std::atomic<double> back_after_ms_{-1};
    std::atomic<double> back_after_return_ms_{-1};
    std::atomic<int> reconnects_{0};
    std::thread thread_;
    std::mutex mutex_;
    std::vector<std::string> problems_;
};

class Cluster;

// Rooms made through HAProxy, each with a facilitator and two participants sending; `victim`
// killed with SIGKILL after 2 s of it. Returned once every member of the victim's rooms is back
// and had a command acknowledged (or has a problem, or Person::back_within has passed), and a
// second more of load on the survivor, with every member stopped (or, with `keep_going`,
// still sending: see bring_back). Throws when HAProxy sent no room to one of the nodes.
struct Failover_run {
    std::vector<itest::Room_keys> rooms;
    std::map<std::string, std::string> node_of;  // room code -> the node HAProxy sent it to first
    std::vector<std::unique_ptr<Person>> people;
    Failover failover;

    long rooms_on(const std::string& node) const;
    bool was_on(const Person& person, const std::string& node) const { return node_of.at(person.code()) == node; }
};
std::unique_ptr<Failover_run> kill_mid_load(Cluster& cluster, int rooms, const std::string& victim,
                                           bool keep_going = false);
// The killed node started again while the members go on sending; returned (with every member
// stopped) once every member of its rooms was back on it and had a command acknowledged (or
// has a problem, or Person::back_within has passed), and a second more of load. The time from
// the start until HAProxy counted the node up, in ms.
double bring_back(Cluster& cluster, Failover_run& run, const std::string& victim);

// The p-th (0..1) of `values` (not empty), nearest rank.
double percentile(std::vector<double> values, double p);

}  // namespace keha::cluster_test
