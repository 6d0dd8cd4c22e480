#pragma once
// The one Markdown and HTML writer of the notes and the process report: a document of
// metadata, headings, paragraphs, lists and tables in either format, every text escaped.
// Internal to libkeha.
#include <string>
#include <vector>

#include "keha/json.hpp"

namespace keha {

// Both escapes also neutralize bidirectional overrides and control characters
// (keha/text.hpp neutralize_controls): no text can make the notes display reversed.
std::string html_escape(const std::string& s);
// Keeps pasted text from turning into Markdown headings, links, tables or HTML.
std::string markdown_escape(const std::string& s);
// A median or other decimal in the catalog's language: 8,5 in Finnish and Swedish, 8.5 in
// English (the catalog's "notes.decimal_mark"); whole numbers without decimals.
std::string decimal_text(double v, const json& catalog);
// A 0–10 distribution (counts by value) as "3: 1 · 7: 2", values nobody gave left out.
std::string distribution_text(const json& distribution);

// A table cell: its text, and in HTML optionally a link to an anchor elsewhere in the document.
struct Cell {
    Cell() = default;
    Cell(std::string t, std::string l = {}) : text(std::move(t)), link(std::move(l)) {}
    std::string text;
    std::string link;
};

// In Markdown, blocks are separated by one blank line, never two; in HTML, a list stays
// open until the next block. HTML is one self-contained page with an A4 print style.
class Notes_writer {
public:
    explicit Notes_writer(bool html) : html_(html) {}

    bool html() const { return html_; }
    // The title, and in HTML the page's head in `language`; then the metadata list.
    void begin(const std::string& title, const std::string& language);
    void meta(const std::string& label, const std::string& value);
    void end_meta();
    void heading(const std::string& text);
    void subheading(const std::string& text);
    void paragraph(const std::string& text);
    // One line of a list, "label: text" when a label is given; `anchor`: a target links
    // point at (HTML only).
    void list_line(const std::string& label, const std::string& text, const std::string& anchor = {});
    void table(const std::vector<std::string>& head, const std::vector<std::vector<Cell>>& rows);
    // Markup written as it is (HTML only: a chart).
    void raw_html(const std::string& markup);
    std::string finish();

private:
    std::string esc(const std::string& s) const { return html_ ? html_escape(s) : markdown_escape(s); }
    // Ends an open list; in Markdown also starts the next block after one blank line.
    void next_block();

    bool html_;
    bool in_list_ = false;
    std::string out_;
};

}  // namespace keha
