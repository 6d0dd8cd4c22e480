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

#include "keha/reducer.hpp"
#include "keha/text.hpp"

namespace keha::detail {

inline Error fail(Error_code code, std::string message) { return Error{code, std::move(message)}; }

// Reads a command's arguments strictly: the first problem found is kept and every later
// read returns nothing, so a command body reads top to bottom without nested checks.
class Args {
public:
    Args(const json& args, std::string_view cmd) : args_(args), cmd_(cmd) {}

    void allow(std::initializer_list<std::string_view> keys, std::span<const std::string_view> more = {})
    {
        if (error_) return;
        for (const auto& [k, v] : args_.items()) {
            bool known = std::find(keys.begin(), keys.end(), k) != keys.end() ||
                         std::find(more.begin(), more.end(), k) != more.end();
            if (!known) {
                error_ = fail(Error_code::invalid, "Unknown argument \"" + k + "\" for " + cmd_ + ".");
                return;
            }
        }
    }

    bool has(std::string_view key) const { return args_.contains(key); }
    const json& raw() const { return args_; }

    std::optional<std::string> text(std::string_view key, bool required, std::size_t min, std::size_t max)
    {
        const json* v = find(key, required);
        if (!v) return std::nullopt;
        if (!v->is_string()) return type_error(key, "a string");
        const auto& s = v->get_ref<const std::string&>();
        auto len = text_length(s);
        if (!len) return range_error(key, "must be UTF-8 text without control characters other than tab and newline");
        if (*len < min || *len > max) {
            if (min == 0)
                return range_error(key, "must be at most " + std::to_string(max) + " characters");
            return range_error(key, "must be " + std::to_string(min) + "–" + std::to_string(max) + " characters");
        }
        return s;
    }

    std::optional<bool> boolean(std::string_view key, bool required)
    {
        const json* v = find(key, required);
        if (!v) return std::nullopt;
        if (!v->is_boolean()) return type_error(key, "true or false");
        return v->get<bool>();
    }

    std::optional<double> number(std::string_view key, bool required)
    {
        const json* v = find(key, required);
        if (!v) return std::nullopt;
        if (!v->is_number()) return type_error(key, "a number");
        double d = v->get<double>();
        if (!std::isfinite(d)) return range_error(key, "must be a finite number");
        return d;
    }

    std::optional<std::int64_t> integer(std::string_view key, bool required, std::int64_t min, std::int64_t max)
    {
        const json* v = find(key, required);
        if (!v) return std::nullopt;
        if (!v->is_number_integer()) return type_error(key, "a whole number");
        auto i = v->get<std::int64_t>();
        if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
            i = INT64_MAX;
        if (i < min || i > max)
            return range_error(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
        return i;
    }

    const std::optional<Error>& error() const { return error_; }

private:
    const json* find(std::string_view key, bool required)
    {
        if (error_) return nullptr;
        auto it = args_.find(key);
        if (it == args_.end()) {
            if (required)
                error_ = fail(Error_code::bad_request,
                              std::string(cmd_) + " needs the argument \"" + std::string(key) + "\".");
            return nullptr;
        }
        return &*it;
    }

    std::nullopt_t type_error(std::string_view key, std::string_view what)
    {
        error_ = fail(Error_code::bad_request, "The argument \"" + std::string(key) + "\" of " + cmd_ +
                                                   " must be " + std::string(what) + ".");
        return std::nullopt;
    }

    std::nullopt_t range_error(std::string_view key, const std::string& what)
    {
        error_ = fail(Error_code::invalid, "The argument \"" + std::string(key) + "\" " + what + ".");
        return std::nullopt;
    }

    const json& args_;
    std::string cmd_;
    std::optional<Error> error_;
};

// Changes the state and records the RFC 6902 operation that did it, in one step.
class Patch {
public:
    explicit Patch(json& state) : state_(state) {}

    // add or replace, and nothing at all when the value is already there
    void set(const std::string& path, json value)
    {
        json::json_pointer ptr(path);
        if (state_.contains(ptr)) {
            if (state_[ptr] == value) return;
            ops_.push_back({{"op", "replace"}, {"path", path}, {"value", value}});
        } else {
            ops_.push_back({{"op", "add"}, {"path", path}, {"value", value}});
        }
        state_[ptr] = std::move(value);
    }

    // A whole object put with "add", which RFC 6902 lets replace a member that exists, so
    // the same op serves members who saw the item redacted and those who saw it in full.
    void put(const std::string& path, json value)
    {
        json::json_pointer ptr(path);
        if (state_.contains(ptr) && state_[ptr] == value) return;
        ops_.push_back({{"op", "add"}, {"path", path}, {"value", value}});
        state_[ptr] = std::move(value);
    }

    // RFC 6902 "add" into an array at `index` (the end when index is the size).
    void insert(const std::string& array_path, std::size_t index, json value)
    {
        json& array = state_[json::json_pointer(array_path)];
        const bool at_end = index >= array.size();
        ops_.push_back({{"op", "add"}, {"path", array_path + "/" + (at_end ? std::string("-") : std::to_string(index))}, {"value", value}});
        if (at_end) array.push_back(std::move(value));
        else array.insert(array.begin() + static_cast<std::ptrdiff_t>(index), std::move(value));
    }

    void append(const std::string& array_path, json value)
    {
        ops_.push_back({{"op", "add"}, {"path", array_path + "/-"}, {"value", value}});
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
        ops_.push_back({{"op", "remove"}, {"path", path}});
    }

    json take() { return std::move(ops_); }

private:
    json& state_;
    json ops_ = json::array();
};

inline const std::string_view status_values[] = {"proposed", "agreed", "done"};
inline const std::string_view turn_mode_values[] = {"none", "reflecting_team", "round", "hand_queue", "pairs"};
inline const std::string_view group_values[] = {"professional", "leader", "expert", "other"};

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

// One command being applied: what the command files get.
struct Step {
    json& state;
    const Actor& actor;
    const std::string& cmd;
    Args& args;
    const Context& context;
    Patch& patch;
};

// Command families kept in their own files; each returns nullopt when it did its work.
std::optional<Error> turns_command(Step& step);
std::optional<Error> phases_command(Step& step);
std::optional<Error> settings_command(Step& step);
std::optional<Error> ratings_command(Step& step);   // ratings.cpp
std::optional<Error> imports_command(Step& step);   // imports.cpp
std::optional<Error> merge_command(Step& step);     // merge.cpp
// Whether a new participant in this role waits in the lobby (admit_joiners, or consent pending).
bool joins_waiting(const json& state, std::string_view role);

}  // namespace keha::detail
