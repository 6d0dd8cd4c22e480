#pragma once
// What the server adds around a member's command, for the commands whose data the room does
// not hold (keha/reducer.hpp Context::server_input):
//   ratings.close  the results, aggregated from the questionnaire's anonymous answers
//   item.import    the items of an earlier meeting of the same process, with provenance
//   rating.submit  the answers themselves go to the anonymous tables, never to the op log,
//                  and only in batches (Room::store_ratings, docs/privacy.md)
#include <string>
#include <variant>
#include <vector>

#include "keha/error.hpp"
#include "keha/json.hpp"
#include "keha/role.hpp"
#include "store.hpp"

namespace keha::server {

// Before the reducer runs: the server input (null when the command needs none), or an error
// to answer instead. Runs on the room's strand; reads the store.
std::variant<json, Error> server_input_for(Store& store, const Room_record& room, const json& state, Role role,
                                           const std::string& cmd, const json& args);

// The answer of a rating.submit the reducer accepted, as the store keeps it.
Rating_submission rating_answer(const std::string& code, const json& args);
// Answers as the rows the store writes: one per score and one per comment.
std::vector<Rating_submission> rating_rows_of(std::vector<Rating_submission> answers);

}  // namespace keha::server
