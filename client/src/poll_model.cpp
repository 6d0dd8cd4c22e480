#include "poll_model.hpp"

#include <algorithm>
#include <cmath>

#include "keha/i18n.hpp"

namespace keha::desk {
namespace {

std::int64_t whole_number(const json& v) { return v.is_number_integer() ? v.get<std::int64_t>() : 0; }

std::vector<std::int64_t> counts(const json& list)
{
    std::vector<std::int64_t> out;
    if (list.is_array())
        for (const json& n : list) out.push_back(whole_number(n));
    return out;
}

void read_results(Poll_view& v, const json& r)
{
    if (!r.is_object()) return;
    v.has_results = true;
    v.suppressed = r.value("suppressed", false);
    v.count = whole_number(r.value("count", json(0)));
    v.withheld = whole_number(r.value("withheld", json(0)));
    v.option_counts = counts(r.value("options", json::array()));
    v.distribution = counts(r.value("distribution", json::array()));
    if (auto m = r.find("median"); m != r.end() && m->is_number()) v.median = m->get<double>();
    if (auto w = r.find("words"); w != r.end() && w->is_object())
        for (const auto& [word, n] : w->items()) v.words.emplace_back(word, whole_number(n));
    std::stable_sort(v.words.begin(), v.words.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
}

Poll_view poll_view(const json& p, std::string_view language)
{
    Poll_view v;
    v.id = p.value("id", "");
    v.kind = p.value("kind", "");
    v.question = localized(p.value("question", json("")), language);
    v.show = p.value("show", "live");
    v.status = p.value("status", "");
    if (auto o = p.find("options"); o != p.end() && o->is_array())
        for (const json& option : *o) v.options.push_back(localized(option, language));
    v.multiple = p.value("multiple", false);
    v.about_self = p.value("about_self", false);
    v.shown = p.value("shown", false);
    v.answered = whole_number(p.value("answered", json(0)));
    v.at = whole_number(p.value("at", json(0)));
    read_results(v, p.value("results", json()));
    return v;
}

template <class Keep>
std::vector<Poll_view> polls_where(const json& state, std::string_view language, Keep keep)
{
    std::vector<Poll_view> out;
    auto polls = state.is_object() ? state.find("polls") : state.end();
    if (!state.is_object() || polls == state.end() || !polls->is_object()) return out;
    for (const auto& [id, p] : polls->items())
        if (p.is_object()) {
            Poll_view v = poll_view(p, language);
            if (keep(v)) out.push_back(std::move(v));
        }
    std::stable_sort(out.begin(), out.end(), [](const Poll_view& a, const Poll_view& b) { return a.at > b.at; });
    return out;
}

}  // namespace

std::vector<Poll_view> launched_polls(const json& state, std::string_view language)
{
    return polls_where(state, language, [](const Poll_view& v) { return v.status != "prepared"; });
}

std::vector<Poll_view> prepared_polls(const json& state, std::string_view language)
{
    auto out = polls_where(state, language, [](const Poll_view& v) { return v.status == "prepared"; });
    std::sort(out.begin(), out.end(), [](const Poll_view& a, const Poll_view& b) { return a.id < b.id; });
    return out;
}

std::vector<Poll_view> visible_polls(const json& state, std::string_view language)
{
    return polls_where(state, language,
                       [](const Poll_view& v) { return v.status != "prepared" && (v.status == "open" || v.shown); });
}

bool answered_poll(const json& state, const std::string& pid, const std::string& poll)
{
    const json* people = state.is_object() && state.contains("participants") ? &state["participants"] : nullptr;
    if (!people || !people->contains(pid)) return false;
    const json list = (*people)[pid].value("polls_answered", json::array());
    return std::find(list.begin(), list.end(), poll) != list.end();
}

std::vector<Cloud_word> cloud_words(const Poll_view& poll, std::size_t limit)
{
    std::vector<Cloud_word> out;
    for (const auto& [word, n] : poll.words) {
        if (out.size() >= limit) break;
        out.push_back({word, n, 0});
    }
    if (out.empty()) return out;
    const auto [lo, hi] = std::minmax_element(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.count < b.count; });
    const double min = static_cast<double>(lo->count), max = static_cast<double>(hi->count);
    for (auto& w : out)
        w.step = max == min ? 1.0f : static_cast<float>(std::sqrt((static_cast<double>(w.count) - min) / (max - min)));
    return out;
}

}  // namespace keha::desk
