#pragma once
// What the server supplies to a command whose data the room does not hold, by the kind its row
// of the command table names (keha/commands.hpp Server_input, keha/reducer.hpp
// Context::server_input), and what it keeps apart from the op log:
//   rating_results   the results, aggregated from the questionnaire's anonymous answers
//   earlier_meeting  the items of an earlier meeting of the same process, with provenance
//   an anonymous answer (Effects::anonymous_answer) goes to the anonymous tables, never to the
//   op log, and only in batches (Room::store_ratings, docs/privacy.md)
#include <string>
#include <variant>
#include <vector>

#include "keha/error.hpp"
#include "keha/json.hpp"
#include "store.hpp"

namespace keha::server {

// Before the reducer runs; they read the store, so the room runs them on the blocking pool
// (Room::read_input) with copies of what they need of it. The server input (null when there is
// none to give), or an error to answer instead.
std::variant<json, Error> rating_results_input(Store& store, const Room_record& room, const json& state);
std::variant<json, Error> earlier_meeting_input(Store& store, const Room_record& room, const json& args);

// An anonymous answer the reducer accepted, as the store keeps it.
Rating_submission rating_answer(const std::string& code, const json& answer);
// Answers as the rows the store writes: one per score and one per comment.
std::vector<Rating_submission> rating_rows_of(std::vector<Rating_submission> answers);

// The anonymous rows a commit writes beside its op (docs/privacy.md): the questionnaire's
// answers, the polls' values.
struct Anonymous_rows {
    std::vector<Rating_submission> ratings;
    std::vector<Poll_value> poll_values;
};
// The rows of answers the room releases under `topic` (held_answers.hpp), in random order: a
// poll's values (keha/polls.hpp poll_values); none for a topic with no table (what it releases
// is published in the state).
Anonymous_rows anonymous_rows(const std::string& topic, const std::vector<json>& answers);

}  // namespace keha::server
