#include "support/failover_load.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>

#include "support/cluster.hpp"

namespace keha::cluster_test {
namespace {

using Ms = std::chrono::milliseconds;
using namespace std::chrono_literals;

double ms_since(Clock::time_point from) { return std::chrono::duration<double, std::milli>(Clock::now() - from).count(); }

}  // namespace

itest::Ws_client::Options routed(const std::string& code)
{
    itest::Ws_client::Options options;
    options.target = "/ws?room=" + code;
    return options;
}

double percentile(std::vector<double> values, double p)
{
    std::sort(values.begin(), values.end());
    const auto at = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
    return values[std::min(at, values.size() - 1)];
}

Person::Person(std::uint16_t port, itest::Room_keys room, std::string name, json first_hello)
    : port_(port), room_(std::move(room)), name_(std::move(name))
{
    member_ = std::make_unique<itest::Member>(port_, room_.code, std::move(first_hello), routed(room_.code));
    token_ = member_->token;
}

void Person::start(Failover& failover)
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

void Person::join()
{
    if (thread_.joinable()) thread_.join();
}

std::vector<std::string> Person::problems()
{
    std::lock_guard lock(mutex_);
    return problems_;
}

std::optional<double> Person::back_after_ms() const
{
    const double ms = back_after_ms_;
    return ms < 0 ? std::nullopt : std::optional<double>(ms);
}

std::optional<double> Person::back_after_return_ms() const
{
    const double ms = back_after_return_ms_;
    return ms < 0 ? std::nullopt : std::optional<double>(ms);
}

void Person::run(Failover& failover)
{
    std::mt19937 random(std::random_device{}());
    bool lost_since_kill = false, lost_since_return = false;
    for (int n = 0; !failover.stop; ++n) {
        if (!member_) {
            const bool returned = failover.returned;  // lost before the reconnect starts
            reconnect(failover);
            lost_since_kill = failover.killed;
            lost_since_return = returned;
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
            if (lost_since_return && back_after_return_ms_ < 0) back_after_return_ms_ = ms_since(failover.returned_at);
        }
        std::this_thread::sleep_for(Ms(100 + random() % 100));
    }
}

// The reply to `id`, or nothing when the connection ended first.
std::optional<json> Person::reply_to(const std::string& id)
{
    const auto until = Clock::now() + 10s;
    while (Clock::now() < until) {
        if (auto it = member_->replies.find(id); it != member_->replies.end()) return it->second;
        if (!member_->try_next(200ms) && member_->ws.closed()) return std::nullopt;
    }
    throw std::runtime_error(name_ + ": no reply to a command within 10 s on an open connection");
}

void Person::reconnect(Failover& failover)
{
    ++reconnects_;
    double delay = 300;
    std::mt19937 random(std::random_device{}());
    const auto until = Clock::now() + back_within;
    while (!failover.stop && Clock::now() < until) {
        std::this_thread::sleep_for(Ms(static_cast<int>(delay * (0.8 + 0.4 * (random() % 1000) / 1000.0))));
        delay = std::min(delay * 1.6, 4000.0);
        std::unique_ptr<itest::Member> m;
        try {
            m = std::make_unique<itest::Member>(port_, room_.code, itest::with_token(token_, seq_), routed(room_.code),
                                                state_);
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
void Person::check_replay(const json& welcome, std::uint64_t since)
{
    if (!welcome.contains("replay")) return;
    std::uint64_t expected = since + 1;
    for (const auto& patch : welcome["replay"]) {
        if (patch.at("seq").get<std::uint64_t>() != expected)
            throw std::logic_error(name_ + ": replay seq " + patch.at("seq").dump() + " after " + std::to_string(expected - 1));
        ++expected;
    }
}

long Failover_run::rooms_on(const std::string& node) const
{
    return std::count_if(node_of.begin(), node_of.end(), [&](const auto& r) { return r.second == node; });
}

namespace {

void start_people(Cluster& cluster, Failover_run& run)
{
    for (const auto& room : run.rooms) {
        run.people.push_back(
            std::make_unique<Person>(cluster.port(), room, "Facilitator", itest::with_key(room.facilitator_key)));
        run.people.back()->member()->ok("phase.goto", {{"phase", "timeline"}});
        for (const char* name : {"Aino", "Bertil"})
            run.people.push_back(std::make_unique<Person>(cluster.port(), room, name, itest::as_participant(name)));
    }
    for (auto& person : run.people) person->start(run.failover);
}

// Until every member of `victim`'s rooms is `back` (bounded by the members themselves).
template <class Back>
void wait_for(const Failover_run& run, const std::string& victim, Back back)
{
    const auto done = [&](const auto& p) { return !run.was_on(*p, victim) || back(*p) || !p->problems().empty(); };
    for (auto until = Clock::now() + Person::back_within + 5s; Clock::now() < until;) {
        if (std::all_of(run.people.begin(), run.people.end(), done)) return;
        std::this_thread::sleep_for(100ms);
    }
}

void stop_people(Failover_run& run)
{
    run.failover.stop = true;
    for (auto& person : run.people) person->join();
}

}  // namespace

std::unique_ptr<Failover_run> kill_mid_load(Cluster& cluster, int rooms, const std::string& victim, bool keep_going)
{
    auto run = std::make_unique<Failover_run>();
    for (int i = 0; i < rooms; ++i) {
        run->rooms.push_back(itest::create_room(cluster.port()));
        run->node_of[run->rooms.back().code] = cluster.node_of(run->rooms.back().code);
    }
    for (const auto& node : Cluster::node_names)
        if (run->rooms_on(node) == 0) throw std::runtime_error("HAProxy sent none of the rooms to " + node);
    start_people(cluster, *run);

    std::this_thread::sleep_for(2s);
    run->failover.killed_at = Clock::now();
    run->failover.killed = true;
    cluster.kill(victim);
    // Until every member of the victim's rooms is back and had a command acknowledged, then a
    // little more load on the survivor.
    wait_for(*run, victim, [](const Person& p) { return p.back_after_ms().has_value(); });
    std::this_thread::sleep_for(1s);
    if (!keep_going) stop_people(*run);
    return run;
}

double bring_back(Cluster& cluster, Failover_run& run, const std::string& victim)
{
    run.failover.returned_at = Clock::now();
    run.failover.returned = true;
    cluster.restart(victim);
    const double up_after_ms = ms_since(run.failover.returned_at);
    wait_for(run, victim, [](const Person& p) { return p.back_after_return_ms().has_value(); });
    std::this_thread::sleep_for(1s);
    stop_people(run);
    return up_after_ms;
}

}  // namespace keha::cluster_test
