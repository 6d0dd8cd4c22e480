#include "access_log.hpp"

#include "keha/code.hpp"
#include "keha/text.hpp"
#include "log.hpp"
#include "http_api.hpp"
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

}  // namespace keha::server
