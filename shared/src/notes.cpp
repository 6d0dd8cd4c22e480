#include "keha/notes.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <regex>
#include <set>

#include "keha/board_order.hpp"
#include "keha/i18n.hpp"
#include "keha/json_access.hpp"
#include "keha/private_writing.hpp"
#include "keha/provenance.hpp"
#include "keha/qa.hpp"
#include "keha/ratings.hpp"
#include "keha/sectors.hpp"
#include "keha/state.hpp"
#include "keha/text.hpp"
#include "keha/view.hpp"
#include "notes_items.hpp"
#include "notes_json.hpp"
#include "notes_names.hpp"
#include "notes_polls.hpp"
#include "notes_writer.hpp"

namespace keha {
namespace {

std::string duration_text(std::int64_t ms)
{
    const std::int64_t minutes = (ms + 30'000) / 60'000;
    if (minutes < 60) return std::to_string(minutes) + " min";
    return std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) + " min";
}

bool attended(const json& p)
{
    // A participant merged into another is the same person, counted once (participant.merge).
    return p.value("role", "") != "screen" && p.value("admitted", true) && !p.contains("merged_into");
}

std::string notes_language(const json& state, const Notes_options& options)
{
    if (is_language(options.language)) return options.language;
    auto room = state.find("room");
    return room != state.end() && room->is_object() ? room->value("language", "fi") : "fi";
}

// The notes of one meeting, section by section, through the shared writer.
class Notes_document {
public:
    Notes_document(const json& state, bool html, const json& catalog, const Notes_options& options)
        : state_(state), catalog_(catalog), options_(options), names_(names_policy(state, options)),
          language_(notes_language(state, options)), w_(html)
    {
    }

    std::string render()
    {
        const json& room = state_["room"];
        w_.begin(string_field(room, "title"), language_);
        meeting_meta();
        w_.end_meta();
        unrevealed();
        participants();
        agenda();
        timeline();
        vision();
        plan();
        reflections();
        hypotheses();
        agreements();
        commitments();
        ratings();
        questions();
        write_poll_notes(w_, state_, catalog_, language_);
        return w_.finish();
    }

private:
    void empty() { w_.list_line({}, t("notes.empty")); }

    // Notes written privately and not yet revealed (keha/private_writing.hpp) are held, so left
    // out like any held item; the one exporting is told, at the top, before they share the notes.
    void unrevealed()
    {
        for (const auto& [board, content] : state_["boards"].items()) {
            const long long n = private_total(state_, board);
            if (n == 0) continue;
            std::string line = t(n == 1 ? "writing.notes_unrevealed.one" : "writing.notes_unrevealed.other");
            const auto put = [&line](const std::string& name, const std::string& value) {
                if (auto at = line.find(name); at != std::string::npos) line.replace(at, name.size(), value);
            };
            put("{n}", std::to_string(n));
            put("{board}", t("board." + board));
            w_.paragraph(line);
        }
    }
    std::string t(const std::string& key) const { return tr(catalog_, key); }

    std::string date_text(std::int64_t ms) const
    {
        auto [date, time] = helsinki_date_time(ms);
        if (language_ == "fi") {
            // 2026-11-23 -> 23.11.2026
            return std::to_string(std::stoi(date.substr(8, 2))) + "." + std::to_string(std::stoi(date.substr(5, 2))) +
                   "." + date.substr(0, 4);
        }
        return date;
    }

    void meeting_meta()
    {
        const json& room = state_["room"];
        const auto& times = options_.times;
        if (times.started_ms) {
            w_.meta(t("notes.date"), date_text(*times.started_ms));
            std::string span = helsinki_date_time(*times.started_ms).second;
            if (times.ended_ms) span += "–" + helsinki_date_time(*times.ended_ms).second;
            w_.meta(t("notes.time"), span + " " + t("notes.local_time"));
        } else {
            w_.meta(t("notes.created"), string_field(room, "created_at"));
        }
        if (!options_.process_title.empty()) w_.meta(t("notes.report.process"), options_.process_title);
        if (!string_field(room, "team").empty()) w_.meta(t("notes.team"), string_field(room, "team"));
        w_.meta(t("notes.room_code"), string_field(room, "code"));
        w_.meta(t("notes.status"), t(room.value("status", "open") == "closed" ? "notes.status_closed" : "notes.status_open"));
        std::vector<std::string> facilitators;
        for (const auto& [pid, p] : state_["participants"].items())
            if (p.value("role", "") == "facilitator" && attended(p)) facilitators.push_back(shown_name(p, names_));
        if (!facilitators.empty()) {
            const bool named = names_ != Notes_names::groups;
            w_.meta(t("notes.facilitators"), named ? join(facilitators) : std::to_string(facilitators.size()));
        }
        if (options_.as_of_seq) w_.meta(t("notes.as_of"), t("notes.as_of_seq") + " " + std::to_string(*options_.as_of_seq));
    }

