#pragma once
// Commands handed to a room and not yet applied: each may append to the store in a moment.
// The store's writer waits a little for them before it commits (group commit), so one fsync
// carries several commands under load; with none coming it commits at once.
#include <atomic>
#include <chrono>

namespace keha::server {

inline std::atomic<int> appends_coming{0};

// How long a commit may wait for the appends coming.
inline constexpr std::chrono::microseconds max_commit_delay{1000};

}  // namespace keha::server
