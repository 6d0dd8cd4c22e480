#include "api_client.hpp"

#include <algorithm>
#include <chrono>

#include "document.hpp"
#include "json_fields.hpp"

namespace keha::desk {
namespace {

constexpr std::chrono::seconds slow_call{30};    // the notes, the history, the records
constexpr std::chrono::seconds report_call{60};  // a process report spans meetings

// The answer's status and error, its value left empty.
template <class T>
Api_answer<T> failed(const Http_response& r, std::string error = {})
{
    Api_answer<T> out;
    out.status = r.status;
    out.error = error.empty() ? r.error : std::move(error);
    return out;
}

template <class T>
Api_answer<T> answered(const Http_response& r, T value)
{
    Api_answer<T> out;
    out.status = r.status;
    out.value = std::move(value);
    return out;
}

// A body that must be JSON: a failed answer when it is not (or the status was not 2xx).
std::optional<json> json_body(const Http_response& r)
{
    if (!r.ok()) return std::nullopt;
    json body = json::parse(r.body, nullptr, false);
    if (body.is_discarded()) return std::nullopt;
    return body;
}

// The bytes of a file the server made (notes, CSV, report).
Api_answer<std::string> file_answer(Http_response r)
{
    if (!r.ok()) return failed<std::string>(r);
    std::string body = std::move(r.body);
    return answered(r, std::move(body));
}

std::string seq_query(char separator, std::optional<std::uint64_t> seq)
{
    return seq ? separator + std::string("seq=") + std::to_string(*seq) : std::string();
}

}  // namespace

std::optional<std::vector<Identity_code_hit>> identity_code_hits(const json& check)
{
    if (!check.is_object()) return std::nullopt;
    auto list = check.find("identity_codes");
    if (list == check.end() || !list->is_array()) return std::nullopt;
    std::vector<Identity_code_hit> out;
    for (const json& hit : *list) {
        if (!hit.is_object()) continue;
        Identity_code_hit h;
        h.board = text_field(hit, "board");
        h.id = text_field(hit, "id");
        h.field = text_field(hit, "field");
        h.hidden = flag(hit, "hidden", false);
        // The same field of the same item counts once: where, not how many times.
        bool seen = std::any_of(out.begin(), out.end(), [&](const Identity_code_hit& o) {
            return o.board == h.board && o.id == h.id && o.field == h.field;
        });
        if (!seen) out.push_back(std::move(h));
    }
    return out;
}

Process_view process_view(const json& answer, std::string_view language)
{
    Process_view v;
    if (!answer.is_object() || !answer.contains("meetings") || !answer["meetings"].is_array()) return v;
    v.valid = true;
    v.id = text_field(answer, "id");
    v.title = text_field(answer, "title");
    if (auto t = answer.find("teams"); t != answer.end() && t->is_array())
        for (const json& team : *t)
            if (team.is_string()) v.teams.push_back(team.get<std::string>());
    if (auto t = answer.find("totals"); t != answer.end() && t->is_object()) {
        v.agreements = whole(*t, "agreements", 0);
        v.commitments = whole(*t, "commitments", 0);
    }
    auto count = [](const json& o, const char* key) {
        auto it = o.find(key);
        return it != o.end() && it->is_number_integer() ? it->get<int>() : 0;
    };
    const json& meetings = answer["meetings"];
    for (std::size_t i = 0; i < meetings.size(); ++i) {
        const json& m = meetings[i];
        if (!m.is_object()) continue;
        Process_meeting out;
        out.code = text_field(m, "code");
        out.title = text_field(m, "title");
        out.team = text_field(m, "team");
        out.status = text_field(m, "status");
        std::string when = text_field(m, "started_at");
        if (when.empty()) when = text_field(m, "created_at");
        out.date = when.substr(0, 10);
        if (auto c = m.find("counts"); c != m.end() && c->is_object()) {
            out.participants = count(*c, "participants");
            out.agreements = count(*c, "agreements");
            out.reaffirmed = count(*c, "reaffirmed");
            out.commitments = count(*c, "commitments");
            out.ratings_answered = count(*c, "ratings_answered");
            if (auto items = c->find("items"); items != c->end() && items->is_object())
                for (const auto& [board, n] : items->items()) {
                    int k = n.is_number_integer() ? n.get<int>() : 0;
                    out.items += k;
                    out.boards.emplace_back(board, k);
                }
        }
        const std::size_t at = v.meetings.size();
        v.meetings.push_back(std::move(out));
        for (auto& series : v.ratings) series.medians.resize(v.meetings.size());
        // The same rules as the room's own results: published, not suppressed, enough answers.
        Ratings_view r = ratings_view(json{{"ratings", {{"results", m.contains("ratings") ? m["ratings"] : json(nullptr)}}}}, language);
        if (!r.published || r.suppressed) continue;
        for (const Rating_question_result& q : r.results) {
            auto it = std::find_if(v.ratings.begin(), v.ratings.end(), [&](const Ratings_series& s) { return s.id == q.id; });
            if (it == v.ratings.end()) {
                v.ratings.push_back({q.id, q.text, std::vector<std::optional<double>>(v.meetings.size())});
                it = v.ratings.end() - 1;
            }
            if (!q.text.empty()) it->text = q.text;
            if (!q.suppressed) it->medians[at] = q.median;
        }
    }
    return v;
}

std::vector<History_op> history_ops(const json& answer)
{
    std::vector<History_op> out;
    if (!answer.is_object()) return out;
    auto ops = answer.find("ops");
    if (ops == answer.end() || !ops->is_array()) return out;
    for (const json& op : *ops) {
        if (!op.is_object() || !op.contains("seq") || !op["seq"].is_number_integer() || op["seq"].get<std::int64_t>() < 0) continue;
        out.push_back({op["seq"].get<std::uint64_t>(), text_field(op, "cmd"), text_field(op, "at")});
    }
    std::sort(out.begin(), out.end(), [](const History_op& a, const History_op& b) { return a.seq < b.seq; });
    return out;
}

Api_answer<json> Api_client::templates() const
{
    Http_response r = http_get(server_, "/api/templates");
    auto body = json_body(r);
    if (!body || !body->is_array()) return failed<json>(r, r.ok() ? "bad_response" : "");
    return answered(r, std::move(*body));
}

Api_answer<Created_room> Api_client::create_room(const std::string& title, const std::string& template_id,
                                                 const std::string& language) const
{
    json request = {{"title", title}, {"language", language}};
    if (!template_id.empty()) request["template"] = template_id;
    Http_response r = http_post_json(server_, "/api/rooms", request, key_);
    auto body = json_body(r);
    if (!r.ok()) return failed<Created_room>(r);
    Created_room room;
    if (body) room = {text_field(*body, "code"), text_field(*body, "facilitator_key"), text_field(*body, "screen_key")};
    if (room.code.empty()) {
        Api_answer<Created_room> out = failed<Created_room>(r, "bad_response");
        out.status = 0;  // no room to go to: as if nothing had answered
        return out;
    }
    return answered(r, std::move(room));
}

Api_answer<std::vector<Identity_code_hit>> Api_client::export_check(std::optional<std::uint64_t> seq) const
{
    Http_response r = http_get(server_, room_path() + "/export/check" + seq_query('?', seq), key_, slow_call);
    auto body = json_body(r);
    auto hits = body ? identity_code_hits(*body) : std::nullopt;
    if (!hits) return failed<std::vector<Identity_code_hit>>(r, r.ok() ? "bad_response" : "");
    return answered(r, std::move(*hits));
}

Api_answer<std::string> Api_client::export_notes(const Export_request& request) const
{
    std::string target = room_path() + "/export?format=" + request.format;
    if (!request.names.empty()) target += "&names=" + request.names;
    target += seq_query('&', request.seq);
    target += "&language=" + request.language;
    return file_answer(http_get(server_, target, key_, slow_call));
}

Api_answer<std::string> Api_client::access_log_csv() const
{
    return file_answer(http_get(server_, room_path() + "/access-log?format=csv", key_, slow_call));
}

Api_answer<bool> Api_client::delete_room() const
{
    Http_response r = http_delete(server_, room_path(), key_, slow_call);
    return r.ok() ? answered(r, true) : failed<bool>(r);
}

Api_answer<History_list> Api_client::history() const
{
    Http_response r = http_get(server_, room_path() + "/history", key_, slow_call);
    auto body = json_body(r);
    if (!body || !body->is_object()) return failed<History_list>(r, r.ok() ? "bad_response" : "");
    return answered(r, History_list{history_ops(*body), static_cast<std::uint64_t>(std::max<std::int64_t>(
                                                            0, number_or(*body, "last_seq", 0)))});
}

Api_answer<History_state_at> Api_client::history_at(std::uint64_t seq) const
{
    Http_response r = http_get(server_, room_path() + "/history" + seq_query('?', seq), key_, slow_call);
    auto body = json_body(r);
    if (!body || !body->is_object() || !body->contains("state"))
        return failed<History_state_at>(r, r.ok() ? "bad_response" : "");
    History_state_at at;
    at.seq = static_cast<std::uint64_t>(std::max<std::int64_t>(0, number_or(*body, "seq", 0)));
    at.state = std::move((*body)["state"]);
    at.at = text_field(*body, "at");
    return answered(r, std::move(at));
}

Api_answer<Process_view> Api_client::process(const std::string& id, const std::string& language) const
{
    Http_response r = http_get(server_, "/api/processes/" + id, key_, slow_call);
    auto body = json_body(r);
    Process_view view = body ? process_view(*body, language) : Process_view{};
    if (!view.valid) return failed<Process_view>(r, r.ok() ? "bad_response" : "");
    view.source = std::move(*body);
    return answered(r, std::move(view));
}

Api_answer<std::string> Api_client::process_report(const std::string& id, const std::string& format,
                                                   const std::string& language) const
{
    std::string target = "/api/processes/" + id + "/report?format=" + format + "&language=" + language;
    return file_answer(http_get(server_, target, key_, report_call));
}

}  // namespace keha::desk
