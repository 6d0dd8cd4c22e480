// The closing questionnaire (keha/ratings.hpp): the template's questions in the state, the
// commands that open and close it and record that someone answered, and the aggregates.
#include "keha/ratings.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "keha/templates.hpp"
#include "command_handlers.hpp"

namespace keha {

json initial_ratings(const json& room_template)
{
    json questions = json::array();
    if (auto it = room_template.find("ratings"); it != room_template.end() && it->is_array())
        for (const auto& q : *it)
            if (q.is_object() && q.contains("id") && q["id"].is_string())
                questions.push_back({{"id", q["id"]}, {"text", q.value("text", json(""))}});
    return {{"questions", questions}, {"open", false}, {"answered", 0}, {"results", nullptr}};
}

std::optional<std::string> check_template_ratings(const json& ratings)
{
    if (!ratings.is_array()) return "\"ratings\" must be an array of {\"id\", \"text\"} questions";
    std::vector<std::string> ids;
    for (const auto& q : ratings) {
        if (!q.is_object() || !q.contains("id") || !q["id"].is_string() || q["id"].get<std::string>().empty() ||
            q["id"].get<std::string>().size() > 40)
            return "every rating question needs a string \"id\" of 1–40 characters";
        const std::string id = q["id"];
        if (!q.contains("text") || !q["text"].is_object() || !q["text"].contains("fi") || !q["text"]["fi"].is_string())
            return "rating question " + id + ": \"text\" needs a Finnish (\"fi\") text";
        if (std::find(ids.begin(), ids.end(), id) != ids.end()) return "two rating questions have the id \"" + id + "\"";
        ids.push_back(id);
    }
    if (ids.size() > 20) return "a questionnaire has at most 20 questions";
    return std::nullopt;
}

std::vector<Rating_score> rating_scores(const json& submit_args)
{
    std::vector<Rating_score> out;
    auto it = submit_args.find("answers");
    if (it == submit_args.end() || !it->is_object()) return out;
    for (const auto& [id, v] : it->items())
        if (v.is_number_integer()) out.push_back({id, v.get<int>()});
    return out;
}

std::optional<std::string> rating_comment(const json& submit_args)
{
    auto it = submit_args.find("comment");
    if (it == submit_args.end() || !it->is_string() || it->get<std::string>().empty()) return std::nullopt;
    return it->get<std::string>();
}

json rating_results(const json& questions, std::uint64_t submissions, const std::vector<Rating_score>& scores,
                    std::vector<std::string> comments)
{
    if (submissions < ratings_minimum) return {{"suppressed", true}, {"minimum", ratings_minimum}};
    json out = {{"count", submissions}, {"questions", json::array()}};
    for (const auto& q : questions) {
        const std::string id = q.value("id", "");
        std::vector<int> values;
        for (const auto& s : scores)
            if (s.question == id && s.score >= 0 && s.score <= 10) values.push_back(s.score);
        json r = {{"id", id}, {"text", q.value("text", json(""))}, {"count", values.size()}};
        if (values.size() < ratings_minimum) {
            r["suppressed"] = true;
        } else {
            std::sort(values.begin(), values.end());
            const std::size_t n = values.size();
            const double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
            std::array<int, 11> distribution{};
            for (int v : values) ++distribution[static_cast<std::size_t>(v)];
            r["median"] = median;
            r["distribution"] = distribution;
        }
        out["questions"].push_back(std::move(r));
    }
    // Sorted, so their order says nothing about who wrote them when.
    std::sort(comments.begin(), comments.end());
    out["comments"] = comments;
    // None goes to the wall until the facilitator has read it (ratings.comment.show).
    out["comments_shown"] = json::array();
    return out;
}

namespace {

// One flag per comment: whether results.comments_shown lists it.
std::vector<bool> shown_flags(const json& results, std::size_t count)
{
    std::vector<bool> on(count, false);
    if (auto it = results.find("comments_shown"); it != results.end() && it->is_array())
        for (const auto& i : *it)
            if (i.is_number_integer() && i.get<std::int64_t>() >= 0 && i.get<std::uint64_t>() < count)
                on[i.get<std::size_t>()] = true;
    return on;
}

}  // namespace

json public_results(const json& results)
{
    if (!results.is_object() || !results.contains("comments")) return results;
    json out = results;
    const json& all = results["comments"];
    json shown = json::array();
    if (all.is_array()) {
        const auto on = shown_flags(results, all.size());
        for (std::size_t i = 0; i < all.size(); ++i)
            if (on[i]) shown.push_back(all[i]);
    }
    out["comments"] = std::move(shown);
    out.erase("comments_shown");
    return out;
}

namespace detail {
namespace {

const json& ratings_of(const json& state)
{
    static const json none;
    auto it = state.find("ratings");
    return it == state.end() ? none : *it;
}

}  // namespace

void ratings_open(Step& s)
{
    s.args.allow({});
    const json& r = ratings_of(s.state);
    if (!r.is_object() || r.value("questions", json::array()).empty())
        refuse(Error_code::conflict, "This meeting's template has no rating questions.");
    s.patch.set("/ratings/open", true);
    s.patch.set("/ratings/results", nullptr);
    // Answers written before batches existed were written with their op: all of them stored.
    if (!r.contains("stored")) s.patch.set("/ratings/stored", r.value("answered", 0));
}

void ratings_close(Step& s)
{
    s.args.allow({});
    const json& r = ratings_of(s.state);
    if (!r.is_object() || !r.value("open", false))
        refuse(Error_code::conflict, "The questionnaire is not open.");
    s.patch.set("/ratings/open", false);
    if (s.context.server_input) s.patch.set("/ratings/results", *s.context.server_input);
}

// Records only that the participant answered; the scores go to the server's anonymous table.
void rating_submit(Step& s)
{
    s.args.allow({"answers", "comment"});
    auto comment = s.args.text("comment", false, 0, 2000);
    if (!s.args.has("answers")) refuse(Error_code::bad_request, "rating.submit needs the argument \"answers\".");
    const json& answers = s.args.raw()["answers"];
    if (!answers.is_object())
        refuse(Error_code::bad_request, "The argument \"answers\" of rating.submit must be an object of scores.");
    const json& r = ratings_of(s.state);
    if (!r.is_object() || !r.value("open", false))
        refuse(Error_code::conflict, "The questionnaire is not open.");
    if (answers.empty()) refuse(Error_code::invalid, "Answer at least one question.");
    const json questions = r.value("questions", json::array());
    for (const auto& [id, v] : answers.items()) {
        bool known = false;
        for (const auto& q : questions) known = known || q.value("id", "") == id;
        if (!known) refuse(Error_code::invalid, "This questionnaire has no question \"" + id + "\".");
        if (!v.is_number_integer() || v.get<std::int64_t>() < 0 || v.get<std::int64_t>() > 10)
            refuse(Error_code::invalid, "Each answer must be a whole number from 0 to 10.");
    }
    const json& people = std::as_const(s.state).at("participants");
    auto me = people.find(std::string(s.actor.pid));
    if (me == people.end()) refuse(Error_code::not_found, "You are not a participant of this room.");
    if (me->value("rated", false))
        refuse(Error_code::conflict, "You have already answered this questionnaire.");
    s.patch.set(participant_path(s.actor.pid) + "/rated", true);
    s.patch.set("/ratings/answered", r.value("answered", 0) + 1);
    // The scores and the comment go to the server's anonymous tables, never to the op log.
    s.effects.anonymous_answer = Effects::Anonymous_answer{"ratings", s.args.raw()};
}

// The facilitator chooses which comments the wall and the participants see: one by its
// index in results.comments, or without an index every one.
void ratings_comment_show(Step& s)
{
    s.args.allow({"index", "shown"});
    const json& r = ratings_of(s.state);
    const json* results = r.is_object() && r.contains("results") ? &r["results"] : nullptr;
    const std::size_t count =
        results && results->is_object() && results->contains("comments") ? (*results)["comments"].size() : 0;
    if (count == 0) refuse(Error_code::conflict, "The questionnaire's results have no comments.");
    auto index = s.args.integer("index", false, 0, static_cast<std::int64_t>(count) - 1);
    auto shown = s.args.boolean("shown", true);
    auto on = shown_flags(*results, count);
    if (index) on[static_cast<std::size_t>(*index)] = *shown;
    else std::fill(on.begin(), on.end(), *shown);
    json list = json::array();
    for (std::size_t i = 0; i < count; ++i)
        if (on[i]) list.push_back(i);
    s.patch.set("/ratings/results/comments_shown", list);
}

// The server wrote `count` held answers to the store in this op's transaction: from here on
// they are durable, and "stored" is how many the results can count.
void ratings_stored(Step& s)
{
    s.args.allow({"count"});
    auto count = s.args.integer("count", true, 1, 100000);
    const json& r = ratings_of(s.state);
    if (!r.is_object()) refuse(Error_code::conflict, "This meeting has no questionnaire.");
    s.patch.set("/ratings/stored", r.value("stored", std::int64_t{0}) + *count);
}

}  // namespace detail
}  // namespace keha
