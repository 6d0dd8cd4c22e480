// Questions and answers (keha/qa.hpp): the commands, the order questions are listed in, and
// what a member who is not a facilitator may read of them.
#include "keha/qa.hpp"

#include <algorithm>
#include <utility>

#include "command_handlers.hpp"

namespace keha {

std::string qa_topic(const std::string& qa) { return "qa/" + qa; }

std::optional<std::string> qa_of_topic(const std::string& topic)
{
    if (topic.size() <= 3 || topic.compare(0, 3, "qa/") != 0) return std::nullopt;
    return topic.substr(3);
}

json qa_publish_args(const std::string& qa, const std::vector<std::string>& batch)
{
    return {{"topic", qa_topic(qa)}, {"answers", batch}};
}

bool qa_is_open(const json& state, const std::string& qa)
{
    auto all = state.find("qa");
    if (all == state.end() || !all->is_object()) return false;
    auto one = all->find(qa);
    return one != all->end() && one->is_object() && one->value("status", "") == "open";
}

bool is_held_question(const json& question)
{
    return question.is_object() && (question.value("pending", false) || question.value("hidden", false));
}

void redact_qa(json& state, const Viewer& viewer)
{
    if (viewer.role == Role::facilitator) return;
    if (auto qa = state.find("qa"); qa != state.end() && qa->is_object())
        for (auto& [id, one] : qa->items())
            if (one.is_object() && one.contains("questions") && one["questions"].is_object())
                for (auto& [qid, question] : one["questions"].items())
                    if (is_held_question(question)) question.erase("text");
    if (auto people = state.find("participants"); people != state.end() && people->is_object())
        for (auto& [pid, p] : people->items())
            if (pid != viewer.pid && p.is_object()) p.erase("qa_upvoted");
}

bool qa_is_public(const json& state)
{
    auto qa = state.find("qa");
    if (qa == state.end() || !qa->is_object()) return true;
    for (const auto& [id, one] : qa->items())
        if (one.is_object() && one.contains("questions") && one["questions"].is_object())
            for (const auto& [qid, question] : one["questions"].items())
                if (is_held_question(question)) return false;
    return true;
}

bool has_upvote_lists(const json& state, const std::string& except_pid)
{
    auto people = state.find("participants");
    if (people == state.end() || !people->is_object()) return false;
    for (const auto& [pid, p] : people->items())
        if (pid != except_pid && p.is_object() && p.contains("qa_upvoted")) return true;
    return false;
}

std::vector<std::string> qa_question_order(const json& questions)
{
    std::vector<std::pair<std::string, const json*>> list;
    if (questions.is_object())
        for (const auto& [qid, q] : questions.items()) list.emplace_back(qid, &q);
    std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
        const auto va = a.second->value("upvotes", std::int64_t{0}), vb = b.second->value("upvotes", std::int64_t{0});
        if (va != vb) return va > vb;
        const auto oa = a.second->value("order", std::int64_t{0}), ob = b.second->value("order", std::int64_t{0});
        if (oa != ob) return oa < ob;
        return a.first < b.first;
    });
    std::vector<std::string> out;
    out.reserve(list.size());
    for (auto& [qid, q] : list) out.push_back(qid);
    return out;
}

