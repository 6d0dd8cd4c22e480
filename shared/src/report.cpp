#include "keha/report.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "keha/board_order.hpp"
#include "keha/i18n.hpp"
#include "keha/json_access.hpp"
#include "keha/provenance.hpp"
#include "keha/view.hpp"
#include "notes_items.hpp"
#include "notes_writer.hpp"

namespace keha {
namespace {

std::string join(const std::vector<std::string>& parts, const std::string& sep = ", ")
{
    std::string s;
    for (const auto& p : parts) s += (s.empty() ? "" : sep) + p;
    return s;
}

// A meeting's short name in tables: "2. Leaders' meeting".
std::string meeting_name(std::size_t index, const json& state)
{
    return std::to_string(index + 1) + ". " + string_field(state["room"], "title");
}

std::string meeting_date(const Report_meeting& m)
{
    if (m.times.started_ms) return helsinki_date_time(*m.times.started_ms).first;
    return string_field(m.state["room"], "created_at").substr(0, 10);
}

// Horizontal bars: for each question its text, then one bar per meeting at its median (0–10).
std::string ratings_svg(const std::vector<std::string>& question_texts, const std::vector<std::string>& meeting_labels,
                        const std::vector<std::vector<std::optional<double>>>& medians, const json& catalog)
{
    static const char* colors[] = {"#1f4f8f", "#d9822b", "#3a8f5c", "#8f3a7a", "#6b6f76", "#b8a02e"};
    const int width = 640, left = 16, plot_w = 520, bar_h = 14, legend_row = 18;
    const int n_meet = static_cast<int>(meeting_labels.size());
    const int legend_h = legend_row * n_meet + 8;
    const int group_h = 22 + n_meet * (bar_h + 4) + 10;
    const int axis_y = legend_h + static_cast<int>(question_texts.size()) * group_h;
    const int height = axis_y + 22;
    auto px = [&](double v) { return left + static_cast<int>(v * plot_w / 10.0 + 0.5); };
    std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ratings-chart\" role=\"img\" width=\"" +
                    std::to_string(width) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
                    std::to_string(width) + " " + std::to_string(height) +
                    "\" font-family=\"Noto Sans, DejaVu Sans, sans-serif\" font-size=\"11\">\n";
    for (int m = 0; m < n_meet; ++m) {
        const int y = m * legend_row;
        s += "<rect x=\"" + std::to_string(left) + "\" y=\"" + std::to_string(y + 2) + "\" width=\"12\" height=\"12\" fill=\"" +
             colors[m % 6] + "\"/>\n";
        s += "<text x=\"" + std::to_string(left + 18) + "\" y=\"" + std::to_string(y + 12) + "\" fill=\"#1d2330\">" +
             html_escape(meeting_labels[static_cast<std::size_t>(m)]) + "</text>\n";
    }
    for (int v = 0; v <= 10; v += 2) {
        s += "<line x1=\"" + std::to_string(px(v)) + "\" y1=\"" + std::to_string(legend_h) + "\" x2=\"" + std::to_string(px(v)) +
             "\" y2=\"" + std::to_string(axis_y) + "\" stroke=\"#d5dae1\" stroke-width=\"1\"/>\n";
        s += "<text x=\"" + std::to_string(px(v)) + "\" y=\"" + std::to_string(axis_y + 14) +
             "\" text-anchor=\"middle\" fill=\"#4a5262\">" + std::to_string(v) + "</text>\n";
    }
    for (std::size_t q = 0; q < question_texts.size(); ++q) {
        const int gy = legend_h + static_cast<int>(q) * group_h;
        s += "<text x=\"" + std::to_string(left) + "\" y=\"" + std::to_string(gy + 15) + "\" font-weight=\"600\" fill=\"#1d2330\">" +
             html_escape(question_texts[q]) + "</text>\n";
        for (int m = 0; m < n_meet; ++m) {
            const int y = gy + 22 + m * (bar_h + 4);
            const auto& v = medians[q][static_cast<std::size_t>(m)];
            if (!v) {
                s += "<text x=\"" + std::to_string(left + 4) + "\" y=\"" + std::to_string(y + 11) + "\" fill=\"#6b6f76\">–</text>\n";
                continue;
            }
            s += "<rect x=\"" + std::to_string(left) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
                 std::to_string(px(*v) - left) + "\" height=\"" + std::to_string(bar_h) + "\" fill=\"" + colors[m % 6] + "\"/>\n";
            s += "<text x=\"" + std::to_string(px(*v) + 5) + "\" y=\"" + std::to_string(y + 11) + "\" fill=\"#1d2330\">" +
                 decimal_text(*v, catalog) + "</text>\n";
        }
    }
    s += "</svg>\n";
    return s;
}

class Report {
public:
    Report(const json& process, const std::vector<Report_meeting>& meetings, bool html, const json& catalog,
           std::string_view language)
        : process_(process), meetings_(meetings), catalog_(catalog), language_(language), w_(html)
    {
        std::vector<const json*> states;
        for (const auto& m : meetings_) states.push_back(&m.state);
        agreements_ = process_agreements(states);
    }

