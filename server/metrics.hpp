#pragma once
// The server's counters for /metrics (metrics_text.hpp writes them out). Each update is one
// relaxed atomic add on a cache line of its own: no lock and no allocation where commands are
// applied and patches broadcast. No counter is kept per room or per person, so nothing in the
// output can name one.
#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "keha/error.hpp"

namespace keha::server {

struct alignas(64) Counter {
    std::atomic<std::uint64_t> value{0};
    void add(std::uint64_t n = 1) { value.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t get() const { return value.load(std::memory_order_relaxed); }
};

struct alignas(64) Gauge {
    std::atomic<std::int64_t> value{0};
    void add(std::int64_t n) { value.fetch_add(n, std::memory_order_relaxed); }
    std::int64_t get() const { return value.load(std::memory_order_relaxed); }
};

// Durations from 0.5 ms to 1 s, in the buckets Prometheus histograms have.
class Latency_histogram {
public:
    static constexpr std::array<double, 11> bounds_s{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1.0};
    void observe(std::chrono::nanoseconds took)
    {
        const double s = std::chrono::duration<double>(took).count();
        std::size_t i = 0;
        while (i < bounds_s.size() && s > bounds_s[i]) ++i;
        buckets_[i].add();
        sum_ns_.add(took.count() > 0 ? static_cast<std::uint64_t>(took.count()) : 0);
    }
    // Cumulative counts, one per bound and the last for +Inf (which is the count).
    struct Reading {
        std::array<std::uint64_t, bounds_s.size() + 1> cumulative{};
        double sum_s = 0;
    };
    Reading read() const
    {
        Reading r;
        std::uint64_t total = 0;
        for (std::size_t i = 0; i < buckets_.size(); ++i) r.cumulative[i] = total += buckets_[i].get();
        r.sum_s = static_cast<double>(sum_ns_.get()) / 1e9;
        return r;
    }

private:
    std::array<Counter, bounds_s.size() + 1> buckets_;  // each bucket's own count; the last: over 1 s
    Counter sum_ns_;
};

// The limits that refuse a client (docs/security.md "Limits"), as the `limit` label says them.
enum class Limit { member_rate, connections_per_address, room_code_tries, rooms_per_hour, processes_per_hour };
inline constexpr std::array<const char*, 5> limit_names{"member_rate", "connections_per_address", "room_code_tries",
                                                        "rooms_per_hour", "processes_per_hour"};

struct Metrics {
    Gauge members_connected;      // WebSocket connections that said hello to a room
    Counter commands_applied;     // members' commands applied and committed (each one acked)
    // Members' commands refused, by the error code of the answer (keha/error.hpp).
    static constexpr std::size_t max_codes = 32;
    std::array<Counter, max_codes> commands_refused;
    Latency_histogram oplog_commit;  // from an op queued for the store to its commit
    Counter queue_dropped_messages;  // messages a slow member's queue dropped when it was sent away
    Counter slow_consumer_disconnects;
    Counter websocket_writes;         // gather writes of queued messages (one or more each)
    Counter websocket_messages_sent;  // messages those writes carried
    Counter reads_paused;             // times a member was not read for backpressure
    Counter store_commits;            // the SQLite store's write transactions committed
    Counter store_pages_written;      // the pages those commits wrote to the WAL
    std::array<Counter, limit_names.size()> rate_limited;
    std::array<Counter, 5> http_responses;  // by status class, 1xx to 5xx
    const std::int64_t started_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count();

    void refused(Error_code code)
    {
        const auto i = static_cast<std::size_t>(code);
        if (i < max_codes) commands_refused[i].add();
    }
    void limited(Limit limit) { rate_limited[static_cast<std::size_t>(limit)].add(); }
    void answered(unsigned status)
    {
        if (status >= 100 && status < 600) http_responses[status / 100 - 1].add();
    }
};

// The process's one set, made when the program starts (its start time is the process's).
inline Metrics process_metrics;
inline Metrics& metrics() { return process_metrics; }

}  // namespace keha::server
