// The meeting as a whole: its phase, title, lock, close, and the time box (docs/protocol.md §6).
#include "command_handlers.hpp"

namespace keha::detail {

void phase_goto(Step& s)
{
    s.args.allow({"phase"});
    const std::string phase = *s.args.text("phase", true, 1, 100);
    for (const auto& p : s.state["phases"])
        if (p["id"] == phase) {
            if (s.state["phase"] == phase) return;  // the empty-patch rule; a revealed board stays open
            s.patch.set("/phase", phase);
            return private_phase_entered(s, p);
        }
    refuse(Error_code::invalid, "This meeting has no phase \"" + phase + "\".");
}

void room_update(Step& s)
{
    s.args.allow({"title"});
    if (auto title = s.args.text("title", false, 1, 200)) s.patch.set("/room/title", *title);
}

void room_lock(Step& s)
{
    s.args.allow({"locked"});
    s.patch.set("/room/locked", *s.args.boolean("locked", true));
}

void room_close(Step& s)
{
    s.args.allow({});
    s.patch.set("/room/status", "closed");
    s.effects.room_closed = true;
}

void timer_start(Step& s)
{
    s.args.allow({"duration_s"});
    const std::int64_t d = *s.args.integer("duration_s", true, 1, 14400);
    s.patch.set("/timer", {{"state", "running"}, {"duration_s", d}, {"ends_at_ms", s.context.now_ms + d * 1000}});
}

void timer_pause(Step& s)
{
    s.args.allow({});
    const json& t = s.state["timer"];
    if (t.value("state", "idle") != "running") return;
    std::int64_t left = std::max<std::int64_t>(0, t["ends_at_ms"].get<std::int64_t>() - s.context.now_ms);
    s.patch.set("/timer", {{"state", "paused"}, {"duration_s", t["duration_s"]}, {"remaining_ms", left}});
}

void timer_resume(Step& s)
{
    s.args.allow({});
    const json& t = s.state["timer"];
    if (t.value("state", "idle") != "paused") return;
    s.patch.set("/timer", {{"state", "running"},
                           {"duration_s", t["duration_s"]},
                           {"ends_at_ms", s.context.now_ms + t["remaining_ms"].get<std::int64_t>()}});
}

void timer_reset(Step& s)
{
    s.args.allow({});
    s.patch.set("/timer", {{"state", "idle"}});
}

}  // namespace keha::detail
