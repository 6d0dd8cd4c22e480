#include "meeting_api.hpp"

#include <algorithm>
#include <charconv>
#include <variant>
#include <sstream>

#include "keha/code.hpp"
#include "keha/i18n.hpp"
#include "keha/identity_code.hpp"
#include "keha/notes.hpp"
#include "keha/provenance.hpp"
#include "keha/report.hpp"
#include "keha/text.hpp"
#include "access_log.hpp"
#include "http_auth.hpp"
#include "log.hpp"
#include "message.hpp"
#include "query.hpp"
#include "process_body.hpp"
#include "secrets.hpp"
#include "server_context.hpp"
#include "store.hpp"

namespace keha::server {
namespace {

std::optional<std::uint64_t> parse_seq(const std::string& text)
{
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return v;
}

}  // namespace

// The room and its facilitator's key, with the answers the export has always given:
// 404 unknown room whatever the key, 401 without a key, 403 for any other key.
std::variant<Room_record, Response> facilitator_room(Server_context& ctx, const Request& req, const std::string& raw_code,
                                                    const char* what)
{
    auto code = normalize_code(raw_code);
    auto room = code ? ctx.store.find_room(*code) : std::nullopt;
    if (!room) {
        log_access(ctx, req, code.value_or(raw_code.substr(0, 20)), "unknown_room", "", what);
        return error_response(req, Error_code::unknown_room, "There is no room with this code; check the code.");
    }
    auto refusal = key_refusal(req, what, "the facilitator key", [&](const std::string& key) {
        return !key.empty() && same_secret(sha256_hex(key), room->facilitator_key_hash);
    });
    if (refusal) {
        log_access(ctx, req, room->code, "denied", "", std::string(what) + ": " + refusal->why);
        return std::move(refusal->response);
    }
    return *room;
}

namespace {

struct Meeting_record {
    json state;
    Meeting_times times;
    std::uint64_t seq = 0, last_seq = 0;
};

// The meeting as it stood at `seq` (its latest when nothing), with the times of its op log.
std::optional<Meeting_record> meeting_at(Store& store, const std::string& code, std::optional<std::uint64_t> seq)
{
    auto h = store.state_at(code, seq.value_or(UINT64_MAX));
    if (!h) return std::nullopt;
    std::vector<Op_time> ops;
    for (auto& [at, patch] : store.op_times(code, h->seq)) ops.push_back({at, std::move(patch)});
    return Meeting_record{json::parse(h->state), meeting_times(h->initial_phase, ops), h->seq, h->last_seq};
}

// ---- notes and history ----------------------------------------------------------------------

void export_notes(Server_context& ctx, const Request& req, const std::string& code, const std::string& query,
                  const Responder& respond)
{
    auto room = facilitator_room(ctx, req, code, "Exporting notes");
    if (auto* r = std::get_if<Response>(&room)) return respond(std::move(*r));
    const Room_record& record = std::get<Room_record>(room);
    const std::string format_name = query_param(query, "format").value_or("md");
    auto format = notes_format_from_string(format_name.empty() ? "md" : format_name);
    if (!format) return respond(error_response(req, Error_code::invalid, "The format must be md, html or json."));
    Notes_options options;
    if (auto names = query_param(query, "names")) {
        options.names = notes_names_from_string(*names);
        if (!options.names)
            return respond(error_response(req, Error_code::invalid, "names must be auto, full, initials or groups."));
    }
    if (auto language = query_param(query, "language"); language && !language->empty()) {
        if (!is_language(*language))
            return respond(error_response(req, Error_code::invalid, "language must be fi, sv or en."));
        options.language = *language;
    }
    std::optional<std::uint64_t> seq;
    if (auto s = query_param(query, "seq")) {
        seq = parse_seq(*s);
        if (!seq) return respond(error_response(req, Error_code::invalid, "seq must be a whole number of at least 0."));
    }
    auto meeting = meeting_at(ctx.store, record.code, seq);
    if (!meeting) return respond(error_response(req, Error_code::unknown_room, "There is no room with this code."));
    options.times = meeting->times;
    if (seq) options.as_of_seq = meeting->seq;
    if (!record.process.empty())
        if (auto process = ctx.store.find_process(record.process)) options.process_title = process->title;
    log_info("notes_exported", "room=" + record.code + " by=facilitator format=" + format_name +
                                   (seq ? " seq=" + std::to_string(meeting->seq) : ""));
    log_access(ctx, req, record.code, "export", "facilitator",
               "format=" + (format_name.empty() ? std::string("md") : format_name) +
                   (seq ? " seq=" + std::to_string(meeting->seq) : "") +
                   (options.names ? " names=" + *query_param(query, "names") : ""));
    if (options.language.empty()) options.language = meeting->state["room"].value("language", "fi");
    const json& catalog = ctx.assets.catalog(options.language);
    auto res = text_response(req, http::status::ok, content_type(*format), render_notes(meeting->state, *format, catalog, options));
    res.set(http::field::content_disposition, "attachment; filename=\"keha-" + record.code +
                                                  (seq ? "-" + std::to_string(meeting->seq) : std::string()) + "." +
                                                  (format_name.empty() ? "md" : format_name) + "\"");
    respond(std::move(res));
}

void export_check(Server_context& ctx, const Request& req, const std::string& code, const std::string& query,
                  const Responder& respond)
{
    auto room = facilitator_room(ctx, req, code, "Checking the notes");
    if (auto* r = std::get_if<Response>(&room)) return respond(std::move(*r));
    std::optional<std::uint64_t> seq;
    if (auto s = query_param(query, "seq")) {
        seq = parse_seq(*s);
        if (!seq) return respond(error_response(req, Error_code::invalid, "seq must be a whole number of at least 0."));
    }
    auto h = ctx.store.state_at(std::get<Room_record>(room).code, seq.value_or(UINT64_MAX));
    if (!h) return respond(error_response(req, Error_code::unknown_room, "There is no room with this code."));
    json warnings = identity_code_warnings(json::parse(h->state));
    log_access(ctx, req, std::get<Room_record>(room).code, "identity_code_check", "facilitator", "seq=" + std::to_string(h->seq) + " found=" + std::to_string(warnings.size()));
    respond(json_response(req, http::status::ok, {{"seq", h->seq}, {"count", warnings.size()}, {"identity_codes", warnings}}));
}

void history(Server_context& ctx, const Request& req, const std::string& code, const std::string& query,
             const Responder& respond)
{
    auto room = facilitator_room(ctx, req, code, "The meeting's history");
    if (auto* r = std::get_if<Response>(&room)) return respond(std::move(*r));
    const Room_record& record = std::get<Room_record>(room);
    log_info("history_opened", "room=" + record.code + " by=facilitator");
    auto seq_text = query_param(query, "seq");
    log_access(ctx, req, record.code, "history", "facilitator", seq_text ? "seq=" + seq_text->substr(0, 20) : "ops");
    if (!seq_text) {
        json ops = json::array();
        std::uint64_t last = 0;
        for (const auto& op : ctx.store.ops_between(record.code, 0, UINT64_MAX)) {
            ops.push_back({{"seq", op.seq}, {"by", op.by}, {"cmd", op.cmd}, {"at", iso8601_utc(op.at_ms)}});
            last = op.seq;
        }
        return respond(json_response(req, http::status::ok, {{"code", record.code}, {"last_seq", last}, {"ops", ops}}));
    }
    auto seq = parse_seq(*seq_text);
    if (!seq) return respond(error_response(req, Error_code::invalid, "seq must be a whole number of at least 0."));
    auto h = ctx.store.state_at(record.code, *seq);
    if (!h) return respond(error_response(req, Error_code::unknown_room, "There is no room with this code."));
    json at = nullptr;
    if (h->seq > 0)
        for (const auto& op : ctx.store.ops_between(record.code, h->seq - 1, h->seq)) at = iso8601_utc(op.at_ms);
    // The state text is sent as stored, without parsing it again.
    std::string body = json{{"code", record.code}, {"seq", h->seq}, {"last_seq", h->last_seq}, {"at", at}}.dump();
    body.pop_back();
    body += ",\"state\":" + h->state + "}";
    respond(json_text_response(req, http::status::ok, std::move(body)));
}

// ---- processes --------------------------------------------------------------------------------

std::string new_process_id()
{
    static constexpr std::string_view alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
    std::string id = "prc_";
    for (int i = 0; i < 14; ++i) id += alphabet[random_u32() % alphabet.size()];
    return id;
}

void create_process(Server_context& ctx, const Request& req, const Responder& respond)
{
    if (auto refusal = organizer_refusal(ctx, req, "Creating a process", Without_organizer_key::open))
        return respond(std::move(refusal->response));
    auto read = read_process_body(req.body());
    if (auto* e = std::get_if<Error>(&read)) return respond(error_response(req, e->code, e->message));
    const auto& [title, teams] = std::get<Process_body>(read);
    const std::string key = random_secret();
    const auto created = now_ms();
    for (int attempt = 0; attempt < 5; ++attempt) {
        const std::string id = new_process_id();
        try {
            ctx.store.create_process({id, title, teams.dump(), sha256_hex(key), created});
        } catch (const Store_unavailable& e) {
            log_error("store_failed", std::string("creating a process: ") + e.what());
            return respond(error_response(req, Error_code::unavailable, "The database cannot save right now; try again in a moment."));
        } catch (const Store_error&) {
            continue;  // the id exists
        }
        log_info("process_created", "process=" + id);
        return respond(json_response(req, http::status::created, {{"id", id}, {"key", key}}));
    }
    respond(error_response(req, Error_code::unavailable, "No free process id was found; try again."));
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
    return {{"id", p.id}, {"title", p.title}, {"teams", teams.is_array() ? teams : json::array()}, {"created_at", iso8601_utc(p.created_at_ms)}};
}

void get_process(Server_context& ctx, const Request& req, const std::string& id, const Responder& respond)
{
    auto found = authorized_process(ctx, req, id);
    if (auto* r = std::get_if<Response>(&found)) return respond(std::move(*r));
    auto& [process, rooms, by] = std::get<0>(found);
    json out = process_json(process);
    json meetings = json::array();
    int commitments = 0, agreements = 0;
    std::vector<Meeting_record> read;  // the meetings that could be read, in the process's order
    std::vector<const Room_record*> records;
    for (const auto& r : rooms)
        if (auto m = meeting_at(ctx.store, r.code, std::nullopt)) {
            read.push_back(std::move(*m));
            records.push_back(&r);
        }
    std::vector<const json*> states;
    for (const auto& m : read) states.push_back(&m.state);
    // An agreement counts once, in the meeting where it was made (keha/report.hpp).
    const auto agreed = process_agreements(states);
    for (std::size_t i = 0; i < read.size(); ++i) {
        const Meeting_record& m = read[i];
        const Room_record& r = *records[i];
        const json& room = m.state["room"];
        json counts = meeting_counts(m.state);
        const auto made = std::count_if(agreed[i].begin(), agreed[i].end(), [&](const Process_agreement& a) { return a.made_in == i; });
        counts["agreements"] = made;
        counts["reaffirmed"] = static_cast<std::ptrdiff_t>(agreed[i].size()) - made;  // made earlier, agreed here again
        commitments += counts["commitments"].get<int>();
        agreements += static_cast<int>(made);
        meetings.push_back({{"code", r.code},
                            {"title", room.value("title", "")},
                            {"team", room.value("team", json(nullptr))},
                            {"template", room.value("template", "")},
                            {"created_at", iso8601_utc(r.created_at_ms)},
                            {"started_at", m.times.started_ms ? json(iso8601_utc(*m.times.started_ms)) : json(nullptr)},
                            {"ended_at", m.times.ended_ms ? json(iso8601_utc(*m.times.ended_ms)) : json(nullptr)},
                            {"status", room.value("status", "open")},
                            {"last_seq", m.last_seq},
                            {"counts", counts},
                            // The questionnaire's results as the server published them at
                            // ratings.close (never below 3 answers), for a plot across meetings.
                            {"ratings", m.state.contains("ratings") && m.state["ratings"].is_object()
                                            ? m.state["ratings"].value("results", json(nullptr))
                                            : json(nullptr)}});
    }
    out["meetings"] = meetings;
    out["totals"] = {{"meetings", meetings.size()}, {"agreements", agreements}, {"commitments", commitments}};
    log_info("process_opened", "process=" + id + " by=" + by);
    log_process_access(ctx, req, rooms, "process_opened", by, "process=" + id);
    respond(json_response(req, http::status::ok, out));
}

void process_report(Server_context& ctx, const Request& req, const std::string& id, const std::string& query,
                    const Responder& respond)
{
    auto found = authorized_process(ctx, req, id);
    if (auto* r = std::get_if<Response>(&found)) return respond(std::move(*r));
    auto& [process, rooms, by] = std::get<0>(found);
    const std::string format_name = query_param(query, "format").value_or("md");
    auto format = notes_format_from_string(format_name.empty() ? "md" : format_name);
    if (!format || *format == Notes_format::json)
        return respond(error_response(req, Error_code::invalid, "The report's format must be md or html."));
    std::vector<Report_meeting> meetings;
    for (const auto& r : rooms)
        if (auto m = meeting_at(ctx.store, r.code, std::nullopt)) meetings.push_back({std::move(m->state), m->times});
    std::string language = query_param(query, "language").value_or("");
    if (!is_language(language)) language = meetings.empty() ? "fi" : meetings.front().state["room"].value("language", "fi");
    log_info("process_report", "process=" + id + " by=" + by + " format=" + format_name);
    log_process_access(ctx, req, rooms, "report", by, "process=" + id + " format=" + format_name);
    auto res = text_response(req, http::status::ok, content_type(*format),
                     render_process_report(process_json(process), meetings, *format, ctx.assets.catalog(language), language));
    res.set(http::field::content_disposition, "attachment; filename=\"keha-" + id + "-report." + format_name + "\"");
    respond(std::move(res));
}

}  // namespace

std::optional<Error> room_creation_fields(Server_context& ctx, const json& b, Room_meta& meta,
                                                   const json& room_template, std::optional<json>& initial_state,
                                                   std::string& process_id)
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
    if (b.contains("import")) {
        if (auto problem = check_notes_json(b["import"])) return Error{Error_code::invalid, *problem};
        initial_state = state_from_notes(b["import"], meta, room_template);
    }
    return std::nullopt;
}

