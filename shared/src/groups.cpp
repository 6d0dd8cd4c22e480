// Groups of cards on a board: drag a card onto another (docs/protocol.md §8.5 "Grouping and voting").
// A group lives at /boards/<b>/groups/<gid>; its cards name it in their `group` field and stay
// ordinary items (editable, movable, deletable one by one). A group with no card left goes.
#include "command_handlers.hpp"
#include "keha/state.hpp"
#include "keha/view.hpp"

namespace keha::detail {
namespace {

std::string group_path(std::string_view board, std::string_view gid)
{
    return "/boards/" + std::string(board) + "/groups/" + std::string(gid);
}

std::string board_of(const Args& args)
{
    auto board = *args.text("board", true, 1, 40);
    if (!is_board(board)) refuse(Error_code::invalid, "There is no board \"" + board + "\".");
    return board;
}

// Who may group: facilitators, or everyone when room.settings.grouping is "everyone".
void check_may_group(const Step& s)
{
    if (is_facilitator(s.actor) || setting(s.state, "grouping", std::string("facilitators")) == "everyone") return;
    refuse(Error_code::forbidden, "Only a facilitator can group cards in this room.");
}

json& card(Step& s, const std::string& board, const std::string& id)
{
    json* item = find_item(s.state, board, id);
    if (!item) refuse(Error_code::not_found, "There is no item " + id + " on the " + board + " board.");
    return *item;
}

json* find_group(json& state, const std::string& board, const std::string& gid)
{
    auto& b = state["boards"][board];
    auto groups = b.find("groups");
    if (groups == b.end() || !groups->is_object()) return nullptr;
    auto it = groups->find(gid);
    return it == groups->end() ? nullptr : &*it;
}

std::size_t cards_in(const json& state, const std::string& board, const std::string& gid)
{
    std::size_t n = 0;
    for (const auto& [id, item] : state["boards"][board]["items"].items())
        if (item.value("group", "") == gid) ++n;
    return n;
}

}  // namespace

void leave_group(Step& s, const std::string& board, const std::string& id)
{
    json* item = find_item(s.state, board, id);
    if (!item || !item->contains("group")) return;
    const std::string gid = (*item)["group"].is_string() ? (*item)["group"].get<std::string>() : std::string();
    s.patch.remove(item_path(board, id) + "/group");
    if (!gid.empty() && find_group(s.state, board, gid) && cards_in(s.state, board, gid) == 0)
        s.patch.remove(group_path(board, gid));
}

void item_group(Step& s)
{
    s.args.allow({"board", "id", "onto", "title"});
    const std::string board = board_of(s.args);
    const std::string id = *s.args.text("id", true, 1, 40);
    const std::string onto = *s.args.text("onto", true, 1, 40);
    auto title = s.args.text("title", false, 0, 200);
    check_may_group(s);
    if (id == onto) refuse(Error_code::invalid, "A card cannot be grouped onto itself.");
    const json& moved = card(s, board, id);
    const json& target = card(s, board, onto);
    if (is_held(moved) || is_held(target))
        refuse(Error_code::conflict, "A private or unapproved card can be grouped once everyone sees it.");
    std::string gid = target.value("group", "");
    if (gid.empty() || !find_group(s.state, board, gid)) {
        gid = "g" + std::to_string(s.context.seq);
        if (!s.state["boards"][board].contains("groups")) s.patch.set("/boards/" + board + "/groups", json::object());
        s.patch.set(group_path(board, gid), {{"id", gid},
                                             {"title", title.value_or("")},
                                             {"column", target.value("column", "")},
                                             {"votes", 0},
                                             {"voters", json::array()}});
        s.patch.set(item_path(board, onto) + "/group", gid);
    } else if (title) {
        s.patch.set(group_path(board, gid) + "/title", *title);
    }
    if (moved.value("group", "") == gid) return;
    const std::string column = (*find_group(s.state, board, gid)).value("column", "");
    leave_group(s, board, id);
    s.patch.set(item_path(board, id) + "/group", gid);
    if (card(s, board, id).value("column", "") != column) s.patch.set(item_path(board, id) + "/column", column);
}

void item_ungroup(Step& s)
{
    s.args.allow({"board", "id"});
    const std::string board = board_of(s.args);
    const std::string id = *s.args.text("id", true, 1, 40);
    check_may_group(s);
    card(s, board, id);
    leave_group(s, board, id);
}

void group_rename(Step& s)
{
    s.args.allow({"board", "group", "title"});
    const std::string board = board_of(s.args);
    const std::string gid = *s.args.text("group", true, 1, 40);
    const std::string title = *s.args.text("title", true, 0, 200);
    check_may_group(s);
    if (!find_group(s.state, board, gid)) refuse(Error_code::not_found, "There is no group " + gid + " on the " + board + " board.");
    s.patch.set(group_path(board, gid) + "/title", title);
}

}  // namespace keha::detail
