// Room settings and who is let in: hidden names, the lobby, co-facilitators, moderation,
// vote limits, and the recorded consent of a young person (docs/facilitator-guide.md, the OMA TIIMI model).
#include "keha/notes.hpp"
#include "keha/state.hpp"
#include "command_handlers.hpp"

namespace keha::detail {
namespace {

json& participant_of(Step& s, const std::string& pid) { return s.state["participants"][pid]; }

bool consent_pending(const json& state)
{
    return setting(state, "consent_required", false) && !consent_recorded(state);
}

}  // namespace

void room_settings(Step& s)
{
    s.args.allow({"hide_names", "admit_joiners", "moderated", "votes_visible", "consent_required", "vote_limit", "notes_names",
                  "wall_theme", "grouping"});
    std::vector<std::pair<std::string, json>> changes;
    for (const char* flag : {"hide_names", "admit_joiners", "moderated", "votes_visible", "consent_required"})
        if (auto v = s.args.boolean(flag, false)) changes.emplace_back(flag, *v);
    if (auto limit = s.args.integer("vote_limit", false, 0, 100)) changes.emplace_back("vote_limit", *limit);
    // How the notes name people (keha/notes.hpp): auto, full, initials or groups.
    if (auto names = s.args.text("notes_names", false, 1, 20)) {
        if (!notes_names_from_string(*names))
            refuse(Error_code::invalid, "notes_names must be auto, full, initials or groups.");
        changes.emplace_back("notes_names", *names);
    }
    // The walls' colours (both projectors follow it live): default, dark or high contrast.
    if (auto theme = s.args.text("wall_theme", false, 1, 20)) {
        if (*theme != "default" && *theme != "dark" && *theme != "contrast")
            refuse(Error_code::invalid, "wall_theme must be default, dark or contrast.");
        changes.emplace_back("wall_theme", *theme);
    }
    // Who may group cards (docs/protocol.md §8.5 "Grouping and voting"): the facilitators, or everyone.
    if (auto grouping = s.args.text("grouping", false, 1, 20)) {
        if (*grouping != "facilitators" && *grouping != "everyone")
            refuse(Error_code::invalid, "grouping must be facilitators or everyone.");
        changes.emplace_back("grouping", *grouping);
    }
    for (auto& [k, v] : changes) s.patch.set("/room/settings/" + k, v);
    // Who may see what depends on the settings: everyone starts over from a fresh welcome.
    s.effects.resync = Effects::Resync::everyone;
}

void participant_role(Step& s)
{
    s.args.allow({"pid", "role"});
    auto pid = s.args.text("pid", true, 1, 40);
    auto role = s.args.text("role", true, 1, 20);
    if (*role != "facilitator" && *role != "participant")
        refuse(Error_code::invalid, "The role must be facilitator (a co-facilitator) or participant.");
    if (!s.state["participants"].contains(*pid)) refuse(Error_code::not_found, "There is no participant " + *pid + " in this room.");
    const json& p = participant_of(s, *pid);
    if (p.value("role", "") == "screen") refuse(Error_code::invalid, "A projector cannot take part.");
    if (p.value("removed", false)) refuse(Error_code::conflict, "This participant has left the room.");
    if (*pid == s.actor.pid && *role != "facilitator")
        refuse(Error_code::forbidden, "You cannot step down yourself; ask another facilitator.");
    s.patch.set(participant_path(*pid) + "/role", *role);
    if (*role == "facilitator") s.patch.set(participant_path(*pid) + "/admitted", true);
    s.effects.resync = Effects::Resync::everyone;
}

void participant_admit(Step& s)
{
    s.args.allow({"pid"});
    auto pid = s.args.text("pid", true, 1, 40);
    if (!s.state["participants"].contains(*pid)) refuse(Error_code::not_found, "There is no participant " + *pid + " in this room.");
    if (participant_of(s, *pid).value("removed", false)) refuse(Error_code::conflict, "This participant has left the room.");
    if (consent_pending(s.state))
        refuse(Error_code::conflict, "This room needs the young person's consent first; record it, then admit people.");
    s.patch.set(participant_path(*pid) + "/admitted", true);
    s.effects.resync = Effects::Resync::lobby;
}

void consent_record(Step& s)
{
    s.args.allow({"given_by", "scope"});
    auto by = s.args.text("given_by", true, 1, 200);
    auto scope = s.args.text("scope", true, 1, 2000);
    s.patch.set("/consent", {{"given_by", *by},
                             {"scope", *scope},
                             {"recorded_at", iso8601_utc(s.context.now_ms)},
                             {"recorded_by", std::string(s.actor.pid)}});
    // Those who waited only for the consent come in now; with the lobby on, the facilitator admits.
    if (!setting(s.state, "admit_joiners", false)) {
        std::vector<std::string> waiting;
        for (const auto& [pid, p] : s.state["participants"].items())
            if (!p.value("admitted", true) && !p.value("removed", false)) waiting.push_back(pid);
        for (const auto& pid : waiting) s.patch.set(participant_path(pid) + "/admitted", true);
    }
    s.effects.resync = Effects::Resync::lobby;
}

namespace {

// A facilitator approves a held item (it reaches everyone) or declines it (its author sees why).
void moderate(Step& s, bool approve)
{
    if (approve) s.args.allow({"board", "id"});
    else s.args.allow({"board", "id", "reason"});
    auto board = s.args.text("board", true, 1, 40);
    auto id = s.args.text("id", true, 1, 40);
    auto reason = approve ? std::nullopt : s.args.text("reason", false, 0, 500);
    if (!is_board(*board)) refuse(Error_code::invalid, "There is no board \"" + *board + "\".");
    json& items = s.state["boards"][*board]["items"];
    if (!items.contains(*id)) refuse(Error_code::not_found, "There is no item " + *id + " on the " + *board + " board.");
    json item = items[*id];
    if (!item.value("pending", false)) return;
    if (approve) {
        item["pending"] = false;
        item.erase("declined");
        item.erase("decline_reason");
        s.patch.put(item_path(*board, *id), std::move(item));
    } else {
        s.patch.set(item_path(*board, *id) + "/declined", true);
        s.patch.set(item_path(*board, *id) + "/decline_reason", reason.value_or(""));
    }
}

}  // namespace

bool joins_waiting(const json& state, std::string_view role)
{
    if (role != "participant") return false;
    return setting(state, "admit_joiners", false) || consent_pending(state);
}

void item_approve(Step& s) { moderate(s, true); }
void item_decline(Step& s) { moderate(s, false); }

}  // namespace keha::detail
