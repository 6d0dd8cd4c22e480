#include "keha/column_ends.hpp"

#include <algorithm>
#include <vector>

#include "keha/board_order.hpp"

namespace keha {
namespace {

std::optional<std::string> column_value(const json* column)
{
    if (!column || !column->is_string()) return std::nullopt;
    return column->get<std::string>();
}

const json* member(const json& object, const char* key)
{
    if (!object.is_object()) return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

// The reference tokens of a JSON pointer, unescaped (RFC 6901).
std::vector<std::string> tokens(const std::string& pointer)
{
    std::vector<std::string> out;
    for (std::size_t at = 0; at < pointer.size() && pointer[at] == '/';) {
        const std::size_t end = std::min(pointer.find('/', at + 1), pointer.size());
        std::string token;
        for (std::size_t i = at + 1; i < end; ++i) {
            if (pointer[i] == '~' && i + 1 < end) token += pointer[++i] == '1' ? '/' : '~';
            else token += pointer[i];
        }
        out.push_back(std::move(token));
        at = end;
    }
    return out;
}

}  // namespace

void Column_ends::Board::place(const std::string& id, Place where)
{
    erase(id);
    if (where.column) columns[*where.column].insert(where.order);
    items[id] = std::move(where);
}

void Column_ends::Board::put(const std::string& id, const json& item)
{
    if (!item.is_object()) return erase(id);  // in no column, like a board read skips it
    place(id, {column_value(member(item, "column")), order_value(member(item, "order"))});
}

void Column_ends::Board::erase(const std::string& id)
{
    const auto it = items.find(id);
    if (it == items.end()) return;
    if (const auto& column = it->second.column) {
        auto& orders = columns[*column];
        if (const auto order = orders.find(it->second.order); order != orders.end()) orders.erase(order);
        if (orders.empty()) columns.erase(*column);
    }
    items.erase(it);
}

Column_ends::Board& Column_ends::read(const json& state, const std::string& board)
{
    if (const auto known = boards_.find(board); known != boards_.end()) return known->second;
    Board& mirror = boards_[board];
    const json* items = member(state, "boards");
    items = items ? member(*items, board.c_str()) : nullptr;
    items = items ? member(*items, "items") : nullptr;
    if (items && items->is_object())
        for (const auto& [id, item] : items->items()) mirror.put(id, item);
    return mirror;
}

double Column_ends::after_last(const json& state, const std::string& board, const std::string& column)
{
    const Board& mirror = read(state, board);
    const auto orders = mirror.columns.find(column);
    return order_after(orders == mirror.columns.end() ? 0.0 : *orders->second.rbegin());
}

void Column_ends::item_field_changed(Board& board, const std::string& id, const std::string& field, const json& op)
{
    if (field != "column" && field != "order") return;  // text, votes, ...: not where it stands
    const auto it = board.items.find(id);
    if (it == board.items.end()) return;  // not an object that stands anywhere
    Place where = it->second;
    const bool removed = op.value("op", "") == "remove";
    const json* value = removed ? nullptr : member(op, "value");
    if (field == "column") where.column = column_value(value);
    else where.order = order_value(value);
    board.place(id, std::move(where));
}

void Column_ends::changed(const json& op)
{
    const std::string kind = op.value("op", "");
    if (kind == "test") return;
    for (const char* at : {"from", "path"}) {
        const json* pointer = member(op, at);
        if (!pointer || !pointer->is_string()) continue;
        const auto parts = tokens(pointer->get<std::string>());
        if (parts.empty()) return clear();  // the whole document
        if (parts[0] != "boards") continue;
        if (parts.size() == 1) return clear();
        const auto board = boards_.find(parts[1]);
        if (board == boards_.end()) continue;  // not read yet: it is read whole when asked
        if (parts.size() >= 3 && parts[2] != "items") continue;  // a board's groups, its sort, ...
        if (parts.size() <= 3 || kind == "move" || kind == "copy") {
            boards_.erase(board);  // read again when asked
            continue;
        }
        if (parts.size() == 4) {
            const json* value = member(op, "value");
            if (kind == "remove" || !value) board->second.erase(parts[3]);
            else board->second.put(parts[3], *value);
        } else if (parts.size() == 5) {
            item_field_changed(board->second, parts[3], parts[4], op);
        }
    }
}

}  // namespace keha
