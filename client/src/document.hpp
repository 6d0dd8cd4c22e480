#pragma once
// The client's copy of a room: the state document of docs/protocol.md §5, the seq it is at,
// and the views the screens draw from it. No window, no socket: it is fed the server's
// messages and answers questions, so it is tested on its own.
#include <algorithm>
#include <array>
#include <map>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keha/json.hpp"
#include "keha/ratings.hpp"

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
    bool admitted = true;  // false: waiting in the lobby
    std::string joined_at;
};

// The room's `/turns`, read once per change (docs/protocol.md: the turn engine names speakers
// and listeners explicitly; the client works out no turn rule of its own).
struct Turns {
    std::string mode = "none";  // none, reflecting_team, round, hand_queue, pairs
    std::vector<std::string> speaking, listening;
    // Reflecting team.
    std::string stage;          // conversation, reflection, response
    int cycle = 0;
    std::vector<std::string> focus, reflectors;
    std::string focus_group, reflect_group;  // when chosen by group
    std::string speaker;        // the floor (hand queue; a reflecting cycle's given floor)
    // Round.
    std::vector<std::string> order, passed, done;
    int current = 0;
    std::string next;
    bool finished = false;
    int per_speaker_s = 0;
    // Pairs.
    std::vector<std::vector<std::string>> pairs;
    int half = 1;
    int half_s = 0;
    int stage_seconds(std::string_view stage) const;
    bool running() const { return mode != "none" && !mode.empty(); }
    std::string current_speaker() const;  // the round's current speaker, or ""
    json stage_s = json::object();
};

// Where I am in the turns: speaking, listening, or not part of them.
enum class My_turn { none, speaking, listening };

// An item held for moderation, for the facilitator's queue.
struct Held_item {
    std::string board;
    const json* item = nullptr;
    bool declined = false;
};

// Votes of one member on one board against the room's limit.
struct Vote_budget {
    int limit = 0;     // 0: no limit
    int used = 0;
    bool known = true; // false when the votes are hidden from us and we cannot count ours
    int left() const { return limit > used ? limit - used : 0; }
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

    // Where participants join, as the server says in its welcome (the wall's address:
    // --public-url or the server's network address): the URL the QR code encodes, what a
    // person types, and whether only the server's own machine can open it.
    struct Join {
        std::string url, address;
        bool loopback = false;
    };
    const std::optional<Join>& join() const { return join_; }

    // The server put us in the lobby (`{"type":"lobby"}`): we wait for a facilitator and
    // hold no state. A later welcome ends it.
    Apply_result apply_lobby(const json& lobby);
    bool in_lobby() const { return lobby_; }

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

    // Items of a board in board order (keha/board_order.hpp), hidden ones included
    // (they reach us only when we may see them, or redacted). An original that an editable copy
    // stands for is not among them (keha::copied_originals): it shows inside its copy.
    const std::vector<const json*>& board_items(std::string_view board) const;
    // The item an editable copy was made from, or nullptr.
    const json* original_of(std::string_view board, const json& item) const;
    // Items of one column of a board, board order.
    std::vector<const json*> column_items(std::string_view board, std::string_view column) const;
    // The timeline in timeline order (keha/board_order.hpp): dated items by date, then the rest.
    const std::vector<const json*>& timeline() const;
    // The plan grouped by status: proposed, agreed, done.
    const std::array<Plan_group, 3>& plan_by_status() const;
    // Raised hands, first raised first.
    const std::vector<Raised_hand>& raised_hands() const;
    // People who are in (screens and those in the lobby left out), online first, then by name.
    const std::vector<Person>& people() const;
    // Those waiting in the lobby, first come first.
    const std::vector<Person>& lobby() const;
    // Who a turn can include (admitted participants, not facilitators), in joining order:
    // the order the server uses for a round "as listed".
    const std::vector<Person>& turn_people() const;

    // Facilitation.
    const Turns& turns() const;
    My_turn my_turn() const;
    bool my_round_turn() const;                      // a round, and I am its current speaker
    // I listen in a reflecting-team stage: the server keeps all I add private until my group
    // speaks, and refuses my hand and my reveals (docs/protocol.md §8).
    bool my_input_held() const;
    std::vector<std::string> my_pair_partners() const;  // pairs: the others in my pair
    // My own hidden items on a board (private notes waiting to be revealed).
    std::vector<const json*> my_private_items(std::string_view board) const;
    // Items held for moderation (pending), board by board in board order; declined ones too.
    std::vector<Held_item> held_items() const;
    // My items a facilitator declined.
    std::vector<Held_item> my_declined_items() const;
    // room.settings with defaults (docs/protocol.md §5).
    bool setting(std::string_view name, bool fallback = false) const;
    int vote_limit() const;
    // The walls' colours the facilitator chose: "default", "dark" or "contrast".
    std::string wall_theme() const;
    Vote_budget votes(std::string_view board) const;
    const json* consent() const;           // the recorded consent, or nullptr
    bool consent_pending() const;          // a consent room without a recorded consent
    std::size_t item_count() const;
    // The boards of this room (state "boards"), in the shared order (keha::board_names).
    std::vector<std::string> board_names() const;

