// Processes and their reports (docs/protocol.md §10.4): a process groups the meetings of
// development teams; its key, or the facilitator key of one of its meetings, opens it.
#include "http_processes.hpp"

#include <algorithm>

#include "keha/i18n.hpp"
#include "keha/notes.hpp"
#include "keha/report.hpp"
#include "keha/text.hpp"
#include "access_log.hpp"
#include "http_auth.hpp"
#include "http_handlers.hpp"
#include "http_notes.hpp"
#include "log.hpp"
#include "process_body.hpp"
#include "secrets.hpp"
#include "server_context.hpp"

namespace keha::server {
namespace {

std::string new_process_id()
{
    static constexpr std::string_view alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
    std::string id = "prc_";
    for (int i = 0; i < 14; ++i) id += alphabet[random_u32() % alphabet.size()];
    return id;
}

// Whose key `key` is, when it opens the process: "process" for its own key, "facilitator:CODE"
// for the facilitator key of one of its meetings (`rooms`, read when not given).
std::optional<std::string> opens_process(Server_context& ctx, const Process_record& process, const std::string& key,
                                         const std::vector<Room_record>* rooms = nullptr)
{
    if (key.empty()) return std::nullopt;
    const std::string hash = sha256_hex(key);
    if (same_secret(hash, process.key_hash)) return "process";
    std::vector<Room_record> read;
    if (!rooms) rooms = &(read = ctx.store.rooms_of_process(process.id));
    for (const auto& r : *rooms)
        if (same_secret(hash, r.facilitator_key_hash)) return "facilitator:" + r.code;
    return std::nullopt;
}

struct Opened_process {
    Process_record process;
    std::vector<Room_record> rooms;
    std::string by;  // whose key opened it, for the log: "process" or "facilitator:CODE"
};

// The process, if the request's key is its own key or the facilitator key of one of its rooms.
std::variant<Opened_process, Response> authorized_process(Server_context& ctx, const Request& req, const std::string& id)
{
    auto process = ctx.store.find_process(id);
    if (!process) return error_response(req, Error_code::not_found, "There is no process with this id.");
    auto rooms = ctx.store.rooms_of_process(id);
    std::optional<std::string> by;
    auto refusal = key_refusal(req, "A process", "its key or the facilitator key of one of its meetings",
                               [&](const std::string& key) { return (by = opens_process(ctx, *process, key, &rooms)).has_value(); });
    if (refusal) return std::move(refusal->response);
    return Opened_process{std::move(*process), std::move(rooms), std::move(*by)};
}

// A process holds every one of its meetings: each gets a row, so its facilitator sees who read it.
void log_process_access(Server_context& ctx, const Request& req, const std::vector<Room_record>& rooms,
                        const std::string& event, const std::string& by, const std::string& detail)
{
    const std::string role = by == "process" ? "process" : "facilitator";
    const std::string whose = by == "process" ? std::string() : " key_of=" + by.substr(by.find(':') + 1);
    for (const auto& r : rooms) log_access(ctx, req, r.code, event, role, detail + whose);
}

json process_json(const Process_record& p)
{
    json teams = json::parse(p.teams, nullptr, false);
    return {{"id", p.id}, {"title", p.title}, {"teams", teams.is_array() ? teams : json::array()},
            {"created_at", iso8601_utc(p.created_at_ms)}};
}

Response created_process(Http_call& call, const std::string& title, const json& teams)
{
    const std::string key = random_secret();
    const auto created = now_ms();
    for (int attempt = 0; attempt < 5; ++attempt) {
        const std::string id = new_process_id();
        try {
            call.ctx.store.create_process({id, title, teams.dump(), sha256_hex(key), created});
        } catch (const Store_unavailable&) {
            throw;  // answered 503 unavailable (run_off_io)
        } catch (const Store_error&) {
            continue;  // the id exists
        }
        log_info("process_created", "process=" + id);
        return json_response(call.request, http::status::created, {{"id", id}, {"key", key}});
    }
    return error_response(call.request, Error_code::unavailable, "No free process id was found; try again.");
}

// One meeting of a process as GET /api/processes/{id} lists it; `made` of `agreed` were agreed in it.
json meeting_entry(const Room_record& r, const Meeting_record& m, std::ptrdiff_t made, std::size_t agreed)
{
    const json& room = m.state["room"];
    json counts = meeting_counts(m.state);
    counts["agreements"] = made;
    counts["reaffirmed"] = static_cast<std::ptrdiff_t>(agreed) - made;  // made earlier, agreed here again
    const auto time = [](const std::optional<std::int64_t>& ms) { return ms ? json(iso8601_utc(*ms)) : json(nullptr); };
    return {{"code", r.code},
            {"title", room.value("title", "")},
            {"team", room.value("team", json(nullptr))},
            {"template", room.value("template", "")},
            {"created_at", iso8601_utc(r.created_at_ms)},
            {"started_at", time(m.times.started_ms)},
            {"ended_at", time(m.times.ended_ms)},
            {"status", room.value("status", "open")},
            {"last_seq", m.last_seq},
            {"counts", counts},
            // The questionnaire's results as the server published them at ratings.close
            // (never below 3 answers), for a plot across meetings.
            {"ratings", m.state.contains("ratings") && m.state["ratings"].is_object()
                            ? m.state["ratings"].value("results", json(nullptr))
                            : json(nullptr)}};
}

Response process_answer(Http_call& call)
{
    auto found = authorized_process(call.ctx, call.request, call.param(0));
    if (auto* refusal = std::get_if<Response>(&found)) return std::move(*refusal);
    auto& [process, rooms, by] = std::get<0>(found);
    std::vector<Meeting_record> read;  // the meetings that could be read, in the process's order
    std::vector<const Room_record*> records;
    for (const auto& r : rooms)
        if (auto m = meeting_at(call.ctx.store, r.code, std::nullopt)) {
            read.push_back(std::move(*m));
            records.push_back(&r);
        }
    std::vector<const json*> states;
    for (const auto& m : read) states.push_back(&m.state);
    // An agreement counts once, in the meeting where it was made (keha/report.hpp).
    const auto agreed = process_agreements(states);
    json meetings = json::array();
    int commitments = 0, agreements = 0;
    for (std::size_t i = 0; i < read.size(); ++i) {
        const auto made = std::count_if(agreed[i].begin(), agreed[i].end(), [&](const Process_agreement& a) { return a.made_in == i; });
        meetings.push_back(meeting_entry(*records[i], read[i], made, agreed[i].size()));
        commitments += meetings.back()["counts"]["commitments"].get<int>();
        agreements += static_cast<int>(made);
    }
    json out = process_json(process);
    out["meetings"] = meetings;
    out["totals"] = {{"meetings", meetings.size()}, {"agreements", agreements}, {"commitments", commitments}};
    log_info("process_opened", "process=" + process.id + " by=" + by);
    log_process_access(call.ctx, call.request, rooms, "process_opened", by, "process=" + process.id);
    return json_response(call.request, http::status::ok, out);
}

Response report_answer(Http_call& call)
{
    auto found = authorized_process(call.ctx, call.request, call.param(0));
    if (auto* refusal = std::get_if<Response>(&found)) return std::move(*refusal);
    auto& [process, rooms, by] = std::get<0>(found);
    const std::string format_name = call.query_value("format").value_or("md");
    auto format = notes_format_from_string(format_name.empty() ? "md" : format_name);
    if (!format || *format == Notes_format::json)
        return error_response(call.request, Error_code::invalid, "The report's format must be md or html.");
    std::vector<Report_meeting> meetings;
    for (const auto& r : rooms)
        if (auto m = meeting_at(call.ctx.store, r.code, std::nullopt)) meetings.push_back({std::move(m->state), m->times});
    std::string language = call.query_value("language").value_or("");
    if (!is_language(language)) language = meetings.empty() ? "fi" : meetings.front().state["room"].value("language", "fi");
    const std::string& id = process.id;
    log_info("process_report", "process=" + id + " by=" + by + " format=" + format_name);
    log_process_access(call.ctx, call.request, rooms, "report", by, "process=" + id + " format=" + format_name);
    auto res = text_response(call.request, http::status::ok, content_type(*format),
                             render_process_report(process_json(process), meetings, *format,
                                                   call.ctx.assets.catalog(language), language));
    return attachment(std::move(res), "keha-" + id + "-report." + format_name);
}

}  // namespace

namespace handlers {

void create_process(const Call& call)
{
    if (auto refusal = organizer_refusal(call->ctx, call->request, "Creating a process", Without_organizer_key::open))
        return call->respond(std::move(refusal->response));
    auto read = read_process_body(call->request.body());
    if (auto* e = std::get_if<Error>(&read)) return call->respond(error_response(call->request, e->code, e->message));
    answer_off_io(call, [body = std::get<Process_body>(std::move(read))](Http_call& c) {
        return created_process(c, body.title, body.teams);
    });
}

void get_process(const Call& call) { answer_off_io(call, process_answer); }

void process_report(const Call& call) { answer_off_io(call, report_answer); }

}  // namespace handlers

std::optional<Error> room_process_fields(Server_context& ctx, const json& b, Room_meta& meta, std::string& process_id)
{
    std::optional<Process_record> process;
    if (b.contains("process") && b["process"].is_string()) {
        const std::string name = b["process"].get<std::string>();
        auto len = text_length(name);
        if (!len || *len < 1 || *len > 200) return Error{Error_code::invalid, "The process must be 1–200 characters, without control characters."};
        meta.process = name;  // the core protocol's free label, when it names no process
        process = ctx.store.find_process(name);
    }
    if (process) {
        // The id is no key: a meeting joins a process only with a key that already opens it.
        const std::string key = b.contains("process_key") && b["process_key"].is_string() ? b["process_key"].get<std::string>() : "";
        if (key.empty())
            return Error{Error_code::unauthorized,
                                  "A meeting in a process needs the process key or the facilitator key of one of its "
                                  "meetings, as \"process_key\"."};
        auto by = opens_process(ctx, *process, key);
        if (!by) return Error{Error_code::forbidden, "This key does not open this process."};
        log_info("process_meeting_added", "process=" + process->id + " by=" + *by);
        process_id = process->id;
        if (b.contains("team")) {
            if (!b["team"].is_string()) return Error{Error_code::bad_request, "The field \"team\" must be text."};
            json teams = json::parse(process->teams, nullptr, false);
            if (!teams.is_array() || std::find(teams.begin(), teams.end(), b["team"]) == teams.end())
                return Error{Error_code::invalid, "The team must be one of the process's teams."};
            meta.team = b["team"].get<std::string>();
        }
    } else if (b.contains("team")) {
        return Error{Error_code::invalid, "A team belongs to a process made with POST /api/processes; give its id as \"process\"."};
    } else if (b.contains("process_key")) {
        return Error{Error_code::invalid, "\"process_key\" goes with the id of a process made with POST /api/processes as \"process\"."};
    }
    return std::nullopt;
}

}  // namespace keha::server
