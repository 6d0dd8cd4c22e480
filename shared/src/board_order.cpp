#include "keha/board_order.hpp"

#include <algorithm>
#include <cmath>
#include <regex>

#include "keha/json_access.hpp"

namespace keha {
namespace {

double order_of(const json& item)
{
    auto it = item.is_object() ? item.find("order") : item.end();
    return order_value(it == item.end() ? nullptr : &*it);
}

}  // namespace

bool board_order_less(const json& a, const json& b)
{
    const double oa = order_of(a), ob = order_of(b);
    if (oa != ob) return oa < ob;
    const std::string ca = string_field(a, "created_at"), cb = string_field(b, "created_at");
    if (ca != cb) return ca < cb;
    return string_field(a, "id") < string_field(b, "id");
}

bool is_iso_when(std::string_view when)
{
    static const std::regex iso(R"(^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$)");
    return std::regex_match(when.begin(), when.end(), iso);
}

bool timeline_order_less(const json& a, const json& b)
{
    const std::string wa = string_field(a, "when"), wb = string_field(b, "when");
    const bool da = is_iso_when(wa), db = is_iso_when(wb);
    if (da != db) return da;
    if (da && wa != wb) return wa < wb;
    return board_order_less(a, b);
}

double order_value(const json* order)
{
    if (!order || !order->is_number()) return 0.0;
    const double value = order->get<double>();
    return std::isfinite(value) ? value : 0.0;
}

double order_after(double last) { return std::floor(std::max(0.0, last)) + 1.0; }

double order_after_last(const json& items, const std::string& column)
{
    // Every add reads its whole board: the fields are read in place, not copied.
    double order = 0;
    for (const auto& it : items) {
        const auto c = it.is_object() ? it.find("column") : it.end();
        if (c != it.end() && c->is_string() && c->get_ref<const std::string&>() == column) order = std::max(order, order_of(it));
    }
    return order_after(order);
}

void sort_in_board_order(std::vector<const json*>& items)
{
    std::sort(items.begin(), items.end(), [](const json* a, const json* b) { return board_order_less(*a, *b); });
}

void sort_in_timeline_order(std::vector<const json*>& items)
{
    std::sort(items.begin(), items.end(), [](const json* a, const json* b) { return timeline_order_less(*a, *b); });
}

void sort_board_items(std::vector<const json*>& items, std::string_view board)
{
    if (board == "timeline") sort_in_timeline_order(items);
    else sort_in_board_order(items);
}

namespace {

std::int64_t votes_of(const json& thing)
{
    auto it = thing.is_object() ? thing.find("votes") : thing.end();
    return it != thing.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

const json& member_of(const json& object, std::string_view key)
{
    static const json none = json::object();
    auto it = object.is_object() ? object.find(key) : object.end();
    return it != object.end() && it->is_object() ? *it : none;
}

}  // namespace

std::int64_t unit_votes(const Board_unit& unit)
{
    std::int64_t total = unit.group ? votes_of(*unit.group) : 0;
    for (const json* item : unit.items) total += votes_of(*item);
    return total;
}

std::vector<Board_unit> arrange_board(const std::vector<const json*>& items, const json& board, std::string_view name)
{
    std::vector<const json*> sorted = items;
    sort_board_items(sorted, name);
    const json& groups = member_of(board, "groups");
    std::vector<Board_unit> units;
    for (const json* item : sorted) {
        const std::string gid = string_field(*item, "group");
        auto group = gid.empty() ? groups.end() : groups.find(gid);
        if (group == groups.end() || !group->is_object()) {
            units.push_back({{}, nullptr, {item}});
            continue;
        }
        auto same = std::find_if(units.begin(), units.end(), [&](const Board_unit& u) { return u.group_id == gid; });
        if (same != units.end()) same->items.push_back(item);
        else units.push_back({gid, &*group, {item}});
    }
    if (string_field(board, "sort") != "votes") return units;
    for (auto& unit : units)
        std::stable_sort(unit.items.begin(), unit.items.end(),
                         [](const json* a, const json* b) { return votes_of(*a) > votes_of(*b); });
    std::stable_sort(units.begin(), units.end(),
                     [](const Board_unit& a, const Board_unit& b) { return unit_votes(a) > unit_votes(b); });
    return units;
}

}  // namespace keha
