#pragma once
// The facilitator's timer minutes follow the meeting: when the phase changes, or a reflecting
// team's stage, a round's speaker or a half of the pairs, the field takes that moment's time
// box (a facilitator's own change stays until the next such moment).
#include <optional>
#include <string>

#include "document.hpp"

namespace keha::desk {

// What the time box belongs to now: the phase, and within it the running turn's stage,
// speaker or half. Two states with the same moment share a time box.
std::string timebox_moment(const Document& doc);

// The moment's time box in whole minutes (1–240): the stage's, speaker's or half's when the
// turns give one, else the phase's, else 10.
int timebox_minutes(const Document& doc);

class Timebox_follow {
public:
    // The minutes the field should take now, or nullopt while the moment is the one last seen.
    std::optional<int> update(const Document& doc);

private:
    std::optional<std::string> moment_;
};

}  // namespace keha::desk
