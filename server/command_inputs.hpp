#pragma once
// What the server adds around a member's command, for the commands whose data the room does
// not hold (keha/reducer.hpp Context::server_input):
//   ratings.close  the results, aggregated from the questionnaire's anonymous answers
//   item.import    the items of an earlier meeting of the same process, with provenance
//   rating.submit  the answers themselves go to the anonymous table, never to the op log
#include <string>
#include <variant>

#include "keha/error.hpp"
#include "keha/json.hpp"
#include "keha/role.hpp"
#include "store.hpp"

namespace keha::server {

// Before the reducer runs: the server input (null when the command needs none), or an error
// to answer instead. Runs on the room's strand; reads the store.
std::variant<json, Error> server_input_for(Store& store, const Room_record& room, const json& state, Role role,
                                           const std::string& cmd, const json& args);

// After the reducer accepted the command, before its op is queued: queues what must be stored
// apart from the op log, so it is committed no later than the op.
void before_commit(Store& store, const std::string& code, const std::string& cmd, const json& args);

}  // namespace keha::server
