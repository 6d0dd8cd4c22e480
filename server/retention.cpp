#include "retention.hpp"

#include "access_log.hpp"
#include "exception_boundary.hpp"
#include "log.hpp"
#include "meeting_api.hpp"
#include "room_registry.hpp"
#include "server_context.hpp"

namespace keha::server {
namespace {

constexpr auto sweep_every = std::chrono::hours(1);

void delete_room(Server_context& ctx, const Request& req, const std::string& code, const Responder& respond)
{
    auto room = facilitator_room(ctx, req, code, "Deleting the meeting");
    if (auto* r = std::get_if<Response>(&room)) return respond(std::move(*r));
    const std::string found = std::get<Room_record>(room).code;
    log_access(ctx, req, found, "room_deleted", "facilitator");
    log_info("room_deleted", "room=" + found + " by=facilitator");
    auto shared = std::make_shared<Request>(req);
    ctx.rooms->remove(found, "room_deleted", [shared, found, respond](bool ok) {
        if (!ok)
            return respond(error_response(*shared, http::status::internal_server_error, "store_failed",
                                          "The meeting could not be deleted; try again."));
        Response res{http::status::ok, shared->version()};
        res.set(http::field::server, "keha-server");
        res.set(http::field::content_type, "application/json");
        res.set(http::field::cache_control, "no-store");
        res.keep_alive(shared->keep_alive());
        res.body() = json{{"code", found}, {"deleted", true}}.dump();
        res.prepare_payload();
        add_safety_headers(res);
        respond(std::move(res));
    });
}

}  // namespace

bool handle_retention_api(Server_context& ctx, const Request& req, const std::vector<std::string>& parts,
                          const Responder& respond)
{
    if (req.method() != http::verb::delete_ || parts.size() != 3 || parts[0] != "api" || parts[1] != "rooms") return false;
    delete_room(ctx, req, parts[2], respond);
    return true;
}

Retention_sweep::Retention_sweep(Server_context& context) : context_(context), timer_(context.ioc) {}

void Retention_sweep::start() { schedule(std::chrono::seconds(2)); }

void Retention_sweep::stop() { timer_.cancel(); }

void Retention_sweep::schedule(std::chrono::seconds after)
{
    timer_.expires_after(after);
    timer_.async_wait([this](beast::error_code ec) {
        if (ec || context_.stopping) return;
        run_once();
        schedule(std::chrono::duration_cast<std::chrono::seconds>(sweep_every));
    });
}

void Retention_sweep::run_once()
{
    const auto now = now_ms();
    try {
        for (const auto& code : context_.store.expired_rooms(now, context_.options.retention_days)) {
            log_access(context_, {now, code, "room_deleted", "server", "", "", "",
                                  "retention: " + std::to_string(context_.options.retention_days) + " days"});
            log_info("room_expired", "room=" + code);
            context_.rooms->remove(code, "room_deleted", [code](bool ok) {
                if (!ok) log_error("room_expiry_failed", "room=" + code);
            });
        }
        auto rows = context_.store.prune_access_log(now, context_.options.access_log_days);
        if (rows > 0) log_info("access_log_pruned", "rows=" + std::to_string(rows));
    } catch (const Store_error& e) {
        // The next sweep tries again; the server keeps running.
        log_error("retention_failed", e.what());
    } catch (...) {
        log_exception("retention");  // and the sweeps go on: schedule() runs after this
    }
}

}  // namespace keha::server