    void participants()
    {
        w_.heading(t("notes.participants"));
        bool any = false;
        for (const char* g : participant_groups) {
            std::vector<std::string> names;
            std::size_t count = 0;
            for (const auto& [pid, p] : state_["participants"].items()) {
                if (!attended(p) || p.value("role", "") != "participant" || p.value("group", "other") != g) continue;
                ++count;
                names.push_back(shown_name(p, names_));
            }
            if (count == 0) continue;
            any = true;
            w_.list_line(t(std::string("group.") + g), names_ == Notes_names::groups ? std::to_string(count) : join(names));
        }
        if (!any) empty();
    }

    void agenda()
    {
        w_.heading(t("notes.agenda"));
        for (const auto& p : state_["phases"]) {
            std::string text;
            const int planned = p.value("timebox_s", 0);
            if (planned > 0) text = t("notes.planned") + " " + std::to_string(planned / 60) + " min";
            auto spent = options_.times.phase_ms.find(string_field(p, "id"));
            if (spent != options_.times.phase_ms.end() && spent->second > 0)
                text += (text.empty() ? "" : " · ") + t("notes.spent") + " " + duration_text(spent->second);
            w_.list_line(localized(p.value("title", json()), language_), text);
        }
    }

    std::string provenance(const json& item) const
    {
        auto s = item.find("source");
        if (s == item.end() || !s->is_object()) return {};
        auto meeting = [&](const json& m) {
            std::vector<std::string> parts;
            for (const char* k : {"team", "meeting", "code"})
                if (!string_field(m, k).empty()) parts.push_back(string_field(m, k));
            const std::string at = string_field(m, "at");
            if (at.size() >= 10) parts.push_back(at.substr(0, 10));
            return join(parts, " · ");
        };
        // A → B → C: from the meeting it began in, via the one it came from.
        std::string text = " (" + t("notes.from") + ": ";
        if (s->contains("first") && (*s)["first"].is_object())
            text += meeting((*s)["first"]) + "; " + t("notes.via") + ": " + meeting(*s);
        else text += meeting(*s);
        // An editable copy stands for its original, which the notes leave out: its words, if changed.
        const std::string original = original_text(item);
        if (!original.empty() && original != string_field(item, "text")) text += "; " + t("notes.based_on") + ": \u00ab" + original + "\u00bb";
        return text + ")";
    }

    // The text of the item an editable copy was made from ("" when it is no copy).
    std::string original_text(const json& item) const
    {
        auto of = item.find("copy_of");
        if (of == item.end() || !of->is_string()) return {};
        for (const auto& [name, board] : state_["boards"].items()) {
            const json& items = board_items(state_, name);
            if (auto it = items.find(of->get<std::string>()); it != items.end() && !is_held(*it)) return string_field(*it, "text");
        }
        return {};
    }

    // A board gets its section when the meeting's agenda has a phase on it or it has items:
    // a cross-reflection's notes carry no empty timeline.
    bool in_meeting(std::string_view board) const
    {
        for (const auto& p : state_["phases"])
            if (p.value("board", json()).is_string() && p["board"].get<std::string>() == board) return true;
        for (const auto& [id, item] : board_items(state_, board).items())
            if (!is_held(item)) return true;
        return false;
    }

