#include "keha/notes.hpp"

#include <algorithm>
#include <map>
#include <regex>

#include "keha/i18n.hpp"
#include "keha/state.hpp"

namespace keha {
namespace {

bool is_iso_date(const std::string& s)
{
    static const std::regex iso(R"(^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$)");
    return std::regex_match(s, iso);
}

std::string str(const json& item, const char* key)
{
    auto it = item.find(key);
    return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Items of a board that everyone may read, in board order.
std::vector<const json*> visible_items(const json& state, std::string_view board, std::string_view column = {})
{
    std::vector<const json*> out;
    const json& items = state["boards"][std::string(board)]["items"];
    for (const auto& [k, item] : items.items())
        if (!item.value("hidden", false) && (column.empty() || item.value("column", "") == column))
            out.push_back(&item);
    std::stable_sort(out.begin(), out.end(), [](const json* a, const json* b) {
        double oa = a->value("order", 0.0), ob = b->value("order", 0.0);
        if (oa != ob) return oa < ob;
        return str(*a, "created_at") < str(*b, "created_at");
    });
    return out;
}

json without_hidden(const json& state)
{
    json out = state;
    for (auto& [name, board] : out["boards"].items()) {
        json kept = json::object();
        for (auto& [id, item] : board["items"].items())
            if (!item.value("hidden", false)) kept[id] = item;
        board["items"] = std::move(kept);
    }
    return out;
}

// The people in the room, screens left out, by group in a fixed order.
std::vector<std::pair<std::string, std::vector<std::string>>> people_by_group(const json& state)
{
    std::vector<std::pair<std::string, std::vector<std::string>>> out;
    for (const char* g : {"professional", "leader", "expert", "other"}) out.push_back({g, {}});
    for (const auto& [pid, p] : state["participants"].items()) {
        if (p.value("role", "") == "screen") continue;
        for (auto& [g, names] : out)
            if (g == p.value("group", "other")) names.push_back(str(p, "name"));
    }
    return out;
}

class Writer {
public:
    Writer(const json& state, const json& catalog) : state_(state), catalog_(catalog) {}
    virtual ~Writer() = default;

    std::string render()
    {
        const json& room = state_["room"];
        begin(str(room, "title"));
        meta(tr(catalog_, "notes.room_code"), str(room, "code"));
        meta(tr(catalog_, "notes.created"), str(room, "created_at"));
        meta(tr(catalog_, "notes.status"),
             tr(catalog_, room.value("status", "open") == "closed" ? "notes.status_closed" : "notes.status_open"));
        end_meta();

        heading(tr(catalog_, "notes.participants"));
        for (const auto& [group, names] : people_by_group(state_))
            if (!names.empty()) list_line(tr(catalog_, "group." + group), join(names));

        heading(tr(catalog_, "notes.agenda"));
        for (const auto& p : state_["phases"])
            list_line(str(p, "title"), p.value("timebox_s", 0) > 0
                                           ? std::to_string(p.value("timebox_s", 0) / 60) + " min"
                                           : std::string());

        heading(tr(catalog_, "board.timeline"));
        auto timeline = timeline_in_order(state_["boards"]["timeline"]["items"]);
        if (timeline.empty()) empty();
        for (const json* item : timeline) {
            std::string when = str(*item, "when");
            std::string sector = str(*item, "sector");
            std::string label = when.empty() ? tr(catalog_, "notes.no_date") : when;
            if (!sector.empty()) label += " · " + sector;
            list_line(label, str(*item, "text"));
        }

        heading(tr(catalog_, "board.vision"));
        for (const char* column : {"vision", "hinders", "enables"}) {
            subheading(tr(catalog_, std::string("column.") + column));
            auto items = visible_items(state_, "vision", column);
            if (items.empty()) empty();
            for (const json* item : items) list_line({}, str(*item, "text") + votes(*item));
        }

        heading(tr(catalog_, "board.plan"));
        auto plan = visible_items(state_, "plan");
        if (plan.empty()) {
            empty();
        } else {
            std::vector<std::vector<std::string>> rows;
            for (const json* item : plan)
                rows.push_back({str(*item, "text"), str(*item, "who"), str(*item, "with"), str(*item, "due"),
                                tr(catalog_, "status." + item->value("status", "proposed"))});
            table({tr(catalog_, "column.action"), tr(catalog_, "field.who"), tr(catalog_, "field.with"),
                   tr(catalog_, "field.due"), tr(catalog_, "field.status")},
                  rows);
        }

        heading(tr(catalog_, "board.reflections"));
        auto reflections = visible_items(state_, "reflections");
        if (reflections.empty()) empty();
        for (const json* item : reflections) list_line(str(*item, "turn"), str(*item, "text"));

        finish();
        return out_;
    }

protected:
    virtual void begin(const std::string& title) = 0;
    virtual void meta(const std::string& label, const std::string& value) = 0;
    virtual void end_meta() {}
    virtual void heading(const std::string& text) = 0;
    virtual void subheading(const std::string& text) = 0;
    virtual void list_line(const std::string& label, const std::string& text) = 0;
    virtual void table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows) = 0;
    virtual void finish() {}
    void empty() { list_line({}, tr(catalog_, "notes.empty")); }

    std::string votes(const json& item) const
    {
        int n = item.value("votes", 0);
        return n > 0 ? " (" + tr(catalog_, "field.votes") + ": " + std::to_string(n) + ")" : std::string();
    }

    static std::string join(const std::vector<std::string>& names)
    {
        std::string s;
        for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
        return s;
    }

    const json& state_;
    const json& catalog_;
    std::string out_;
};

class Markdown_writer final : public Writer {
public:
    using Writer::Writer;

private:
    // Keeps pasted text from turning into headings, links, tables or HTML.
    static std::string esc(const std::string& s)
    {
        std::string o;
        for (char c : s) {
            if (c == '\n' || c == '\r') { o += ' '; continue; }
            if (std::string_view("\\`*_[]<>#|~").find(c) != std::string_view::npos) o += '\\';
            o += c;
        }
        return o;
    }

