// A room leaving this node (docs/architecture.md, "Scaling out"): handed off to the node the
// load balancer sends its members to now, or lost with this node's lease session.
#include <memory>

#include "log.hpp"
#include "room.hpp"
#include "server_context.hpp"

namespace keha::server {
namespace {

// A room taken less than this long ago is handed off only once it has been here this long:
// two nodes that both see members of one room (two load balancers that disagree for a moment)
// do not toss it back and forth faster than this.
constexpr std::int64_t least_held_ms = 3000;

}  // namespace

void Room::hand_off(std::function<void()> handed)
{
    on_strand("hand_off", [this, handed = std::move(handed)]() mutable {
        if (broken_ || deleted_ || context_.stopping || handed_off_) return;
        // Anonymous answers are written only in batches (docs/privacy.md): they would be lost.
        if (held_.total() > 0) {
            log_info("room_kept", "room=" + code_ + " reason=held_answers");
            return;
        }
        handed_off_ = std::move(handed);
        const auto young_for = least_held_ms - (now_ms() - loaded_at_ms_);
        if (young_for <= 0) return hand_off_when_settled();
        auto timer = std::make_shared<net::steady_timer>(strand_, std::chrono::milliseconds(young_for));
        timer->async_wait([self = shared_from_this(), timer](beast::error_code) {
            self->guarded("hand_off", [&] { self->hand_off_when_settled(); });
        });
    });
}

void Room::hand_off_when_settled()
{
    // Every commit reported and no store read under way: what members were told is what the
    // store holds, and the next node loads exactly that. Commands posted and not yet applied
    // are not waited for (under load there always are some): their senders are gone when they
    // run, so they are never applied here, and the clients send them again after the move.
    if (!handed_off_ || pending_commits_ > 0 || reading_ || reloading_ || refusing_) return;
    if (now_ms() - loaded_at_ms_ < least_held_ms) return;  // its timer comes back
    auto handed = std::exchange(handed_off_, {});
    if (broken_ || deleted_ || held_.total() > 0) return;
    log_info("room_handed_off", "room=" + code_ + " seq=" + std::to_string(seq_));
    // No command is taken after this one: the members' next hello goes to the other node.
    broken_ = true;
    moved_ = true;
    outbox_.clear();
    drop_members([](const Member&) { return true; }, protocol::Bye_reason::moved);
    handed();
}

void Room::lease_lost()
{
    on_strand("lease_lost", [this] {
        if (broken_) return;
        log_warning("room_lease_lost", "room=" + code_);
        reopen(protocol::Bye_reason::moved);
    });
}

}  // namespace keha::server
