// The turn engine: who speaks and who listens (docs/facilitator-guide.md: reflecting team, rounds, the hand
// queue, reflection pairs). The state under /turns names the speakers and listeners
// explicitly, so no client has to work out a turn rule for itself.
#include <random>

#include "command_handlers.hpp"
#include "keha/state.hpp"

namespace keha::detail {
namespace {

constexpr std::string_view stages[] = {"conversation", "reflection", "response"};

// The people a turn can include: admitted participants still in the room (facilitators
// steer, they take no turn), in order of joining.
std::vector<std::string> people(const json& state, bool online_only = false)
{
    std::vector<std::pair<std::string, std::string>> found;  // joined_at, pid
    for (const auto& [pid, p] : state["participants"].items()) {
        if (p.value("removed", false) || !p.value("admitted", true)) continue;
        if (online_only && !p.value("online", false)) continue;
        if (p.value("role", "") != "participant") continue;
        found.emplace_back(p.value("joined_at", ""), pid);
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> out;
    for (auto& [at, pid] : found) out.push_back(pid);
    return out;
}

std::mt19937 rng_for(const Context& c)
{
    std::seed_seq seed{static_cast<std::uint32_t>(c.seq), static_cast<std::uint32_t>(c.now_ms),
                       static_cast<std::uint32_t>(c.now_ms >> 32)};
    return std::mt19937(seed);
}

json pids(const std::vector<std::string>& v) { return json(v); }

class Turns {
public:
    explicit Turns(Step& s) : s_(s), turns_(s.state["turns"]) {}

    std::string mode() const { return turns_.value("mode", "none"); }

    // Reads a list of participant ids; each must be someone a turn can include.
    std::optional<std::vector<std::string>> pid_list(std::string_view key)
    {
        if (!s_.args.has(key)) return std::nullopt;
        const json& v = s_.args.raw()[std::string(key)];
        if (!v.is_array()) refuse(Error_code::bad_request, "\"" + std::string(key) + "\" must be a list of participant ids.");
        auto everyone = people(s_.state);
        std::vector<std::string> out;
        for (const auto& p : v) {
            if (!p.is_string()) refuse(Error_code::bad_request, "\"" + std::string(key) + "\" must hold participant ids.");
            const std::string pid = p;
            if (std::find(everyone.begin(), everyone.end(), pid) == everyone.end())
                refuse(Error_code::not_found, "There is no participant " + pid + " who can take a turn.");
            if (std::find(out.begin(), out.end(), pid) != out.end())
                refuse(Error_code::invalid, "Participant " + pid + " is listed twice.");
            out.push_back(pid);
        }
        return out;
    }

    std::vector<std::string> of_group(const std::string& group) const
    {
        std::vector<std::string> out;
        // Chosen by group: those in the room now; someone away can be named by hand.
        for (const auto& pid : people(s_.state, true))
            if (s_.state["participants"][pid].value("group", "") == group) out.push_back(pid);
        return out;
    }

    std::optional<std::string> group_arg(std::string_view key)
    {
        auto g = s_.args.text(key, false, 1, 20);
        if (g && !one_of(participant_groups, *g))
            refuse(Error_code::invalid, "The group must be professional, leader, expert or other.");
        return g;
    }

    // Each stage or speaker with its own time box restarts the clock; one without a box
    // leaves the timer as it was (docs/facilitator-guide.md, the reflecting team).
    void start_timer(std::int64_t seconds)
    {
        if (seconds <= 0) return;
        s_.patch.set("/timer", {{"state", "running"}, {"duration_s", seconds}, {"ends_at_ms", s_.context.now_ms + seconds * 1000}});
    }

    // The whole /turns object at once: clients replace it, never merge it.
    void put_turns(json t) { s_.patch.put("/turns", std::move(t)); }

    json reflecting_at(json t, const std::string& stage)
    {
        t["stage"] = stage;
        const bool focus_speaks = stage != "reflection";
        t["speaking"] = focus_speaks ? t["focus"] : t["reflectors"];
        t["listening"] = focus_speaks ? t["reflectors"] : t["focus"];
        return t;
    }

    void reflecting_start()
    {
        s_.args.allow({"focus_group", "reflect_group", "focus", "reflectors", "conversation_s", "reflection_s", "response_s"});
        auto fg = group_arg("focus_group");
        auto rg = group_arg("reflect_group");
        auto focus = pid_list("focus");
        auto reflectors = pid_list("reflectors");
        auto conv = s_.args.integer("conversation_s", false, 0, 14400);
        auto refl = s_.args.integer("reflection_s", false, 0, 14400);
        auto resp = s_.args.integer("response_s", false, 0, 14400);
        if (!focus && fg) focus = of_group(*fg);
        if (!reflectors && rg) reflectors = of_group(*rg);
        if (!focus || !reflectors)
            refuse(Error_code::bad_request, "Name the focus group and the reflecting group (by group or by participant).");
        if (focus->empty() || reflectors->empty())
            refuse(Error_code::invalid, "Both the focus group and the reflecting group need at least one person in the room.");
        for (const auto& p : *focus)
            if (std::find(reflectors->begin(), reflectors->end(), p) != reflectors->end())
                refuse(Error_code::invalid, "Nobody can be in both the focus group and the reflecting group.");
        json t = {{"mode", "reflecting_team"},
                  {"cycle", 1},
                  {"focus", pids(*focus)},
                  {"reflectors", pids(*reflectors)},
                  {"focus_group", fg ? json(*fg) : json(nullptr)},
                  {"reflect_group", rg ? json(*rg) : json(nullptr)},
                  {"stage_s", {{"conversation", conv.value_or(0)}, {"reflection", refl.value_or(600)}, {"response", resp.value_or(0)}}}};
        t = reflecting_at(std::move(t), "conversation");
        start_timer(t["stage_s"]["conversation"].get<std::int64_t>());
        put_turns(std::move(t));
    }

    void go_stage(const std::string& stage, bool next_cycle)
    {
        json t = turns_;
        if (next_cycle) t["cycle"] = t.value("cycle", 1) + 1;
        t = reflecting_at(std::move(t), stage);
        start_timer(t["stage_s"].value(stage, 0));
        put_turns(std::move(t));
    }

    void next()
    {
        s_.args.allow({});
        const std::string m = mode();
        if (m == "reflecting_team") {
            const std::string st = turns_.value("stage", "conversation");
            if (st == "conversation") return go_stage("reflection", false);
            if (st == "reflection") return go_stage("response", false);
            return go_stage("conversation", true);
        }
        if (m == "round") return advance_round("done");
        if (m == "pairs") {
            json t = turns_;
            if (t.value("half", 1) == 1) {
                t["half"] = 2;
                std::swap(t["speaking"], t["listening"]);
                start_timer(t.value("half_s", 0));
                put_turns(std::move(t));
            } else {
                put_turns({{"mode", "none"}});
            }
            return;
        }
        refuse(Error_code::conflict, "No turns are running; start a reflecting team, a round or pairs first.");
    }

    void stage()
    {
        s_.args.allow({"stage"});
        auto st = s_.args.text("stage", true, 1, 20);
        if (mode() != "reflecting_team") refuse(Error_code::conflict, "Stages belong to a reflecting team, and none is running.");
        if (!one_of(stages, *st)) refuse(Error_code::invalid, "The stage must be conversation, reflection or response.");
        return go_stage(*st, false);
    }

    void end()
    {
        s_.args.allow({});
        put_turns({{"mode", "none"}});
    }

    void round_start()
    {
        s_.args.allow({"order", "shuffle", "per_speaker_s"});
        auto order = pid_list("order");
        auto shuffle = s_.args.boolean("shuffle", false);
        auto per = s_.args.integer("per_speaker_s", false, 0, 14400);
        std::vector<std::string> o = order ? *order : people(s_.state, true);
        if (o.empty()) refuse(Error_code::conflict, "Nobody is in the room to take a turn.");
        if (shuffle.value_or(false)) {
            auto rng = rng_for(s_.context);
            std::shuffle(o.begin(), o.end(), rng);
        }
        json t = {{"mode", "round"}, {"order", pids(o)}, {"current", 0}, {"passed", json::array()}, {"done", json::array()},
                  {"per_speaker_s", per.value_or(0)}, {"finished", false}};
        set_round_speaker(t, 0);
        start_timer(per.value_or(0));
        put_turns(std::move(t));
    }

    static void set_round_speaker(json& t, std::size_t i)
    {
        t["current"] = i;
        t["speaking"] = json::array();
        t["listening"] = json::array();
        for (std::size_t k = 0; k < t["order"].size(); ++k) (k == i ? t["speaking"] : t["listening"]).push_back(t["order"][k]);
        t["next"] = i + 1 < t["order"].size() ? t["order"][i + 1] : json(nullptr);
    }

    void advance_round(std::optional<std::string> mark)
    {
        json t = turns_;
        std::size_t i = t.value("current", std::size_t{0});
        if (t.value("finished", false)) refuse(Error_code::conflict, "The round has already gone through everyone.");
        if (mark) t[*mark].push_back(t["order"][i]);
        if (i + 1 >= t["order"].size()) {
            t["finished"] = true;
            t["speaking"] = json::array();
            t["listening"] = t["order"];
            t["next"] = nullptr;
            t["current"] = t["order"].size();
        } else {
            set_round_speaker(t, i + 1);
            start_timer(t.value("per_speaker_s", 0));
        }
        put_turns(std::move(t));
    }

    void round_step(const char* mark)
    {
        s_.args.allow({});
        if (mode() != "round") refuse(Error_code::conflict, "No round is running.");
        const auto& speaking = turns_["speaking"];
        const bool is_speaker = !speaking.empty() && speaking[0] == s_.actor.pid;
        if (!is_speaker && !is_facilitator(s_.actor))
            refuse(Error_code::forbidden, "Only the person whose turn it is (or a facilitator) can pass or finish the turn.");
        advance_round(mark);
    }

    void queue_start()
    {
        s_.args.allow({});
        put_turns({{"mode", "hand_queue"}, {"speaker", nullptr}, {"speaking", json::array()}, {"listening", json::array()}});
    }

    void floor_give()
    {
        s_.args.allow({"pid"});
        auto pid = s_.args.text("pid", false, 1, 40);
        std::string who;
        if (pid) {
            who = *pid;
        } else {
            // The longest-raised hand.
            std::int64_t best = INT64_MAX;
            for (const auto& [p, v] : s_.state["participants"].items())
                if (v.value("hand", false) && v["hand_at"].is_number() && v["hand_at"].get<std::int64_t>() < best) {
                    best = v["hand_at"].get<std::int64_t>();
                    who = p;
                }
            if (who.empty()) refuse(Error_code::conflict, "No hand is raised.");
        }
        auto everyone = people(s_.state);
        if (std::find(everyone.begin(), everyone.end(), who) == everyone.end())
            refuse(Error_code::not_found, "There is no participant " + who + " who can take the floor.");
        if (mode() == "reflecting_team") {
            const auto& listening = turns_["listening"];
            if (std::find(listening.begin(), listening.end(), json(who)) != listening.end())
                refuse(Error_code::forbidden, "This person is listening in the current stage and cannot take the floor.");
        }
        // Within a reflecting cycle the floor goes to one of the speakers and the cycle goes on.
        if (mode() == "reflecting_team") {
            json t = turns_;
            t["speaker"] = who;
            put_turns(std::move(t));
            s_.patch.set(participant_path(who) + "/hand", false);
            s_.patch.set(participant_path(who) + "/hand_at", nullptr);
            return;
        }
        json t = mode() == "hand_queue" ? turns_ : json{{"mode", "hand_queue"}};
        t["speaker"] = who;
        t["speaking"] = json::array({who});
        json listening = json::array();
        for (const auto& p : everyone)
            if (p != who) listening.push_back(p);
        t["listening"] = listening;
        put_turns(std::move(t));
        s_.patch.set(participant_path(who) + "/hand", false);
        s_.patch.set(participant_path(who) + "/hand_at", nullptr);
    }

    void pairs_start()
    {
        s_.args.allow({"pairs", "half_s"});
        auto half = s_.args.integer("half_s", false, 0, 14400);
        auto everyone = people(s_.state);
        std::vector<std::vector<std::string>> groups;
        if (s_.args.has("pairs")) {
            const json& given = s_.args.raw()["pairs"];
            if (!given.is_array()) refuse(Error_code::bad_request, "\"pairs\" must be a list of lists of participant ids.");
            std::vector<std::string> seen;
            for (const auto& g : given) {
                if (!g.is_array() || g.size() < 2 || g.size() > 3)
                    refuse(Error_code::invalid, "Each pair must have two people (or three, when the count is odd).");
                std::vector<std::string> members;
                for (const auto& p : g) {
                    if (!p.is_string()) refuse(Error_code::bad_request, "\"pairs\" must hold participant ids.");
                    const std::string pid = p;
                    if (std::find(everyone.begin(), everyone.end(), pid) == everyone.end())
                        refuse(Error_code::not_found, "There is no participant " + pid + " who can take a turn.");
                    if (std::find(seen.begin(), seen.end(), pid) != seen.end())
                        refuse(Error_code::invalid, "Participant " + pid + " is in two pairs.");
                    seen.push_back(pid);
                    members.push_back(pid);
                }
                groups.push_back(members);
            }
        } else {
            everyone = people(s_.state, true);
            if (everyone.size() < 2) refuse(Error_code::conflict, "Pairs need at least two people in the room.");
            // Shuffle, then deal people out by group so that pairs mix groups where they can.
            auto rng = rng_for(s_.context);
            std::shuffle(everyone.begin(), everyone.end(), rng);
            std::stable_sort(everyone.begin(), everyone.end(), [&](const std::string& a, const std::string& b) {
                return s_.state["participants"][a].value("group", "") < s_.state["participants"][b].value("group", "");
            });
            const std::size_t n = everyone.size() / 2;
            for (std::size_t i = 0; i < n; ++i) groups.push_back({everyone[i], everyone[i + n]});
            if (everyone.size() % 2) groups.back().push_back(everyone.back());
        }
        if (groups.empty()) refuse(Error_code::invalid, "Give at least one pair.");
        json t = {{"mode", "pairs"}, {"half", 1}, {"half_s", half.value_or(0)}, {"pairs", groups}};
        t["speaking"] = json::array();
        t["listening"] = json::array();
        for (const auto& g : groups) {
            t["speaking"].push_back(g[0]);
            for (std::size_t i = 1; i < g.size(); ++i) t["listening"].push_back(g[i]);
        }
        start_timer(half.value_or(0));
        put_turns(std::move(t));
    }

private:
    Step& s_;
    const json turns_;
};

}  // namespace

void turns_reflecting_start(Step& s) { Turns(s).reflecting_start(); }
void turns_next(Step& s) { Turns(s).next(); }
void turns_stage(Step& s) { Turns(s).stage(); }
void turns_end(Step& s) { Turns(s).end(); }
void turns_round_start(Step& s) { Turns(s).round_start(); }
void turns_round_pass(Step& s) { Turns(s).round_step("passed"); }
void turns_round_done(Step& s) { Turns(s).round_step("done"); }
void turns_queue_start(Step& s) { Turns(s).queue_start(); }
void turns_floor_give(Step& s) { Turns(s).floor_give(); }
void turns_pairs_start(Step& s) { Turns(s).pairs_start(); }

}  // namespace keha::detail
