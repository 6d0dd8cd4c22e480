#include "retention.hpp"

#include <optional>

#include "access_log.hpp"
#include "exception_boundary.hpp"
#include "log.hpp"
#include "room_registry.hpp"
#include "server_context.hpp"

namespace keha::server {
namespace {

constexpr auto sweep_every = std::chrono::hours(1);

}  // namespace

Retention_sweep::Retention_sweep(Server_context& context) : context_(context), timer_(context.ioc) {}

void Retention_sweep::start() { schedule(std::chrono::seconds(2)); }

void Retention_sweep::stop() { timer_.cancel(); }

void Retention_sweep::schedule(std::chrono::seconds after)
{
    if (context_.stopping) return;
    timer_.expires_after(after);
    timer_.async_wait([this](beast::error_code ec) {
        if (ec || context_.stopping) return;
        delete_expired_meetings();
    });
}

// Each step's store work runs on the blocking pool (off_io.hpp), never on an I/O thread; its
// answer comes back to the timer's executor. A failed step is logged and the next sweep tries
// again: the server keeps running.
void Retention_sweep::delete_expired_meetings()
{
    const auto now = now_ms();
    const auto days = context_.options.retention_days;
    // Several nodes on one database: one of them sweeps (Store::lead_sweeps), the others
    // look again at the next sweep, and take over when that node's session is gone.
    context_.blocking.run(
        timer_.get_executor(),
        [&store = context_.store, now, days]() -> std::optional<std::vector<std::string>> {
            if (!store.lead_sweeps()) return std::nullopt;
            return store.expired_rooms(now, days);
        },
        [this, now, days](Off_io_result<std::optional<std::vector<std::string>>> expired) {
            if (expired.error) return failed(expired.error);
            if (!*expired.value) return schedule(std::chrono::duration_cast<std::chrono::seconds>(sweep_every));
            try {
                for (const auto& code : **expired.value) {
                    log_access(context_, {now, code, "room_deleted", "server", "", "", "",
                                          "retention: " + std::to_string(days) + " days"});
                    log_info("room_expired", "room=" + code);
                    context_.rooms->remove(code, "room_deleted", [code](bool ok) {
                        if (!ok) log_error("room_expiry_failed", "room=" + code);
                    });
                }
            } catch (...) {
                return failed(std::current_exception());
            }
            prune_access_log(now);  // queued after the deletions, so their rows count as orphaned
        });
}

void Retention_sweep::prune_access_log(std::int64_t now)
{
    const auto days = context_.options.access_log_days;
    context_.blocking.run(
        timer_.get_executor(), [&store = context_.store, now, days] { return store.prune_access_log(now, days); },
        [this](Off_io_result<std::int64_t> pruned) {
            if (pruned.error) return failed(pruned.error);
            if (*pruned.value > 0) log_info("access_log_pruned", "rows=" + std::to_string(*pruned.value));
            schedule(std::chrono::duration_cast<std::chrono::seconds>(sweep_every));
        });
}

void Retention_sweep::failed(std::exception_ptr error)
{
    try {
        std::rethrow_exception(error);
    } catch (const Store_error& e) {
        log_error("retention_failed", e.what());
    } catch (...) {
        log_exception("retention");
    }
    schedule(std::chrono::duration_cast<std::chrono::seconds>(sweep_every));
}

}  // namespace keha::server
