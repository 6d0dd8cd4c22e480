// People in the room: joining and presence (the server's commands), hands, names and removal
// (docs/protocol.md §6).
#include "command_handlers.hpp"
#include "keha/state.hpp"

namespace keha::detail {
namespace {

[[noreturn]] void not_here(const std::string& pid)
{
    refuse(Error_code::not_found, "There is no participant " + pid + " in this room.");
}

void set_presence(Step& s, bool online)
{
    s.args.allow({"pid"});
    const std::string pid = *s.args.text("pid", true, 1, 40);
    if (!find_participant(s.state, pid)) not_here(pid);
    s.patch.set(participant_path(pid) + "/online", online);
}

}  // namespace

void hand_raise(Step& s)
{
    s.args.allow({});
    json* me = find_participant(s.state, s.actor.pid);
    if (!me) refuse(Error_code::not_found, "You are not a participant of this room.");
    if ((*me)["hand"] == true) return;
    if (listening_now(s.state, s.actor.pid))
        refuse(Error_code::listening, "You are listening in this stage; your turn to speak comes next.");
    s.patch.set(participant_path(s.actor.pid) + "/hand", true);
    s.patch.set(participant_path(s.actor.pid) + "/hand_at", s.context.now_ms);
}

void hand_lower(Step& s)
{
    s.args.allow({"pid"});
    auto pid = s.args.text("pid", false, 1, 40);
    const std::string who = pid ? *pid : std::string(s.actor.pid);
    if (who != s.actor.pid && !is_facilitator(s.actor))
        refuse(Error_code::forbidden, "Only a facilitator can lower someone else's hand.");
    if (!find_participant(s.state, who)) not_here(who);
    s.patch.set(participant_path(who) + "/hand", false);
    s.patch.set(participant_path(who) + "/hand_at", nullptr);
}

void participant_rename(Step& s)
{
    s.args.allow({"name"});
    const std::string name = *s.args.text("name", true, 1, 60);
    if (!find_participant(s.state, s.actor.pid)) refuse(Error_code::not_found, "You are not a participant of this room.");
    s.patch.set(participant_path(s.actor.pid) + "/name", name);
}

void participant_remove(Step& s)
{
    s.args.allow({"pid"});
    const std::string pid = *s.args.text("pid", true, 1, 40);
    json* p = find_participant(s.state, pid);
    if (!p) not_here(pid);
    if (s.actor.role != Role::server && (*p)["role"] == "facilitator")
        refuse(Error_code::forbidden, "A facilitator cannot be removed from the room.");
    const std::string path = participant_path(pid);
    s.patch.set(path + "/removed", true);
    s.patch.set(path + "/online", false);
    s.patch.set(path + "/hand", false);
    s.patch.set(path + "/hand_at", nullptr);
    s.effects.removed.push_back(pid);
}

// The server's join after a hello (docs/protocol.md §3): the one place a new person's name,
// group and role are checked, and whether the meeting takes a participant now.
void participant_join(Step& s)
{
    s.args.allow({"name", "group", "role"});
    const std::string name = *s.args.text("name", true, 1, 60);
    const std::string group = *s.args.text("group", true, 1, 20);
    const std::string role = *s.args.text("role", true, 1, 20);
    if (!one_of(participant_groups, group))
        refuse(Error_code::invalid, "The group must be professional, leader, expert or other.");
    auto r = role_from_string(role);
    if (!r || *r == Role::server) refuse(Error_code::invalid, "The role must be facilitator, participant or screen.");
    if (*r == Role::participant && s.state["room"].value("status", "open") == "closed")
        refuse(Error_code::room_closed, "The meeting has been closed.");
    if (*r == Role::participant && s.state["room"].value("locked", false))
        refuse(Error_code::locked, "The room is locked; ask the facilitator to open it.");
    s.patch.set(participant_path(participant_id_for(s.context.seq)),
                {{"name", name},
                 {"role", role},
                 {"group", group},
                 {"online", true},
                 {"hand", false},
                 {"hand_at", nullptr},
                 {"removed", false},
                 {"admitted", !joins_waiting(s.state, role)},
                 {"joined_at", iso8601_utc(s.context.now_ms)}});
}

void participant_online(Step& s) { set_presence(s, true); }
void participant_offline(Step& s) { set_presence(s, false); }

}  // namespace keha::detail
