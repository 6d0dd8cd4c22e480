// A meeting's notes, their identity-code check and its history (docs/protocol.md §10.1–10.3).
// Everything here reads the store, not the live room: what it shows is what has been
// acknowledged, and reading never loads a room.
#include <charconv>

#include "keha/i18n.hpp"
#include "keha/identity_code.hpp"
#include "keha/notes.hpp"
#include "keha/text.hpp"
#include "access_log.hpp"
#include "http_auth.hpp"
#include "http_handlers.hpp"
#include "http_notes.hpp"
#include "log.hpp"
#include "server_context.hpp"

namespace keha::server {
namespace {

std::optional<std::uint64_t> parse_seq(const std::string& text)
{
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
    return v;
}

// `?seq=`: nothing when not given, an error answer when not a whole number.
std::variant<std::optional<std::uint64_t>, Response> seq_of(const Http_call& call)
{
    auto text = call.query_value("seq");
    if (!text) return std::nullopt;
    if (auto seq = parse_seq(*text)) return seq;
    return error_response(call.request, Error_code::invalid, "seq must be a whole number of at least 0.");
}

Response no_room(const Http_call& call)
{
    return error_response(call.request, Error_code::unknown_room, "There is no room with this code.");
}

// ?format=, ?names=, ?language= of the export, or the error answer.
std::variant<Notes_options, Response> notes_options(const Http_call& call, Notes_format& format)
{
    const auto bad = [&](std::string_view message) { return error_response(call.request, Error_code::invalid, message); };
    const std::string format_name = call.query_value("format").value_or("");
    auto chosen = notes_format_from_string(format_name.empty() ? "md" : format_name);
    if (!chosen) return bad("The format must be md, html or json.");
    format = *chosen;
    Notes_options options;
    if (auto names = call.query_value("names")) {
        options.names = notes_names_from_string(*names);
        if (!options.names) return bad("names must be auto, full, initials or groups.");
    }
    if (auto language = call.query_value("language"); language && !language->empty()) {
        if (!is_language(*language)) return bad("language must be fi, sv or en.");
        options.language = *language;
    }
    return options;
}

// ?format= as given, "md" when not.
std::string format_name(const Http_call& call)
{
    std::string name = call.query_value("format").value_or("");
    return name.empty() ? "md" : name;
}

void log_export(Http_call& call, const std::string& code, const Notes_options& options, std::optional<std::uint64_t> seq)
{
    const std::string at = seq ? " seq=" + std::to_string(*seq) : "";
    log_info("notes_exported", "room=" + code + " by=facilitator format=" + format_name(call) + at);
    log_access(call.ctx, call.request, code, "export", "facilitator",
               "format=" + format_name(call) + at + (options.names ? " names=" + *call.query_value("names") : ""));
}

Response export_answer(Http_call& call)
{
    auto found = facilitator_room(call.ctx, call.request, call.param(0), "Exporting notes");
    if (auto* refusal = std::get_if<Response>(&found)) return std::move(*refusal);
    const Room_record& record = std::get<Room_record>(found);
    Notes_format format{};
    auto read = notes_options(call, format);
    if (auto* bad = std::get_if<Response>(&read)) return std::move(*bad);
    auto& options = std::get<Notes_options>(read);
    auto seq = seq_of(call);
    if (auto* bad = std::get_if<Response>(&seq)) return std::move(*bad);
    auto meeting = meeting_at(call.ctx.store, record.code, std::get<0>(seq));
    if (!meeting) return no_room(call);
    const bool as_of = std::get<0>(seq).has_value();
    options.times = meeting->times;
    if (as_of) options.as_of_seq = meeting->seq;
    if (!record.process.empty())
        if (auto process = call.ctx.store.find_process(record.process)) options.process_title = process->title;
    log_export(call, record.code, options, as_of ? std::optional(meeting->seq) : std::nullopt);
    if (options.language.empty()) options.language = meeting->state["room"].value("language", "fi");
    const json& catalog = call.ctx.assets.catalog(options.language);
    auto res = text_response(call.request, http::status::ok, content_type(format),
                             render_notes(meeting->state, format, catalog, options));
    const std::string at = as_of ? "-" + std::to_string(meeting->seq) : std::string();
    return attachment(std::move(res), "keha-" + record.code + at + "." + format_name(call));
}

}  // namespace

std::optional<Meeting_record> meeting_at(Store& store, const std::string& code, std::optional<std::uint64_t> seq)
{
    auto h = store.state_at(code, seq.value_or(UINT64_MAX));
    if (!h) return std::nullopt;
    std::vector<Op_time> ops;
    for (auto& [at, patch] : store.op_times(code, h->seq)) ops.push_back({at, std::move(patch)});
    return Meeting_record{json::parse(h->state), meeting_times(h->initial_phase, ops), h->seq, h->last_seq};
}

namespace handlers {

void export_notes(const Call& call) { answer_off_io(call, export_answer); }

void export_check(const Call& call)
{
    answer_off_io(call, [](Http_call& c) {
        auto found = facilitator_room(c.ctx, c.request, c.param(0), "Checking the notes");
        if (auto* refusal = std::get_if<Response>(&found)) return std::move(*refusal);
        const std::string& code = std::get<Room_record>(found).code;
        auto seq = seq_of(c);
        if (auto* bad = std::get_if<Response>(&seq)) return std::move(*bad);
        auto h = c.ctx.store.state_at(code, std::get<0>(seq).value_or(UINT64_MAX));
        if (!h) return no_room(c);
        json warnings = identity_code_warnings(json::parse(h->state));
        log_access(c.ctx, c.request, code, "identity_code_check", "facilitator",
                   "seq=" + std::to_string(h->seq) + " found=" + std::to_string(warnings.size()));
        return json_response(c.request, http::status::ok,
                             {{"seq", h->seq}, {"count", warnings.size()}, {"identity_codes", warnings}});
    });
}

}  // namespace handlers

namespace {

Response op_list(Http_call& call, const std::string& code)
{
    json ops = json::array();
    std::uint64_t last = 0;
    for (const auto& op : call.ctx.store.ops_between(code, 0, UINT64_MAX)) {
        ops.push_back({{"seq", op.seq}, {"by", op.by}, {"cmd", op.cmd}, {"at", iso8601_utc(op.at_ms)}});
        last = op.seq;
    }
    return json_response(call.request, http::status::ok, {{"code", code}, {"last_seq", last}, {"ops", ops}});
}

Response state_at_seq(Http_call& call, const std::string& code, std::uint64_t seq)
{
    auto h = call.ctx.store.state_at(code, seq);
    if (!h) return no_room(call);
    json at = nullptr;
    if (h->seq > 0)
        for (const auto& op : call.ctx.store.ops_between(code, h->seq - 1, h->seq)) at = iso8601_utc(op.at_ms);
    // The state text is sent as stored, without parsing it again.
    std::string body = json{{"code", code}, {"seq", h->seq}, {"last_seq", h->last_seq}, {"at", at}}.dump();
    body.pop_back();
    body += ",\"state\":" + h->state + "}";
    return json_text_response(call.request, http::status::ok, std::move(body));
}

}  // namespace

void handlers::history(const Call& call)
{
    answer_off_io(call, [](Http_call& c) {
        auto found = facilitator_room(c.ctx, c.request, c.param(0), "The meeting's history");
        if (auto* refusal = std::get_if<Response>(&found)) return std::move(*refusal);
        const std::string& code = std::get<Room_record>(found).code;
        log_info("history_opened", "room=" + code + " by=facilitator");
        auto seq_text = c.query_value("seq");
        log_access(c.ctx, c.request, code, "history", "facilitator", seq_text ? "seq=" + seq_text->substr(0, 20) : "ops");
        if (!seq_text) return op_list(c, code);
        auto seq = parse_seq(*seq_text);
        if (!seq) return error_response(c.request, Error_code::invalid, "seq must be a whole number of at least 0.");
        return state_at_seq(c, code, *seq);
    });
}

}  // namespace keha::server
