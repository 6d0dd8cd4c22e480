#include "scenarios.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string_view>

#include "ws_load.hpp"

namespace bench {

namespace {

using nlohmann::json;
constexpr std::int64_t ms_ns = 1'000'000;
constexpr std::int64_t s_ns = 1'000'000'000;
constexpr int members_per_room = 20;  // the rooms curve's rooms
constexpr int concurrent_joins = 256;

struct Samples {
    std::vector<float> us;
    void add(std::int64_t ns) { us.push_back(static_cast<float>(double(ns) / 1000.0)); }
    double ms(double p)
    {
        if (us.empty()) return 0;
        std::sort(us.begin(), us.end());
        const auto at = std::min(us.size() - 1, static_cast<std::size_t>(p / 100.0 * double(us.size())));
        return us[at] / 1000.0;
    }
};

// The decimal number right after `key` in a message (-1 when there is none).
std::int64_t number_after(std::string_view m, std::string_view key)
{
    auto at = m.find(key);
    if (at == std::string_view::npos) return -1;
    std::int64_t n = 0;
    bool any = false;
    for (at += key.size(); at < m.size() && m[at] >= '0' && m[at] <= '9'; ++at, any = true) n = n * 10 + (m[at] - '0');
    return any ? n : -1;
}

bool has(std::string_view m, std::string_view what) { return m.find(what) != std::string_view::npos; }

// One server of a target and the generator's connections to it, with what they heard.
class Driver {
public:
    Driver(const Target& target, const Settings& settings) : settings_(settings), server(target, settings.dir)
    {
        load.listener.message = [this](Conn& c, std::string_view m) { on_message(c, m); };
        load.listener.closed = [this](Conn& c) {
            if (!c.welcomed) ++failed;
            else if (c.group < int(room_members.size())) --room_members[std::size_t(c.group)];
        };
    }

    // Joins `count` members to each room in `codes` (room i is group first + i), a few hundred
    // at a time; gives up on the rest when nobody is welcomed for 10 s (a server out of descriptors).
    std::vector<std::vector<Conn*>> join(const std::vector<std::string>& codes, int count, int first = 0)
    {
        std::vector<std::vector<Conn*>> rooms(codes.size());
        room_members.resize(std::max(room_members.size(), std::size_t(first) + codes.size()), 0);
        std::size_t next = 0, total = codes.size() * std::size_t(count);
        std::uint64_t started = 0, settled = welcomed + failed, base = settled;
        std::int64_t progress = now_ns();
        auto done = [&] {
            if (welcomed + failed != settled) settled = welcomed + failed, progress = now_ns();
            return (next == total && settled - base == started) || now_ns() - progress > 10 * s_ns;
        };
        auto tick = [&] {
            while (next < total && started - (welcomed + failed - base) < concurrent_joins) {
                const std::size_t r = next / std::size_t(count);
                const int m = int(next % std::size_t(count));
                rooms[r].push_back(&load.connect(server.port(), hello_json(codes[r], "m" + std::to_string(m)),
                                                 first + int(r), m));
                ++next, ++started;
            }
        };
        load.run_until(done, now_ns() + 600 * s_ns, tick);
        for (auto& room : rooms) {  // who was not welcomed leaves (its descriptor too)
            for (Conn* c : room)
                if (!c->welcomed) load.close(*c);
            std::erase_if(room, [](Conn* c) { return !c->welcomed; });
        }
        return rooms;
    }

    // Each member adds the item it will edit; its id comes back in the ack.
    void own_items(const std::vector<Conn*>& members)
    {
        const std::uint64_t want = acks + members.size();
        for (Conn* c : members)
            if (c->welcomed) load.send(*c, add_json("setup", "own item"));
        wait([&] { return acks >= want; }, 30);
    }

    bool wait(const std::function<bool()>& done, double seconds)
    {
        return load.run_until(done, now_ns() + std::int64_t(seconds * double(s_ns)));
    }
    void idle(double seconds) { wait([] { return false; }, seconds); }

