#include "process_body.hpp"

#include <algorithm>

#include "keha/text.hpp"
#include "message.hpp"

namespace keha::server {

std::variant<Process_body, Error> read_process_body(std::string_view text)
{
    Parse_problem problem{};
    auto body = parse_strict(text, &problem);
    if (problem == Parse_problem::too_deep) return Error{Error_code::bad_request, "The body " + std::string(describe(problem)) + "."};
    if (!body || !body->is_object())
        return Error{Error_code::bad_request, "The body must be a JSON object like {\"title\": \"...\", \"teams\": [...]}."};
    for (const auto& [k, v] : body->items())
        if (k != "title" && k != "teams") return Error{Error_code::invalid, "Unknown field \"" + k + "\"."};
    if (!body->contains("title") || !(*body)["title"].is_string())
        return Error{Error_code::bad_request, "The process needs a \"title\" (text)."};
    auto len = text_length((*body)["title"].get<std::string>());
    if (!len || *len < 1 || *len > 200) return Error{Error_code::invalid, "The title must be 1–200 characters, without control characters."};
    json teams = body->value("teams", json::array());
    if (!teams.is_array()) return Error{Error_code::bad_request, "\"teams\" must be an array of team names."};
    if (teams.size() > 20) return Error{Error_code::invalid, "A process has at most 20 teams."};
    for (const auto& t : teams) {
        if (!t.is_string()) return Error{Error_code::bad_request, "\"teams\" must be an array of team names."};
        auto n = text_length(t.get<std::string>());
        if (!n || *n < 1 || *n > 100) return Error{Error_code::invalid, "A team name must be 1–100 characters, without control characters."};
        if (std::count(teams.begin(), teams.end(), t) > 1) return Error{Error_code::invalid, "Two teams have the same name."};
    }
    return Process_body{(*body)["title"].get<std::string>(), std::move(teams)};
}

}  // namespace keha::server
