// Spotlight (keha/spotlight.hpp; docs/protocol.md §8.4, "Spotlight"): a facilitator brings
// everyone to one board, column or item, and releases them.
#include "keha/spotlight.hpp"

#include "command_handlers.hpp"
#include "keha/state.hpp"

namespace keha {

std::optional<Spotlight> spotlight_of(const json& state)
{
    auto it = state.find("spotlight");
    if (it == state.end() || !it->is_object()) return std::nullopt;
    auto board = it->find("board");
    if (board == it->end() || !board->is_string()) return std::nullopt;
    auto text = [&](const char* key) {
        auto f = it->find(key);
        return f != it->end() && f->is_string() ? f->get<std::string>() : std::string();
    };
    return Spotlight{board->get<std::string>(), text("column"), text("item")};
}

void spotlight_defaults(json& state)
{
    if (state.is_object() && !state.contains("spotlight")) state["spotlight"] = nullptr;
}

}  // namespace keha

namespace keha::detail {

void spotlight_set(Step& s)
{
    s.args.allow({"board", "column", "item"});
    const std::string board = *s.args.text("board", true, 1, 40);
    auto column = s.args.text("column", false, 1, 40);
    auto item_id = s.args.text("item", false, 1, 40);
    if (!is_board(board))
        refuse(Error_code::invalid, "There is no board \"" + board +
                                        "\"; the boards are timeline, vision, plan, reflections, hypotheses and commitments.");
    auto columns = board_columns(board);
    if (column && std::find(columns.begin(), columns.end(), *column) == columns.end())
        refuse(Error_code::invalid, "The " + board + " board has no column \"" + *column + "\".");
    json spot = {{"board", board}};
    if (item_id) {
        const json* item = find_item(s.state, board, *item_id);
        if (!item) refuse(Error_code::not_found, "There is no item " + *item_id + " on the " + board + " board.");
        // The wall would show an empty card, and a held item's words are its author's to share.
        if ((item->contains("hidden") && (*item)["hidden"] == true) || (item->contains("pending") && (*item)["pending"] == true))
            refuse(Error_code::conflict, "This item is private or waits for approval; reveal or approve it first.");
        if (column && item->value("column", "") != *column)
            refuse(Error_code::invalid, "The item " + *item_id + " is not in the column \"" + *column + "\".");
        spot["item"] = *item_id;
    }
    if (column) spot["column"] = *column;
    spot["at"] = s.context.now_ms;
    s.patch.put("/spotlight", std::move(spot));
}

void spotlight_clear(Step& s)
{
    s.args.allow({});
    s.patch.put("/spotlight", nullptr);
}

void spotlit_item_gone(Step& s, std::string_view board, std::string_view id)
{
    auto spot = spotlight_of(s.state);
    if (spot && spot->board == board && spot->item == id) s.patch.put("/spotlight", nullptr);
}

}  // namespace keha::detail