    // Offers `rate` commands a second for `seconds` (command k due at start + k/rate; its
    // latency counts from then, so a late generator is not hidden), then waits for every ack
    // and delivery. `send_one(k, due)` sends command k and says how many members it reaches
    // (-1: it could not be sent, its room has nobody left to send it).
    json measure(double rate, double seconds, const std::function<int(std::uint64_t, std::int64_t)>& send_one,
                 double drain_s = 20, const std::function<void()>& also = {})
    {
        acks = deliveries = errors = sent = expected = 0;
        delivery = {}, ack = {};
        const Store_counts store0 = store_counts();
        const double cpu0 = server.cpu_s(), gen0 = own_cpu_s();
        const auto calls0 = load.read_calls + load.write_calls;
        const std::int64_t t0 = now_ns(), end = t0 + std::int64_t(seconds * double(s_ns));
        const double gap = double(s_ns) / rate;
        const auto total = static_cast<std::uint64_t>(rate * seconds);
        std::uint64_t k = 0;
        load.run_until([&] { return now_ns() >= end; }, end + ms_ns, [&] {
            const std::int64_t now = now_ns();
            for (std::int64_t due; k < total && (due = t0 + std::int64_t(double(k) * gap)) <= now; ++k) {
                const int reach = send_one(k, due);
                if (reach >= 0) expected += std::uint64_t(reach), ++sent;
            }
            if (also) also();
        }, 1);
        const std::uint64_t acks_in_window = acks, deliveries_in_window = deliveries;
        const bool drained =
            load.run_until([&] { return acks >= sent && deliveries >= expected; }, end + std::int64_t(drain_s * double(s_ns)));
        const std::int64_t t1 = now_ns();
        const double cpu = server.cpu_s() - cpu0, gen = own_cpu_s() - gen0;
        const double per = double(std::max<std::uint64_t>(1, deliveries));
        json out = store_figures(store0, store_counts());
        out.update(json{{"offered", rate}, {"seconds", seconds}, {"sent", sent}, {"acked", acks}, {"errors", errors},
                {"acked_per_s", double(acks_in_window) / seconds},
                {"delivered_per_s", double(deliveries_in_window) / seconds}, {"deliveries", deliveries},
                {"expected_deliveries", expected}, {"drained", drained}, {"drain_s", double(t1 - end) / double(s_ns)},
                {"delivery_p50_ms", delivery.ms(50)}, {"delivery_p99_ms", delivery.ms(99)},
                {"delivery_max_ms", delivery.ms(100)}, {"ack_p50_ms", ack.ms(50)}, {"ack_p99_ms", ack.ms(99)},
                {"server_cpu_us_per_delivery", cpu * 1e6 / per}, {"generator_cpu_us_per_delivery", gen * 1e6 / per},
                {"server_cores", cpu * double(s_ns) / double(t1 - t0)},
                {"generator_cores", gen * double(s_ns) / double(t1 - t0)},
                {"generator_syscalls_per_delivery", double(load.read_calls + load.write_calls - calls0) / per},
                {"load_average", load_average()}});
        return out;
    }

    // keha-server's commits, the pages they wrote and the commands applied (-1 for the peers).
    struct Store_counts {
        double commits, pages, commands;
    };
    Store_counts store_counts() const
    {
        return {server.metric("keha_store_commits_total"), server.metric("keha_store_pages_written_total"),
                server.metric("keha_commands_applied_total")};
    }
    static json store_figures(const Store_counts& a, const Store_counts& b)
    {
        const double commits = b.commits - a.commits;
        if (a.commits < 0 || b.commits < 0 || commits <= 0)
            return {{"store_commits", nullptr}, {"pages_per_commit", nullptr}, {"commands_per_commit", nullptr}};
        return {{"store_commits", commits}, {"pages_per_commit", (b.pages - a.pages) / commits},
                {"commands_per_commit", (b.commands - a.commands) / commits}};
    }