    void timeline()
    {
        if (!in_meeting("timeline")) return;
        w_.heading(t("board.timeline"));
        const auto items = readable_items(state_, "timeline");
        if (items.empty()) return empty();
        // By sector, each in time order; sectors in the order of their first event.
        // A sector is its key (or free text); the heading is its label in the notes' language.
        const auto sector_of = [](const json& item) { return sector_key(string_field(item, "sector")); };
        std::vector<std::string> sectors;
        for (const json* item : items)
            if (std::find(sectors.begin(), sectors.end(), sector_of(*item)) == sectors.end())
                sectors.push_back(sector_of(*item));
        std::stable_partition(sectors.begin(), sectors.end(), [](const std::string& s) { return !s.empty(); });
        const bool grouped = !(sectors.size() == 1 && sectors[0].empty());
        for (const auto& sector : sectors) {
            if (grouped) w_.subheading(sector.empty() ? t("notes.no_sector") : sector_label(sector, catalog_));
            for (const json* item : items) {
                if (sector_of(*item) != sector) continue;
                const std::string when = string_field(*item, "when");
                w_.list_line(when.empty() ? t("notes.no_date") : when, string_field(*item, "text") + provenance(*item));
            }
        }
    }

    // "H2" for the second hinderer, "E1" for the first enabler, "V1" for a vision item.
    std::string vision_label(const std::string& id) const
    {
        auto it = vision_labels_.find(id);
        return it == vision_labels_.end() ? std::string() : it->second;
    }

    void vision()
    {
        if (!in_meeting("vision")) return;
        w_.heading(t("board.vision"));
        for (const char* column : {"vision", "hinders", "enables"}) {
            w_.subheading(t(std::string("column.") + column));
            auto items = readable_items(state_, "vision", column);
            if (items.empty()) empty();
            int n = 0;
            const std::string prefix = t(std::string("notes.label.") + column);
            by_place("vision", items, [&](const json& item, const std::string& in_group) {
                const std::string label = prefix + std::to_string(++n);
                vision_labels_[string_field(item, "id")] = label;
                w_.list_line(label, in_group + string_field(item, "text") + votes(item) + provenance(item), "v-" + string_field(item, "id"));
            });
        }
    }

    void plan()
    {
        if (!in_meeting("plan")) return;
        w_.heading(t("board.plan"));
        auto items = readable_items(state_, "plan");
        if (items.empty()) return empty();
        bool addresses = false;
        for (const json* item : items) addresses = addresses || !string_field(*item, "addresses").empty();
        std::vector<std::vector<Cell>> rows;
        for (const json* item : items) {
            std::vector<Cell> row{{string_field(*item, "text") + provenance(*item)},
                                  {string_field(*item, "who")},
                                  {string_field(*item, "with")},
                                  {string_field(*item, "due")},
                                  {t("status." + item->value("status", "proposed"))}};
            if (addresses) {
                const std::string target = string_field(*item, "addresses");
                const std::string label = vision_label(target);
                Cell c;
                if (!label.empty()) {
                    const json& v = board_items(state_, "vision")[target];
                    c = {label + ": " + string_field(v, "text"), "v-" + target};
                }
                row.push_back(std::move(c));
            }
            rows.push_back(std::move(row));
        }
        std::vector<std::string> head{t("column.action"), t("field.who"), t("field.with"), t("field.due"), t("field.status")};
        if (addresses) head.push_back(t("notes.addresses"));
        w_.table(head, rows);
    }

    // "1:reflection" -> "Round 1 · Reflecting team talks"; other labels as they are.
    std::string turn_label(const std::string& turn) const
    {
        static const std::regex cycle(R"(^(\d+):(conversation|reflection|response)$)");
        std::smatch m;
        if (std::regex_match(turn, m, cycle)) return t("notes.cycle") + " " + m[1].str() + " · " + t("notes.stage." + m[2].str());
        return turn;
    }

    void reflections()
    {
        if (!in_meeting("reflections")) return;
        w_.heading(t("board.reflections"));
        auto items = readable_items(state_, "reflections");
        if (items.empty()) return empty();
        std::vector<std::string> turns;
        for (const json* item : items)
            if (std::find(turns.begin(), turns.end(), string_field(*item, "turn")) == turns.end()) turns.push_back(string_field(*item, "turn"));
        std::stable_partition(turns.begin(), turns.end(), [](const std::string& s) { return !s.empty(); });
        const bool grouped = !(turns.size() == 1 && turns[0].empty());
        for (const auto& turn : turns) {
            if (grouped) w_.subheading(turn.empty() ? t("notes.no_turn") : turn_label(turn));
            for (const json* item : items)
                if (string_field(*item, "turn") == turn) w_.list_line({}, string_field(*item, "text") + provenance(*item));
        }
    }

