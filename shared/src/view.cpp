#include "keha/view.hpp"

#include <algorithm>

#include "keha/state.hpp"

namespace keha {
namespace {

// The fields a hidden item keeps from everyone but its author and facilitators.
bool is_private_field(std::string_view field)
{
    if (field == "text") return true;
    for (const char* b : board_names)
        for (auto f : board_fields(b))
            if (f == field) return true;
    return false;
}

json redacted(const json& item)
{
    json out = json::object();
    for (const auto& [k, v] : item.items())
        if (!is_private_field(k)) out[k] = v;
    return out;
}

// "/boards/plan/items/i4/who" -> {"plan", "i4", "who"}; board is empty for other paths.
struct Item_path {
    std::string board, id, field;
    bool whole() const { return field.empty(); }
};

Item_path parse_item_path(const std::string& path)
{
    json::json_pointer ptr(path);
    std::vector<std::string> parts;
    for (auto p = ptr; !p.empty(); p = p.parent_pointer()) parts.push_back(p.back());
    std::reverse(parts.begin(), parts.end());
    if (parts.size() < 4 || parts[0] != "boards" || parts[2] != "items") return {};
    return {parts[1], parts[3], parts.size() > 4 ? parts[4] : std::string()};
}

}  // namespace

bool sees_hidden_of(const Viewer& viewer, std::string_view author)
{
    return viewer.role == Role::facilitator || viewer.pid == author;
}

json view_for(const json& state, const Viewer& viewer)
{
    json out = state;
    for (auto& [name, board] : out["boards"].items())
        for (auto& [id, item] : board["items"].items())
            if (item.value("hidden", false) && !sees_hidden_of(viewer, item.value("author", "")))
                item = redacted(item);
    return out;
}

bool Patch_views::privileged(const Viewer& viewer) const
{
    if (authors.empty() || viewer.role == Role::facilitator) return true;
    return std::find(authors.begin(), authors.end(), viewer.pid) != authors.end();
}

Patch_views split_patch(const json& patch, const json& state_after)
{
    Patch_views views{patch, json::array(), {}};
    for (const auto& op : patch) {
        auto where = parse_item_path(op.value("path", ""));
        const json* item = nullptr;
        if (!where.board.empty()) {
            json::json_pointer ptr("/boards/" + where.board + "/items");
            if (state_after.contains(ptr)) {
                const auto& items = state_after[ptr];
                auto it = items.find(where.id);
                if (it != items.end()) item = &*it;
            }
        }
        if (!item || !item->value("hidden", false)) {
            views.redacted.push_back(op);
            continue;
        }
        const std::string author = item->value("author", "");
        if (std::find(views.authors.begin(), views.authors.end(), author) == views.authors.end())
            views.authors.push_back(author);
        if (where.whole() && op.contains("value")) {
            json copy = op;
            copy["value"] = redacted(op["value"]);
            views.redacted.push_back(std::move(copy));
        } else if (!is_private_field(where.field)) {
            views.redacted.push_back(op);
        }
    }
    if (views.authors.empty()) views.redacted = views.full;
    return views;
}

}  // namespace keha