    std::string render()
    {
        const std::string title = string_field(process_, "title");
        w_.begin(title, language());
        std::vector<std::string> teams;
        for (const auto& t : process_.value("teams", json::array()))
            if (t.is_string()) teams.push_back(t.get<std::string>());
        w_.meta(t("notes.report.process"), title);
        if (!teams.empty()) w_.meta(t("notes.report.teams"), join(teams));
        w_.meta(t("notes.report.meeting_count"), std::to_string(meetings_.size()));
        w_.end_meta();

        meetings_table();
        plan_evolution();
        agreements();
        commitments();
        ratings();
        return w_.finish();
    }

private:
    std::string t(const std::string& key) const { return tr(catalog_, key); }
    // The catalog's text with "{name}" filled in.
    std::string t(const std::string& key, const std::string& name, const std::string& value) const
    {
        std::string text = t(key);
        if (auto at = text.find("{" + name + "}"); at != std::string::npos) text.replace(at, name.size() + 2, value);
        return text;
    }
    int made_in(std::size_t meeting) const
    {
        return static_cast<int>(std::count_if(agreements_[meeting].begin(), agreements_[meeting].end(),
                                              [&](const Process_agreement& a) { return a.made_in == meeting; }));
    }
    std::string language() const
    {
        if (is_language(language_)) return std::string(language_);
        return meetings_.empty() ? "fi" : string_field(meetings_.front().state["room"], "language");
    }

    // A list, or "nothing" when it is empty.
    void list(const std::vector<std::string>& lines)
    {
        if (lines.empty()) return w_.paragraph(t("notes.empty"));
        for (const auto& l : lines) w_.list_line({}, l);
    }
    void table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows)
    {
        std::vector<std::vector<Cell>> cells;
        for (const auto& r : rows) cells.emplace_back(r.begin(), r.end());
        w_.table(head, cells);
    }

    void meetings_table()
    {
        w_.heading(t("notes.report.meetings"));
        if (meetings_.empty()) return w_.paragraph(t("notes.empty"));
        std::vector<std::vector<std::string>> rows;
        for (std::size_t i = 0; i < meetings_.size(); ++i) {
            const json& s = meetings_[i].state;
            const json c = meeting_counts(s);
            rows.push_back({meeting_name(i, s), string_field(s["room"], "team"), meeting_date(meetings_[i]), string_field(s["room"], "code"),
                            t(string_field(s["room"], "status") == "closed" ? "notes.status_closed" : "notes.status_open"),
                            std::to_string(c["participants"].get<int>()), std::to_string(made_in(i)),
                            std::to_string(agreements_[i].size() - static_cast<std::size_t>(made_in(i))),
                            std::to_string(c["commitments"].get<int>()), std::to_string(c["ratings_answered"].get<int>())});
        }
        // Agreements counted where they were made; a later meeting's plan reaffirms them.
        table({t("notes.report.meeting"), t("notes.team"), t("notes.date"), t("notes.room_code"), t("notes.status"),
               t("notes.participants"), t("notes.agreements"), t("notes.report.reaffirmed"), t("notes.commitments"),
               t("notes.report.answers")},
              rows);
    }

