#pragma once
// Pieces the reducer's command files share: strict argument reading and the patch
// recorder. Internal to libkeha.
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <variant>

#include "keha/board_order.hpp"
#include "keha/reducer.hpp"
#include "keha/text.hpp"

namespace keha::detail {

// A command refused: thrown by the command's handler (or its Args) at the first problem and
// caught in one place, apply_command, which answers with the error. Every handler reads and
// checks everything before its first change to the state, so a refusal leaves it untouched.
struct Refusal {
    Error error;
};

[[noreturn]] inline void refuse(Error_code code, std::string message) { throw Refusal{Error{code, std::move(message)}}; }

// Reads a command's arguments strictly: the first problem found refuses the command, so a
// command body reads top to bottom without checks of its own. A required argument that is
// read is always there.
class Args {
public:
    Args(const json& args, std::string_view cmd) : args_(args), cmd_(cmd) {}

    void allow(std::initializer_list<std::string_view> keys, std::span<const std::string_view> more = {}) const
    {
        for (const auto& [k, v] : args_.items()) {
            bool known = std::find(keys.begin(), keys.end(), k) != keys.end() ||
                         std::find(more.begin(), more.end(), k) != more.end();
            if (!known) refuse(Error_code::invalid, "Unknown argument \"" + k + "\" for " + cmd_ + ".");
        }
    }

    bool has(std::string_view key) const { return args_.contains(key); }
    const json& raw() const { return args_; }

    std::optional<std::string> text(std::string_view key, bool required, std::size_t min, std::size_t max) const
    {
        const json* v = find(key, required);
        if (!v) return std::nullopt;
        if (!v->is_string()) type_error(key, "a string");
        const auto& s = v->get_ref<const std::string&>();
        auto len = text_length(s);
        if (!len) range_error(key, "must be UTF-8 text without control characters other than tab and newline");
        if (*len < min || *len > max) {
            if (min == 0) range_error(key, "must be at most " + std::to_string(max) + " characters");
            range_error(key, "must be " + std::to_string(min) + "–" + std::to_string(max) + " characters");
        }
        return s;
    }

    std::optional<bool> boolean(std::string_view key, bool required) const
    {
        const json* v = find(key, required);
        if (!v) return std::nullopt;
        if (!v->is_boolean()) type_error(key, "true or false");
        return v->get<bool>();
    }

    std::optional<double> number(std::string_view key, bool required) const
    {
        const json* v = find(key, required);
        if (!v) return std::nullopt;
        if (!v->is_number()) type_error(key, "a number");
        double d = v->get<double>();
        if (!std::isfinite(d)) range_error(key, "must be a finite number");
        return d;
    }

    std::optional<std::int64_t> integer(std::string_view key, bool required, std::int64_t min, std::int64_t max) const
    {
        const json* v = find(key, required);
        if (!v) return std::nullopt;
        if (!v->is_number_integer()) type_error(key, "a whole number");
        auto i = v->get<std::int64_t>();
        if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
            i = INT64_MAX;
        if (i < min || i > max)
            range_error(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
        return i;
    }

private:
    const json* find(std::string_view key, bool required) const
    {
        auto it = args_.find(key);
        if (it == args_.end()) {
            if (required)
                refuse(Error_code::bad_request, cmd_ + " needs the argument \"" + std::string(key) + "\".");
            return nullptr;
        }
        return &*it;
    }

    [[noreturn]] void type_error(std::string_view key, std::string_view what) const
    {
        refuse(Error_code::bad_request,
               "The argument \"" + std::string(key) + "\" of " + cmd_ + " must be " + std::string(what) + ".");
    }

    [[noreturn]] void range_error(std::string_view key, const std::string& what) const
    {
        refuse(Error_code::invalid, "The argument \"" + std::string(key) + "\" " + what + ".");
    }

    const json& args_;
    std::string cmd_;
};

// Changes the state and records the RFC 6902 operation that did it, in one step.
class Patch {
public:
    // `ends`, when given, is told each operation as it is applied.
    explicit Patch(json& state, Column_ends* ends = nullptr) : state_(state), ends_(ends) {}

