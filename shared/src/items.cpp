// The items on the boards: add, edit, move, delete, vote and reveal (docs/protocol.md §6–§7).

#include "command_handlers.hpp"
#include "keha/private_writing.hpp"
#include "keha/sectors.hpp"
#include "keha/state.hpp"
#include "keha/view.hpp"

namespace keha::detail {
namespace {

// Reads "board" and checks it names a board.
std::string board_arg(const Args& args)
{
    auto board = *args.text("board", true, 1, 40);
    if (!is_board(board))
        refuse(Error_code::invalid, "There is no board \"" + board +
                                        "\"; the boards are timeline, vision, plan, reflections, hypotheses and commitments.");
    return board;
}

// Reads the board's own fields that are present.
json board_field_args(Step& s, std::string_view board)
{
    json fields = json::object();
    for (auto f : board_fields(board)) {
        auto v = s.args.text(f, false, 0, 200);
        if (!v) continue;
        if (f == "status" && !one_of(status_values, *v))
            refuse(Error_code::invalid, "The status must be proposed, agreed or done.");
        if (f == "addresses" && !v->empty() && !find_item(s.state, "vision", *v))
            refuse(Error_code::invalid, "\"addresses\" must be the id of an item on the vision board.");
        // A sector picked from the list is stored as its key, whatever language it was picked in.
        fields[std::string(f)] = f == "sector" ? sector_key(*v) : *v;
    }
    return fields;
}

[[noreturn]] void no_item(const std::string& board, const std::string& id)
{
    refuse(Error_code::not_found, "There is no item " + id + " on the " + board + " board.");
}

void check_column(const std::string& board, const std::string& column)
{
    auto columns = board_columns(board);
    if (std::find(columns.begin(), columns.end(), column) == columns.end())
        refuse(Error_code::invalid, "The " + board + " board has no column \"" + column + "\".");
}

struct Own_item {
    std::string board, id;
    json* item;
};

// The item named by "board" and "id" that the actor may change as its author.
Own_item own_item(Step& s)
{
    Own_item own{board_arg(s.args), *s.args.text("id", true, 1, 40), nullptr};
    own.item = find_item(s.state, own.board, own.id);
    if (!own.item) no_item(own.board, own.id);
    if (!is_facilitator(s.actor) && (*own.item)["author"] != s.actor.pid)
        refuse(Error_code::forbidden, "Only its author or a facilitator can change this item.");
    if (own.item->value("readonly", false))
        refuse(Error_code::forbidden, "This item came from an earlier meeting and is read-only; a facilitator can make an editable copy (item.copy).");
    return own;
}

}  // namespace

void item_add(Step& s)
{
    const std::string board = board_arg(s.args);
    s.args.allow({"board", "column", "text", "hidden"}, board_fields(board));
    const std::string column = *s.args.text("column", true, 1, 40);
    const std::string text = *s.args.text("text", true, 1, 2000);
    auto hidden = s.args.boolean("hidden", false);
    json fields = board_field_args(s, board);
    check_column(board, column);
    if (board == "plan" && !fields.contains("status")) fields["status"] = "proposed";
    // Reflections say which turn they belong to, for the notes.
    const json& turns = s.state["turns"];
    if (board == "reflections" && !fields.contains("turn") && turns.value("mode", "") == "reflecting_team")
        fields["turn"] = std::to_string(turns.value("cycle", 1)) + ":" + turns.value("stage", "");

    const std::string id = "i" + std::to_string(s.context.seq);
    // A listener's input, and everything written on a private board, is held (§8); a note
    // written privately (not kept private by choice, nor a listener's) waits for the reveal.
    const bool listening = listening_now(s.state, s.actor.pid);
    const bool writing = board_is_private(s.state, board) && !hidden.value_or(false) && !listening;
    const bool held = hidden.value_or(false) || listening || writing;
    json item = {{"id", id},
                 {"column", column},
                 {"text", text},
                 {"author", std::string(s.actor.pid)},
                 {"created_at", iso8601_utc(s.context.now_ms)},
                 {"order", place_after_last(s, board, column)},
                 {"votes", 0},
                 {"voters", json::array()},
                 {"hidden", held}};
    if (setting(s.state, "moderated", false) && !is_facilitator(s.actor)) item["pending"] = true;
    if (writing) item[awaits_reveal] = true;
    item.update(fields);
    s.patch.set(item_path(board, id), std::move(item));
}

void item_edit(Step& s)
{
    if (auto b = s.args.text("board", false, 1, 40); b && is_board(*b))
        s.args.allow({"board", "id", "text"}, board_fields(*b));
    auto [board, id, item] = own_item(s);
    auto text = s.args.text("text", false, 1, 2000);
    json fields = board_field_args(s, board);
    if (listening_now(s.state, s.actor.pid) && !item->value("hidden", false))
        refuse(Error_code::listening, "You are listening in this stage; you can change your visible items when your group speaks.");
    if (text) s.patch.set(item_path(board, id) + "/text", *text);
    for (const auto& [k, v] : fields.items()) s.patch.set(item_path(board, id) + "/" + k, v);
}

void item_move(Step& s)
{
    s.args.allow({"board", "id", "column", "order"});
    auto [board, id, item] = own_item(s);
    auto column = s.args.text("column", false, 1, 40);
    auto order = s.args.number("order", false);
    if (column) {
        check_column(board, *column);
        // A group stands in one column: a card moved to another leaves its group.
        if (item->value("column", "") != *column) leave_group(s, board, id);
        s.patch.set(item_path(board, id) + "/column", *column);
    }
    if (order) s.patch.set(item_path(board, id) + "/order", *order);
}

void item_delete(Step& s)
{
    s.args.allow({"board", "id", "erase"});
    auto [board, id, item] = own_item(s);
    // Erasing the text from the history too (keha/erase.hpp) is the facilitator's call.
    const bool erase = s.args.boolean("erase", false).value_or(false);
    if (erase && !is_facilitator(s.actor))
        refuse(Error_code::forbidden, "Only a facilitator can erase an item's text from the history.");
    leave_group(s, board, id);
    s.patch.remove(item_path(board, id));
    spotlit_item_gone(s, board, id);
    if (erase) s.effects.erased = std::pair{board, id};
}

namespace {

// How many votes `pid` has given on the board: on its cards and its groups.
int votes_of(const json& board, std::string_view pid)
{
    int used = 0;
    for (const char* kind : {"items", "groups"})
        if (auto things = board.find(kind); things != board.end() && things->is_object())
            for (const auto& [k, other] : things->items())
                for (const auto& v : other.value("voters", json::array()))
                    if (v == pid) ++used;
    return used;
}

// What item.vote toggles the caller's vote on: a card ("id") or a group ("group"), and its path.
std::pair<std::string, json*> vote_target(Step& s, const std::string& board)
{
    auto id = s.args.text("id", false, 1, 40);
    auto gid = s.args.text("group", false, 1, 40);
    if (id.has_value() == gid.has_value()) refuse(Error_code::bad_request, "item.vote needs either \"id\" or \"group\".");
    if (gid) {
        auto& b = s.state["boards"][board];
        auto groups = b.find("groups");
        auto it = groups != b.end() && groups->is_object() ? groups->find(*gid) : b.end();
        if (groups == b.end() || !groups->is_object() || it == groups->end())
            refuse(Error_code::not_found, "There is no group " + *gid + " on the " + board + " board.");
        return {"/boards/" + board + "/groups/" + *gid, &*it};
    }
    json* item = find_item(s.state, board, *id);
    if (!item) no_item(board, *id);
    if ((item->value("hidden", false) || item->value("pending", false)) &&
        !sees_hidden_of({std::string(s.actor.pid), s.actor.role}, (*item)["author"].get<std::string>()))
        refuse(Error_code::forbidden, "This item is private until its author reveals it.");
    return {item_path(board, *id), item};
}

}  // namespace

void item_vote(Step& s)
{
    s.args.allow({"board", "id", "group"});
    const std::string board = board_arg(s.args);
    auto [path, target] = vote_target(s, board);
    // While a voting session runs on this board the vote goes to the caller's ballot.
    if (vote_in_session(s, board, json::json_pointer(path).back())) return;
    auto& voters = (*target)["voters"];
    auto it = std::find(voters.begin(), voters.end(), json(s.actor.pid));
    if (it == voters.end()) {
        const int limit = setting(s.state, "vote_limit", 0);
        if (limit > 0 && votes_of(s.state["boards"][board], s.actor.pid) >= limit)
            refuse(Error_code::conflict, "You have used all " + std::to_string(limit) +
                                             " of your votes on this board; take one back to vote again.");
        s.patch.append(path + "/voters", std::string(s.actor.pid));
    } else {
        s.patch.remove(path + "/voters/" + std::to_string(it - voters.begin()));
    }
    s.patch.set(path + "/votes", (*target)["voters"].size());
}

void item_reveal(Step& s)
{
    s.args.allow({"board", "id"});
    const std::string board = board_arg(s.args);
    auto id = s.args.text("id", false, 1, 40);
    if (listening_now(s.state, s.actor.pid))
        refuse(Error_code::listening, "You are listening in this stage; reveal your notes when your group speaks.");
    auto reveal = [&](const std::string& item_id, json item) {
        item["hidden"] = false;
        item.erase(awaits_reveal);
        // The whole item, so members who saw it redacted receive its text now.
        s.patch.put(item_path(board, item_id), std::move(item));
    };
    if (id) {
        json* item = find_item(s.state, board, *id);
        if (!item) no_item(board, *id);
        if (!is_facilitator(s.actor) && (*item)["author"] != s.actor.pid)
            refuse(Error_code::forbidden, "Only its author or a facilitator can reveal this item.");
        refuse_author_reveal_while_private(s, board, *item);
        if ((*item)["hidden"] == true) reveal(*id, *item);
        return;
    }
    std::vector<std::pair<std::string, json>> todo;
    for (const auto& [k, item] : s.state["boards"][board]["items"].items())
        if (item["hidden"] == true && (is_facilitator(s.actor) || item["author"] == s.actor.pid) &&
            !waits_for_board_reveal(s, board, item))
            todo.emplace_back(k, item);
    for (auto& [k, item] : todo) reveal(k, std::move(item));
}

}  // namespace keha::detail