    // Each action followed through the meetings by its origin (imports and copies keep it).
    void plan_evolution()
    {
        w_.heading(t("notes.report.plan_evolution"));
        struct Action {
            std::string text;
            std::vector<std::string> status;  // per meeting, "" where it was not on the plan
        };
        std::vector<std::string> order;
        std::map<std::string, Action> actions;
        for (std::size_t i = 0; i < meetings_.size(); ++i) {
            const json& s = meetings_[i].state;
            const std::string code = string_field(s["room"], "code");
            for (const json* item : readable_items(s, "plan")) {
                const std::string origin = origin_of(*item, code, board_items(s, "plan"));
                auto [it, fresh] = actions.try_emplace(origin);
                if (fresh) {
                    order.push_back(origin);
                    it->second.status.assign(meetings_.size(), "");
                }
                it->second.text = string_field(*item, "text");
                // A copy and its read-only original in one meeting: the furthest status counts.
                const std::string st = item->value("status", "proposed");
                auto rank = [](const std::string& x) { return x == "done" ? 3 : x == "agreed" ? 2 : x == "proposed" ? 1 : 0; };
                if (rank(st) > rank(it->second.status[i])) it->second.status[i] = st;
            }
        }
        if (order.empty()) return w_.paragraph(t("notes.empty"));
        std::vector<std::string> head{t("column.action")};
        for (std::size_t i = 0; i < meetings_.size(); ++i) head.push_back(meeting_name(i, meetings_[i].state));
        std::vector<std::vector<std::string>> rows;
        for (const auto& origin : order) {
            const Action& a = actions[origin];
            std::vector<std::string> row{a.text};
            for (const auto& st : a.status) row.push_back(st.empty() ? "–" : t("status." + st));
            rows.push_back(std::move(row));
        }
        table(head, rows);
    }

    // Each agreement under the meeting where it was made; under a later meeting, the ones it
    // reaffirmed, with where they were made.
    void agreements()
    {
        w_.heading(t("notes.agreements"));
        int total = 0;
        for (std::size_t i = 0; i < meetings_.size(); ++i) total += made_in(i);
        w_.paragraph(t("notes.report.agreements_total") + ": " + std::to_string(total));
        auto line = [&](const json& item) {
            std::vector<std::string> who;
            for (const char* f : {"who", "with", "due"})
                if (!string_field(item, f).empty()) who.push_back(string_field(item, f));
            return string_field(item, "text") + (who.empty() ? "" : " — " + join(who)) +
                   (item.value("status", "") == "done" ? " (" + t("status.done") + ")" : "");
        };
        for (std::size_t i = 0; i < meetings_.size(); ++i) {
            std::vector<std::string> made, again;
            for (const auto& a : agreements_[i]) {
                if (a.made_in == i) made.push_back(line(*a.item));
                else again.push_back(line(*a.item) + " · " +
                                     t("notes.report.agreed_in", "meeting", meeting_name(a.made_in, meetings_[a.made_in].state)));
            }
            if (made.empty() && again.empty()) continue;
            w_.subheading(meeting_name(i, meetings_[i].state));
            if (!made.empty()) list(made);
            if (again.empty()) continue;
            w_.paragraph(t("notes.report.reaffirmed") + ":");
            list(again);
        }
    }

    void commitments()
    {
        w_.heading(t("notes.commitments"));
        int total = 0;
        for (const auto& m : meetings_) total += meeting_counts(m.state)["commitments"].get<int>();
        w_.paragraph(t("notes.report.commitments_total") + ": " + std::to_string(total));
        for (std::size_t i = 0; i < meetings_.size(); ++i) {
            std::vector<std::string> lines;
            for (const json* item : readable_items(meetings_[i].state, "commitments")) {
                std::vector<std::string> by;
                for (const char* f : {"who", "organisation"})
                    if (!string_field(*item, f).empty()) by.push_back(string_field(*item, f));
                lines.push_back((by.empty() ? "" : join(by) + ": ") + string_field(*item, "text"));
            }
            if (lines.empty()) continue;
            w_.subheading(meeting_name(i, meetings_[i].state));
            list(lines);
        }
    }

