#include "keha/view.hpp"

#include <algorithm>

#include "keha/polls.hpp"
#include "keha/qa.hpp"
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

// A quick poll's results before the facilitator shows them (keha/polls.hpp): facilitators only.
bool has_withheld_polls(const json& state)
{
    auto polls = state.find("polls");
    if (polls == state.end() || !polls->is_object()) return false;
    for (const auto& [id, poll] : polls->items())
        if (!poll_results_shown(poll) && poll.is_object() && !poll.value("results", json()).is_null()) return true;
    return false;
}

void drop_withheld_polls(json& state)
{
    auto polls = state.find("polls");
    if (polls == state.end() || !polls->is_object()) return;
    for (auto& [id, poll] : polls->items())
        if (!poll_results_shown(poll) && poll.is_object() && poll.contains("results")) poll["results"] = nullptr;
}

// "/boards/plan/items/i4/who" -> {"plan", "i4", "who", "items"}; a group's path
// ("/boards/vision/groups/g7/votes") too, with kind "groups"; board is empty for other paths.
struct Item_path {
    std::string board, id, field, kind;
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
    if (parts.size() < 4 || parts[0] != "boards" || (parts[2] != "items" && parts[2] != "groups")) return {};
    return {parts[1], parts[3], parts.size() > 4 ? parts[4] : std::string(), parts[2]};
}

// A voting session's ballots (/voting/ballots/<pid>): each person reads only their own, the
// facilitators included (docs/protocol.md §7).
template <typename Json>
Json* ballots_of(Json& state)
{
    auto v = state.find("voting");
    if (v == state.end() || !v->is_object()) return nullptr;
    auto b = v->find("ballots");
    return b != v->end() && b->is_object() ? &*b : nullptr;
}

bool has_others_ballots(const json& state, const std::string& pid)
{
    const json* ballots = ballots_of(state);
    if (!ballots) return false;
    for (const auto& [who, ballot] : ballots->items())
        if (who != pid) return true;
    return false;
}

void keep_own_ballot(json& state, const std::string& pid)
{
    json* ballots = ballots_of(state);
    if (!ballots) return;
    json mine = json::object();
    if (auto it = ballots->find(pid); it != ballots->end()) mine[pid] = *it;
    *ballots = std::move(mine);
}

}  // namespace

bool is_held(const json& item) { return item.value("hidden", false) || item.value("pending", false); }

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
    if (hide_votes)
        for (auto& [name, board] : out["boards"].items())
            if (auto groups = board.find("groups"); groups != board.end() && groups->is_object())
                for (auto& [gid, group] : groups->items()) group = redacted(group, false, true, viewer.pid);
    keep_own_ballot(out, viewer.pid);
    if (!facilitator && flag(state, "hide_names", false))
        for (auto& [pid, p] : out["participants"].items())
            if (pid != viewer.pid) p.erase("name");
    if (!facilitator) drop_facilitator_fields(out);
    if (!facilitator && has_unreviewed_comments(out)) out["ratings"]["results"] = public_results(out["ratings"]["results"]);
    redact_qa(out, viewer);
    if (!facilitator) drop_withheld_polls(out);
    return out;
}

bool view_is_whole(const json& state, const Viewer& viewer)
{
    if (has_others_ballots(state, viewer.pid)) return false;
    if (viewer.role == Role::facilitator) return true;
    if (flag(state, "hide_names", false) || !flag(state, "votes_visible", true)) return false;
    if (has_facilitator_fields(state) || has_unreviewed_comments(state) || has_withheld_polls(state)) return false;
    if (!qa_is_public(state) || has_upvote_lists(state, viewer.pid)) return false;
    for (const auto& [name, board] : state["boards"].items())
        for (const auto& [id, item] : board["items"].items())
            if (is_held(item) && !sees_hidden_of(viewer, item.value("author", ""))) return false;
    return true;
}

bool Patch_views::privileged(const Viewer& viewer) const
{
    if (authors.empty() || (viewer.role == Role::facilitator && facilitators_privileged)) return true;
    return std::find(authors.begin(), authors.end(), viewer.pid) != authors.end();
}

const json& Patch_views::for_viewer(const Viewer& viewer) const
{
    if (privileged(viewer)) return full;
    auto it = own.find(viewer.pid);
    return it != own.end() ? it->second : redacted;
}

namespace {

// One patch cut into the views of docs/protocol.md §8, op by op: what everyone may see
// (redacted), who sees the full patch (authors), and the voters who get their own votes back.
class Patch_splitter {
public:
    Patch_splitter(const json& patch, const json& state_after, const std::string& actor)
        : views_{patch, json::array(), {}, {}, true},
          state_(state_after),
          actor_(actor),
          hide_votes_(!flag(state_after, "votes_visible", true)),
          hide_names_(flag(state_after, "hide_names", false))
    {
    }

