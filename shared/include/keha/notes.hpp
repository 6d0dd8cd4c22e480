#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keha/helsinki_time.hpp"
#include "keha/json.hpp"

namespace keha {

// GCC's -Wshadow takes the scoped enumerator `json` for a second keha::json; it is not one.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
enum class Notes_format { md, html, json };
#pragma GCC diagnostic pop
std::optional<Notes_format> notes_format_from_string(std::string_view text);
std::string_view content_type(Notes_format format);

// How the notes name people, chosen by the facilitator (room setting "notes_names", or the
// export's "names" query): automatic = full names, but initials for experience experts;
// full; initials; groups = no names, only how many of each group.
enum class Notes_names { automatic, full, initials, groups };
std::optional<Notes_names> notes_names_from_string(std::string_view text);  // auto|full|initials|groups
std::string_view to_string(Notes_names names);

// What only the op log knows: when the meeting started and ended (its first and last op) and
// how long it spent in each phase (from the changes of "/phase").
struct Meeting_times {
    std::optional<std::int64_t> started_ms, ended_ms;
    std::map<std::string, std::int64_t> phase_ms;  // phase id -> milliseconds spent there
};
struct Op_time {
    std::int64_t at_ms = 0;
    std::string patch;  // the op's RFC 6902 patch as JSON text
};
// `first_phase`: the current phase of the room as created (its seq-0 state).
Meeting_times meeting_times(const std::string& first_phase, const std::vector<Op_time>& ops);

struct Notes_options {
    std::optional<Notes_names> names;       // nothing: the room's setting, else automatic
    Meeting_times times;
    std::optional<std::uint64_t> as_of_seq;  // notes of the meeting as it stood at this seq
    std::string process_title;               // the title of the process the room belongs to
    // The language the notes are written in, whose catalog render_notes is given: templates'
    // texts (phase titles, rating questions) and sector labels are picked in it. Empty: the room's.
    std::string language;
};

// The notes of a room from its full state (hidden and held items left out), headings from
// the i18n catalog of the room's language. Times are shown in Finnish time (Europe/Helsinki).
std::string render_notes(const json& state, Notes_format format, const json& catalog);
std::string render_notes(const json& state, Notes_format format, const json& catalog, const Notes_options& options);

// The state a notes JSON carries, checked: the "state" of {"format":"keha-notes", ...}, or
// an English message saying what is wrong with it.
std::optional<std::string> check_notes_json(const json& notes);

// "Maija Meikäläinen" -> "M. M."
std::string initials(std::string_view name);

}  // namespace keha