    void ratings()
    {
        w_.heading(t("notes.ratings"));
        // Questions by id, in the order they first appear; medians per meeting.
        std::vector<std::string> ids, texts;
        for (const auto& m : meetings_)
            for (const auto& q : m.state.value("ratings", json::object()).value("questions", json::array()))
                if (std::find(ids.begin(), ids.end(), string_field(q, "id")) == ids.end()) {
                    ids.push_back(string_field(q, "id"));
                    texts.push_back(localized(q.value("text", json()), language()));
                }
        std::vector<std::vector<std::optional<double>>> medians(ids.size(), std::vector<std::optional<double>>(meetings_.size()));
        std::vector<std::string> labels;
        bool any = false;
        for (std::size_t i = 0; i < meetings_.size(); ++i) {
            labels.push_back(meeting_name(i, meetings_[i].state));
            const json results = meetings_[i].state.value("ratings", json::object()).value("results", json());
            if (!results.is_object() || results.value("suppressed", false)) continue;
            for (const auto& q : results.value("questions", json::array())) {
                if (q.value("suppressed", false) || !q.contains("median")) continue;
                auto at = std::find(ids.begin(), ids.end(), string_field(q, "id"));
                if (at == ids.end()) continue;
                medians[static_cast<std::size_t>(at - ids.begin())][i] = q["median"].get<double>();
                any = true;
            }
        }
        if (!any) return w_.paragraph(t("notes.report.no_ratings"));
        w_.paragraph(t("notes.report.ratings_note"));
        std::vector<std::string> head{t("notes.question")};
        head.insert(head.end(), labels.begin(), labels.end());
        std::vector<std::vector<std::string>> rows;
        for (std::size_t q = 0; q < ids.size(); ++q) {
            std::vector<std::string> row{texts[q]};
            for (const auto& v : medians[q]) row.push_back(v ? decimal_text(*v, catalog_) : "–");
            rows.push_back(std::move(row));
        }
        table(head, rows);
        w_.raw_html("<figure>\n" + ratings_svg(texts, labels, medians, catalog_) + "</figure>\n");
    }

    const json& process_;
    const std::vector<Report_meeting>& meetings_;
    const json& catalog_;
    std::string_view language_;  // of the catalog; empty: the first meeting's
    Notes_writer w_;
    std::vector<std::vector<Process_agreement>> agreements_;  // per meeting, by origin
};

}  // namespace

json meeting_counts(const json& state)
{
    int participants = 0;
    const json people = state.value("participants", json::object());
    for (const auto& [pid, p] : people.items())
        if (p.value("role", "") == "participant" && p.value("admitted", true) && !p.contains("merged_into")) ++participants;
    json counts = json::object();
    int agreements = 0;
    const json boards = state.value("boards", json::object());
    for (const auto& [name, board] : boards.items()) {
        int n = 0;
        for (const json* item : readable_items(state, name.c_str())) {
            ++n;
            const std::string st = item->value("status", "");
            if (name == "plan" && (st == "agreed" || st == "done")) ++agreements;
        }
        counts[name] = n;
    }
    const json ratings = state.value("ratings", json::object());
    return {{"participants", participants},
            {"items", counts},
            {"agreements", agreements},
            {"commitments", counts.value("commitments", 0)},
            {"ratings_answered", ratings.value("answered", 0)}};
}

std::vector<std::vector<Process_agreement>> process_agreements(const std::vector<const json*>& states)
{
    std::vector<std::vector<Process_agreement>> out(states.size());
    std::map<std::string, std::size_t> first;  // origin -> the meeting where it was agreed first
    for (std::size_t i = 0; i < states.size(); ++i) {
        const json& s = *states[i];
        const std::string code = s.contains("room") ? string_field(s["room"], "code") : std::string();
        std::set<std::string> here;  // one agreement once per meeting, even with two copies of it
        for (const json* item : readable_items(s, "plan")) {
            const std::string st = item->value("status", "proposed");
            if (st != "agreed" && st != "done") continue;
            std::string origin = origin_of(*item, code, board_items(s, "plan"));
            if (!here.insert(origin).second) continue;
            auto [at, fresh] = first.try_emplace(origin, i);
            out[i].push_back({item, std::move(origin), at->second});
        }
    }
    return out;
}

std::string render_process_report(const json& process, const std::vector<Report_meeting>& meetings, Notes_format format,
                                  const json& catalog, std::string_view language)
{
    return Report(process, meetings, format == Notes_format::html, catalog, language).render();
}

}  // namespace keha