    void begin(const std::string& title) override { out_ += "# " + esc(title) + "\n\n"; }
    void meta(const std::string& label, const std::string& value) override
    {
        out_ += "- **" + esc(label) + ":** " + esc(value) + "\n";
    }
    void heading(const std::string& text) override { out_ += "\n## " + esc(text) + "\n\n"; }
    void subheading(const std::string& text) override { out_ += "\n### " + esc(text) + "\n\n"; }
    void list_line(const std::string& label, const std::string& text) override
    {
        out_ += label.empty() ? "- " + esc(text) + "\n" : "- **" + esc(label) + "**: " + esc(text) + "\n";
    }
    void table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows) override
    {
        auto row = [&](const std::vector<std::string>& cells) {
            out_ += "|";
            for (const auto& c : cells) out_ += " " + esc(c) + " |";
            out_ += "\n";
        };
        row(head);
        out_ += "|";
        for (std::size_t i = 0; i < head.size(); ++i) out_ += " --- |";
        out_ += "\n";
        for (const auto& r : rows) row(r);
    }
};

class Html_writer final : public Writer {
public:
    using Writer::Writer;

private:
    static std::string esc(const std::string& s)
    {
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

    void close_list()
    {
        if (in_list_) out_ += "</ul>\n";
        in_list_ = false;
    }

    void begin(const std::string& title) override
    {
        out_ += "<!doctype html>\n<html lang=\"" + esc(str(state_["room"], "language")) +
                "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + esc(title) + "</title>\n<style>\n"
                "@page { size: A4; margin: 18mm 16mm; }\n"
                "body { font-family: 'Noto Sans', 'DejaVu Sans', sans-serif; font-size: 11pt; line-height: 1.45;"
                " color: #1d2330; max-width: 48em; margin: 2em auto; padding: 0 1em; }\n"
                "h1 { font-size: 20pt; margin-bottom: .2em; } h2 { font-size: 14pt; border-bottom: 1px solid #c9cfd8;"
                " padding-bottom: .15em; margin-top: 1.6em; break-after: avoid; } h3 { font-size: 12pt; break-after: avoid; }\n"
                "dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; color: #4a5262; }\n"
                "dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; }\n"
                "ul { padding-left: 1.2em; } li { margin: .2em 0; break-inside: avoid; }\n"
                "table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #c9cfd8; padding: .3em .5em;"
                " text-align: left; vertical-align: top; } th { background: #eef1f5; } tr { break-inside: avoid; }\n"
                "@media print { body { margin: 0; max-width: none; } }\n"
                "</style>\n</head>\n<body>\n<h1>" +
                esc(title) + "</h1>\n<dl class=\"meta\">\n";
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
    void list_line(const std::string& label, const std::string& text) override
    {
        if (!in_list_) out_ += "<ul>\n";
        in_list_ = true;
        out_ += label.empty() ? "<li>" + esc(text) + "</li>\n"
                              : "<li><strong>" + esc(label) + "</strong>: " + esc(text) + "</li>\n";
    }
    void table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows) override
    {
        close_list();
        out_ += "<table>\n<thead><tr>";
        for (const auto& h : head) out_ += "<th>" + esc(h) + "</th>";
        out_ += "</tr></thead>\n<tbody>\n";
        for (const auto& r : rows) {
            out_ += "<tr>";
            for (const auto& c : r) out_ += "<td>" + esc(c) + "</td>";
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

std::vector<const json*> timeline_in_order(const json& timeline_items)
{
    std::vector<const json*> dated, undated;
    for (const auto& [k, item] : timeline_items.items()) {
        if (item.value("hidden", false)) continue;
        (is_iso_date(str(item, "when")) ? dated : undated).push_back(&item);
    }
    auto by_order = [](const json* a, const json* b) {
        double oa = a->value("order", 0.0), ob = b->value("order", 0.0);
        if (oa != ob) return oa < ob;
        return str(*a, "created_at") < str(*b, "created_at");
    };
    // ISO dates of different precision compare as text: "2021" < "2021-03" < "2021-03-05".
    std::stable_sort(dated.begin(), dated.end(), [&](const json* a, const json* b) {
        auto wa = str(*a, "when"), wb = str(*b, "when");
        return wa != wb ? wa < wb : by_order(a, b);
    });
    std::stable_sort(undated.begin(), undated.end(), by_order);
    dated.insert(dated.end(), undated.begin(), undated.end());
    return dated;
}

std::string render_notes(const json& state, Notes_format format, const json& catalog)
{
    switch (format) {
    case Notes_format::md: return Markdown_writer(state, catalog).render();
    case Notes_format::html: return Html_writer(state, catalog).render();
    case Notes_format::json:
        return json{{"format", "keha-notes"}, {"version", 1}, {"state", without_hidden(state)}}.dump(2);
    }
    return {};
}

}  // namespace keha