namespace detail {
namespace {

std::string qa_path(const std::string& id) { return "/qa/" + id; }
std::string question_path(const std::string& id, const std::string& qid) { return "/qa/" + id + "/questions/" + qid; }

// The question goes to the server, which holds it off the op log under the Q&A's topic and
// publishes a batch of them with qa.publish.
void held_for_server(Step& s, const std::string& qa, const std::string& text)
{
    s.effects.anonymous_answer = Effects::Anonymous_answer{qa_topic(qa), text, "qa.publish", qa_batch};
}

// The Q&A `qa` names, refused when there is none.
json& find_qa(Step& s)
{
    auto id = s.args.text("qa", true, 1, 40);
    auto qa = s.state.find("qa");
    if (qa == s.state.end() || !qa->is_object() || !qa->contains(*id))
        refuse(Error_code::not_found, "There is no Q&A " + *id + ".");
    return (*qa)[*id];
}

void require_open(const json& qa)
{
    if (qa.value("status", "") != "open") refuse(Error_code::conflict, "This Q&A is closed.");
}

// The question `question` names in `qa`, refused when there is none.
json& find_question(Step& s, json& qa)
{
    auto qid = s.args.text("question", true, 1, 40);
    json& questions = qa["questions"];
    if (!questions.is_object() || !questions.contains(*qid))
        refuse(Error_code::not_found, "There is no question " + *qid + " in this Q&A.");
    return questions[*qid];
}

// A facilitator's change to one question: the whole question put with `field` set, so that
// members who had it without its text (held) and those who had it whole end up alike.
void put_question(Step& s, const char* field)
{
    s.args.allow({"qa", "question", field});
    json& qa = find_qa(s);
    json& question = find_question(s, qa);
    const bool on = s.args.boolean(field, false).value_or(true);
    const std::string id = s.args.raw()["qa"], qid = s.args.raw()["question"];
    json changed = question;
    changed[field] = on;
    s.patch.put(question_path(id, qid), std::move(changed));
}

}  // namespace

void qa_open(Step& s)
{
    s.args.allow({"title"});
    auto title = s.args.text("title", true, 1, 200);
    const bool has_qa = s.state.contains("qa") && s.state["qa"].is_object();
    if (has_qa && s.state["qa"].size() >= qa_limit)
        refuse(Error_code::limit_reached, "A meeting has at most " + std::to_string(qa_limit) + " Q&As.");
    if (!has_qa) s.patch.set("/qa", json::object());  // a room from before Q&As
    const std::string id = "qa" + std::to_string(s.context.seq);
    s.patch.set(qa_path(id), {{"title", *title},
                              {"status", "open"},
                              {"asked", 0},
                              {"waiting", 0},
                              {"published", 0},
                              {"opened_at", iso8601_utc(s.context.now_ms)},
                              {"questions", json::object()}});
    s.effects.ack = {{"qa", id}};
}

// Records only that someone asked; the text is held by the server until it publishes a batch.
void qa_ask(Step& s)
{
    s.args.allow({"qa", "text"});
    auto text = s.args.text("text", true, 1, qa_text_max);
    json& qa = find_qa(s);
    require_open(qa);
    if (!find_participant(s.state, s.actor.pid)) refuse(Error_code::not_found, "You are not a participant of this room.");
    const auto asked = qa.value("asked", std::int64_t{0});
    if (asked >= qa_question_limit)
        refuse(Error_code::limit_reached, "This Q&A has its " + std::to_string(qa_question_limit) + " questions.");
    const std::string id = s.args.raw()["qa"];
    s.patch.set(qa_path(id) + "/asked", asked + 1);
    s.patch.set(qa_path(id) + "/waiting", qa.value("waiting", std::int64_t{0}) + 1);
    held_for_server(s, id, *text);
}

// Once a person; a second up-vote takes the first back.
void qa_upvote(Step& s)
{
    s.args.allow({"qa", "question"});
    json& qa = find_qa(s);
    require_open(qa);
    json& question = find_question(s, qa);
    if (is_held_question(question)) refuse(Error_code::conflict, "This question is not shown to the room.");
    json* me = find_participant(s.state, s.actor.pid);
    if (!me) refuse(Error_code::not_found, "You are not a participant of this room.");
    const std::string id = s.args.raw()["qa"], qid = s.args.raw()["question"];
    const std::string mine = participant_path(s.actor.pid) + "/qa_upvoted";
    const auto count = question.value("upvotes", std::int64_t{0});
    if (!me->contains("qa_upvoted")) s.patch.set(mine, json::array());
    const json& list = (*me)["qa_upvoted"];
    auto at = std::find(list.begin(), list.end(), json(qid));
    if (at == list.end()) {
        s.patch.append(mine, qid);
        s.patch.set(question_path(id, qid) + "/upvotes", count + 1);
    } else {
        s.patch.remove(mine + "/" + std::to_string(at - list.begin()));
        s.patch.set(question_path(id, qid) + "/upvotes", std::max<std::int64_t>(0, count - 1));
    }
}

void qa_answered(Step& s) { put_question(s, "answered"); }
void qa_hide(Step& s) { put_question(s, "hidden"); }

void qa_approve(Step& s)
{
    s.args.allow({"qa", "question"});
    json& qa = find_qa(s);
    json& question = find_question(s, qa);
    if (!question.value("pending", false)) return;
    const std::string id = s.args.raw()["qa"], qid = s.args.raw()["question"];
    json changed = question;
    changed["pending"] = false;
    s.patch.put(question_path(id, qid), std::move(changed));
}

// Closing drops what is still held (fewer than a batch: docs/privacy.md).
void qa_close(Step& s)
{
    s.args.allow({"qa"});
    json& qa = find_qa(s);
    require_open(qa);
    const std::string id = s.args.raw()["qa"];
    s.patch.set(qa_path(id) + "/status", "closed");
    s.patch.set(qa_path(id) + "/waiting", 0);
    s.effects.drop_held = qa_topic(id);
}

// The server publishes a shuffled batch of held questions (keha/qa.hpp qa_batch).
void qa_publish(Step& s)
{
    s.args.allow({"topic", "answers"});
    const auto id = qa_of_topic(*s.args.text("topic", true, 1, 60));
    auto all = s.state.find("qa");
    if (!id || all == s.state.end() || !all->is_object() || !all->contains(*id))
        refuse(Error_code::not_found, "There is no Q&A for this topic.");
    json& qa = (*all)[*id];
    require_open(qa);
    if (!s.args.has("answers") || !s.args.raw()["answers"].is_array())
        refuse(Error_code::bad_request, "qa.publish needs \"answers\", a list of texts.");
    const json& texts = s.args.raw()["answers"];
    for (const auto& t : texts) {
        auto len = t.is_string() ? text_length(t.get_ref<const std::string&>()) : std::nullopt;
        if (!len || *len < 1 || *len > qa_text_max) refuse(Error_code::invalid, "A question must be 1–500 characters.");
    }
    const bool moderated = setting(s.state, "moderated", false);
    auto published = qa.value("published", std::int64_t{0});
    std::size_t k = 0;
    for (const auto& t : texts) {
        json question = {{"text", t}, {"upvotes", 0}, {"answered", false}, {"hidden", false},
                         {"order", ++published}, {"published_at", iso8601_utc(s.context.now_ms)}};
        if (moderated) question["pending"] = true;
        s.patch.set(question_path(*id, "q" + std::to_string(s.context.seq) + "_" + std::to_string(++k)), std::move(question));
    }
    s.patch.set(qa_path(*id) + "/published", published);
    const auto waiting = qa.value("waiting", std::int64_t{0}) - static_cast<std::int64_t>(texts.size());
    s.patch.set(qa_path(*id) + "/waiting", std::max<std::int64_t>(0, waiting));
}

}  // namespace detail
}  // namespace keha
