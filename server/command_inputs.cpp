#include "command_inputs.hpp"

#include "keha/code.hpp"
#include "keha/polls.hpp"
#include "keha/provenance.hpp"
#include "keha/ratings.hpp"
#include "held_answers.hpp"
#include "log.hpp"

namespace keha::server {

std::variant<json, Error> rating_results_input(Store& store, const Room_record& room, const json& state)
{
    const json& r = state.contains("ratings") ? state["ratings"] : json();
    if (!r.is_object() || !r.value("open", false)) return json();
    // Every answer written before this command is committed, then aggregated: only the
    // answers stored count (the room writes what it holds first, Room::store_ratings).
    store.flush();
    Rating_rows rows = store.ratings_of(room.code);
    std::vector<Rating_score> scores;
    for (auto& [q, v] : rows.scores) scores.push_back({q, v});
    const std::uint64_t stored = r.contains("stored") ? r.value("stored", 0u) : r.value("answered", 0u);
    // Answers of a person who joined twice and was merged count once toward the minimum.
    const std::uint64_t repeated = r.value("repeated", 0u);
    if (stored < repeated + ratings_minimum) return rating_results(json::array(), 0, {}, {});
    return rating_results(r.value("questions", json::array()), stored, scores, std::move(rows.comments));
}

std::variant<json, Error> earlier_meeting_input(Store& store, const Room_record& room, const json& args)
{
    auto from_text = args.find("from");
    if (from_text == args.end() || !from_text->is_string()) return json();
    auto from = normalize_code(from_text->get<std::string>());
    if (!from) return Error{Error_code::invalid, "\"from\" must be a room code."};
    if (*from == room.code) return Error{Error_code::invalid, "A meeting cannot import from itself."};
    auto source = store.find_room(*from);
    if (!source) return Error{Error_code::not_found, "There is no meeting " + *from + "."};
    if (room.process.empty() || source->process != room.process)
        return Error{Error_code::forbidden, "Items can only be imported from a meeting of the same process."};
    auto history = store.state_at(*from, UINT64_MAX);
    if (!history) return Error{Error_code::not_found, "There is no meeting " + *from + "."};
    std::vector<std::string> boards{"timeline", "plan"};
    if (auto b = args.find("boards"); b != args.end() && b->is_array()) {
        boards.clear();
        for (const auto& name : *b)
            if (name.is_string()) boards.push_back(name.get<std::string>());
    }
    log_info("items_imported", "room=" + room.code + " from=" + *from);
    return import_args(json::parse(history->state), boards);
}

Rating_submission rating_answer(const std::string& code, const json& answer)
{
    Rating_submission out{code, {}, rating_comment(answer)};
    for (const auto& s : rating_scores(answer)) out.scores.emplace_back(s.question, s.score);
    return out;
}

std::vector<Rating_submission> rating_rows_of(std::vector<Rating_submission> answers)
{
    std::vector<Rating_submission> rows;
    for (auto& a : answers) {
        for (auto& score : a.scores) rows.push_back({a.code, {std::move(score)}, std::nullopt});
        if (a.comment) rows.push_back({a.code, {}, std::move(a.comment)});
    }
    return rows;
}

Anonymous_rows anonymous_rows(const std::string& topic, const std::vector<json>& answers)
{
    Anonymous_rows rows;
    const std::string_view prefix = "poll/";
    if (!topic.starts_with(prefix)) return rows;
    const std::string poll = topic.substr(prefix.size());
    for (const auto& answer : answers)
        for (auto& value : poll_values(answer)) rows.poll_values.push_back({poll, std::move(value)});
    // Each value its own row, so one answer's values are not even side by side.
    mix(rows.poll_values);
    return rows;
}

}  // namespace keha::server
