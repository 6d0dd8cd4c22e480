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
    if (it == item.end() || !it->is_number()) return 0.0;
    const double order = it->get<double>();
    return std::isfinite(order) ? order : 0.0;
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

}  // namespace keha