    // add or replace, and nothing at all when the value is already there
    void set(const std::string& path, json value)
    {
        json::json_pointer ptr(path);
        if (state_.contains(ptr)) {
            if (state_[ptr] == value) return;
            record({{"op", "replace"}, {"path", path}, {"value", value}});
        } else {
            record({{"op", "add"}, {"path", path}, {"value", value}});
        }
        state_[ptr] = std::move(value);
    }

    // A whole object put with "add", which RFC 6902 lets replace a member that exists, so
    // the same op serves members who saw the item redacted and those who saw it in full.
    void put(const std::string& path, json value)
    {
        json::json_pointer ptr(path);
        if (state_.contains(ptr) && state_[ptr] == value) return;
        record({{"op", "add"}, {"path", path}, {"value", value}});
        state_[ptr] = std::move(value);
    }

    // RFC 6902 "add" into an array at `index` (the end when index is the size).
    void insert(const std::string& array_path, std::size_t index, json value)
    {
        json& array = state_[json::json_pointer(array_path)];
        const bool at_end = index >= array.size();
        record({{"op", "add"}, {"path", array_path + "/" + (at_end ? std::string("-") : std::to_string(index))}, {"value", value}});
        if (at_end) array.push_back(std::move(value));
        else array.insert(array.begin() + static_cast<std::ptrdiff_t>(index), std::move(value));
    }

    void append(const std::string& array_path, json value)
    {
        record({{"op", "add"}, {"path", array_path + "/-"}, {"value", value}});
        state_[json::json_pointer(array_path)].push_back(std::move(value));
    }

    void remove(const std::string& path)
    {
        json::json_pointer ptr(path);
        json& parent = state_[ptr.parent_pointer()];
        if (parent.is_array())
            parent.erase(static_cast<std::size_t>(std::stoul(ptr.back())));
        else
            parent.erase(ptr.back());
        record({{"op", "remove"}, {"path", path}});
    }

    const json& ops() const { return ops_; }
    json take() { return std::move(ops_); }

private:
    void record(json op)
    {
        ops_.push_back(std::move(op));
        if (ends_) ends_->changed(ops_.back());
    }

    json& state_;
    Column_ends* ends_;
    json ops_ = json::array();
};

inline const std::string_view status_values[] = {"proposed", "agreed", "done"};
inline const std::string_view turn_mode_values[] = {"none", "reflecting_team", "round", "hand_queue", "pairs"};

template <typename Range>
bool one_of(const Range& values, std::string_view v)
{
    return std::find(std::begin(values), std::end(values), v) != std::end(values);
}

inline std::string item_path(std::string_view board, std::string_view id)
{
    return "/boards/" + std::string(board) + "/items/" + std::string(id);
}

inline std::string participant_path(std::string_view pid) { return "/participants/" + std::string(pid); }

inline bool is_facilitator(const Actor& a) { return a.role == Role::facilitator; }

// A room setting, read safely from rooms made before the setting existed.
template <typename T>
T setting(const json& state, const char* key, T fallback)
{
    auto room = state.find("room");
    if (room == state.end()) return fallback;
    auto settings = room->find("settings");
    if (settings == room->end() || !settings->is_object()) return fallback;
    return settings->value(key, fallback);
}

inline bool consent_recorded(const json& state)
{
    auto c = state.find("consent");
    return c != state.end() && c->is_object();
}

// One command being applied: what every handler gets. A handler changes the state only
// through `patch`, says what the server must do about it in `effects`, and refuses with
// refuse() (or through `args`).
struct Step {
    json& state;
    const Actor& actor;
    const Args& args;
    const Context& context;
    Patch& patch;
    Effects& effects;
};

// Where an item added to `column` of `board` goes: after the last one (keha/board_order.hpp),
// from the room's Column_ends when it keeps them.
inline double place_after_last(Step& s, const std::string& board, const std::string& column)
{
    if (s.context.column_ends) return s.context.column_ends->after_last(s.state, board, column);
    return order_after_last(s.state["boards"][board]["items"], column);
}

// Whether a new participant in this role waits in the lobby (admit_joiners, or consent pending).
bool joins_waiting(const json& state, std::string_view role);

json* find_participant(json& state, std::string_view pid);
json* find_item(json& state, std::string_view board, std::string_view id);
// In a reflecting team a listener's input stays private until their group speaks
// (docs/protocol.md §8): whether `pid` listens in the current stage.
bool listening_now(const json& state, std::string_view pid);

}  // namespace keha::detail
