#pragma once
// A Q&A as keha-desk shows it (docs/protocol.md §8.2): the one the room is on and its
// questions in the order every view lists them (keha::qa_question_order), read from the state.
#include <optional>
#include <string>
#include <vector>

#include "keha/json.hpp"

namespace keha::desk {

struct Qa_question {
    std::string id, text;
    long long upvotes = 0;
    bool answered = false, hidden = false, pending = false;
    bool mine = false;  // the person up-voted it
    bool held() const { return hidden || pending; }
};

struct Qa_list {
    std::string id, title;
    bool open = false;
    long long waiting = 0;
    std::vector<Qa_question> questions;  // most up-voted first; held ones only for facilitators
    long long pending_count = 0;          // questions waiting for approval (not hidden)
};

// The latest open Q&A; for a facilitator, else the latest at all. `you` is whose up-votes count
// as mine. Nothing when the room has none.
std::optional<Qa_list> current_qa(const json& state, const std::string& you, bool facilitator);

}  // namespace keha::desk