    void hypotheses()
    {
        auto items = readable_items(state_, "hypotheses");
        if (items.empty()) return;
        w_.heading(t("notes.hypotheses"));
        by_place("hypotheses", items, [&](const json& item, const std::string& in_group) {
            w_.list_line({}, in_group + string_field(item, "text") + votes(item) + provenance(item));
        });
    }

    // The cards as every view places them (keha/board_order.hpp arrange_board: groups, and by
    // votes when the board is sorted so): a group's title line, then its cards, each marked.
    template <typename Line>
    void by_place(const char* board, const std::vector<const json*>& items, Line line)
    {
        const json& b = state_.contains("boards") ? state_["boards"].value(board, json::object()) : json::object();
        for (const auto& unit : arrange_board(items, b, board)) {
            if (unit.group) {
                const std::string title = string_field(*unit.group, "title");
                const std::int64_t n = unit_votes(unit);
                w_.list_line(t("group.notes_label"), (title.empty() ? t("group.untitled") : title) +
                                                         (n > 0 ? " (" + t("field.votes") + ": " + std::to_string(n) + ")" : ""));
            }
            for (const json* item : unit.items) line(*item, unit.group ? std::string("↳ ") : std::string());
        }
    }

    void agreements()
    {
        if (!in_meeting("plan")) return;
        w_.heading(t("notes.agreements"));
        bool any = false;
        for (const json* item : readable_items(state_, "plan")) {
            const std::string status = item->value("status", "proposed");
            if (status != "agreed" && status != "done") continue;
            any = true;
            std::vector<std::string> who;
            for (const char* f : {"who", "with", "due"})
                if (!string_field(*item, f).empty()) who.push_back(string_field(*item, f));
            std::string text = string_field(*item, "text");
            if (!who.empty()) text += " — " + join(who);
            if (status == "done") text += " (" + t("status.done") + ")";
            // One that came from an earlier meeting says so: it was made there (the process
            // report counts it once, where it was made).
            w_.list_line({}, text + provenance(*item));
        }
        if (!any) empty();
    }

    void commitments()
    {
        if (!in_meeting("commitments")) return;
        w_.heading(t("notes.commitments"));
        auto items = readable_items(state_, "commitments");
        if (items.empty()) return empty();
        for (const json* item : items) {
            std::vector<std::string> by;
            for (const char* f : {"who", "organisation"})
                if (!string_field(*item, f).empty()) by.push_back(string_field(*item, f));
            w_.list_line(join(by), string_field(*item, "text"));
        }
    }

    void ratings()
    {
        auto r = state_.find("ratings");
        if (r == state_.end() || !r->is_object() || r->value("questions", json::array()).empty()) return;
        w_.heading(t("notes.ratings"));
        const json& results = (*r)["results"];
        const auto answered = r->value("answered", 0);
        if (results.is_null()) {
            w_.paragraph(t(r->value("open", false) ? "notes.ratings_open" : "notes.ratings_not_run") + " " +
                      t("notes.ratings_answered") + ": " + std::to_string(answered) + ".");
            return;
        }
        if (results.value("suppressed", false)) {
            w_.paragraph(t("notes.ratings_suppressed"));
            return;
        }
        w_.paragraph(t("notes.ratings_answered") + ": " + std::to_string(results.value("count", 0)) + ". " +
                  t("notes.ratings_scale"));
        std::vector<std::vector<Cell>> rows;
        for (const auto& q : results.value("questions", json::array())) {
            if (q.value("suppressed", false)) {
                rows.push_back({{localized(q.value("text", json()), language_)}, {std::to_string(q.value("count", 0))}, {"–"}, {t("notes.too_few")}});
                continue;
            }
            rows.push_back({{localized(q.value("text", json()), language_)}, {std::to_string(q.value("count", 0))},
                            {number(q.value("median", 0.0))}, {distribution_text(q.value("distribution", json::array()))}});
        }
        w_.table({t("notes.question"), t("notes.answers"), t("notes.median"), t("notes.distribution")}, rows);
        const auto comments = results.value("comments", json::array());
        if (!comments.empty()) {
            w_.subheading(t("notes.comments"));
            for (const auto& c : comments) w_.list_line({}, c.get<std::string>());
        }
    }

