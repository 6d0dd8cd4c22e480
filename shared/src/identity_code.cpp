#include "keha/identity_code.hpp"

#include <cctype>

namespace keha {
namespace {

constexpr std::string_view check_characters = "0123456789ABCDEFHJKLMNPRSTUVWXY";
constexpr std::string_view century_signs = "+-ABCDEFYXWVU";

bool digit(char c) { return c >= '0' && c <= '9'; }
char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

int two_digits(std::string_view s, std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

int century_of(char sign)
{
    switch (sign) {
    case '+': return 1800;
    case '-': case 'Y': case 'X': case 'W': case 'V': case 'U': return 1900;
    default: return 2000;  // A–F
    }
}

bool valid_date(int day, int month, int year)
{
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1) return false;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= days[month - 1] + (month == 2 && leap ? 1 : 0);
}

}  // namespace

bool is_identity_code(std::string_view s)
{
    if (s.size() != 11) return false;
    for (std::size_t i : {0u, 1u, 2u, 3u, 4u, 5u, 7u, 8u, 9u})
        if (!digit(s[i])) return false;
    const char sign = upper(s[6]);
    if (century_signs.find(sign) == std::string_view::npos) return false;
    if (!valid_date(two_digits(s, 0), two_digits(s, 2), century_of(sign) + two_digits(s, 4))) return false;
    long number = 0;
    for (std::size_t i : {0u, 1u, 2u, 3u, 4u, 5u, 7u, 8u, 9u}) number = number * 10 + (s[i] - '0');
    return check_characters[static_cast<std::size_t>(number % 31)] == upper(s[10]);
}

std::vector<Identity_code_match> find_identity_codes(std::string_view text)
{
    std::vector<Identity_code_match> out;
    for (std::size_t i = 0; i + 11 <= text.size(); ++i) {
        if (!digit(text[i]) || (i > 0 && word_char(text[i - 1]))) continue;
        if (i + 11 < text.size() && word_char(text[i + 11])) continue;
        if (is_identity_code(text.substr(i, 11))) {
            out.push_back({i, 11});
            i += 10;
        }
    }
    return out;
}

json identity_code_warnings(const json& state)
{
    json out = json::array();
    auto check = [&](const json& value, const json& board, const json& id, const std::string& field, bool hidden) {
        if (!value.is_string()) return;
        for (const auto& m : find_identity_codes(value.get_ref<const std::string&>()))
            out.push_back({{"board", board}, {"id", id}, {"field", field}, {"offset", m.offset}, {"length", m.length},
                           {"hidden", hidden}});
    };
    if (auto room = state.find("room"); room != state.end() && room->is_object())
        check(room->value("title", json()), "room", nullptr, "title", false);
    if (auto people = state.find("participants"); people != state.end() && people->is_object())
        for (const auto& [pid, p] : people->items()) check(p.value("name", json()), "participants", pid, "name", false);
    if (auto consent = state.find("consent"); consent != state.end() && consent->is_object())
        for (const char* f : {"given_by", "scope"}) check(consent->value(f, json()), "consent", nullptr, f, false);
    // Comments of a closed questionnaire are shown in the notes too; `id` is their index.
    if (auto r = state.find("ratings"); r != state.end() && r->is_object() && r->contains("results") &&
                                         (*r)["results"].is_object() && (*r)["results"].contains("comments"))
        for (std::size_t i = 0; i < (*r)["results"]["comments"].size(); ++i)
            check((*r)["results"]["comments"][i], "ratings", i, "comment", false);
    if (auto boards = state.find("boards"); boards != state.end() && boards->is_object())
        for (const auto& [name, board] : boards->items()) {
            if (!board.contains("items") || !board["items"].is_object()) continue;
            for (const auto& [id, item] : board["items"].items()) {
                const bool hidden = item.value("hidden", false) || item.value("pending", false);
                for (const auto& [field, value] : item.items())
                    if (field != "id" && field != "author" && field != "created_at" && field != "column")
                        check(value, name, id, field, hidden);
            }
        }
    return out;
}

}  // namespace keha
