// The timed voting session and sorting a board by votes (docs/protocol.md §8.5 "Grouping and voting").
// While a session runs on a board, a vote there goes to the voter's ballot
// (/voting/ballots/<pid>, which only that person reads — facilitators included, docs/protocol.md
// §7), so no count exists to be seen; vote.end moves the ballots onto the cards and groups at once.
#include "keha/voting.hpp"

#include <map>

#include "command_handlers.hpp"
#include "keha/state.hpp"

namespace keha {

const json* running_voting(const json& state)
{
    auto v = state.find("voting");
    if (v == state.end() || !v->is_object() || v->value("state", "") != "running") return nullptr;
    return &*v;
}

std::optional<std::int64_t> voting_ends_at(const json& state)
{
    const json* v = running_voting(state);
    if (!v) return std::nullopt;
    auto at = v->find("ends_at_ms");
    if (at == v->end() || !at->is_number_integer()) return std::nullopt;
    return at->get<std::int64_t>();
}

namespace detail {
namespace {

std::string board_arg(const Args& args)
{
    auto board = *args.text("board", true, 1, 40);
    if (!is_board(board)) refuse(Error_code::invalid, "There is no board \"" + board + "\".");
    return board;
}

// Every card and group of the board that carries votes, put whole with `voters` (and `votes`,
// its length) as `tally` says: one "add" each, so members who held it redacted get it whole.
void put_votes(Step& s, const std::string& board, const std::map<std::string, json>& tally)
{
    for (const char* kind : {"items", "groups"}) {
        auto& b = s.state["boards"][board];
        if (!b.contains(kind) || !b[kind].is_object()) continue;
        std::vector<std::pair<std::string, json>> changed;
        for (const auto& [id, thing] : b[kind].items()) {
            auto t = tally.find(id);
            json voters = t != tally.end() ? t->second : json::array();
            if (thing.value("voters", json::array()) == voters && thing.value("votes", -1) == static_cast<int>(voters.size()))
                continue;
            json whole = thing;
            whole["votes"] = voters.size();
            whole["voters"] = std::move(voters);
            changed.emplace_back(id, std::move(whole));
        }
        for (auto& [id, whole] : changed) s.patch.put("/boards/" + board + "/" + kind + "/" + id, std::move(whole));
    }
}

}  // namespace

void vote_start(Step& s)
{
    s.args.allow({"board", "limit", "duration_s"});
    const std::string board = board_arg(s.args);
    const std::int64_t limit = *s.args.integer("limit", true, 1, 100);
    const std::int64_t duration = s.args.integer("duration_s", false, 0, 14400).value_or(0);
    if (running_voting(s.state)) refuse(Error_code::conflict, "A vote is already running; end it first.");
    // The session's count starts from nothing, and the board stands in its own order meanwhile.
    put_votes(s, board, {});
    if (s.state["boards"][board].value("sort", "") == "votes") s.patch.set("/boards/" + board + "/sort", "order");
    s.patch.put("/voting", {{"board", board},
                            {"limit", limit},
                            {"duration_s", duration},
                            {"started_at_ms", s.context.now_ms},
                            {"ends_at_ms", duration > 0 ? json(s.context.now_ms + duration * 1000) : json(nullptr)},
                            {"state", "running"},
                            {"ballots", json::object()}});
}

void vote_end(Step& s)
{
    s.args.allow({});
    const json* v = running_voting(s.state);
    if (!v) refuse(Error_code::conflict, "No vote is running.");
    // The server ends a timed session when its time is up, not before (its timer may fire early).
    if (s.actor.role == Role::server) {
        auto at = voting_ends_at(s.state);
        if (!at || s.context.now_ms < *at) refuse(Error_code::conflict, "The vote's time is not up yet.");
    }
    json ended = *v;
    ended.erase("ballots");
    ended["state"] = "ended";
    ended["ended_at_ms"] = s.context.now_ms;
    const std::string board = ended.value("board", "");
    // Each target's voters in the order of the ballots' owners (ids as text): replays build the same.
    std::map<std::string, json> tally;
    const json ballots = v->value("ballots", json::object());
    for (const auto& [pid, ballot] : ballots.items())
        for (const auto& target : ballot)
            if (target.is_string()) tally.try_emplace(target.get<std::string>(), json::array()).first->second.push_back(pid);
    put_votes(s, board, tally);
    s.patch.put("/voting", std::move(ended));
}

void board_sort(Step& s)
{
    s.args.allow({"board", "by"});
    const std::string board = board_arg(s.args);
    const std::string by = *s.args.text("by", true, 1, 20);
    if (by != "votes" && by != "order") refuse(Error_code::invalid, "A board is sorted by \"votes\" or by \"order\".");
    const json* v = running_voting(s.state);
    if (by == "votes" && v && v->value("board", "") == board)
        refuse(Error_code::conflict, "The votes are counted when the vote ends; sort the board then.");
    s.patch.set("/boards/" + board + "/sort", by);
}

bool vote_in_session(Step& s, const std::string& board, const std::string& target)
{
    const json* v = running_voting(s.state);
    if (!v || v->value("board", "") != board) return false;
    const std::string pid(s.actor.pid);
    const std::string path = "/voting/ballots/" + pid;
    json& ballots = s.state["voting"]["ballots"];
    if (!ballots.is_object() || !ballots.contains(pid)) {
        if (!ballots.is_object()) s.patch.set("/voting/ballots", json::object());
        s.patch.set(path, json::array({target}));
        return true;
    }
    const json& ballot = ballots[pid];
    auto it = std::find(ballot.begin(), ballot.end(), json(target));
    if (it != ballot.end()) {
        s.patch.remove(path + "/" + std::to_string(it - ballot.begin()));
        return true;
    }
    const auto limit = v->value("limit", std::int64_t{0});
    if (limit > 0 && static_cast<std::int64_t>(ballot.size()) >= limit)
        refuse(Error_code::conflict, "You have used all " + std::to_string(limit) +
                                         " of your votes in this vote; take one back to vote again.");
    s.patch.append(path, target);
    return true;
}

}  // namespace detail
}  // namespace keha
