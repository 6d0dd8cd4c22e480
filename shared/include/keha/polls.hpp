#pragma once
// Quick polls (docs/protocol.md §8.x "Quick polls"): the facilitator asks the room a question
// at any moment — a choice among options (one or several answers), a 0–10 scale, or a word
// cloud (1–3 words or short phrases each) — and everyone answers once, anonymously. The state
// holds each poll's question, whether it is open, how many have answered and — only in batches
// of several answers, never one by one — the aggregated results. Answers never enter the
// state or the op log: the server holds them in memory and adds them to the results in
// batches (poll.tally), writing them to an anonymous table in the same commit.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keha/json.hpp"

namespace keha {

// Results are published only in batches of at least this many new answers (and once more at
// the close), and a poll about people's own experience (about_self) shows none below it.
inline constexpr std::size_t poll_minimum = 3;
inline constexpr std::size_t poll_options_max = 10;
inline constexpr std::size_t poll_option_length = 100;
inline constexpr std::size_t poll_question_length = 300;
inline constexpr std::size_t poll_words_max = 3;     // entries in one word-cloud answer
inline constexpr std::size_t poll_word_length = 40;  // code points in one entry
inline constexpr std::size_t polls_max = 50;         // polls in a room, prepared ones included

inline constexpr std::string_view poll_kinds[] = {"choice", "scale", "words"};

// The template's prepared polls as the state holds them, ready to open: {"t1": {..., "status":
// "prepared"}, ...} from the template's "polls": [{"kind", "question": {"fi","sv","en"},
// "options"?: [{"fi","sv","en"}], "multiple"?, "about_self"?, "show"?}].
json initial_polls(const json& room_template);
// An English message when a template's "polls" is malformed.
std::optional<std::string> check_template_polls(const json& polls);

// A word-cloud entry as it is counted: spaces trimmed and collapsed, letters lowercased without
// any locale (A–Z, and À–Þ such as Ä, Ö, Å, É, Ü, one to one), punctuation at either end dropped;
// every other character is kept as written. nullopt when nothing is left.
std::optional<std::string> normalize_word(std::string_view entry);

// The topic the server holds a poll's answers under (Effects::Anonymous_answer).
std::string poll_topic(std::string_view poll_id);

// The values an answer is stored as, each a row of its own with nothing to join them: the index
// of each option chosen, the scale's number, each word.
std::vector<std::string> poll_values(const json& answer);

// The results of `poll` with a batch of held answers added: {"count", "options": [counts]}
// (choice), {"count", "distribution": [11 counts], "median"} (scale), {"count", "words":
// {"word": count}} (words). `results` null starts from nothing.
json add_to_poll_results(const json& poll, const json& results, const json& answers);

// Whether everyone sees the poll's results (its "shown"); facilitators always do (view.hpp).
bool poll_results_shown(const json& poll);

}  // namespace keha
