#pragma once
// The client's copy of a room: the state document of PROTOCOL.md §5, the seq it is at,
// and the views the screens draw from it. No window, no socket: it is fed the server's
// messages and answers questions, so it is tested on its own.
#include <array>
#include <map>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keha/json.hpp"

namespace keha::desk {

// What applying a message did.
enum class Apply_result {
    applied,    // the document changed (or the message was for us and valid)
    stale,      // a patch we already have (seq not newer): ignored
    gap,        // a patch from the future: something was lost, ask for the full state
    failed,     // the patch does not apply: the copy is unreliable, ask for the full state
};

struct Raised_hand {
    std::string pid;
    std::string name;
    std::string group;
    std::int64_t at = 0;  // server ms
};

struct Person {
    std::string pid;
    std::string name;
    std::string role;
    std::string group;
    bool online = false;
    bool hand = false;
};

struct Plan_group {
    std::string status;                // "proposed", "agreed", "done"
    std::vector<const json*> items;    // board order
};

class Document {
public:
    // A `welcome`: full state, or a replay on top of what we hold.
    Apply_result apply_welcome(const json& welcome);
    // A `patch` message ({"seq","by","cmd","patch"}).
    Apply_result apply_patch_message(const json& message);

    bool has_state() const { return !state_.is_null(); }
    const json& state() const { return state_; }
    std::uint64_t seq() const { return seq_; }
    // Changes whenever the state does; views cache their layout on it.
    std::uint64_t version() const { return version_; }
    const std::string& you() const { return you_; }
    const std::string& role() const { return role_; }
    bool is_facilitator() const { return role_ == "facilitator"; }
    bool is_screen() const { return role_ == "screen"; }

    // Room fields.
    const json& room() const;  // an empty object before the welcome
    std::string room_code() const;
    std::string room_title() const;
    std::string room_language() const;
    bool locked() const;
    bool closed() const;

    // The agenda.
    const json& phases() const;
    const json* current_phase() const;
    int current_phase_index() const;
    // The board of the current phase ("" when the phase has none).
    std::string current_board() const;

    // Items of a board in board order (by "order", then creation), hidden ones included
    // (they reach us only when we may see them, or redacted).
    const std::vector<const json*>& board_items(std::string_view board) const;
    // Items of one column of a board, board order.
    std::vector<const json*> column_items(std::string_view board, std::string_view column) const;
    // The timeline in chronological order (keha::timeline_in_order), hidden items after.
    const std::vector<const json*>& timeline() const;
    // The plan grouped by status: proposed, agreed, done.
    const std::array<Plan_group, 3>& plan_by_status() const;
    // Raised hands, first raised first.
    const std::vector<Raised_hand>& raised_hands() const;
    // People (screens left out), online first, then by name.
    const std::vector<Person>& people() const;
    std::size_t item_count() const;
    // The boards of this room (state "boards"), in the shared order (keha::board_names).
    std::vector<std::string> board_names() const;

    const json* participant(std::string_view pid) const;
    std::string name_of(std::string_view pid) const;
    bool my_hand_up() const;
    bool is_mine(const json& item) const;
    // A hidden item whose text did not reach us.
    static bool is_redacted(const json& item);

private:
    void changed();
    void derive() const;
    Apply_result apply_patch(const json& patch);

    json state_;
    std::uint64_t seq_ = 0;
    std::uint64_t version_ = 0;
    std::string you_;
    std::string role_;

    struct Derived {
        std::uint64_t version = ~std::uint64_t{0};
        std::map<std::string, std::vector<const json*>, std::less<>> boards;
        std::vector<const json*> timeline;
        std::array<Plan_group, 3> plan;
        std::vector<Raised_hand> hands;
        std::vector<Person> people;
    };
    mutable Derived derived_;
};

// Timer arithmetic (PROTOCOL.md §5 `timer`), server clock corrected by `offset_ms`
// (server minus local). Remaining milliseconds, or nullopt when idle.
std::optional<std::int64_t> timer_remaining_ms(const json& timer, std::int64_t local_now_ms, std::int64_t offset_ms);
// "12:05" / "-0:30".
std::string format_clock(std::int64_t ms);

}  // namespace keha::desk
