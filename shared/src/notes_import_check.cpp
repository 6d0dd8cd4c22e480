// The schema of the JSON notes that POST /api/rooms "import" turns into a new room: every
// field that state_from_notes reads is checked here, type and range, with the same text
// limits as the commands that make such fields. Fields it does not read (votes, authors,
// participants, ...) are left alone, so the notes of any meeting import as they were exported.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "keha/i18n.hpp"
#include "keha/notes.hpp"
#include "keha/state.hpp"
#include "keha/text.hpp"
#include "reducer_support.hpp"

namespace keha {
namespace {

using Problem = std::optional<std::string>;

// Item ids become JSON Pointer segments of patches and gain an "m" in the new room, so they
// keep to the characters the server's own ids use and leave room for that letter.
bool is_item_id(const std::string& id)
{
    return !id.empty() && id.size() <= 39 && std::all_of(id.begin(), id.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '-';
    });
}

bool is_text(const json& v, std::size_t min, std::size_t max)
{
    if (!v.is_string()) return false;
    auto len = text_length(v.get_ref<const std::string&>());
    return len && *len >= min && *len <= max;
}

// Free text, or a template's texts by language (keha/i18n.hpp), each of min–max characters.
bool is_texts(const json& v, std::size_t min, std::size_t max)
{
    if (!is_localized(v)) return false;
    if (v.is_string()) return is_text(v, min, max);
    return std::all_of(v.begin(), v.end(), [&](const json& t) { return is_text(t, min, max); });
}

// `what` of an optional field, when present, is text of min–max characters.
Problem optional_text(const json& object, const char* key, std::size_t min, std::size_t max, const std::string& where,
                      bool by_language = false)
{
    auto it = object.find(key);
    if (it == object.end() || (by_language ? is_texts(*it, min, max) : is_text(*it, min, max))) return std::nullopt;
    return where + " has \"" + key + "\" that is not text of " + std::to_string(min) + "–" + std::to_string(max) +
           " characters (without control characters).";
}

Problem check_room(const json& room)
{
    const std::string where = "The notes' room";
    if (auto p = optional_text(room, "code", 0, 40, where)) return p;
    if (auto p = optional_text(room, "title", 0, 200, where)) return p;
    if (auto p = optional_text(room, "created_at", 0, 40, where)) return p;
    if (room.contains("team") && !room["team"].is_null() && !is_text(room["team"], 0, 100))
        return where + " has \"team\" that is neither null nor text of 0–100 characters.";
    return std::nullopt;
}

Problem check_phase(const json& phase, std::size_t index, std::set<std::string>& ids)
{
    const std::string where = "The notes' phase " + std::to_string(index + 1);
    if (!phase.is_object()) return where + " is not an object.";
    if (!phase.contains("id") || !is_text(phase["id"], 1, 100)) return where + " needs an \"id\" of 1–100 characters.";
    if (!ids.insert(phase["id"].get<std::string>()).second) return where + " has the same id as an earlier phase.";
    if (!phase.contains("title") || !is_texts(phase["title"], 1, 200)) return where + " needs a \"title\" of 1–200 characters.";
    if (auto p = optional_text(phase, "kind", 1, 40, where)) return p;
    if (auto p = optional_text(phase, "question", 0, 2000, where, true)) return p;
    if (phase.contains("board") && !phase["board"].is_null() &&
        !(phase["board"].is_string() && is_board(phase["board"].get<std::string>())))
        return where + " has \"board\" that is neither null nor the name of a board.";
    if (phase.contains("timebox_s")) {
        const json& t = phase["timebox_s"];
        if (!t.is_number_integer() || t.get<std::int64_t>() < 0 || t.get<std::int64_t>() > 14400)
            return where + " has \"timebox_s\" that is not a whole number from 0 to 14400.";
    }
    if (phase.contains("turn_mode") &&
        !(phase["turn_mode"].is_string() && detail::one_of(detail::turn_mode_values, phase["turn_mode"].get<std::string>())))
        return where + " has \"turn_mode\" that is not none, reflecting_team, round, hand_queue or pairs.";
    if (phase.contains("private_writing") && !phase["private_writing"].is_boolean())
        return where + " has \"private_writing\" that is not true or false.";
    if (phase.contains("card")) {
        const json& card = phase["card"];
        if (!card.is_object()) return where + " has a \"card\" that is not an object.";
        if (auto p = optional_text(card, "title", 0, 200, where + "'s card", true)) return p;
        if (card.contains("lines")) {
            const json& lines = card["lines"];
            if (!lines.is_array() || lines.size() > 50 ||
                !std::all_of(lines.begin(), lines.end(), [](const json& l) { return is_texts(l, 0, 2000); }))
                return where + "'s card has \"lines\" that are not a list of at most 50 texts of 0–2000 characters.";
        }
    }
    return std::nullopt;
}

Problem check_item(const std::string& board, const std::string& id, const json& item)
{
    if (!is_item_id(id))
        return "An item of the board \"" + board + "\" has an id that is not 1–39 letters, digits, '_' or '-'.";
    const std::string where = "The item \"" + id + "\" of the board \"" + board + "\"";
    if (!item.is_object()) return where + " is not an object.";
    if (!item.contains("text") || !is_text(item["text"], 1, 2000))
        return where + " needs a \"text\" of 1–2000 characters (without control characters).";
    auto columns = board_columns(board);
    if (!item.contains("column") || !item["column"].is_string() ||
        std::find(columns.begin(), columns.end(), item["column"].get<std::string>()) == columns.end())
        return where + " has no column of that board.";
    if (auto p = optional_text(item, "created_at", 0, 40, where)) return p;
    if (item.contains("order") && !(item["order"].is_number() && std::isfinite(item["order"].get<double>())))
        return where + " has an \"order\" that is not a number.";
    for (auto field : board_fields(board)) {
        const std::string f(field);
        if (auto p = optional_text(item, f.c_str(), 0, 200, where)) return p;
        if (!item.contains(f)) continue;
        const std::string v = item[f].get<std::string>();
        if (f == "status" && !detail::one_of(detail::status_values, v))
            return where + " has a \"status\" that is not proposed, agreed or done.";
        if (f == "addresses" && !v.empty() && !is_item_id(v)) return where + " has an \"addresses\" that is no item id.";
    }
    if (item.contains("copy_of") && !(item["copy_of"].is_string() && is_item_id(item["copy_of"].get<std::string>())))
        return where + " has a \"copy_of\" that is no item id.";
    if (item.contains("source")) {
        const json& source = item["source"];
        if (!source.is_object()) return where + " has a \"source\" that is not an object.";
        if (auto p = optional_text(source, "origin", 1, 100, where + "'s source")) return p;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> check_notes_json(const json& notes)
{
    if (!notes.is_object() || !notes.contains("format") || notes["format"] != "keha-notes")
        return "\"import\" must be the JSON notes of a meeting ({\"format\": \"keha-notes\", ...}).";
    if (!notes.contains("version") || !notes["version"].is_number_integer() || notes["version"].get<std::int64_t>() < 1 ||
        notes["version"].get<std::int64_t>() > 2)
        return "These notes are of a version this server does not know.";
    auto state = notes.find("state");
    if (state == notes.end() || !state->is_object() || !state->contains("boards") || !(*state)["boards"].is_object() ||
        !state->contains("phases") || !(*state)["phases"].is_array() || !state->contains("room") ||
        !(*state)["room"].is_object())
        return "The notes carry no meeting state (room, phases, boards).";
    const json& s = *state;
    if (auto p = check_room(s["room"])) return p;
    if (s["phases"].size() > 100) return "The notes have more than 100 phases.";
    std::set<std::string> phase_ids;
    for (std::size_t i = 0; i < s["phases"].size(); ++i)
        if (auto p = check_phase(s["phases"][i], i, phase_ids)) return p;
    for (const auto& [name, board] : s["boards"].items()) {
        if (!is_board(name)) return "The notes have an unknown board \"" + name + "\".";
        if (!board.is_object() || !board.contains("items") || !board["items"].is_object())
            return "The board \"" + name + "\" of the notes has no items object.";
        for (const auto& [id, item] : board["items"].items())
            if (auto p = check_item(name, id, item)) return p;
    }
    return std::nullopt;
}

}  // namespace keha
