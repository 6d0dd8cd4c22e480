#pragma once
// What the notes and the process pages read of a stored meeting.
#include <cstdint>
#include <optional>
#include <string>

#include "keha/json.hpp"
#include "keha/notes.hpp"
#include "store.hpp"

namespace keha::server {

struct Meeting_record {
    json state;
    Meeting_times times;
    std::uint64_t seq = 0, last_seq = 0;
};

// The meeting as it stood at `seq` (its latest when nothing), with the times of its op log.
// Reads the store: off the I/O threads only.
std::optional<Meeting_record> meeting_at(Store& store, const std::string& code, std::optional<std::uint64_t> seq);

}  // namespace keha::server
