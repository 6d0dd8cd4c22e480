#pragma once
// The timed voting session (docs/protocol.md §8.5 "Grouping and voting"): what the server and the views
// need to know of it. The rules themselves are the reducer's (shared/src/voting.cpp).
#include <cstdint>
#include <optional>

#include "keha/json.hpp"

namespace keha {

// The running session of `state` (its /voting object), or null when none runs.
const json* running_voting(const json& state);

// When the server must end the running session (`vote.end` by the server), in epoch ms; none
// when no session runs or it has no time limit.
std::optional<std::int64_t> voting_ends_at(const json& state);

}  // namespace keha
