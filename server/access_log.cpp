#include "access_log.hpp"

#include <sstream>

#include "keha/code.hpp"
#include "keha/text.hpp"
#include "log.hpp"
#include "http_auth.hpp"
#include "meeting_api.hpp"
#include "query.hpp"
#include "server_context.hpp"

namespace keha::server {
namespace {

std::string csv_cell(const std::string& text)
{
    std::string cell = text;
    // A spreadsheet runs a cell that starts like a formula; a name typed at the join page must not.
    if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos) cell = "'" + cell;
    if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
    std::string quoted = "\"";
    for (char c : cell) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

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

std::optional<std::string> format_of(const std::string& query)
{
    std::string format = query_param(query, "format").value_or("");
    if (format.empty()) return "json";
    if (format == "json" || format == "csv") return format;
    return std::nullopt;
}

void room_log(Server_context& ctx, const Request& req, const std::string& code, const std::string& query,
              const Responder& respond)
{
    auto room = facilitator_room(ctx, req, code, "The access log");
    if (auto* r = std::get_if<Response>(&room)) return respond(std::move(*r));
    const Room_record& record = std::get<Room_record>(room);
    auto format = format_of(query);
    if (!format) return respond(error_response(req, Error_code::invalid, "The format must be json or csv."));
    log_access(ctx, req, record.code, "access_log", "facilitator", "format=" + *format);
    ctx.store.flush();  // the rows queued so far, this download's own included
    respond(download(req, ctx.store.access_log(record.code, record.created_at_ms), *format, "keha-" + record.code + "-access-log"));
}

void whole_log(Server_context& ctx, const Request& req, const std::string& query, const Responder& respond)
{
    if (auto refusal = organizer_refusal(ctx, req, "The whole access log", Without_organizer_key::closed)) {
        log_access(ctx, req, "", "denied", "", "the whole access log: " + refusal->why);
        return respond(std::move(refusal->response));
    }
    auto format = format_of(query);
    if (!format) return respond(error_response(req, Error_code::invalid, "The format must be json or csv."));
    log_access(ctx, req, "", "access_log", "organizer", "format=" + *format);
    ctx.store.flush();
    respond(download(req, ctx.store.access_log(std::nullopt), *format, "keha-access-log"));
}

}  // namespace

void log_access(Server_context& ctx, Access_entry entry)
{
    if (entry.at_ms == 0) entry.at_ms = now_ms();
    ctx.store.log_access(std::move(entry));
}

void log_access(Server_context& ctx, const Request& req, std::string room, std::string event, std::string role,
                std::string detail)
{
    log_access(ctx, {0, std::move(room), std::move(event), std::move(role), "", "", peer_of(req), std::move(detail)});
}

std::string access_log_csv(const std::vector<Access_entry>& rows)
{
    std::string out = "at,room,event,role,pid,name,address,detail\r\n";
    for (const auto& r : rows) {
        out += iso8601_utc(r.at_ms);
        for (const std::string* cell : {&r.room, &r.event, &r.role, &r.pid, &r.name, &r.address, &r.detail}) {
            out += ',';
            out += csv_cell(*cell);
        }
        out += "\r\n";
    }
    return out;
}

bool handle_access_log_api(Server_context& ctx, const Request& req, const std::vector<std::string>& parts,
                           const std::string& query, const Responder& respond)
{
    const bool get = req.method() == http::verb::get || req.method() == http::verb::head;
    if (!get || parts.size() < 2 || parts[0] != "api") return false;
    if (parts.size() == 4 && parts[1] == "rooms" && parts[3] == "access-log") {
        room_log(ctx, req, parts[2], query, respond);
        return true;
    }
    if (parts.size() == 2 && parts[1] == "access-log") {
        whole_log(ctx, req, query, respond);
        return true;
    }
    return false;
}

}  // namespace keha::server
