#include "address_limits.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <utility>

#include "log.hpp"
#include "metrics.hpp"

namespace keha::server {
namespace {

// Refused connections of one address that may wait for their 429 at the same time.
constexpr unsigned refusals_answered = 8;
// Entries of addresses that hold nothing are dropped when there are more than this.
constexpr std::size_t prune_above = 1024;

std::int64_t steady_ms()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// A token bucket of `capacity` refilled at `per_ms`: its level now.
double level(double& tokens, std::int64_t& at_ms, double capacity, double per_ms, std::int64_t now)
{
    if (tokens < 0 && at_ms == 0) tokens = capacity;
    else tokens = std::min(capacity, tokens + static_cast<double>(now - at_ms) * per_ms);
    at_ms = now;
    return tokens;
}

int seconds_until_one(double tokens, double per_ms)
{
    return std::max(1, static_cast<int>(std::ceil((1 - tokens) / per_ms / 1000)));
}

}  // namespace

std::string address_key(const net::ip::address& address)
{
    if (address.is_v4()) return address.to_string();
    const auto v6 = address.to_v6();
    if (v6.is_v4_mapped()) return net::ip::make_address_v4(net::ip::v4_mapped, v6).to_string();
    auto bytes = v6.to_bytes();
    std::fill(bytes.begin() + 8, bytes.end(), 0);
    return net::ip::address_v6(bytes).to_string() + "/64";
}

Connection_slot& Connection_slot::operator=(Connection_slot&& other) noexcept
{
    if (this != &other) {
        if (owner_) owner_->close_connection(address_, refused_);
        owner_ = std::exchange(other.owner_, nullptr);
        address_ = std::move(other.address_);
        refused_ = other.refused_;
    }
    return *this;
}

Connection_slot::~Connection_slot()
{
    if (owner_) owner_->close_connection(address_, refused_);
}

Address_limits::Entry& Address_limits::entry(const std::string& address, std::int64_t now)
{
    if (entries_.size() > prune_above && now - pruned_at_ms_ > 10'000) prune(now);
    return entries_[address];
}

void Address_limits::prune(std::int64_t now)
{
    pruned_at_ms_ = now;
    auto full = [&](Bucket& b, double capacity, double per_ms) {
        return b.at_ms == 0 || level(b.tokens, b.at_ms, capacity, per_ms, now) >= capacity;
    };
    for (auto it = entries_.begin(); it != entries_.end();) {
        Entry& e = it->second;
        const bool idle = e.connections == 0 && e.refusing == 0 &&
               full(e.codes, limits_.code_tries, limits_.code_tries_per_minute / 60'000) &&
               full(e.rooms, limits_.rooms_per_hour, limits_.rooms_per_hour / 3'600'000.0) &&
               full(e.processes, limits_.processes_per_hour, limits_.processes_per_hour / 3'600'000.0);
        it = idle ? entries_.erase(it) : std::next(it);
    }
}

std::size_t Address_limits::tracked() const
{
    std::lock_guard lock(mutex_);
    return entries_.size();
}

std::optional<Connection_slot> Address_limits::open_connection(const std::string& address)
{
    std::lock_guard lock(mutex_);
    Entry& e = entry(address, steady_ms());
    if (limits_.connections_per_address == 0 || e.connections < limits_.connections_per_address) {
        if (e.connections_refused > 0)
            log_info("connections_refused_end", "address=" + address + " refused=" + std::to_string(e.connections_refused));
        e.connections_refused = 0;
        ++e.connections;
        return Connection_slot(this, address, false);
    }
    metrics().limited(Limit::connections_per_address);
    if (e.connections_refused++ == 0)
        log_warning("connections_refused", "address=" + address + " open=" + std::to_string(e.connections));
    if (e.refusing >= refusals_answered) return std::nullopt;
    ++e.refusing;
    return Connection_slot(this, address, true);
}

void Address_limits::close_connection(const std::string& address, bool refused)
{
    std::lock_guard lock(mutex_);
    auto it = entries_.find(address);
    if (it == entries_.end()) return;
    if (refused) --it->second.refusing;
    else --it->second.connections;
}

Verdict Address_limits::may_try_code(const std::string& address)
{
    if (limits_.code_tries == 0) return {};
    std::lock_guard lock(mutex_);
    const auto now = steady_ms();
    Entry& e = entry(address, now);
    const double per_ms = limits_.code_tries_per_minute / 60'000;
    const double mine = level(e.codes.tokens, e.codes.at_ms, limits_.code_tries, per_ms, now);
    Verdict verdict;
    if (mine < 1) {
        verdict = {false, seconds_until_one(mine, per_ms)};
    } else if (mine < limits_.code_tries && limits_.code_tries_global_per_s > 0) {
        // An address that has missed before waits for the whole server's allowance too; one
        // that never missed does not, so a flood elsewhere cannot stop a first, right try.
        const double global_per_ms = limits_.code_tries_global_per_s / 1000;
        const double all = level(global_codes_.tokens, global_codes_.at_ms, limits_.code_tries_global, global_per_ms, now);
        if (all < 1) verdict = {false, seconds_until_one(all, global_per_ms)};
    }
    if (!verdict.allowed) metrics().limited(Limit::room_code_tries);
    if (!verdict.allowed && e.codes_refused++ == 0)
        log_warning("room_code_throttled", "address=" + address + " wrong_codes=" + std::to_string(e.failures) +
                                            " retry_after_s=" + std::to_string(verdict.retry_after_s));
    return verdict;
}

void Address_limits::code_failed(const std::string& address)
{
    std::string detail;
    {
        std::lock_guard lock(mutex_);
        const auto now = steady_ms();
        Entry& e = entry(address, now);
        if (limits_.code_tries > 0) {
            const double mine =
                level(e.codes.tokens, e.codes.at_ms, limits_.code_tries, limits_.code_tries_per_minute / 60'000, now);
            if (mine >= limits_.code_tries) e.failures = 0;  // a new run
            e.codes.tokens = std::max(0.0, mine - 1);
            const double all = level(global_codes_.tokens, global_codes_.at_ms, limits_.code_tries_global,
                                     limits_.code_tries_global_per_s / 1000, now);
            global_codes_.tokens = std::max(-static_cast<double>(limits_.code_tries_global), all - 1);
        }
        ++e.failures;
        detail = "address=" + address + " wrong_codes=" + std::to_string(e.failures);
        if (e.codes_refused > 0) detail += " refused=" + std::to_string(e.codes_refused);
        e.codes_refused = 0;
    }
    log_info("wrong_room_code", detail);
}

Verdict Address_limits::take_creation(const std::string& address, Bucket Entry::*bucket, unsigned per_hour,
                                      const char* what)
{
    if (per_hour == 0) return {};
    std::lock_guard lock(mutex_);
    const auto now = steady_ms();
    Entry& e = entry(address, now);
    Bucket& b = e.*bucket;
    const double per_ms = per_hour / 3'600'000.0;
    const double tokens = level(b.tokens, b.at_ms, per_hour, per_ms, now);
    if (tokens < 1) {
        Verdict verdict{false, seconds_until_one(tokens, per_ms)};
        metrics().limited(bucket == &Entry::rooms ? Limit::rooms_per_hour : Limit::processes_per_hour);
        if (e.creations_refused++ == 0)
            log_warning(what, "address=" + address + " retry_after_s=" + std::to_string(verdict.retry_after_s));
        return verdict;
    }
    e.creations_refused = 0;
    b.tokens = tokens - 1;
    return {};
}

void Address_limits::give_back(const std::string& address, Bucket Entry::*bucket, unsigned per_hour)
{
    if (per_hour == 0) return;
    std::lock_guard lock(mutex_);
    Bucket& b = entry(address, steady_ms()).*bucket;
    b.tokens = std::min(static_cast<double>(per_hour), b.tokens + 1);
}

Verdict Address_limits::take_room(const std::string& address)
{
    return take_creation(address, &Entry::rooms, limits_.rooms_per_hour, "rooms_per_hour_reached");
}
void Address_limits::give_back_room(const std::string& address)
{
    give_back(address, &Entry::rooms, limits_.rooms_per_hour);
}
Verdict Address_limits::take_process(const std::string& address)
{
    return take_creation(address, &Entry::processes, limits_.processes_per_hour, "processes_per_hour_reached");
}
void Address_limits::give_back_process(const std::string& address)
{
    give_back(address, &Entry::processes, limits_.processes_per_hour);
}

}  // namespace keha::server
