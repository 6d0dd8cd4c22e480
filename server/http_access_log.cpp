// The access log's downloads (docs/protocol.md §11.3): a meeting's rows for its facilitator,
// every row for the organizer.
#include "keha/text.hpp"
#include "access_log.hpp"
#include "http_auth.hpp"
#include "http_handlers.hpp"
#include "server_context.hpp"

namespace keha::server {
namespace {

Response download(const Request& req, const std::vector<Access_entry>& rows, const std::string& format,
                  const std::string& file_stem)
{
    const std::string filename = file_stem + "." + format;
    if (format == "csv")
        return attachment(text_response(req, http::status::ok, "text/csv; charset=utf-8", access_log_csv(rows)), filename);
    json entries = json::array();
    for (const auto& r : rows)
        entries.push_back({{"at", iso8601_utc(r.at_ms)}, {"room", r.room}, {"event", r.event}, {"role", r.role},
                           {"pid", r.pid}, {"name", r.name}, {"address", r.address}, {"detail", r.detail}});
    return attachment(json_response(req, http::status::ok, {{"entries", entries}}), filename);
}

std::optional<std::string> format_of(const Http_call& call)
{
    std::string format = call.query_value("format").value_or("");
    if (format.empty()) return "json";
    if (format == "json" || format == "csv") return format;
    return std::nullopt;
}

Response bad_format(const Http_call& call)
{
    return error_response(call.request, Error_code::invalid, "The format must be json or csv.");
}

}  // namespace

void handlers::room_access_log(const Call& call)
{
    answer_off_io(call, [](Http_call& c) {
        auto found = facilitator_room(c.ctx, c.request, c.param(0), "The access log");
        if (auto* refusal = std::get_if<Response>(&found)) return std::move(*refusal);
        const Room_record& record = std::get<Room_record>(found);
        auto format = format_of(c);
        if (!format) return bad_format(c);
        log_access(c.ctx, c.request, record.code, "access_log", "facilitator", "format=" + *format);
        c.ctx.store.flush();  // the rows queued so far, this download's own included
        return download(c.request, c.ctx.store.access_log(record.code, record.created_at_ms), *format,
                        "keha-" + record.code + "-access-log");
    });
}

void handlers::whole_access_log(const Call& call)
{
    if (auto refusal = organizer_refusal(call->ctx, call->request, "The whole access log", Without_organizer_key::closed)) {
        log_access(call->ctx, call->request, "", "denied", "", "the whole access log: " + refusal->why);
        return call->respond(std::move(refusal->response));
    }
    auto format = format_of(*call);
    if (!format) return call->respond(bad_format(*call));
    log_access(call->ctx, call->request, "", "access_log", "organizer", "format=" + *format);
    answer_off_io(call, [format = *format](Http_call& c) {
        c.ctx.store.flush();
        return download(c.request, c.ctx.store.access_log(std::nullopt), format, "keha-access-log");
    });
}

}  // namespace keha::server
