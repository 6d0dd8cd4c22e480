#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "keha/json.hpp"

namespace keha {

// The room part of the state document that the creator chooses.
struct Room_meta {
    std::string code;
    std::string title;
    std::string language = "fi";
    std::string template_id;
    std::optional<std::string> process;
    std::string created_at;  // ISO 8601 UTC
    std::optional<std::string> team;  // which of the process's teams meets; only with a process
};

// The state document of docs/protocol.md §5 for a new room: phases from the template in the
// room's language, empty boards, first phase current, no participants.
json make_state(const Room_meta& meta, const json& room_template);

inline constexpr const char* board_names[] = {"timeline", "vision", "plan", "reflections", "hypotheses", "commitments"};

// The groups a participant joins in (docs/protocol.md §5), in the order the notes and the views list them.
inline constexpr const char* participant_groups[] = {"professional", "leader", "expert", "other"};

// Columns of a board, and its own fields (docs/protocol.md §5 table); empty when unknown.
std::span<const std::string_view> board_columns(std::string_view board);
std::span<const std::string_view> board_fields(std::string_view board);
bool is_board(std::string_view board);

}  // namespace keha
