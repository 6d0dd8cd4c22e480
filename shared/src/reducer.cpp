#include "keha/reducer.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>

#include "keha/i18n.hpp"
#include "keha/permissions.hpp"
#include "keha/sectors.hpp"
#include "keha/state.hpp"
#include "keha/text.hpp"
#include "keha/view.hpp"
#include "reducer_support.hpp"

namespace keha {
namespace {

using namespace detail;
using Result = std::variant<json, Error>;

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

        if (actor_.role != Role::server) {
            const json* me = participant(actor_.pid);
            if (me && !me->value("admitted", true))
                return fail(Error_code::forbidden, "You are waiting in the lobby until a facilitator lets you in.");
        }
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
        Step step{state_, actor_, cmd_, args_, context_, patch_};
        if (cmd_.starts_with("turns.")) return turns_command(step);
        if (cmd_.starts_with("rating")) return ratings_command(step);
        if (cmd_ == "item.import" || cmd_ == "item.copy") return imports_command(step);
        if (cmd_ == "phase.add" || cmd_ == "phase.remove" || cmd_ == "phase.move") return phases_command(step);
        if (cmd_ == "participant.merge") return merge_command(step);
        return settings_command(step);
    }

    // Reads "board" and checks it names a board.
    std::optional<std::string> board_arg()
    {
        auto board = args_.text("board", true, 1, 40);
        if (board && !is_board(*board)) {
            bad_ = fail(Error_code::invalid, "There is no board \"" + *board +
                                                 "\"; the boards are timeline, vision, plan, reflections, hypotheses and commitments.");
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
            if (f == "addresses" && !v->empty() && !find_item("vision", *v)) {
                bad_ = fail(Error_code::invalid, "\"addresses\" must be the id of an item on the vision board.");
                return;
            }
            // A sector picked from the list is stored as its key, whatever language it was picked in.
            fields[std::string(f)] = f == "sector" ? sector_key(*v) : *v;
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
        if (item->value("readonly", false))
            return fail(Error_code::forbidden, "This item came from an earlier meeting and is read-only; a facilitator can make an editable copy (item.copy).");
        return std::nullopt;
    }

    // In a reflecting team a listener's input stays private until their group speaks
    // (docs/protocol.md §8): whatever the client asks for, it is held for them and facilitators.
    bool listening_now() const
    {
        const json& turns = state_["turns"];
        if (turns.value("mode", "") != "reflecting_team") return false;
        auto listening = turns.find("listening");
        return listening != turns.end() && listening->is_array() &&
               std::find(listening->begin(), listening->end(), json(actor_.pid)) != listening->end();
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
        // Reflections say which turn they belong to, for the notes.
        if (*board == "reflections" && !fields.contains("turn") && state_["turns"].value("mode", "") == "reflecting_team")
            fields["turn"] = std::to_string(state_["turns"].value("cycle", 1)) + ":" + state_["turns"].value("stage", "");

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
                     {"hidden", hidden.value_or(false) || listening_now()}};
        if (setting(state_, "moderated", false) && !is_facilitator(actor_)) item["pending"] = true;
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
        if (listening_now() && !item->value("hidden", false))
            return fail(Error_code::listening, "You are listening in this stage; you can change your visible items when your group speaks.");
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
        args_.allow({"board", "id", "erase"});
        std::string board, id;
        json* item = nullptr;
        if (auto e = own_item(board, id, item)) return e;
        // Erasing the text from the history too (keha/erase.hpp) is the facilitator's call.
        auto erase = args_.boolean("erase", false);
        if (args_.error()) return args_.error();
        if (erase.value_or(false) && !is_facilitator(actor_))
            return fail(Error_code::forbidden, "Only a facilitator can erase an item's text from the history.");
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
        if ((item->value("hidden", false) || item->value("pending", false)) && !sees_hidden_of({std::string(actor_.pid), actor_.role}, (*item)["author"].get<std::string>()))
            return fail(Error_code::forbidden, "This item is private until its author reveals it.");
        const std::string path = item_path(*board, *id);
        auto& voters = (*item)["voters"];
        auto it = std::find(voters.begin(), voters.end(), json(actor_.pid));
        if (it == voters.end()) {
            const int limit = setting(state_, "vote_limit", 0);
            if (limit > 0) {
                int used = 0;
                for (const auto& [k, other] : state_["boards"][*board]["items"].items())
                    for (const auto& v : other.value("voters", json::array()))
                        if (v == actor_.pid) ++used;
                if (used >= limit)
                    return fail(Error_code::conflict, "You have used all " + std::to_string(limit) +
                                                          " of your votes on this board; take one back to vote again.");
            }
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
        if (listening_now())
            return fail(Error_code::listening, "You are listening in this stage; reveal your notes when your group speaks.");
        auto reveal = [&](const std::string& item_id, json item) {
            item["hidden"] = false;
            // The whole item, so members who saw it redacted receive its text now.
            patch_.put(item_path(*board, item_id), std::move(item));
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
        if (listening_now())
            return fail(Error_code::listening, "You are listening in this stage; your turn to speak comes next.");
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
                    {"admitted", !joins_waiting(state_, *role)},
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
