#include "keha/view.hpp"

#include <algorithm>

#include "keha/ratings.hpp"
#include "keha/state.hpp"
#include "reducer_support.hpp"

namespace keha {
namespace {

// The fields a hidden item keeps from everyone but its author and facilitators.
bool is_private_field(std::string_view field)
{
    if (field == "text") return true;
    for (const char* b : board_names)
        for (auto f : board_fields(b))
            if (f == field) return true;
    return false;
}

bool is_vote_field(std::string_view field) { return field == "votes" || field == "voters"; }

// Of an item's voters, only `pid` (when they voted): a person always sees their own votes,
// while the facilitator keeps everyone else's back.
json own_voters(const json& item, const std::string& pid)
{
    json out = json::array();
    if (auto v = item.find("voters"); v != item.end() && v->is_array() && !pid.empty())
        for (const auto& who : *v)
            if (who == pid) out.push_back(who);
    return out;
}

// What a member who may not see it is left with of an item: no private fields when the item
// is hidden or held for moderation; while the facilitator keeps votes back, no count and of
// the voters only the member itself (`own`; empty for someone who is not a participant).
json redacted(const json& item, bool private_fields, bool votes, const std::string& own = {})
{
    json out = json::object();
    for (const auto& [k, v] : item.items())
        if (!(private_fields && is_private_field(k)) && !(votes && is_vote_field(k))) out[k] = v;
    if (votes && item.contains("voters")) out["voters"] = own_voters(item, own);
    return out;
}

bool is_held(const json& item) { return item.value("hidden", false) || item.value("pending", false); }

bool flag(const json& state, const char* key, bool fallback) { return detail::setting(state, key, fallback); }

// Stands in the author list for "facilitators only": no participant id is empty.
const std::string facilitators_only;

// What only facilitators read of the room itself: the process id (a process is opened and a
// meeting made in it with keys, but the id must still not travel to every participant) and who
// gave a young person's consent (the guardian's and the young person's names). Participants
// and the projector get "process": null, and still see that consent is recorded, with its
// scope and time.
bool has_facilitator_fields(const json& state)
{
    const json* room = state.contains("room") ? &state["room"] : nullptr;
    if (room && room->is_object() && room->contains("process") && !(*room)["process"].is_null()) return true;
    auto c = state.find("consent");
    return c != state.end() && c->is_object() && c->contains("given_by");
}

void drop_facilitator_fields(json& state)
{
    if (auto room = state.find("room"); room != state.end() && room->is_object() && room->contains("process") &&
                                        !(*room)["process"].is_null())
        (*room)["process"] = nullptr;
    if (auto c = state.find("consent"); c != state.end() && c->is_object()) c->erase("given_by");
}

// The closing questionnaire's comments: only those the facilitator chose reach anyone else.
const json* ratings_results(const json& state)
{
    auto r = state.find("ratings");
    if (r == state.end() || !r->is_object()) return nullptr;
    auto results = r->find("results");
    return results == r->end() ? nullptr : &*results;
}

bool has_unreviewed_comments(const json& state)
{
    const json* results = ratings_results(state);
    return results && results->is_object() && results->contains("comments");
}

// "/boards/plan/items/i4/who" -> {"plan", "i4", "who"}; board is empty for other paths.
struct Item_path {
    std::string board, id, field;
    bool whole() const { return field.empty(); }
};

std::vector<std::string> split_path(const std::string& path)
{
    json::json_pointer ptr(path);
    std::vector<std::string> parts;
    for (auto p = ptr; !p.empty(); p = p.parent_pointer()) parts.push_back(p.back());
    std::reverse(parts.begin(), parts.end());
    return parts;
}

Item_path parse_item_path(const std::vector<std::string>& parts)
{
    if (parts.size() < 4 || parts[0] != "boards" || parts[2] != "items") return {};
    return {parts[1], parts[3], parts.size() > 4 ? parts[4] : std::string()};
}

}  // namespace

bool sees_hidden_of(const Viewer& viewer, std::string_view author)
{
    return viewer.role == Role::facilitator || viewer.pid == author;
}

json view_for(const json& state, const Viewer& viewer)
{
    json out = state;
    const bool facilitator = viewer.role == Role::facilitator;
    const bool hide_votes = !facilitator && !flag(state, "votes_visible", true);
    for (auto& [name, board] : out["boards"].items())
        for (auto& [id, item] : board["items"].items()) {
            const bool held = is_held(item), sees = sees_hidden_of(viewer, item.value("author", ""));
            const bool hide_private = held && !sees;
            // split_patch sends every op on a held item in full to its author, votes included,
            // so the author's view keeps that item's votes (only its author and facilitators
            // can vote on it while it is held).
            const bool hide_item_votes = hide_votes && !(held && sees);
            if (hide_private || hide_item_votes) item = redacted(item, hide_private, hide_item_votes, viewer.pid);
        }
    if (!facilitator && flag(state, "hide_names", false))
        for (auto& [pid, p] : out["participants"].items())
            if (pid != viewer.pid) p.erase("name");
    if (!facilitator) drop_facilitator_fields(out);
    if (!facilitator && has_unreviewed_comments(out)) out["ratings"]["results"] = public_results(out["ratings"]["results"]);
    return out;
}

bool view_is_whole(const json& state, const Viewer& viewer)
{
    if (viewer.role == Role::facilitator) return true;
    if (flag(state, "hide_names", false) || !flag(state, "votes_visible", true)) return false;
    if (has_facilitator_fields(state) || has_unreviewed_comments(state)) return false;
    for (const auto& [name, board] : state["boards"].items())
        for (const auto& [id, item] : board["items"].items())
            if (is_held(item) && !sees_hidden_of(viewer, item.value("author", ""))) return false;
    return true;
}

bool Patch_views::privileged(const Viewer& viewer) const
{
    if (authors.empty() || viewer.role == Role::facilitator) return true;
    return std::find(authors.begin(), authors.end(), viewer.pid) != authors.end();
}

const json& Patch_views::for_viewer(const Viewer& viewer) const
{
    if (privileged(viewer)) return full;
    auto it = own.find(viewer.pid);
    return it != own.end() ? it->second : redacted;
}

Patch_views split_patch(const json& patch, const json& state_after, const std::string& actor)
{
    Patch_views views{patch, json::array(), {}, {}};
    // With votes kept back, the voters whose own votes the patch changes: who voted (an added
    // voter, or voters in a whole item put), and the actor for a vote taken back (only the
    // actor toggles its own vote).
    struct Own_vote_op {
        std::size_t index;  // in the redacted patch: own ops go in at this point
        json op;            // the op as given (a whole item, or on voters)
        Item_path where;
    };
    std::vector<Own_vote_op> own_ops;
    std::vector<std::string> own_pids;
    auto owner = [&](const std::string& who) {
        if (!who.empty() && std::find(own_pids.begin(), own_pids.end(), who) == own_pids.end()) own_pids.push_back(who);
    };
    const bool hide_votes = !flag(state_after, "votes_visible", true);
    const bool hide_names = flag(state_after, "hide_names", false);
    auto privileged = [&](const std::string& who) {
        if (std::find(views.authors.begin(), views.authors.end(), who) == views.authors.end())
            views.authors.push_back(who);
    };
    for (const auto& op : patch) {
        const auto parts = split_path(op.value("path", ""));
        // A participant's name, while names are hidden: only they and facilitators get it.
        if (hide_names && parts.size() >= 2 && parts[0] == "participants") {
            if (parts.size() == 2 && op.contains("value") && op["value"].is_object() && op["value"].contains("name")) {
                privileged(parts[1]);
                json copy = op;
                copy["value"].erase("name");
                views.redacted.push_back(std::move(copy));
                continue;
            }
            if (parts.size() >= 3 && parts[2] == "name") {
                privileged(parts[1]);
                continue;
            }
        }
        // The process id and who gave consent: facilitators only (has_facilitator_fields).
        if (!parts.empty() && (parts[0] == "consent" || (parts[0] == "room" && parts.size() >= 2 && parts[1] == "process"))) {
            const bool whole = parts.size() == 1 || (parts[0] == "room" && parts.size() == 2);
            if (whole && op.contains("value") && op["value"].is_object() && op["value"].contains("given_by")) {
                privileged(facilitators_only);
                json copy = op;
                copy["value"].erase("given_by");
                views.redacted.push_back(std::move(copy));
                continue;
            }
            if (parts[0] == "room" && whole && op.contains("value") && !op["value"].is_null()) {
                privileged(facilitators_only);
                json copy = op;
                copy["value"] = nullptr;
                views.redacted.push_back(std::move(copy));
                continue;
            }
            if (parts[0] == "consent" && parts.size() >= 2 && parts[1] == "given_by") {
                privileged(facilitators_only);
                continue;
            }
        }
        // The questionnaire's results: everyone else gets them whole, with the chosen comments only.
        if (parts.size() >= 2 && parts[0] == "ratings" && parts[1] == "results") {
            const json* results = ratings_results(state_after);
            if (results && results->is_object() && results->contains("comments")) {
                privileged(facilitators_only);
                views.redacted.push_back({{"op", "add"}, {"path", "/ratings/results"}, {"value", public_results(*results)}});
                continue;
            }
        }
        auto where = parse_item_path(parts);
        const json* item = nullptr;
        if (!where.board.empty()) {
            json::json_pointer ptr("/boards/" + where.board + "/items");
            if (state_after.contains(ptr)) {
                const auto& items = state_after[ptr];
                auto it = items.find(where.id);
                if (it != items.end()) item = &*it;
            }
        }
        const bool held = item && is_held(*item);
        if (!item || (!held && !hide_votes)) {
            views.redacted.push_back(op);
            continue;
        }
        if (held) privileged(item->value("author", ""));
        if (hide_votes) privileged(facilitators_only);
        if (hide_votes && !held) {
            if (where.whole() && op.contains("value") && op["value"].is_object()) {
                for (const auto& who : op["value"].value("voters", json::array()))
                    if (who.is_string()) owner(who.get<std::string>());
                own_ops.push_back({views.redacted.size(), op, where});
            } else if (where.field == "voters") {
                if (op.value("op", "") == "add" && op.contains("value") && op["value"].is_string())
                    owner(op["value"].get<std::string>());
                else
                    owner(actor);
                own_ops.push_back({views.redacted.size(), op, where});
            }
        }
        if (where.whole() && op.contains("value")) {
            json copy = op;
            copy["value"] = redacted(op["value"], held, hide_votes);
            views.redacted.push_back(std::move(copy));
        } else if (!(held && is_private_field(where.field)) && !(hide_votes && is_vote_field(where.field))) {
            views.redacted.push_back(op);
        }
    }
    if (views.authors.empty()) views.redacted = views.full;
    // Each such voter gets the redacted patch with its own votes put back: a whole item with
    // it among the voters, or, for an op on voters, the voters it may see after the patch.
    for (const auto& pid : own_pids) {
        json mine = json::array();
        std::size_t next = 0;
        auto flush_until = [&](std::size_t index) {
            for (; next < index && next < views.redacted.size(); ++next) mine.push_back(views.redacted[next]);
        };
        for (const auto& o : own_ops) {
            if (o.where.whole()) {
                flush_until(o.index);
                json copy = o.op;
                copy["value"] = redacted(o.op["value"], false, true, pid);
                mine.push_back(std::move(copy));
                ++next;  // in place of the redacted whole item
                continue;
            }
            flush_until(o.index);
            json::json_pointer ptr("/boards/" + o.where.board + "/items/" + o.where.id);
            if (!state_after.contains(ptr)) continue;
            mine.push_back({{"op", "replace"}, {"path", ptr.to_string() + "/voters"},
                            {"value", own_voters(state_after[ptr], pid)}});
        }
        flush_until(views.redacted.size());
        views.own.emplace(pid, std::move(mine));
    }
    return views;
}

}  // namespace keha
