#pragma once
// Anonymous answers a room has accepted and not yet let go of (docs/privacy.md, "Anonymous
// ratings"): the op that accepts one says only who answered; the answer itself waits here, in
// memory, under its topic ("ratings", "poll/l4", ...) until the room releases several at once
// (to the store, to published results), chosen at random and in random order, so nothing
// written or shown can be paired with the op that says who gave it. Memory only: a fault or a
// restart loses what is held. Used on the room's strand; total() may be read from any thread.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "keha/json.hpp"
#include "secrets.hpp"

namespace keha::server {

// The kernel's randomness as a bit generator, for choosing and mixing answers.
struct Kernel_random {
    using result_type = std::uint32_t;
    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
    result_type operator()() { return random_u32(); }
};

// Puts `rows` in an order that says nothing of the order they were given in.
template <class Row>
void mix(std::vector<Row>& rows)
{
    Kernel_random random;
    std::shuffle(rows.begin(), rows.end(), random);
}

class Held_answers {
public:
    void hold(const std::string& topic, json answer);
    // Drops one answer equal to `answer` (the op accepting it was refused by the store); none
    // when it has been released meanwhile.
    void take_back(const std::string& topic, const json& answer);
    std::size_t count(const std::string& topic) const;
    // Every answer held, of every topic: while any is, the room must not be unloaded.
    std::size_t total() const { return total_.load(); }
    // Topics with answers held, in order.
    std::vector<std::string> topics() const;
    // Up to `n` of the topic's answers, chosen at random, in random order; no longer held.
    std::vector<json> release(const std::string& topic, std::size_t n = std::numeric_limits<std::size_t>::max());
    void forget(const std::string& topic);
    void clear();

private:
    void recount();

    std::map<std::string, std::vector<json>> held_;
    std::atomic<std::size_t> total_{0};
};

}  // namespace keha::server
