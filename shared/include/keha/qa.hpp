#pragma once
// Questions and answers (Slido-style): the facilitator opens a Q&A, everyone asks and up-votes,
// the facilitator marks questions answered, hides them, approves them in a moderated room and
// closes the Q&A (docs/protocol.md §8.2, "Questions and answers"). A question is anonymous in the
// strong sense: the asking op says only that someone asked; the text is held in the room's
// memory and published by the server in shuffled batches (docs/privacy.md, "Anonymous questions").
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keha/json.hpp"
#include "keha/view.hpp"

namespace keha {

// The server publishes held questions only when it holds at least this many of one Q&A, so
// nothing stored ties a question to the one person who asked just before it appeared.
inline constexpr std::size_t qa_batch = 3;
// Limits: questions a Q&A takes (asked, published or waiting), Q&As a room takes.
inline constexpr std::int64_t qa_question_limit = 500;
inline constexpr std::size_t qa_limit = 50;
inline constexpr std::size_t qa_text_max = 500;

// The topic a Q&A's questions are held under by the server (the answer held is the text),
// and the Q&A of such a topic (nothing for another topic).
std::string qa_topic(const std::string& qa);
std::optional<std::string> qa_of_topic(const std::string& topic);

// The args of the server op that publishes `batch` (already shuffled) into Q&A `qa`, as the
// server releases any held answers (keha/reducer.hpp Effects::Anonymous_answer):
// {"topic": qa_topic(qa), "answers": [text, ...]}.
json qa_publish_args(const std::string& qa, const std::vector<std::string>& batch);

// Whether the state has Q&A `qa`, open.
bool qa_is_open(const json& state, const std::string& qa);

// A question a person other than a facilitator may not read: pending moderation or hidden.
bool is_held_question(const json& question);

// The Q&As as `viewer` may see them: held questions without their text for everyone but
// facilitators. Changes `state` in place (a view being built).
void redact_qa(json& state, const Viewer& viewer);
// True when redact_qa would change nothing for a member who is not a facilitator.
bool qa_is_public(const json& state);
// Who up-voted what (participants[pid].qa_upvoted) is read only by that person and facilitators.
bool has_upvote_lists(const json& state, const std::string& except_pid);

// A Q&A's questions in the order every view lists them: most up-votes first, then the earlier
// published (the id's seq and index), so the order is total.
std::vector<std::string> qa_question_order(const json& questions);

}  // namespace keha