    // Whether I answered the closing questionnaire (participants[me].rated).
    bool i_rated() const;

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
    std::optional<Join> join_;
    bool lobby_ = false;

    struct Derived {
        std::uint64_t version = ~std::uint64_t{0};
        std::map<std::string, std::vector<const json*>, std::less<>> boards;
        std::vector<const json*> timeline;
        std::array<Plan_group, 3> plan;
        std::vector<Raised_hand> hands;
        std::vector<Person> people;
        std::vector<Person> lobby;
        std::vector<Person> turn_people;
        Turns turns;
    };
    mutable Derived derived_;
};

// ---- Notes, history, imports, ratings (docs/protocol.md §10) -----------------------------------

// Where an imported item came from (its `source`), and whether it may be edited.
struct Source_meeting {
    std::string team, meeting, code, at;  // `at`: the date part (YYYY-MM-DD) when given
};
struct Provenance : Source_meeting {
    bool imported = false;     // has a source
    bool readonly = false;     // item.edit/move/delete are refused
    std::string copy_of;       // an editable copy of this item id
    // The meeting the chain began in, when the item came through another (A → B → C: in C,
    // from A via B); empty otherwise.
    std::optional<Source_meeting> first;
};
Provenance provenance_of(const json& item);
// "from: Team · Meeting · K7Q-4MX · 2025-03-01" without the prefix; empty parts left out.
std::string provenance_line(const Source_meeting& p);

// The closing questionnaire as the screens show it: the results the server published, and
// nothing where it suppressed them (too few answers: its rule, docs/protocol.md §10.5).
struct Rating_question_result {
    std::string id, text;
    int count = 0;
    bool suppressed = true;
    double median = 0;
    std::array<float, 11> distribution{};  // counts for 0..10
    int max_count = 0;
};
struct Ratings_view {
    struct Question {
        std::string id, text;
    };
    std::vector<Question> questions;
    bool open = false;
    int answered = 0;
    bool published = false;   // the server computed results (on close)
    bool suppressed = false;  // published, but suppressed (fewer than the minimum answered)
    int minimum = static_cast<int>(keha::ratings_minimum);  // what the server says, for the message
    int count = 0;
    std::vector<Rating_question_result> results;
    std::vector<std::string> comments;
    // Only a facilitator's copy says which comments the wall shows (ratings.comment.show);
    // then `comments` are all of them, and this has one flag per comment.
    bool reviewable = false;
    std::vector<bool> comments_shown;
    std::size_t shown_count() const { return static_cast<std::size_t>(std::count(comments_shown.begin(), comments_shown.end(), true)); }
};
// Questions' texts in `language` (a template's {"fi","sv","en"}, see keha::localized).
Ratings_view ratings_view(const json& state, std::string_view language = "fi");
// "6", "6,5" with the catalog's decimal mark (notes.decimal_mark: "," in Finnish and Swedish).
std::string format_median(double median, std::string_view decimal_mark = ".");

// Timer arithmetic (docs/protocol.md §5 `timer`), server clock corrected by `offset_ms`
// (server minus local). Remaining milliseconds, or nullopt when idle.
std::optional<std::int64_t> timer_remaining_ms(const json& timer, std::int64_t local_now_ms, std::int64_t offset_ms);
// "12:05" / "-0:30".
std::string format_clock(std::int64_t ms);
// The soft signal when a time box ends: the first seconds after the remaining time
// reaches zero (stateless, so a window opened a moment later shows it too).
inline constexpr std::int64_t timebox_signal_ms = 15000;
bool timebox_signal(std::optional<std::int64_t> remaining_ms);

// Default stage times of a reflecting team from the phase's time box: the reflection
// 10 minutes, the rest shared 2:1 between the conversation and the response.
struct Stage_times {
    int conversation_s = 600, reflection_s = 600, response_s = 300;
};
Stage_times stage_times_for(int timebox_s);

}  // namespace keha::desk
