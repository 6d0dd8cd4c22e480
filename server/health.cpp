#include "health.hpp"

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

#include "http_handlers.hpp"
#include "metrics_text.hpp"
#include "room_registry.hpp"
#include "server_context.hpp"

namespace keha::server {
namespace fs = std::filesystem;
namespace {

// A writer busy this long with other work is not ready to take more.
constexpr std::chrono::seconds store_answer_within{2};

// The first of the folders and pages the server serves that is gone, relative to the assets.
std::optional<std::string> missing_asset(const fs::path& root)
{
    std::error_code ec;
    for (const char* folder : {"templates", "i18n", "web"})
        if (!fs::is_directory(root / folder, ec)) return std::string(folder) + "/";
    for (const char* page : {"web/index.html", "web/room.html", "web/screen.html", "web/guide.html"})
        if (!fs::is_regular_file(root / page, ec)) return std::string(page);
    return std::nullopt;
}

}  // namespace

void answer_readiness(Server_context& ctx, const Request& req, const Responder& respond)
{
    const auto not_ready = [to = Reply_to(req)](const std::string& reason) {
        return text_response(to, http::status::service_unavailable, "text/plain; charset=utf-8", reason + "\n");
    };
    if (ctx.draining) return respond(not_ready("draining: the server stops soon"));
    if (auto missing = missing_asset(ctx.assets.root)) return respond(not_ready("assets missing: " + *missing));

    // `respond` answers once (handle_request): whichever comes first, the store or the deadline.
    auto deadline = std::make_shared<net::steady_timer>(net::make_strand(ctx.ioc), store_answer_within);
    deadline->async_wait([deadline, respond, not_ready](beast::error_code ec) {
        if (!ec) respond(not_ready("store not writable: the database did not answer within 2 s"));
    });
    ctx.store.check_writable([deadline, respond, not_ready, to = Reply_to(req)](const std::string& problem) {
        net::post(deadline->get_executor(), [deadline] { deadline->cancel(); });
        if (!problem.empty()) return respond(not_ready("store not writable: " + problem));
        respond(text_response(to, http::status::ok, "text/plain; charset=utf-8", "ready\n"));
    });
}

namespace handlers {

// What a load balancer's health check asks: the process answers, and it is not draining (503
// from SIGTERM with --drain until it stops, docs/deployment.md "Draining a node"). Nothing else
// is looked at (docs/protocol.md §2).
void healthz(const Call& call)
{
    if (call->ctx.draining || call->ctx.stopping)
        return call->respond(text_response(call->request, http::status::service_unavailable, "text/plain", "draining\n"));
    call->respond(text_response(call->request, http::status::ok, "text/plain", "ok\n"));
    // The balancer sends members here again: rooms taken from this node come back (room_registry.hpp).
    call->ctx.rooms->healthy();
}

void readyz(const Call& call) { answer_readiness(call->ctx, call->request, call->respond); }

// The scrape reads the store's sizes (a query, for some stores): on the blocking pool.
void metrics(const Call& call)
{
    run_off_io(call, [](Http_call& c) { answer_metrics(c.ctx, c.request, c.respond); });
}

}  // namespace handlers
}  // namespace keha::server