    const Settings& settings_;
    Server server;
    Load load;
    std::uint64_t welcomed = 0, failed = 0, acks = 0, deliveries = 0, errors = 0, sent = 0, expected = 0;
    std::vector<int> room_members;  // welcomed and still connected, by group
    Samples delivery, ack, welcome, connect_to_welcome;
    int welcome_group = -1;  // the group whose welcomes are sampled

private:
    void on_message(Conn& c, std::string_view m)
    {
        const std::int64_t now = now_ns();
        if (!c.welcomed) {
            if (!has(m, "\"type\":\"welcome\"")) return void(++errors);
            c.welcomed = true;
            ++welcomed;
            if (c.group < int(room_members.size())) ++room_members[std::size_t(c.group)];
            if (c.group == welcome_group)
                welcome.add(now - c.hello_ns), connect_to_welcome.add(now - c.connect_ns);
            return;
        }
        if (has(m, "\"type\":\"patch\"")) {
            if (auto stamp = number_after(m, "t="); stamp > 0) ++deliveries, delivery.add(now - stamp);
        } else if (has(m, "\"type\":\"ack\"")) {
            ++acks;
            if (auto id = number_after(m, "\"id\":\""); id > 0) ack.add(now - id);
            if (c.own_item.empty()) c.own_item = "i" + std::to_string(number_after(m, "\"seq\":"));
        } else if (has(m, "\"type\":\"error\"")) {
            ++errors;
        }
    }
};

// ", 2.1 pages and 3.4 commands a commit" for keha-server on SQLite, "" otherwise.
std::string store_line(const json& step)
{
    if (!step["pages_per_commit"].is_number() || step["pages_per_commit"].get<double>() <= 0) return "";
    char text[96];
    std::snprintf(text, sizeof text, ", %.2f pages and %.1f commands a commit", step["pages_per_commit"].get<double>(),
                  step["commands_per_commit"].get<double>());
    return text;
}

std::string stamp(std::int64_t due) { return "t=" + std::to_string(due) + ";"; }

// Every command answered: at least 90 % acknowledged within the step, the rest in the drain.
bool answered_in_full(const json& step)
{
    return step["drained"].get<bool>() && step["acked_per_s"].get<double>() >= 0.9 * step["offered"].get<double>();
}

// Answered in full with delivery p99 < 50 ms (the one-room target's latency).
bool sustainable(const json& step) { return answered_in_full(step) && step["delivery_p99_ms"].get<double>() < 50; }

}  // namespace

json one_room(const Target& target, const Settings& settings)
{
    const int members = 40;
    Driver d(target, settings);
    auto room = d.join({d.server.create_room("one room")}, members)[0];
    if (room.empty()) throw std::runtime_error("nobody could join the room");
    d.own_items(room);
    auto send_edit = [&](std::uint64_t k, std::int64_t due) {
        Conn& c = *room[k % room.size()];
        if (c.state != Conn::State::open) return -1;
        d.load.send(c, edit_json(std::to_string(due), c.own_item, stamp(due)));
        return d.room_members[0];
    };
    json steps = json::array();
    double sustained = 0, full = 0, peak = 0;
    for (int rate : settings.rates) {
        json step = d.measure(rate, settings.step_s, send_edit);
        std::printf("    %-16s %5d cmd/s offered: %7.0f acked/s, delivery p99 %8.2f ms, server %.2f us/delivery%s\n",
                    target.name.c_str(), rate, step["acked_per_s"].get<double>(), step["delivery_p99_ms"].get<double>(),
                    step["server_cpu_us_per_delivery"].get<double>(), store_line(step).c_str());
        std::fflush(stdout);
        if (sustainable(step)) sustained = std::max(sustained, double(rate));
        if (answered_in_full(step)) full = std::max(full, double(rate));
        peak = std::max(peak, step["acked_per_s"].get<double>());
        steps.push_back(step);
        d.idle(0.3);  // the next step starts on an empty server
        if (!step["drained"].get<bool>() || step["delivery_p99_ms"].get<double>() > 2000) break;
    }
    // Twice the highest rate answered in full, whatever its latency: a busy machine's p99 must
    // not make the overload a light load.
    const double over_rate = 2 * std::max(full, double(settings.rates.front()));
    json overload = d.measure(over_rate, 2 * settings.step_s, send_edit, 60);
    overload["held_of_peak"] = peak > 0 ? overload["acked_per_s"].get<double>() / peak : 0.0;
    std::printf("    %-16s overload %.0f cmd/s: %.0f acked/s = %.0f %% of the peak %.0f\n", target.name.c_str(), over_rate,
                overload["acked_per_s"].get<double>(), 100 * overload["held_of_peak"].get<double>(), peak);
    return {{"members", members}, {"connected", d.room_members[0]}, {"steps", steps}, {"sustained", sustained},
            {"answered_in_full", full}, {"peak", peak}, {"overload", overload}};
}

json members_curve(const Target& target, const Settings& settings)
{
    Driver d(target, settings);
    json points = json::array();
    int group = 0;
    for (int size : settings.room_sizes) {
        auto room = d.join({d.server.create_room("members")}, size, group)[0];
        if (room.empty()) throw std::runtime_error("nobody could join a room of " + std::to_string(size));
        d.own_items(room);
        const int g = group++;
        json point = d.measure(size * settings.member_rate, settings.step_s, [&](std::uint64_t k, std::int64_t due) {
            Conn& c = *room[k % room.size()];
            if (c.state != Conn::State::open) return -1;
            d.load.send(c, edit_json(std::to_string(due), c.own_item, stamp(due)));
            return d.room_members[std::size_t(g)];
        });
        point["members"] = size;
        point["connected"] = d.room_members[std::size_t(g)];
        std::printf("    %-16s %4d members, %5d cmd/s: delivery p99 %8.2f ms, %8.0f deliveries/s\n", target.name.c_str(),
                    size, size * settings.member_rate, point["delivery_p99_ms"].get<double>(),
                    point["delivered_per_s"].get<double>());
        std::fflush(stdout);
        points.push_back(point);
        for (Conn* c : room) d.load.close(*c);
        d.idle(0.3);
        if (!point["drained"].get<bool>()) break;
    }
    return {{"member_rate", settings.member_rate}, {"points", points}};
}

namespace {

// The room whose welcome is timed: `items` items, added by one member in batches.
std::string big_room(Driver& d, int group, int items)
{
    const std::string code = d.server.create_room("big room");
    auto filler = d.join({code}, 1, group)[0];
    for (int done = 0; done < items && !filler.empty() && filler[0]->welcomed;) {
        const std::uint64_t want = d.acks + 200;
        for (int i = 0; i < 200; ++i, ++done)
            d.load.send(*filler[0], add_json("fill", "Yhteinen havainto numero " + std::to_string(done) +
                                                         ": koulun ja lastensuojelun yhteistyo tiivistyi syksylla.",
                                             "timeline", "event"));
        d.wait([&] { return d.acks >= want; }, 60);
    }
    return code;
}

}  // namespace

json rooms_curve(const Target& target, const Settings& settings)
{
    Driver d(target, settings);
    const int most = settings.room_counts.back();
    std::vector<std::string> codes;
    for (int r = 0; r < most; ++r) codes.push_back(d.server.create_room("room " + std::to_string(r)));
    // The big room is filled before the crowd joins: a server out of descriptors could not start it after.
    d.welcome_group = most;
    const std::string big = big_room(d, most, settings.welcome_items);
    const long rss0 = d.server.rss_kib();
    const std::uint64_t welcomed0 = d.welcomed;
    const std::int64_t t0 = now_ns();
    auto rooms = d.join(codes, members_per_room);
    const double join_s = double(now_ns() - t0) / double(s_ns);
    d.idle(1);
    const long rss1 = d.server.rss_kib();
    const double connected = double(d.welcomed - welcomed0);
    int staying = 0;  // still connected after a second's idling
    for (int r = 0; r < most; ++r) staying += d.room_members[std::size_t(r)];
    std::printf("    %-16s %.0f of %d members joined in %.1f s, %.2f KiB each; %d still connected a second later\n",
                target.name.c_str(), connected, most * members_per_room, join_s,
                connected > 0 ? double(rss1 - rss0) / connected : 0.0, staying);
    int welcome_at = settings.room_counts.front();
    for (int n : settings.room_counts)
        if (n <= 500) welcome_at = n;
    // Round the first n rooms, and round each room's members in turn.
    auto send_in = [&](int n) {
        return [&, n](std::uint64_t k, std::int64_t due) {
            const auto r = std::size_t(k % std::uint64_t(n));
            const auto& room = rooms[r];
            if (room.empty()) return -1;
            Conn& c = *room[(k / std::uint64_t(n)) % room.size()];
            if (c.state != Conn::State::open) return -1;
            d.load.send(c, add_json(std::to_string(due), stamp(due), "timeline", "event"));
            return d.room_members[r];
        };
    };
    json points = json::array(), welcome;
    for (int n : settings.room_counts) {
        d.welcome = {}, d.connect_to_welcome = {};
        std::vector<Conn*> joiners;
        const std::int64_t start = now_ns(), every = std::int64_t(settings.rooms_window_s * double(s_ns)) /
                                                     std::max(1, settings.welcome_samples);
        auto also = [&] {  // during one point, new members join the big room at an even pace
            if (n != welcome_at || now_ns() < start + every * std::int64_t(joiners.size())) return;
            if (int(joiners.size()) < settings.welcome_samples)
                joiners.push_back(&d.load.connect(d.server.port(), hello_json(big, "w"), most, -1));
        };
        json point = d.measure(n * settings.room_rate, settings.rooms_window_s, send_in(n), 20, also);
        point["rooms"] = n;
        std::printf("    %-16s %4d rooms x %d, %d cmd/s a room: delivery p99 %8.2f ms, ack p99 %8.2f ms%s\n",
                    target.name.c_str(), n, members_per_room, settings.room_rate, point["delivery_p99_ms"].get<double>(),
                    point["ack_p99_ms"].get<double>(), store_line(point).c_str());
        if (n == welcome_at) {
            welcome = {{"rooms", n}, {"items", settings.welcome_items}, {"samples", d.welcome.us.size()},
                       {"asked", joiners.size()}, {"p50_ms", d.welcome.ms(50)}, {"p99_ms", d.welcome.ms(99)},
                       {"max_ms", d.welcome.ms(100)}, {"connect_p99_ms", d.connect_to_welcome.ms(99)}};
            std::printf("    %-16s welcome of a %d-item room under %d rooms' load: p50 %.2f ms, p99 %.2f ms (%zu)\n",
                        target.name.c_str(), settings.welcome_items, n, d.welcome.ms(50), d.welcome.ms(99),
                        d.welcome.us.size());
        }
        std::fflush(stdout);
        for (Conn* c : joiners) d.load.close(*c);
        points.push_back(point);
        d.idle(0.3);
    }
    // The target's other reading, "1 cmd/s each" as each member's: as many rooms, 1 cmd/s from every member.
    json per_member = d.measure(welcome_at * members_per_room, settings.rooms_window_s, send_in(welcome_at), 20);
    per_member["rooms"] = welcome_at;
    std::printf("    %-16s %4d rooms x %d, 1 cmd/s a member: %.0f of %d cmd/s acked, delivery p99 %8.2f ms%s\n",
                target.name.c_str(), welcome_at, members_per_room, per_member["acked_per_s"].get<double>(),
                welcome_at * members_per_room, per_member["delivery_p99_ms"].get<double>(), store_line(per_member).c_str());
    std::fflush(stdout);
    return {{"members_per_room", members_per_room}, {"room_rate", settings.room_rate}, {"wanted", most * members_per_room}, {"connected", connected},
            {"per_member", per_member},
            {"staying", staying},
            {"join_s", join_s}, {"rss_before_kib", rss0}, {"rss_after_kib", rss1},
            {"kib_per_member", connected > 0 ? double(rss1 - rss0) / connected : 0.0}, {"points", points},
            {"welcome", welcome}};
}

json fixed_workload(const Target& target, const Settings& settings)
{
    const int members = 10, rounds = 40;
    Driver d(target, settings);
    auto room = d.join({d.server.create_room("fixed")}, members)[0];
    if (room.empty()) throw std::runtime_error("nobody could join the room");
    d.own_items(room);
    std::uint64_t commands = 0;
    for (int round = 0; round < rounds; ++round) {
        const std::uint64_t want = d.acks + room.size();
        for (Conn* c : room)
            d.load.send(*c, edit_json("1", c->own_item, "t=1;" + std::to_string(round))), ++commands;
        d.wait([&] { return d.acks >= want; }, 120);
    }
    d.wait([&] { return d.deliveries >= commands * room.size(); }, 120);
    return {{"members", members}, {"connected", room.size()}, {"edits", commands}, {"acks", d.acks},
            {"deliveries", d.deliveries}};
}

json fixed_welcomes(const Target& target, const Settings& settings)
{
    constexpr int joins = 20;
    Driver d(target, settings);
    d.welcome_group = 1;
    const std::string code = big_room(d, 0, settings.welcome_items);
    for (int i = 0; i < joins; ++i) {
        const std::uint64_t want = d.welcomed + 1;
        d.load.connect(d.server.port(), hello_json(code, "w" + std::to_string(i)), 1, -1);
        d.wait([&] { return d.welcomed + d.failed >= want; }, 120);
    }
    return {{"items", settings.welcome_items}, {"joins", joins}, {"welcomed", d.welcome.us.size()},
            {"welcome_p50_ms", d.welcome.ms(50)}};
}

}  // namespace bench
