#include "keha/erase.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "keha/state.hpp"

namespace keha {
namespace {

// Fields of a board that are the item's own words; the rest (status, the vision item a plan
// addresses, the turn of a reflection) are choices from fixed values or ids.
bool is_free_text(std::string_view board, std::string_view field)
{
    if (field == "text") return true;
    if (field == "status" || field == "addresses" || field == "turn") return false;
    auto fields = board_fields(board);
    return std::find(fields.begin(), fields.end(), field) != fields.end();
}

bool erase_item(json& item, std::string_view board)
{
    if (!item.is_object()) return false;
    for (auto& [k, v] : item.items())
        if (v.is_string() && is_free_text(board, k)) v = "";
    item["erased"] = true;
    return true;
}

std::vector<std::string> split_pointer(std::string_view pointer)
{
    std::vector<std::string> out;
    std::size_t start = 1;
    while (start <= pointer.size() && !pointer.empty()) {
        auto slash = pointer.find('/', start);
        if (slash == std::string_view::npos) slash = pointer.size();
        out.emplace_back(pointer.substr(start, slash - start));
        start = slash + 1;
    }
    return out;
}

}  // namespace

bool erase_item_in_patch(json& patch, std::string_view board, std::string_view id)
{
    if (!patch.is_array()) return false;
    const std::vector<std::string> item_path{"boards", std::string(board), "items", std::string(id)};
    bool changed = false;
    for (auto& op : patch) {
        if (!op.is_object() || !op.contains("value") || !op.contains("path") || !op["path"].is_string()) continue;
        auto path = split_pointer(op["path"].get<std::string>());
        auto common = std::min(path.size(), item_path.size());
        if (!std::equal(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(common), item_path.begin())) continue;
        json& value = op["value"];
        if (path.size() <= item_path.size()) {
            // The item itself, or something that holds it (a whole board, all boards).
            json* at = &value;
            for (auto i = path.size(); at && i < item_path.size(); ++i)
                at = at->is_object() && at->contains(item_path[i]) ? &(*at)[item_path[i]] : nullptr;
            if (at) changed = erase_item(*at, board) || changed;
        } else if (path.size() == item_path.size() + 1 && value.is_string() && is_free_text(board, path.back())) {
            value = "";
            changed = true;
        }
    }
    return changed;
}

bool erase_item_in_state(json& state, std::string_view board, std::string_view id)
{
    if (!state.is_object()) return false;
    json* at = &state;
    for (std::string_view key : {std::string_view("boards"), board, std::string_view("items"), id}) {
        auto it = at->is_object() ? at->find(key) : at->end();
        if (it == at->end()) return false;
        at = &*it;
    }
    return erase_item(*at, board);
}

}  // namespace keha
