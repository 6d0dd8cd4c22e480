#include "notes_writer.hpp"

#include <cstdint>
#include <cstdio>
#include <string_view>

#include "keha/i18n.hpp"
#include "keha/text.hpp"

namespace keha {
namespace {

// A4 pages, no page break right after a heading or inside a row or a list item.
const char* const print_css =
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

std::string distribution_text(const json& distribution)
{
    std::string out;
    if (!distribution.is_array()) return out;
    for (std::size_t v = 0; v < distribution.size(); ++v) {
        const json& n = distribution[v];
        if (n.is_number_integer() && n.get<std::int64_t>() > 0)
            out += (out.empty() ? "" : " · ") + std::to_string(v) + ": " + std::to_string(n.get<std::int64_t>());
    }
    return out;
}

void Notes_writer::next_block()
{
    if (html_ && in_list_) out_ += "</ul>\n";
    in_list_ = false;
    if (!html_ && !out_.ends_with("\n\n")) out_ += "\n";
}

void Notes_writer::begin(const std::string& title, const std::string& language)
{
    if (!html_) {
        out_ += "# " + esc(title) + "\n\n";
        return;
    }
    out_ += "<!doctype html>\n<html lang=\"" + esc(language) + "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + esc(title) +
            "</title>\n<style>\n" + print_css + "</style>\n</head>\n<body>\n<h1>" + esc(title) + "</h1>\n<dl class=\"meta\">\n";
}

void Notes_writer::meta(const std::string& label, const std::string& value)
{
    if (html_) out_ += "<dt>" + esc(label) + "</dt><dd>" + esc(value) + "</dd>\n";
    else out_ += "- **" + esc(label) + ":** " + esc(value) + "\n";
}

void Notes_writer::end_meta()
{
    if (html_) out_ += "</dl>\n";
}

void Notes_writer::heading(const std::string& text)
{
    next_block();
    out_ += html_ ? "<h2>" + esc(text) + "</h2>\n" : "## " + esc(text) + "\n\n";
}

void Notes_writer::subheading(const std::string& text)
{
    next_block();
    out_ += html_ ? "<h3>" + esc(text) + "</h3>\n" : "### " + esc(text) + "\n\n";
}

void Notes_writer::paragraph(const std::string& text)
{
    next_block();
    out_ += html_ ? "<p>" + esc(text) + "</p>\n" : esc(text) + "\n";
}

void Notes_writer::list_line(const std::string& label, const std::string& text, const std::string& anchor)
{
    if (!in_list_) {
        next_block();
        if (html_) out_ += "<ul>\n";
        in_list_ = true;
    }
    if (!html_) {
        out_ += label.empty() ? "- " + esc(text) + "\n" : "- **" + esc(label) + "**: " + esc(text) + "\n";
        return;
    }
    out_ += anchor.empty() ? "<li>" : "<li id=\"" + esc(anchor) + "\">";
    out_ += label.empty() ? esc(text) + "</li>\n" : "<strong>" + esc(label) + "</strong>: " + esc(text) + "</li>\n";
}

void Notes_writer::table(const std::vector<std::string>& head, const std::vector<std::vector<Cell>>& rows)
{
    next_block();
    if (html_) {
        out_ += "<table>\n<thead><tr>";
        for (const auto& h : head) out_ += "<th>" + esc(h) + "</th>";
        out_ += "</tr></thead>\n<tbody>\n";
        for (const auto& r : rows) {
            out_ += "<tr>";
            for (const auto& c : r)
                out_ += c.link.empty() ? "<td>" + esc(c.text) + "</td>" : "<td><a href=\"#" + esc(c.link) + "\">" + esc(c.text) + "</a></td>";
            out_ += "</tr>\n";
        }
        out_ += "</tbody>\n</table>\n";
        return;
    }
    auto row = [&](const auto& cells, auto text_of) {
        out_ += "|";
        for (const auto& c : cells) out_ += " " + esc(text_of(c)) + " |";
        out_ += "\n";
    };
    row(head, [](const std::string& h) { return h; });
    out_ += "|";
    for (std::size_t i = 0; i < head.size(); ++i) out_ += " --- |";
    out_ += "\n";
    for (const auto& r : rows) row(r, [](const Cell& c) { return c.text; });
    out_ += "\n";
}

void Notes_writer::raw_html(const std::string& markup)
{
    if (!html_) return;
    next_block();
    out_ += markup;
}

std::string Notes_writer::finish()
{
    if (html_) {
        next_block();
        out_ += "</body>\n</html>\n";
    }
    return std::move(out_);
}

}  // namespace keha
