// Sectors of the timeline as language-neutral keys (keha/sectors.hpp).
#include "keha/sectors.hpp"

#include <algorithm>

#include "keha/i18n.hpp"

namespace keha {
namespace {

struct Old_label {
    std::string_view label, key;
};
// The labels the browser's sector list offered, and so stored, before sectors had keys. They
// are the words of stored rooms, so they stay as they were even if the catalogs change.
constexpr Old_label old_labels[] = {
    {"Lastensuojelu", "child_protection"},
    {"Barnskydd", "child_protection"},
    {"Child protection", "child_protection"},
    {"Lasten- ja nuorisopsykiatria", "psychiatry"},
    {"Barn- och ungdomspsykiatri", "psychiatry"},
    {"Child and youth psychiatry", "psychiatry"},
    {"Koulu ja oppilashuolto", "school"},
    {"Skola och elevhälsa", "school"},
    {"School and pupil welfare", "school"},
    {"Varhaiskasvatus", "early_education"},
    {"Småbarnspedagogik", "early_education"},
    {"Early childhood education", "early_education"},
    {"Päihde- ja mielenterveyspalvelut", "substance_mental"},
    {"Missbruks- och mentalvårdstjänster", "substance_mental"},
    {"Substance-abuse and mental-health services", "substance_mental"},
    {"Perhe ja läheiset", "family"},
    {"Familj och närstående", "family"},
    {"Family and close ones", "family"},
    {"Muu", "other"},
    {"Annat", "other"},
    {"Other", "other"},
};

std::string_view trimmed(std::string_view s)
{
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

bool is_key(std::string_view s)
{
    return std::find(std::begin(sector_keys), std::end(sector_keys), s) != std::end(sector_keys);
}

}  // namespace

std::string sector_key(std::string_view text)
{
    const std::string_view s = trimmed(text);
    for (const auto& o : old_labels)
        if (o.label == s) return std::string(o.key);
    return std::string(s);
}

std::optional<std::string> sector_label_key(std::string_view sector)
{
    const std::string key = sector_key(sector);
    if (!is_key(key)) return std::nullopt;
    return "sector." + key;
}

std::string sector_label(std::string_view sector, const json& catalog)
{
    auto label = sector_label_key(sector);
    return label ? tr(catalog, *label) : sector_key(sector);
}

void sector_keys_in(json& state)
{
    auto boards = state.find("boards");
    if (boards == state.end() || !boards->is_object()) return;
    auto timeline = boards->find("timeline");
    if (timeline == boards->end() || !timeline->is_object() || !timeline->contains("items")) return;
    for (auto& [id, item] : (*timeline)["items"].items()) {
        auto s = item.find("sector");
        if (s != item.end() && s->is_string()) *s = sector_key(s->get<std::string>());
    }
}

}  // namespace keha