    // Each Q&A with the questions the room saw, most up-voted first (keha/qa.hpp); held ones
    // (pending, hidden) stay out, as held items do.
    void questions()
    {
        auto all = state_.find("qa");
        if (all == state_.end() || !all->is_object() || all->empty()) return;
        w_.heading(t("qa.notes_heading"));
        for (const auto& [id, one] : all->items()) {
            if (!one.is_object()) continue;
            w_.subheading(string_field(one, "title"));
            const json& list = one.contains("questions") ? one["questions"] : json::object();
            bool any = false;
            for (const auto& qid : qa_question_order(list)) {
                const json& q = list[qid];
                if (is_held_question(q)) continue;
                any = true;
                std::string label = t("qa.upvotes_label") + ": " + std::to_string(q.value("upvotes", 0));
                if (q.value("answered", false)) label += ", " + t("qa.answered");
                w_.list_line(label, string_field(q, "text"));
            }
            if (!any) empty();
        }
    }

    std::string number(double v) const { return decimal_text(v, catalog_); }

    std::string votes(const json& item) const
    {
        int n = item.value("votes", 0);
        return n > 0 ? " (" + t("field.votes") + ": " + std::to_string(n) + ")" : std::string();
    }

    static std::string join(const std::vector<std::string>& parts, const std::string& sep = ", ")
    {
        std::string s;
        for (const auto& n : parts) s += (s.empty() ? "" : sep) + n;
        return s;
    }

    const json& state_;
    const json& catalog_;
    const Notes_options& options_;
    Notes_names names_;
    std::string language_;  // of the catalog: phase titles and questions are picked in it
    std::map<std::string, std::string> vision_labels_;
    Notes_writer w_;
};

}  // namespace

std::optional<Notes_format> notes_format_from_string(std::string_view text)
{
    if (text == "md") return Notes_format::md;
    if (text == "html") return Notes_format::html;
    if (text == "json") return Notes_format::json;
    return std::nullopt;
}

std::string_view content_type(Notes_format format)
{
    switch (format) {
    case Notes_format::md: return "text/markdown; charset=utf-8";
    case Notes_format::html: return "text/html; charset=utf-8";
    case Notes_format::json: return "application/json";
    }
    return "application/octet-stream";
}

Meeting_times meeting_times(const std::string& first_phase, const std::vector<Op_time>& ops)
{
    Meeting_times out;
    if (ops.empty()) return out;
    out.started_ms = ops.front().at_ms;
    out.ended_ms = ops.back().at_ms;
    std::string phase = first_phase;
    std::int64_t since = ops.front().at_ms;
    for (const auto& op : ops) {
        // Most ops do not touch the phase; only those are parsed.
        if (op.patch.find("\"/phase\"") == std::string::npos) continue;
        json patch = json::parse(op.patch, nullptr, false);
        if (!patch.is_array()) continue;
        for (const auto& o : patch)
            if (o.value("path", "") == "/phase" && o.contains("value") && o["value"].is_string()) {
                if (!phase.empty()) out.phase_ms[phase] += op.at_ms - since;
                phase = o["value"].get<std::string>();
                since = op.at_ms;
            }
    }
    if (!phase.empty()) out.phase_ms[phase] += *out.ended_ms - since;
    return out;
}

std::string render_notes(const json& state, Notes_format format, const json& catalog)
{
    return render_notes(state, format, catalog, Notes_options{});
}

std::string render_notes(const json& state, Notes_format format, const json& catalog, const Notes_options& options)
{
    switch (format) {
    case Notes_format::md: return Notes_document(state, false, catalog, options).render();
    case Notes_format::html: return Notes_document(state, true, catalog, options).render();
    case Notes_format::json: return notes_json(state, options);
    }
    return {};
}

}  // namespace keha
