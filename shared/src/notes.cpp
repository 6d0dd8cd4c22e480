#include "keha/notes.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <regex>
#include <set>

#include "keha/board_order.hpp"
#include "keha/i18n.hpp"
#include "keha/provenance.hpp"
#include "keha/ratings.hpp"
#include "keha/sectors.hpp"
#include "keha/state.hpp"
#include "keha/text.hpp"
#include "notes_support.hpp"

namespace keha {
namespace {

std::string str(const json& item, const char* key)
{
    auto it = item.find(key);
    return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool readable(const json& item) { return !item.value("hidden", false) && !item.value("pending", false); }

const json& board_items(const json& state, std::string_view board)
{
    static const json none = json::object();
    auto boards = state.find("boards");
    if (boards == state.end()) return none;
    auto b = boards->find(board);
    if (b == boards->end() || !b->contains("items")) return none;
    return (*b)["items"];
}

// Items of a board that everyone may read, in board order.
std::vector<const json*> visible_items(const json& state, std::string_view board, std::string_view column = {})
{
    std::vector<const json*> out;
    const json& items = board_items(state, board);
    // An item replaced by an editable copy (item.copy) is left out: the copy stands for it.
    const auto copied = copied_originals(items);
    for (const auto& [k, item] : items.items())
        if (readable(item) && (column.empty() || item.value("column", "") == column) && !copied.count(k))
            out.push_back(&item);
    sort_board_items(out, board);
    return out;
}

// ---- time ---------------------------------------------------------------------------------

struct Civil {
    int y, m, d;
};

Civil civil_from_days(std::int64_t z)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

std::int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + static_cast<unsigned>(d) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// Epoch ms of 01:00 UTC on the last Sunday of a month: when EU summer time starts or ends.
std::int64_t last_sunday_0100_utc(int year, int month)
{
    const int next_y = month == 12 ? year + 1 : year, next_m = month == 12 ? 1 : month + 1;
    std::int64_t day = days_from_civil(next_y, next_m, 1) - 1;  // last day of the month
    const std::int64_t weekday = ((day % 7) + 11) % 7;          // 0 = Sunday (1970-01-01 was a Thursday)
    day -= weekday;
    return day * 86'400'000 + 3'600'000;
}

std::string two(int v)
{
    char b[8];
    std::snprintf(b, sizeof b, "%02d", v);
    return b;
}

std::string duration_text(std::int64_t ms)
{
    const std::int64_t minutes = (ms + 30'000) / 60'000;
    if (minutes < 60) return std::to_string(minutes) + " min";
    return std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) + " min";
}

// ---- people ----------------------------------------------------------------------------------

bool attended(const json& p)
{
    // A participant merged into another is the same person, counted once (participant.merge).
    return p.value("role", "") != "screen" && p.value("admitted", true) && !p.contains("merged_into");
}

// What the notes call a person under the chosen policy; empty under "groups".
std::string shown_name(const json& p, Notes_names names)
{
    const std::string name = str(p, "name");
    switch (names) {
    case Notes_names::full: return name;
    case Notes_names::initials: return initials(name);
    case Notes_names::groups: return {};
    case Notes_names::automatic: return p.value("group", "") == "expert" ? initials(name) : name;
    }
    return name;
}

std::string notes_language(const json& state, const Notes_options& options)
{
    if (is_language(options.language)) return options.language;
    auto room = state.find("room");
    return room != state.end() && room->is_object() ? room->value("language", "fi") : "fi";
}

Notes_names names_policy(const json& state, const Notes_options& options)
{
    if (options.names) return *options.names;
    auto room = state.find("room");
    if (room != state.end() && room->contains("settings") && (*room)["settings"].is_object())
        if (auto n = notes_names_from_string((*room)["settings"].value("notes_names", "auto"))) return *n;
    return Notes_names::automatic;
}

// The state the notes JSON carries: no hidden or held items, names as the policy says.
json shareable_state(const json& state, Notes_names names)
{
    json out = state;
    if (out.contains("boards"))
        for (auto& [name, board] : out["boards"].items()) {
            json kept = json::object();
            for (auto& [id, item] : board["items"].items())
                if (readable(item)) kept[id] = item;
            board["items"] = std::move(kept);
        }
    if (out.contains("participants") && names != Notes_names::full)
        for (auto& [pid, p] : out["participants"].items()) {
            std::string shown = shown_name(p, names);
            if (shown.empty()) p.erase("name");
            else p["name"] = shown;
        }
    // Who gave a young person's consent is a name too.
    if (names == Notes_names::initials || names == Notes_names::groups)
        if (auto c = out.find("consent"); c != out.end() && c->is_object() && c->contains("given_by")) {
            if (names == Notes_names::groups) c->erase("given_by");
            else (*c)["given_by"] = initials(str(*c, "given_by"));
        }
    return out;
}

// ---- the writers -------------------------------------------------------------------------------

struct Cell {
    Cell() = default;
    Cell(std::string t, std::string l = {}) : text(std::move(t)), link(std::move(l)) {}
    std::string text;
    std::string link;  // an anchor elsewhere in the notes (HTML only)
};

class Writer {
public:
    Writer(const json& state, const json& catalog, const Notes_options& options)
        : state_(state), catalog_(catalog), options_(options), names_(names_policy(state, options)),
          language_(notes_language(state, options))
    {
    }
    virtual ~Writer() = default;

    std::string render()
    {
        const json& room = state_["room"];
        begin(str(room, "title"));
        meeting_meta();
        end_meta();
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
        finish();
        return out_;
    }

protected:
    virtual void begin(const std::string& title) = 0;
    virtual void meta(const std::string& label, const std::string& value) = 0;
    virtual void end_meta() {}
    virtual void heading(const std::string& text) = 0;
    virtual void subheading(const std::string& text) = 0;
    virtual void paragraph(const std::string& text) = 0;
    // `anchor`: a target other parts link to (HTML only).
    virtual void list_line(const std::string& label, const std::string& text, const std::string& anchor = {}) = 0;
    virtual void table(const std::vector<std::string>& head, const std::vector<std::vector<Cell>>& rows) = 0;
    virtual void finish() {}
    void empty() { list_line({}, tr(catalog_, "notes.empty")); }
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
            meta(t("notes.date"), date_text(*times.started_ms));
            std::string span = helsinki_date_time(*times.started_ms).second;
            if (times.ended_ms) span += "–" + helsinki_date_time(*times.ended_ms).second;
            meta(t("notes.time"), span + " " + t("notes.local_time"));
        } else {
            meta(t("notes.created"), str(room, "created_at"));
        }
        if (!options_.process_title.empty()) meta(t("notes.report.process"), options_.process_title);
        if (!str(room, "team").empty()) meta(t("notes.team"), str(room, "team"));
        meta(t("notes.room_code"), str(room, "code"));
        meta(t("notes.status"), t(room.value("status", "open") == "closed" ? "notes.status_closed" : "notes.status_open"));
        std::vector<std::string> facilitators;
        for (const auto& [pid, p] : state_["participants"].items())
            if (p.value("role", "") == "facilitator" && attended(p)) facilitators.push_back(shown_name(p, names_));
        if (!facilitators.empty()) {
            const bool named = names_ != Notes_names::groups;
            meta(t("notes.facilitators"), named ? join(facilitators) : std::to_string(facilitators.size()));
        }
        if (options_.as_of_seq) meta(t("notes.as_of"), t("notes.as_of_seq") + " " + std::to_string(*options_.as_of_seq));
    }

