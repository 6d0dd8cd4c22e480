#include "notes_polls.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "keha/i18n.hpp"

namespace keha {
namespace {

std::uint64_t count_of(const json& v)
{
    return v.is_number_integer() && v.get<std::int64_t>() > 0 ? v.get<std::uint64_t>() : 0;
}

std::vector<std::vector<Cell>> choice_rows(const json& poll, const json& results, const std::string& language)
{
    std::vector<std::vector<Cell>> rows;
    const json options = poll.value("options", json::array());
    const json counts = results.value("options", json::array());
    for (std::size_t i = 0; i < options.size(); ++i)
        rows.push_back({{localized(options[i], language)}, {std::to_string(i < counts.size() ? count_of(counts[i]) : 0)}});
    return rows;
}

// Most given first; ties in the words' order.
std::vector<std::vector<Cell>> word_rows(const json& results)
{
    std::vector<std::pair<std::string, std::uint64_t>> words;
    // Named: items() of a temporary would outlive it.
    const json given = results.value("words", json::object());
    for (const auto& [word, n] : given.items()) words.emplace_back(word, count_of(n));
    std::stable_sort(words.begin(), words.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::vector<std::vector<Cell>> rows;
    for (const auto& [word, n] : words) rows.push_back({{word}, {std::to_string(n)}});
    return rows;
}

void poll_results(Notes_writer& w, const json& poll, const json& catalog, const std::string& language)
{
    const json& results = poll.contains("results") ? poll["results"] : json();
    auto t = [&](const char* key) { return tr(catalog, key); };
    if (!results.is_object()) return w.paragraph(t("poll.notes.none"));
    if (results.value("suppressed", false)) return w.paragraph(tr(catalog, "notes.ratings_suppressed"));
    const std::string kind = poll.value("kind", "");
    if (kind == "choice") {
        w.table({t("poll.notes.option"), t("poll.notes.count")}, choice_rows(poll, results, language));
    } else if (kind == "scale") {
        w.paragraph(t("notes.median") + ": " + decimal_text(results.value("median", 0.0), catalog) + ". " +
                    t("notes.distribution") + ": " + distribution_text(results.value("distribution", json::array())) + ".");
    } else {
        w.table({t("poll.notes.word"), t("poll.notes.count")}, word_rows(results));
    }
}

}  // namespace

void write_poll_notes(Notes_writer& w, const json& state, const json& catalog, const std::string& language)
{
    auto polls = state.find("polls");
    if (polls == state.end() || !polls->is_object()) return;
    std::vector<const json*> run;
    for (const auto& [id, poll] : polls->items())
        if (poll.is_object() && poll.value("status", "") != "prepared") run.push_back(&poll);
    if (run.empty()) return;
    // In the order they were launched: ids are l<seq>.
    auto seq = [](const json* p) { return std::stoull(p->value("id", "l0").substr(1)); };
    std::sort(run.begin(), run.end(), [&](const json* a, const json* b) { return seq(a) < seq(b); });
    w.heading(tr(catalog, "poll.notes.title"));
    for (const json* poll : run) {
        w.subheading(localized(poll->value("question", json("")), language));
        const json& results = poll->contains("results") ? (*poll)["results"] : json();
        std::string line = tr(catalog, "poll.notes.answered") + ": " + std::to_string(count_of(poll->value("answered", json(0))));
        if (results.is_object() && results.contains("count"))
            line += " · " + tr(catalog, "poll.notes.counted") + ": " + std::to_string(count_of(results["count"]));
        w.paragraph(line + ".");
        poll_results(w, *poll, catalog, language);
    }
}

}  // namespace keha