bool handle_meeting_api(Server_context& ctx, Request& req, const std::vector<std::string>& parts, const std::string& query,
                        const Responder& respond)
{
    const auto method = req.method();
    const bool get = method == http::verb::get || method == http::verb::head;
    if (parts.size() < 2 || parts[0] != "api") return false;
    if (parts[1] == "rooms" && get && parts.size() == 4 && parts[3] == "export") {
        export_notes(ctx, req, parts[2], query, respond);
        return true;
    }
    if (parts[1] == "rooms" && get && parts.size() == 5 && parts[3] == "export" && parts[4] == "check") {
        export_check(ctx, req, parts[2], query, respond);
        return true;
    }
    if (parts[1] == "rooms" && get && parts.size() == 4 && parts[3] == "history") {
        history(ctx, req, parts[2], query, respond);
        return true;
    }
    if (parts[1] != "processes") return false;
    if (parts.size() == 2 && method == http::verb::post) {
        create_process(ctx, req, respond);
        return true;
    }
    if (parts.size() == 3 && get) {
        get_process(ctx, req, parts[2], respond);
        return true;
    }
    if (parts.size() == 4 && get && parts[3] == "report") {
        process_report(ctx, req, parts[2], query, respond);
        return true;
    }
    return false;
}

}  // namespace keha::server
