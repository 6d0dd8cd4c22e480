#pragma once
// What the notes and the process report share. Internal to libkeha.
#include <string>

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
// The print style of the HTML notes and report: A4 pages, no page break right after a heading.
extern const char* notes_print_css;

}  // namespace keha