    void participants()
    {
        heading(t("notes.participants"));
        bool any = false;
        for (const char* g : {"professional", "leader", "expert", "other"}) {
            std::vector<std::string> names;
            std::size_t count = 0;
            for (const auto& [pid, p] : state_["participants"].items()) {
                if (!attended(p) || p.value("role", "") != "participant" || p.value("group", "other") != g) continue;
                ++count;
                names.push_back(shown_name(p, names_));
            }
            if (count == 0) continue;
            any = true;
            list_line(t(std::string("group.") + g), names_ == Notes_names::groups ? std::to_string(count) : join(names));
        }
        if (!any) empty();
    }

    void agenda()
    {
        heading(t("notes.agenda"));
        for (const auto& p : state_["phases"]) {
            std::string text;
            const int planned = p.value("timebox_s", 0);
            if (planned > 0) text = t("notes.planned") + " " + std::to_string(planned / 60) + " min";
            auto spent = options_.times.phase_ms.find(str(p, "id"));
            if (spent != options_.times.phase_ms.end() && spent->second > 0)
                text += (text.empty() ? "" : " · ") + t("notes.spent") + " " + duration_text(spent->second);
            list_line(localized(p.value("title", json()), language_), text);
        }
    }

    std::string provenance(const json& item) const
    {
        auto s = item.find("source");
        if (s == item.end() || !s->is_object()) return {};
        auto meeting = [&](const json& m) {
            std::vector<std::string> parts;
            for (const char* k : {"team", "meeting", "code"})
                if (!str(m, k).empty()) parts.push_back(str(m, k));
            const std::string at = str(m, "at");
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
        if (!original.empty() && original != str(item, "text")) text += "; " + t("notes.based_on") + ": \u00ab" + original + "\u00bb";
        return text + ")";
    }

    // The text of the item an editable copy was made from ("" when it is no copy).
    std::string original_text(const json& item) const
    {
        auto of = item.find("copy_of");
        if (of == item.end() || !of->is_string()) return {};
        for (const auto& [name, board] : state_["boards"].items()) {
            const json& items = board_items(state_, name);
            if (auto it = items.find(of->get<std::string>()); it != items.end() && readable(*it)) return str(*it, "text");
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
            if (readable(item)) return true;
        return false;
    }

    void timeline()
    {
        if (!in_meeting("timeline")) return;
        heading(t("board.timeline"));
        const auto items = visible_items(state_, "timeline");
        if (items.empty()) return empty();
        // By sector, each in time order; sectors in the order of their first event.
        // A sector is its key (or free text); the heading is its label in the notes' language.
        const auto sector_of = [](const json& item) { return sector_key(str(item, "sector")); };
        std::vector<std::string> sectors;
        for (const json* item : items)
            if (std::find(sectors.begin(), sectors.end(), sector_of(*item)) == sectors.end())
                sectors.push_back(sector_of(*item));
        std::stable_partition(sectors.begin(), sectors.end(), [](const std::string& s) { return !s.empty(); });
        const bool grouped = !(sectors.size() == 1 && sectors[0].empty());
        for (const auto& sector : sectors) {
            if (grouped) subheading(sector.empty() ? t("notes.no_sector") : sector_label(sector, catalog_));
            for (const json* item : items) {
                if (sector_of(*item) != sector) continue;
                const std::string when = str(*item, "when");
                list_line(when.empty() ? t("notes.no_date") : when, str(*item, "text") + provenance(*item));
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
        heading(t("board.vision"));
        for (const char* column : {"vision", "hinders", "enables"}) {
            subheading(t(std::string("column.") + column));
            auto items = visible_items(state_, "vision", column);
            if (items.empty()) empty();
            int n = 0;
            const std::string prefix = t(std::string("notes.label.") + column);
            for (const json* item : items) {
                const std::string label = prefix + std::to_string(++n);
                vision_labels_[str(*item, "id")] = label;
                list_line(label, str(*item, "text") + votes(*item) + provenance(*item), "v-" + str(*item, "id"));
            }
        }
    }

    void plan()
    {
        if (!in_meeting("plan")) return;
        heading(t("board.plan"));
        auto items = visible_items(state_, "plan");
        if (items.empty()) return empty();
        bool addresses = false;
        for (const json* item : items) addresses = addresses || !str(*item, "addresses").empty();
        std::vector<std::vector<Cell>> rows;
        for (const json* item : items) {
            std::vector<Cell> row{{str(*item, "text") + provenance(*item)},
                                  {str(*item, "who")},
                                  {str(*item, "with")},
                                  {str(*item, "due")},
                                  {t("status." + item->value("status", "proposed"))}};
            if (addresses) {
                const std::string target = str(*item, "addresses");
                const std::string label = vision_label(target);
                Cell c;
                if (!label.empty()) {
                    const json& v = board_items(state_, "vision")[target];
                    c = {label + ": " + str(v, "text"), "v-" + target};
                }
                row.push_back(std::move(c));
            }
            rows.push_back(std::move(row));
        }
        std::vector<std::string> head{t("column.action"), t("field.who"), t("field.with"), t("field.due"), t("field.status")};
        if (addresses) head.push_back(t("notes.addresses"));
        table(head, rows);
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
        heading(t("board.reflections"));
        auto items = visible_items(state_, "reflections");
        if (items.empty()) return empty();
        std::vector<std::string> turns;
        for (const json* item : items)
            if (std::find(turns.begin(), turns.end(), str(*item, "turn")) == turns.end()) turns.push_back(str(*item, "turn"));
        std::stable_partition(turns.begin(), turns.end(), [](const std::string& s) { return !s.empty(); });
        const bool grouped = !(turns.size() == 1 && turns[0].empty());
        for (const auto& turn : turns) {
            if (grouped) subheading(turn.empty() ? t("notes.no_turn") : turn_label(turn));
            for (const json* item : items)
                if (str(*item, "turn") == turn) list_line({}, str(*item, "text") + provenance(*item));
        }
    }

    void hypotheses()
    {
        auto items = visible_items(state_, "hypotheses");
        if (items.empty()) return;
        heading(t("notes.hypotheses"));
        for (const json* item : items) list_line({}, str(*item, "text") + votes(*item) + provenance(*item));
    }

    void agreements()
    {
        if (!in_meeting("plan")) return;
        heading(t("notes.agreements"));
        bool any = false;
        for (const json* item : visible_items(state_, "plan")) {
            const std::string status = item->value("status", "proposed");
            if (status != "agreed" && status != "done") continue;
            any = true;
            std::vector<std::string> who;
            for (const char* f : {"who", "with", "due"})
                if (!str(*item, f).empty()) who.push_back(str(*item, f));
            std::string text = str(*item, "text");
            if (!who.empty()) text += " — " + join(who);
            if (status == "done") text += " (" + t("status.done") + ")";
            // One that came from an earlier meeting says so: it was made there (the process
            // report counts it once, where it was made).
            list_line({}, text + provenance(*item));
        }
        if (!any) empty();
    }

    void commitments()
    {
        if (!in_meeting("commitments")) return;
        heading(t("notes.commitments"));
        auto items = visible_items(state_, "commitments");
        if (items.empty()) return empty();
        for (const json* item : items) {
            std::vector<std::string> by;
            for (const char* f : {"who", "organisation"})
                if (!str(*item, f).empty()) by.push_back(str(*item, f));
            list_line(join(by), str(*item, "text"));
        }
    }

    void ratings()
    {
        auto r = state_.find("ratings");
        if (r == state_.end() || !r->is_object() || r->value("questions", json::array()).empty()) return;
        heading(t("notes.ratings"));
        const json& results = (*r)["results"];
        const auto answered = r->value("answered", 0);
        if (results.is_null()) {
            paragraph(t(r->value("open", false) ? "notes.ratings_open" : "notes.ratings_not_run") + " " +
                      t("notes.ratings_answered") + ": " + std::to_string(answered) + ".");
            return;
        }
        if (results.value("suppressed", false)) {
            paragraph(t("notes.ratings_suppressed"));
            return;
        }
        paragraph(t("notes.ratings_answered") + ": " + std::to_string(results.value("count", 0)) + ". " +
                  t("notes.ratings_scale"));
        std::vector<std::vector<Cell>> rows;
        for (const auto& q : results.value("questions", json::array())) {
            if (q.value("suppressed", false)) {
                rows.push_back({{localized(q.value("text", json()), language_)}, {std::to_string(q.value("count", 0))}, {"–"}, {t("notes.too_few")}});
                continue;
            }
            std::string distribution;
            const auto& d = q["distribution"];
            for (std::size_t v = 0; v < d.size(); ++v)
                if (d[v].get<int>() > 0)
                    distribution += (distribution.empty() ? "" : " · ") + std::to_string(v) + ": " + std::to_string(d[v].get<int>());
            rows.push_back({{localized(q.value("text", json()), language_)}, {std::to_string(q.value("count", 0))}, {number(q.value("median", 0.0))}, {distribution}});
        }
        table({t("notes.question"), t("notes.answers"), t("notes.median"), t("notes.distribution")}, rows);
        const auto comments = results.value("comments", json::array());
        if (!comments.empty()) {
            subheading(t("notes.comments"));
            for (const auto& c : comments) list_line({}, c.get<std::string>());
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
    std::string out_;
};

class Markdown_writer final : public Writer {
public:
    using Writer::Writer;

private:
    static std::string esc(const std::string& s) { return markdown_escape(s); }

    void begin(const std::string& title) override { out_ += "# " + esc(title) + "\n\n"; }
    void meta(const std::string& label, const std::string& value) override
    {
        out_ += "- **" + esc(label) + ":** " + esc(value) + "\n";
    }
    // One blank line between blocks, never two.
    void blank()
    {
        if (!out_.ends_with("\n\n")) out_ += "\n";
    }
    void heading(const std::string& text) override
    {
        blank();
        out_ += "## " + esc(text) + "\n\n";
    }
    void subheading(const std::string& text) override
    {
        blank();
        out_ += "### " + esc(text) + "\n\n";
    }
    void paragraph(const std::string& text) override { out_ += esc(text) + "\n"; }
    void list_line(const std::string& label, const std::string& text, const std::string&) override
    {
        out_ += label.empty() ? "- " + esc(text) + "\n" : "- **" + esc(label) + "**: " + esc(text) + "\n";
    }
    void table(const std::vector<std::string>& head, const std::vector<std::vector<Cell>>& rows) override
    {
        auto row = [&](const std::vector<std::string>& cells) {
            out_ += "|";
            for (const auto& c : cells) out_ += " " + esc(c) + " |";
            out_ += "\n";
        };
        blank();
        row(head);
        out_ += "|";
        for (std::size_t i = 0; i < head.size(); ++i) out_ += " --- |";
        out_ += "\n";
        for (const auto& r : rows) {
            std::vector<std::string> cells;
            for (const auto& c : r) cells.push_back(c.text);
            row(cells);
        }
        out_ += "\n";
    }
};

}  // namespace

std::string markdown_escape(const std::string& text)
{
    const std::string s = neutralize_controls(text);
    std::string o;
    for (char c : s) {
        if (c == '\n' || c == '\r') {
            o += ' ';
            continue;
        }
        if (std::string_view("\\`*_[]<>#|~").find(c) != std::string_view::npos) o += '\\';
        o += c;
    }
    return o;
}

// HTML escaping and the print style, shared with the process report.
std::string html_escape(const std::string& text)
{
    const std::string s = neutralize_controls(text);
    std::string o;
    for (char c : s) {
        switch (c) {
        case '&': o += "&amp;"; break;
        case '<': o += "&lt;"; break;
        case '>': o += "&gt;"; break;
        case '"': o += "&quot;"; break;
        case '\'': o += "&#39;"; break;
        default: o += c;
        }
    }
    return o;
}

std::string decimal_text(double v, const json& catalog)
{
    char b[32];
    std::snprintf(b, sizeof b, v == static_cast<int>(v) ? "%.0f" : "%.1f", v);
    std::string s = b;
    // A catalog without the key (an older one) keeps the point.
    const std::string mark = tr(catalog, "notes.decimal_mark");
    if (auto dot = s.find('.'); dot != std::string::npos && mark != "notes.decimal_mark") s.replace(dot, 1, mark);
    return s;
}

const char* notes_print_css =
    "@page { size: A4; margin: 18mm 16mm 20mm; }\n"
    "body { font-family: 'Noto Sans', 'DejaVu Sans', sans-serif; font-size: 10.5pt; line-height: 1.45;"
    " color: #1d2330; max-width: 48em; margin: 2em auto; padding: 0 1em; }\n"
    "h1 { font-size: 20pt; margin: 0 0 .3em; } h2 { font-size: 14pt; border-bottom: 1px solid #c9cfd8;"
    " padding-bottom: .15em; margin-top: 1.4em; break-after: avoid; page-break-after: avoid; }\n"
    "h3 { font-size: 11.5pt; margin: 1em 0 .3em; break-after: avoid; page-break-after: avoid; }\n"
    "dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; color: #4a5262; }\n"
    "dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; }\n"
    "ul { padding-left: 1.2em; margin: .3em 0; } li { margin: .2em 0; break-inside: avoid; }\n"
    "table { border-collapse: collapse; width: 100%; margin: .5em 0; font-size: 10pt; }\n"
    "th, td { border: 1px solid #c9cfd8; padding: .3em .45em; text-align: left; vertical-align: top; }\n"
    "th { background: #eef1f5; } tr { break-inside: avoid; page-break-inside: avoid; } thead { display: table-header-group; }\n"
    "a { color: #1f4f8f; text-decoration: none; } p { margin: .4em 0; }\n"
    "svg { max-width: 100%; height: auto; }\n"
    "@media print { body { margin: 0; max-width: none; padding: 0; } a { color: inherit; } }\n";

namespace {

class Html_writer final : public Writer {
public:
    using Writer::Writer;

private:
    static std::string esc(const std::string& s) { return html_escape(s); }

    void close_list()
    {
        if (in_list_) out_ += "</ul>\n";
        in_list_ = false;
    }

    void begin(const std::string& title) override
    {
        out_ += "<!doctype html>\n<html lang=\"" + esc(language_) +
                "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + esc(title) + "</title>\n<style>\n" +
                notes_print_css + "</style>\n</head>\n<body>\n<h1>" + esc(title) + "</h1>\n<dl class=\"meta\">\n";
    }
    void meta(const std::string& label, const std::string& value) override
    {
        out_ += "<dt>" + esc(label) + "</dt><dd>" + esc(value) + "</dd>\n";
    }
    void end_meta() override { out_ += "</dl>\n"; }
    void heading(const std::string& text) override
    {
        close_list();
        out_ += "<h2>" + esc(text) + "</h2>\n";
    }
    void subheading(const std::string& text) override
    {
        close_list();
        out_ += "<h3>" + esc(text) + "</h3>\n";
    }
    void paragraph(const std::string& text) override
    {
        close_list();
        out_ += "<p>" + esc(text) + "</p>\n";
    }
    void list_line(const std::string& label, const std::string& text, const std::string& anchor) override
    {
        if (!in_list_) out_ += "<ul>\n";
        in_list_ = true;
        out_ += anchor.empty() ? "<li>" : "<li id=\"" + esc(anchor) + "\">";
        out_ += label.empty() ? esc(text) + "</li>\n" : "<strong>" + esc(label) + "</strong>: " + esc(text) + "</li>\n";
    }
    void table(const std::vector<std::string>& head, const std::vector<std::vector<Cell>>& rows) override
    {
        close_list();
        out_ += "<table>\n<thead><tr>";
        for (const auto& h : head) out_ += "<th>" + esc(h) + "</th>";
        out_ += "</tr></thead>\n<tbody>\n";
        for (const auto& r : rows) {
            out_ += "<tr>";
            for (const auto& c : r)
                out_ += c.link.empty() ? "<td>" + esc(c.text) + "</td>"
                                       : "<td><a href=\"#" + esc(c.link) + "\">" + esc(c.text) + "</a></td>";
            out_ += "</tr>\n";
        }
        out_ += "</tbody>\n</table>\n";
    }
    void finish() override
    {
        close_list();
        out_ += "</body>\n</html>\n";
    }

    bool in_list_ = false;
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

std::optional<Notes_names> notes_names_from_string(std::string_view text)
{
    if (text == "auto") return Notes_names::automatic;
    if (text == "full") return Notes_names::full;
    if (text == "initials") return Notes_names::initials;
    if (text == "groups") return Notes_names::groups;
    return std::nullopt;
}

std::string_view to_string(Notes_names names)
{
    switch (names) {
    case Notes_names::automatic: return "auto";
    case Notes_names::full: return "full";
    case Notes_names::initials: return "initials";
    case Notes_names::groups: return "groups";
    }
    return "auto";
}

std::string initials(std::string_view name)
{
    std::string out;
    bool start = true;
    for (std::size_t i = 0; i < name.size();) {
        const unsigned char c = static_cast<unsigned char>(name[i]);
        const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
        const bool space = c == ' ' || c == '\t' || c == '-';
        if (space) {
            start = true;
        } else if (start) {
            if (!out.empty()) out += ' ';
            std::string letter(name.substr(i, len));
            // ASCII letters upper-cased; ä, ö, å and the rest are kept as written.
            if (len == 1 && letter[0] >= 'a' && letter[0] <= 'z') letter[0] = static_cast<char>(letter[0] - 'a' + 'A');
            out += letter + ".";
            start = false;
        }
        i += len;
    }
    return out;
}

std::pair<std::string, std::string> helsinki_date_time(std::int64_t epoch_ms)
{
    const int year = civil_from_days((epoch_ms >= 0 ? epoch_ms : epoch_ms - 86'399'999) / 86'400'000).y;
    const bool summer = epoch_ms >= last_sunday_0100_utc(year, 3) && epoch_ms < last_sunday_0100_utc(year, 10);
    const std::int64_t local = epoch_ms + (summer ? 3 : 2) * 3'600'000;
    std::int64_t days = local / 86'400'000;
    std::int64_t rest = local % 86'400'000;
    if (rest < 0) {
        rest += 86'400'000;
        --days;
    }
    const Civil c = civil_from_days(days);
    const int minutes = static_cast<int>(rest / 60'000);
    return {std::to_string(c.y) + "-" + two(c.m) + "-" + two(c.d), two(minutes / 60) + ":" + two(minutes % 60)};
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
    case Notes_format::md: return Markdown_writer(state, catalog, options).render();
    case Notes_format::html: return Html_writer(state, catalog, options).render();
    case Notes_format::json: {
        const Notes_names names = names_policy(state, options);
        json meeting = json::object();
        const auto& t = options.times;
        meeting["started_at"] = t.started_ms ? json(iso8601_utc(*t.started_ms)) : json(nullptr);
        meeting["ended_at"] = t.ended_ms ? json(iso8601_utc(*t.ended_ms)) : json(nullptr);
        json spent = json::object();
        for (const auto& [phase, ms] : t.phase_ms) spent[phase] = ms / 1000;
        meeting["phase_s"] = spent;
        meeting["as_of_seq"] = options.as_of_seq ? json(*options.as_of_seq) : json(nullptr);
        return json{{"format", "keha-notes"},
                    {"version", 2},
                    {"names", to_string(names)},
                    {"meeting", meeting},
                    {"state", shareable_state(state, names)}}
            .dump(2);
    }
    }
    return {};
}

}  // namespace keha
