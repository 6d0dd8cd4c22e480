#include "qa_list.hpp"

#include <algorithm>

#include "keha/qa.hpp"

namespace keha::desk {
namespace {

// "qa40" -> 40: the seq a Q&A was opened at.
long long seq_of(const std::string& id)
{
    try {
        return id.size() > 2 ? std::stoll(id.substr(2)) : 0;
    } catch (...) {
        return 0;
    }
}

Qa_list read_qa(const std::string& id, const json& one, const json& upvoted, bool facilitator)
{
    Qa_list out{id, one.value("title", ""), one.value("status", "") == "open", one.value("waiting", 0LL), {}, 0};
    const json questions = one.contains("questions") && one["questions"].is_object() ? one["questions"] : json::object();
    for (const auto& qid : qa_question_order(questions)) {
        const json& q = questions[qid];
        Qa_question row{qid, q.value("text", ""), q.value("upvotes", 0LL), q.value("answered", false),
                        q.value("hidden", false), q.value("pending", false), false};
        row.mine = upvoted.is_array() && std::find(upvoted.begin(), upvoted.end(), json(qid)) != upvoted.end();
        if (row.pending && !row.hidden) ++out.pending_count;
        if (facilitator || !row.held()) out.questions.push_back(std::move(row));
    }
    return out;
}

}  // namespace

std::optional<Qa_list> current_qa(const json& state, const std::string& you, bool facilitator)
{
    auto all = state.find("qa");
    if (all == state.end() || !all->is_object()) return std::nullopt;
    const json* latest_open = nullptr;
    const json* latest = nullptr;
    std::string open_id, any_id;
    for (const auto& [id, one] : all->items()) {
        if (!one.is_object()) continue;
        if (!latest || seq_of(id) > seq_of(any_id)) latest = &one, any_id = id;
        if (one.value("status", "") == "open" && (!latest_open || seq_of(id) > seq_of(open_id))) latest_open = &one, open_id = id;
    }
    const json* chosen = latest_open ? latest_open : facilitator ? latest : nullptr;
    if (!chosen) return std::nullopt;
    json upvoted = json::array();
    if (auto people = state.find("participants"); people != state.end() && people->contains(you))
        upvoted = (*people)[you].value("qa_upvoted", json::array());
    return read_qa(latest_open ? open_id : any_id, *chosen, upvoted, facilitator);
}

}  // namespace keha::desk
