#include "notes_items.hpp"

#include "keha/board_order.hpp"
#include "keha/provenance.hpp"
#include "keha/view.hpp"

namespace keha {

const json& board_items(const json& state, std::string_view board)
{
    static const json none = json::object();
    auto boards = state.find("boards");
    if (boards == state.end() || !boards->is_object()) return none;
    auto b = boards->find(board);
    if (b == boards->end() || !b->is_object()) return none;
    auto items = b->find("items");
    return items != b->end() && items->is_object() ? *items : none;
}

std::vector<const json*> readable_items(const json& state, std::string_view board, std::string_view column)
{
    std::vector<const json*> out;
    const json& items = board_items(state, board);
    // An item replaced by an editable copy (item.copy) is left out: the copy stands for it.
    const auto copied = copied_originals(items);
    for (const auto& [id, item] : items.items())
        if (!is_held(item) && (column.empty() || item.value("column", "") == column) && !copied.count(id))
            out.push_back(&item);
    sort_board_items(out, board);
    return out;
}

}  // namespace keha
