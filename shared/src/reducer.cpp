#include "keha/reducer.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>

#include "keha/i18n.hpp"
#include "keha/permissions.hpp"
#include "keha/state.hpp"
#include "keha/text.hpp"
#include "keha/view.hpp"

namespace keha {
namespace {

using Result = std::variant<json, Error>;

Error fail(Error_code code, std::string message) { return Error{code, std::move(message)}; }

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

    std::optional<std::string> text(std::string_view key, bool required, std::size_t min, std::size_t max)
    {
        const json* v = find(key, required);
        if (!v) return std::nullopt;
        if (!v->is_string()) return type_error(key, "a string");
        const auto& s = v->get_ref<const std::string&>();
        auto len = utf8_length(s);
        if (!len) return range_error(key, "must be valid UTF-8 text");
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

const std::string_view status_values[] = {"proposed", "agreed", "done"};
const std::string_view group_values[] = {"professional", "leader", "expert", "other"};

template <typename Range>
bool one_of(const Range& values, std::string_view v)
{
    return std::find(std::begin(values), std::end(values), v) != std::end(values);
}

std::string item_path(std::string_view board, std::string_view id)
{
    return "/boards/" + std::string(board) + "/items/" + std::string(id);
}

std::string participant_path(std::string_view pid) { return "/participants/" + std::string(pid); }

bool is_facilitator(const Actor& a) { return a.role == Role::facilitator; }

class Reducer {
public:
    Reducer(json& state, const Actor& actor, const Command& command, const Context& context)
        : state_(state), actor_(actor), cmd_(command.cmd), args_(command.args, command.cmd), context_(context),
          patch_(state)
    {
    }

    Result run()
    {
        if (!role_may(actor_.role, cmd_)) {
            if (std::find(known_commands().begin(), known_commands().end(), cmd_) == known_commands().end())
                return fail(Error_code::bad_request, "Unknown command \"" + cmd_ + "\".");
            return fail(Error_code::forbidden, forbidden_message());
        }
        if (state_["room"]["status"] == "closed" && actor_.role != Role::server)
            return fail(Error_code::room_closed, "The meeting has been closed; nothing can be changed any more.");

        std::optional<Error> e = dispatch();
        if (!e) e = args_.error();
        if (e) return *e;
        return patch_.take();
    }

private:
    std::string forbidden_message() const
    {
        if (actor_.role == Role::screen) return "The projector view is read-only.";
        if (actor_.role == Role::server) return "This command is only for people in the room.";
        return "Only a facilitator can use " + cmd_ + ".";
    }

    // Each handler validates everything before its first change to the state.
    std::optional<Error> dispatch()
    {
        if (cmd_ == "item.add") return item_add();
        if (cmd_ == "item.edit") return item_edit();
        if (cmd_ == "item.move") return item_move();
        if (cmd_ == "item.delete") return item_delete();
        if (cmd_ == "item.vote") return item_vote();
        if (cmd_ == "item.reveal") return item_reveal();
        if (cmd_ == "phase.goto") return phase_goto();
        if (cmd_ == "room.update") return room_update();
        if (cmd_ == "room.lock") return room_lock();
        if (cmd_ == "room.close") return room_close();
        if (cmd_.starts_with("timer.")) return timer();
        if (cmd_ == "hand.raise") return hand_raise();
        if (cmd_ == "hand.lower") return hand_lower();
        if (cmd_ == "participant.rename") return participant_rename();
        if (cmd_ == "participant.remove") return participant_remove();
        if (cmd_ == "participant.join") return participant_join();
        if (cmd_ == "participant.online" || cmd_ == "participant.offline") return participant_presence();
        return fail(Error_code::bad_request, "Unknown command \"" + cmd_ + "\".");
    }

    // Reads "board" and checks it names a board.
    std::optional<std::string> board_arg()
    {
        auto board = args_.text("board", true, 1, 40);
        if (board && !is_board(*board)) {
            bad_ = fail(Error_code::invalid, "There is no board \"" + *board +
                                                 "\"; the boards are timeline, vision, plan and reflections.");
            return std::nullopt;
        }
        return board;
    }

    // Reads the board's own fields that are present, into `fields`.
    void board_field_args(std::string_view board, json& fields)
    {
        for (auto f : board_fields(board)) {
            auto v = args_.text(f, false, 0, 200);
            if (!v) continue;
            if (f == "status" && !one_of(status_values, *v)) {
                bad_ = fail(Error_code::invalid, "The status must be proposed, agreed or done.");
                return;
            }
            fields[std::string(f)] = *v;
        }
    }

    json* find_item(std::string_view board, std::string_view id)
    {
        auto& items = state_["boards"][std::string(board)]["items"];
        auto it = items.find(id);
        return it == items.end() ? nullptr : &*it;
    }

    // Finds the item named by "board" and "id" that the actor may change as its author.
    std::optional<Error> own_item(std::string& board, std::string& id, json*& item)
    {
        auto b = board_arg();
        auto i = args_.text("id", true, 1, 40);
        if (bad_) return bad_;
        if (!b || !i) return args_.error();
        board = *b;
        id = *i;
        item = find_item(board, id);
        if (!item) return fail(Error_code::not_found, "There is no item " + id + " on the " + board + " board.");
        if (!is_facilitator(actor_) && (*item)["author"] != actor_.pid)
            return fail(Error_code::forbidden, "Only its author or a facilitator can change this item.");
        return std::nullopt;
    }

    std::optional<Error> item_add()
    {
        auto board = board_arg();
        if (bad_ || !board) return bad_ ? bad_ : args_.error();
        args_.allow({"board", "column", "text", "hidden"}, board_fields(*board));
        auto column = args_.text("column", true, 1, 40);
        auto text = args_.text("text", true, 1, 2000);
        auto hidden = args_.boolean("hidden", false);
        json fields = json::object();
        board_field_args(*board, fields);
        if (bad_) return bad_;
        if (args_.error()) return args_.error();
        auto columns = board_columns(*board);
        if (std::find(columns.begin(), columns.end(), *column) == columns.end())
            return fail(Error_code::invalid, "The " + *board + " board has no column \"" + *column + "\".");
        if (*board == "plan" && !fields.contains("status")) fields["status"] = "proposed";

        double order = 0;
        for (const auto& [k, it] : state_["boards"][*board]["items"].items())
            if (it["column"] == *column) order = std::max(order, it.value("order", 0.0));
        const std::string id = "i" + std::to_string(context_.seq);
        json item = {{"id", id},
                     {"column", *column},
                     {"text", *text},
                     {"author", std::string(actor_.pid)},
                     {"created_at", iso8601_utc(context_.now_ms)},
                     {"order", std::floor(order) + 1.0},
                     {"votes", 0},
                     {"voters", json::array()},
                     {"hidden", hidden.value_or(false)}};
        item.update(fields);
        patch_.set(item_path(*board, id), std::move(item));
        return std::nullopt;
    }

    std::optional<Error> item_edit()
    {
        std::string board, id;
        json* item = nullptr;
        if (auto b = args_.text("board", false, 1, 40); b && is_board(*b))
            args_.allow({"board", "id", "text"}, board_fields(*b));
        if (auto e = own_item(board, id, item)) return e;
        auto text = args_.text("text", false, 1, 2000);
        json fields = json::object();
        board_field_args(board, fields);
        if (bad_) return bad_;
        if (args_.error()) return args_.error();
        if (text) patch_.set(item_path(board, id) + "/text", *text);
        for (const auto& [k, v] : fields.items()) patch_.set(item_path(board, id) + "/" + k, v);
        return std::nullopt;
    }

    std::optional<Error> item_move()
    {
        args_.allow({"board", "id", "column", "order"});
        std::string board, id;
        json* item = nullptr;
        if (auto e = own_item(board, id, item)) return e;
        auto column = args_.text("column", false, 1, 40);
        auto order = args_.number("order", false);
        if (args_.error()) return args_.error();
        if (column) {
            auto columns = board_columns(board);
            if (std::find(columns.begin(), columns.end(), *column) == columns.end())
                return fail(Error_code::invalid, "The " + board + " board has no column \"" + *column + "\".");
            patch_.set(item_path(board, id) + "/column", *column);
        }
        if (order) patch_.set(item_path(board, id) + "/order", *order);
        return std::nullopt;
    }

    std::optional<Error> item_delete()
    {
        args_.allow({"board", "id"});
        std::string board, id;
        json* item = nullptr;
        if (auto e = own_item(board, id, item)) return e;
        patch_.remove(item_path(board, id));
        return std::nullopt;
    }

    std::optional<Error> item_vote()
    {
        args_.allow({"board", "id"});
        auto board = board_arg();
        auto id = args_.text("id", true, 1, 40);
        if (bad_) return bad_;
        if (args_.error()) return args_.error();
        json* item = find_item(*board, *id);
        if (!item) return fail(Error_code::not_found, "There is no item " + *id + " on the " + *board + " board.");
        if ((*item)["hidden"] == true && !sees_hidden_of({std::string(actor_.pid), actor_.role}, (*item)["author"].get<std::string>()))
            return fail(Error_code::forbidden, "This item is private until its author reveals it.");
        const std::string path = item_path(*board, *id);
        auto& voters = (*item)["voters"];
        auto it = std::find(voters.begin(), voters.end(), json(actor_.pid));
        if (it == voters.end()) {
            patch_.append(path + "/voters", std::string(actor_.pid));
        } else {
            patch_.remove(path + "/voters/" + std::to_string(it - voters.begin()));
        }
        patch_.set(path + "/votes", (*item)["voters"].size());
        return std::nullopt;
    }

    std::optional<Error> item_reveal()
    {
        args_.allow({"board", "id"});
        auto board = board_arg();
        auto id = args_.text("id", false, 1, 40);
        if (bad_) return bad_;
        if (args_.error()) return args_.error();
        auto reveal = [&](const std::string& item_id, json item) {
            item["hidden"] = false;
            // The whole item, so members who saw it redacted receive its text now.
            patch_.set(item_path(*board, item_id), std::move(item));
        };
        if (id) {
            json* item = find_item(*board, *id);
            if (!item) return fail(Error_code::not_found, "There is no item " + *id + " on the " + *board + " board.");
            if (!is_facilitator(actor_) && (*item)["author"] != actor_.pid)
                return fail(Error_code::forbidden, "Only its author or a facilitator can reveal this item.");
            if ((*item)["hidden"] == true) reveal(*id, *item);
            return std::nullopt;
        }
        std::vector<std::pair<std::string, json>> todo;
        for (const auto& [k, item] : state_["boards"][*board]["items"].items())
            if (item["hidden"] == true && (is_facilitator(actor_) || item["author"] == actor_.pid))
                todo.emplace_back(k, item);
        for (auto& [k, item] : todo) reveal(k, std::move(item));
        return std::nullopt;
    }

    std::optional<Error> phase_goto()
    {
        args_.allow({"phase"});
        auto phase = args_.text("phase", true, 1, 100);
        if (args_.error()) return args_.error();
        for (const auto& p : state_["phases"])
            if (p["id"] == *phase) {
                patch_.set("/phase", *phase);
                return std::nullopt;
            }
        return fail(Error_code::invalid, "This meeting has no phase \"" + *phase + "\".");
    }

    std::optional<Error> room_update()
    {
        args_.allow({"title"});
        auto title = args_.text("title", false, 1, 200);
        if (args_.error()) return args_.error();
        if (title) patch_.set("/room/title", *title);
        return std::nullopt;
    }

    std::optional<Error> room_lock()
    {
        args_.allow({"locked"});
        auto locked = args_.boolean("locked", true);
        if (args_.error()) return args_.error();
        patch_.set("/room/locked", *locked);
        return std::nullopt;
    }

    std::optional<Error> room_close()
    {
        args_.allow({});
        if (args_.error()) return args_.error();
        patch_.set("/room/status", "closed");
        return std::nullopt;
    }

    std::optional<Error> timer()
    {
        const json& t = state_["timer"];
        const std::string state = t.value("state", "idle");
        if (cmd_ == "timer.start") {
            args_.allow({"duration_s"});
            auto d = args_.integer("duration_s", true, 1, 14400);
            if (args_.error()) return args_.error();
            patch_.set("/timer", {{"state", "running"}, {"duration_s", *d}, {"ends_at_ms", context_.now_ms + *d * 1000}});
            return std::nullopt;
        }
        args_.allow({});
        if (args_.error()) return args_.error();
        if (cmd_ == "timer.pause" && state == "running") {
            std::int64_t left = std::max<std::int64_t>(0, t["ends_at_ms"].get<std::int64_t>() - context_.now_ms);
            patch_.set("/timer", {{"state", "paused"}, {"duration_s", t["duration_s"]}, {"remaining_ms", left}});
        } else if (cmd_ == "timer.resume" && state == "paused") {
            patch_.set("/timer", {{"state", "running"},
                                  {"duration_s", t["duration_s"]},
                                  {"ends_at_ms", context_.now_ms + t["remaining_ms"].get<std::int64_t>()}});
        } else if (cmd_ == "timer.reset") {
            patch_.set("/timer", {{"state", "idle"}});
        }
        return std::nullopt;
    }

    json* participant(std::string_view pid)
    {
        auto& ps = state_["participants"];
        auto it = ps.find(pid);
        return it == ps.end() ? nullptr : &*it;
    }

    std::optional<Error> hand_raise()
    {
        args_.allow({});
        if (args_.error()) return args_.error();
        json* me = participant(actor_.pid);
        if (!me) return fail(Error_code::not_found, "You are not a participant of this room.");
        if ((*me)["hand"] == true) return std::nullopt;
        patch_.set(participant_path(actor_.pid) + "/hand", true);
        patch_.set(participant_path(actor_.pid) + "/hand_at", context_.now_ms);
        return std::nullopt;
    }

    std::optional<Error> hand_lower()
    {
        args_.allow({"pid"});
        auto pid = args_.text("pid", false, 1, 40);
        if (args_.error()) return args_.error();
        std::string who = pid ? *pid : std::string(actor_.pid);
        if (who != actor_.pid && !is_facilitator(actor_))
            return fail(Error_code::forbidden, "Only a facilitator can lower someone else's hand.");
        if (!participant(who)) return fail(Error_code::not_found, "There is no participant " + who + " in this room.");
        patch_.set(participant_path(who) + "/hand", false);
        patch_.set(participant_path(who) + "/hand_at", nullptr);
        return std::nullopt;
    }

    std::optional<Error> participant_rename()
    {
        args_.allow({"name"});
        auto name = args_.text("name", true, 1, 60);
        if (args_.error()) return args_.error();
        if (!participant(actor_.pid)) return fail(Error_code::not_found, "You are not a participant of this room.");
        patch_.set(participant_path(actor_.pid) + "/name", *name);
        return std::nullopt;
    }

    std::optional<Error> participant_remove()
    {
        args_.allow({"pid"});
        auto pid = args_.text("pid", true, 1, 40);
        if (args_.error()) return args_.error();
        json* p = participant(*pid);
        if (!p) return fail(Error_code::not_found, "There is no participant " + *pid + " in this room.");
        if (actor_.role != Role::server && (*p)["role"] == "facilitator")
            return fail(Error_code::forbidden, "A facilitator cannot be removed from the room.");
        const std::string path = participant_path(*pid);
        patch_.set(path + "/removed", true);
        patch_.set(path + "/online", false);
        patch_.set(path + "/hand", false);
        patch_.set(path + "/hand_at", nullptr);
        return std::nullopt;
    }

    std::optional<Error> participant_join()
    {
        args_.allow({"name", "group", "role"});
        auto name = args_.text("name", true, 1, 60);
        auto group = args_.text("group", true, 1, 20);
        auto role = args_.text("role", true, 1, 20);
        if (args_.error()) return args_.error();
        if (!one_of(group_values, *group))
            return fail(Error_code::invalid, "The group must be professional, leader, expert or other.");
        auto r = role_from_string(*role);
        if (!r || *r == Role::server) return fail(Error_code::invalid, "The role must be facilitator, participant or screen.");
        patch_.set(participant_path(participant_id_for(context_.seq)),
                   {{"name", *name},
                    {"role", *role},
                    {"group", *group},
                    {"online", true},
                    {"hand", false},
                    {"hand_at", nullptr},
                    {"removed", false},
                    {"joined_at", iso8601_utc(context_.now_ms)}});
        return std::nullopt;
    }

    std::optional<Error> participant_presence()
    {
        args_.allow({"pid"});
        auto pid = args_.text("pid", true, 1, 40);
        if (args_.error()) return args_.error();
        if (!participant(*pid)) return fail(Error_code::not_found, "There is no participant " + *pid + " in this room.");
        patch_.set(participant_path(*pid) + "/online", cmd_ == "participant.online");
        return std::nullopt;
    }

    json& state_;
    const Actor& actor_;
    std::string cmd_;
    Args args_;
    const Context& context_;
    Patch patch_;
    std::optional<Error> bad_;
};

}  // namespace

std::variant<json, Error> apply(json& state, const Actor& actor, const Command& command, const Context& context)
{
    if (!command.args.is_object())
        return fail(Error_code::bad_request, "The \"args\" of a command must be a JSON object.");
    // No copy of the state: every handler validates all it reads before its first change,
    // so an error always leaves the state as it was (a large room stays cheap to change).
    Reducer reducer(state, actor, command, context);
    return reducer.run();
}

}  // namespace keha