    Patch_views split()
    {
        for (const auto& op : views_.full) {
            const auto parts = split_path(op.value("path", ""));
            if (name_op(op, parts) || facilitator_field_op(op, parts) || results_op(op, parts) || ballot_op(parts) ||
                qa_op(op, parts) || poll_op(op, parts))
                continue;
            item_op(op, parse_item_path(parts));
        }
        if (views_.authors.empty()) views_.redacted = views_.full;
        for (const auto& pid : own_pids_) views_.own.emplace(pid, own_patch(pid));
        return std::move(views_);
    }

private:
    // With votes kept back, an op that changed someone's own votes (a whole item put, or an op
    // on voters): it goes back into that voter's own patch at `index` of the redacted patch.
    struct Own_vote_op {
        std::size_t index;
        json op;
        Item_path where;
    };

    void privileged(const std::string& who)
    {
        if (std::find(views_.authors.begin(), views_.authors.end(), who) == views_.authors.end())
            views_.authors.push_back(who);
    }

    void owner(const std::string& who)
    {
        if (!who.empty() && std::find(own_pids_.begin(), own_pids_.end(), who) == own_pids_.end()) own_pids_.push_back(who);
    }

    // `op` with `field` of its value taken out (set to null when `field` is empty).
    void redact_value(const json& op, const char* field)
    {
        json copy = op;
        if (*field) copy["value"].erase(field);
        else copy["value"] = nullptr;
        views_.redacted.push_back(std::move(copy));
    }

    // `op` with `field` of its value set to null.
    void redact_value_field(const json& op, const char* field)
    {
        json copy = op;
        copy["value"][field] = nullptr;
        views_.redacted.push_back(std::move(copy));
    }

    // A participant's name, while names are hidden: only they and facilitators get it.
    bool name_op(const json& op, const std::vector<std::string>& parts)
    {
        if (!hide_names_ || parts.size() < 2 || parts[0] != "participants") return false;
        if (parts.size() == 2 && op.contains("value") && op["value"].is_object() && op["value"].contains("name")) {
            privileged(parts[1]);
            redact_value(op, "name");
            return true;
        }
        if (parts.size() >= 3 && parts[2] == "name") {
            privileged(parts[1]);
            return true;
        }
        return false;
    }

    // The process id and who gave consent: facilitators only (has_facilitator_fields).
    bool facilitator_field_op(const json& op, const std::vector<std::string>& parts)
    {
        if (parts.empty() || !(parts[0] == "consent" || (parts[0] == "room" && parts.size() >= 2 && parts[1] == "process")))
            return false;
        const bool whole = parts.size() == 1 || (parts[0] == "room" && parts.size() == 2);
        const bool has_value = op.contains("value");
        if (whole && has_value && op["value"].is_object() && op["value"].contains("given_by")) {
            privileged(facilitators_only);
            redact_value(op, "given_by");
            return true;
        }
        if (parts[0] == "room" && whole && has_value && !op["value"].is_null()) {
            privileged(facilitators_only);
            redact_value(op, "");
            return true;
        }
        if (parts[0] == "consent" && parts.size() >= 2 && parts[1] == "given_by") {
            privileged(facilitators_only);
            return true;
        }
        return false;
    }

    // The questionnaire's results: everyone else gets them whole, with the chosen comments only.
    bool results_op(const json&, const std::vector<std::string>& parts)
    {
        if (parts.size() < 2 || parts[0] != "ratings" || parts[1] != "results") return false;
        const json* results = ratings_results(state_);
        if (!results || !results->is_object() || !results->contains("comments")) return false;
        privileged(facilitators_only);
        views_.redacted.push_back({{"op", "add"}, {"path", "/ratings/results"}, {"value", public_results(*results)}});
        return true;
    }

    // A voting session's ballot: only its owner gets the op, not even the facilitators.
    bool ballot_op(const std::vector<std::string>& parts)
    {
        if (parts.size() < 3 || parts[0] != "voting" || parts[1] != "ballots") return false;
        privileged(parts[2]);
        views_.facilitators_privileged = false;
        return true;
    }

    // A poll whose results are not shown yet: ops on them reach facilitators only, and a whole
    // poll put arrives with "results": null.
    bool poll_op(const json& op, const std::vector<std::string>& parts)
    {
        if (parts.size() < 2 || parts[0] != "polls") return false;
        auto polls = state_.find("polls");
        if (polls == state_.end() || !polls->is_object() || !polls->contains(parts[1])) return false;
        if (poll_results_shown((*polls)[parts[1]])) return false;
        if (parts.size() >= 3 && parts[2] == "results") {
            privileged(facilitators_only);
            return true;
        }
        if (parts.size() == 2 && op.contains("value") && op["value"].is_object() &&
            !op["value"].value("results", json()).is_null()) {
            privileged(facilitators_only);
            redact_value_field(op, "results");
            return true;
        }
        return false;
    }

