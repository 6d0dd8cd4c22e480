#pragma once
// What each client address may do (limits.hpp): open connections, try room codes, create
// rooms and processes. Thread-safe; one per server. Refusals are logged once per run, with
// the address and a count, never with what was tried.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "limits.hpp"
#include "net.hpp"

namespace keha::server {

// The key the limits count by: an IPv4 address as text ("192.0.2.7"), an IPv6 address by its
// /64 ("2001:db8:1:2::/64": one household or host gets one), IPv4-mapped IPv6 as IPv4.
std::string address_key(const net::ip::address& address);

struct Verdict {
    bool allowed = true;
    int retry_after_s = 0;  // when refused: seconds until a try may succeed
};

class Address_limits;

// One open connection of an address, given back when destroyed. A refused slot is a
// connection over the limit that only gets its 429 answer (a few per address at a time).
class Connection_slot {
public:
    Connection_slot() = default;
    Connection_slot(Address_limits* owner, std::string address, bool refused)
        : owner_(owner), address_(std::move(address)), refused_(refused) {}
    Connection_slot(Connection_slot&& other) noexcept { *this = std::move(other); }
    Connection_slot& operator=(Connection_slot&& other) noexcept;
    ~Connection_slot();

    bool refused() const { return refused_; }
    const std::string& address() const { return address_; }

private:
    Address_limits* owner_ = nullptr;
    std::string address_;
    bool refused_ = false;
};

class Address_limits {
public:
    explicit Address_limits(const Limits& limits) : limits_(limits) {}

    // A connection from `address`: a slot, a refused slot when it has too many open, or
    // nothing when even its refusals are too many (close it at once).
    std::optional<Connection_slot> open_connection(const std::string& address);

    // Before a room code from `address` is looked up; code_failed after an unknown one.
    Verdict may_try_code(const std::string& address);
    void code_failed(const std::string& address);

    // Creating a room or a process takes one of the address's hourly allowance; give it back
    // when nothing was created.
    Verdict take_room(const std::string& address);
    void give_back_room(const std::string& address);
    Verdict take_process(const std::string& address);
    void give_back_process(const std::string& address);

    std::size_t tracked() const;

private:
    friend class Connection_slot;
    struct Bucket {
        double tokens = -1;  // below 0: never used, full
        std::int64_t at_ms = 0;
    };
    struct Entry {
        unsigned connections = 0;
        unsigned refusing = 0;            // refused slots still answering
        unsigned connections_refused = 0; // in the current run of refusals
        Bucket codes, rooms, processes;
        unsigned failures = 0;            // wrong codes since its allowance was last full
        unsigned codes_refused = 0;       // tries refused since the last wrong code was logged
        unsigned creations_refused = 0;
    };

    void close_connection(const std::string& address, bool refused);
    Entry& entry(const std::string& address, std::int64_t now);
    Verdict take_creation(const std::string& address, Bucket Entry::*bucket, unsigned per_hour, const char* what);
    void give_back(const std::string& address, Bucket Entry::*bucket, unsigned per_hour);
    void prune(std::int64_t now);

    const Limits& limits_;
    mutable std::mutex mutex_;
    std::map<std::string, Entry> entries_;
    Bucket global_codes_;
    std::int64_t pruned_at_ms_ = 0;
};

}  // namespace keha::server