    // Q&A (keha/qa.hpp): a held question's text reaches only facilitators; who up-voted what
    // only that person and facilitators.
    bool qa_op(const json& op, const std::vector<std::string>& parts)
    {
        if (parts.size() >= 3 && parts[0] == "participants" && parts[2] == "qa_upvoted") {
            privileged(parts[1]);
            return true;
        }
        if (parts.size() < 4 || parts[0] != "qa" || parts[2] != "questions") return false;
        json::json_pointer ptr("/qa/" + parts[1] + "/questions/" + parts[3]);
        if (!state_.contains(ptr) || !is_held_question(state_[ptr])) return false;
        privileged(facilitators_only);
        if (parts.size() == 4 && op.contains("value") && op["value"].is_object()) redact_value(op, "text");
        else if (!(parts.size() >= 5 && parts[4] == "text")) views_.redacted.push_back(op);
        return true;
    }

    const json* item_at(const Item_path& where) const
    {
        if (where.board.empty()) return nullptr;
        json::json_pointer ptr("/boards/" + where.board + "/" + where.kind);
        if (!state_.contains(ptr)) return nullptr;
        const auto& items = state_[ptr];
        auto it = items.find(where.id);
        return it != items.end() ? &*it : nullptr;
    }

    // An op on an item held back (hidden or waiting for moderation) or on votes kept back.
    void item_op(const json& op, const Item_path& where)
    {
        const json* item = item_at(where);
        const bool held = item && is_held(*item);
        if (!item || (!held && !hide_votes_)) return views_.redacted.push_back(op);
        if (held) privileged(item->value("author", ""));
        if (hide_votes_) privileged(facilitators_only);
        if (hide_votes_ && !held) own_vote_op(op, where);
        if (where.whole() && op.contains("value")) {
            json copy = op;
            copy["value"] = redacted(op["value"], held, hide_votes_);
            views_.redacted.push_back(std::move(copy));
        } else if (!(held && is_private_field(where.field)) && !(hide_votes_ && is_vote_field(where.field))) {
            views_.redacted.push_back(op);
        }
    }

    // Who voted (an added voter, or voters in a whole item put), and the actor for a vote
    // taken back (only the actor toggles its own vote).
    void own_vote_op(const json& op, const Item_path& where)
    {
        if (where.whole() && op.contains("value") && op["value"].is_object()) {
            for (const auto& who : op["value"].value("voters", json::array()))
                if (who.is_string()) owner(who.get<std::string>());
            own_ops_.push_back({views_.redacted.size(), op, where});
        } else if (where.field == "voters") {
            if (op.value("op", "") == "add" && op.contains("value") && op["value"].is_string())
                owner(op["value"].get<std::string>());
            else
                owner(actor_);
            own_ops_.push_back({views_.redacted.size(), op, where});
        }
    }

    // The redacted patch with `pid`'s own votes put back: a whole item with it among the
    // voters, or, for an op on voters, the voters it may see after the patch.
    json own_patch(const std::string& pid) const
    {
        json mine = json::array();
        std::size_t next = 0;
        auto flush_until = [&](std::size_t index) {
            for (; next < index && next < views_.redacted.size(); ++next) mine.push_back(views_.redacted[next]);
        };
        for (const auto& o : own_ops_) {
            flush_until(o.index);
            if (o.where.whole()) {
                json copy = o.op;
                copy["value"] = redacted(o.op["value"], false, true, pid);
                mine.push_back(std::move(copy));
                ++next;  // in place of the redacted whole item
                continue;
            }
            json::json_pointer ptr("/boards/" + o.where.board + "/" + o.where.kind + "/" + o.where.id);
            if (!state_.contains(ptr)) continue;
            mine.push_back({{"op", "replace"}, {"path", ptr.to_string() + "/voters"}, {"value", own_voters(state_[ptr], pid)}});
        }
        flush_until(views_.redacted.size());
        return mine;
    }

    Patch_views views_;
    const json& state_;
    const std::string& actor_;
    const bool hide_votes_, hide_names_;
    std::vector<Own_vote_op> own_ops_;
    std::vector<std::string> own_pids_;
};

}  // namespace

Patch_views split_patch(const json& patch, const json& state_after, const std::string& actor)
{
    return Patch_splitter(patch, state_after, actor).split();
}

}  // namespace keha
