#pragma once
// A seeded generator of command sequences: several actors (a facilitator, participants,
// a screen and the server) send every known command, mostly with sensible arguments and
// sometimes with wrong ones, against a room whose clock moves on.
#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "keha/permissions.hpp"
#include "keha/role.hpp"
#include "keha/state.hpp"

namespace keha::test {

// The commands of docs/protocol.md §6, client and server ones.
inline const std::vector<std::string> core_commands = {
    "item.add",    "item.edit",   "item.move",   "item.delete",   "item.vote",     "item.reveal",
    "phase.goto",  "room.update", "room.lock",   "room.close",    "timer.start",   "timer.pause",
    "timer.resume", "timer.reset", "hand.raise", "hand.lower",    "participant.rename",
    "participant.remove", "participant.join", "participant.online", "participant.offline"};

inline bool is_core_command(std::string_view cmd)
{
    return std::find(core_commands.begin(), core_commands.end(), cmd) != core_commands.end();
}

struct Step {
    std::string actor;
    Role role;
    std::string cmd;
    json args;
    Context context;      // the seq and clock it ran with
    json before;          // the state before the command
    bool accepted = false;
    json patch;           // when accepted
    Error error{};        // when rejected
};

class Random_room {
public:
    explicit Random_room(unsigned seed) : rng_(seed)
    {
        facilitator = room.join("Fasilitaattori", "facilitator", "leader");
        screen = room.join("Valkokangas", "screen", "other");
        for (const char* name : {"Aino", "Bertil", "Chidi"}) people.push_back(room.join(name, "participant", pick_group()));
    }

    Room room;
    std::string facilitator, screen;
    std::vector<std::string> people;  // participants (not the facilitator)
    bool allow_close = false;
    bool extensions = false;  // also send the project's own commands beyond docs/protocol.md §6

    Step step()
    {
        room.now_ms += uniform(0, 4000);
        Step s;
        pick_actor(s);
        s.cmd = pick_command();
        s.args = args_for(s.cmd);
        if (chance(0.03)) s.args["bogus"] = true;  // strict arguments: invalid
        return run(std::move(s));
    }

    // One scripted command among the random ones.
    Step step(const std::string& actor, Role role, const std::string& cmd, json args = json::object())
    {
        Step s;
        s.actor = actor;
        s.role = role;
        s.cmd = cmd;
        s.args = std::move(args);
        return run(std::move(s));
    }

    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }

    template <typename T>
    const T& pick(const std::vector<T>& v)
    {
        return v[static_cast<std::size_t>(uniform(0, static_cast<int>(v.size()) - 1))];
    }

    std::string text(int min, int max)
    {
        static const std::vector<std::string> pieces = {"a", "b", "Z", " ", "ä", "ö", "Å", "😀", "<", ">", "|",
                                                        "#", "*", "~", "/", "\"", "&", "\n", "1", "é"};
        std::string s;
        int n = uniform(min, max);
        for (int i = 0; i < n; ++i) s += pick(pieces);
        return s;
    }

private:
    Step run(Step s)
    {
        s.before = room.state;
        s.context = Context{room.seq + 1, room.now_ms};
        Actor actor{s.actor, s.role};
        auto r = room.run(actor, s.cmd, s.args);
        if (auto* p = std::get_if<json>(&r)) {
            s.accepted = true;
            s.patch = *p;
            if (s.cmd == "participant.join" && s.args.value("role", "") == "participant")
                people.push_back(participant_id_for(room.seq));
        } else {
            s.error = std::get<Error>(r);
        }
        return s;
    }

    std::string pick_group()
    {
        static const std::vector<std::string> groups = {"professional", "leader", "expert", "other"};
        return pick(groups);
    }

    void pick_actor(Step& s)
    {
        int r = uniform(0, 99);
        if (r < 8) { s.actor = ""; s.role = Role::server; return; }
        if (r < 12) s.actor = screen;
        else if (r < 35) s.actor = facilitator;
        else s.actor = pick(people);
        // The role the room knows for this participant (a co-facilitator acts as one).
        const json& me = room.state.at("participants").at(s.actor);
        s.role = role_from_string(me.value("role", "participant")).value_or(Role::participant);
    }

    std::string pick_command()
    {
        if (chance(0.01)) return "item.explode";  // unknown: bad_request
        if (extensions && chance(0.12)) {
            std::vector<std::string> ext;
            // The project's commands people send (the server's own, like ratings.stored, are
            // the server's to send at its moments).
            for (auto c : known_commands())
                if (!is_core_command(c) && (role_may(Role::facilitator, c) || role_may(Role::participant, c)))
                    ext.emplace_back(c);
            if (!ext.empty()) return pick(ext);
        }
        std::vector<std::string> cmds;
        for (auto c : core_commands)
            if (c != "room.close" || allow_close) cmds.emplace_back(c);
        // Item commands are what a meeting is mostly made of.
        for (int i = 0; i < 3; ++i)
            for (const char* c : {"item.add", "item.edit", "item.vote", "item.move"}) cmds.emplace_back(c);
        for (const char* c : {"item.add", "item.reveal", "item.delete"}) cmds.emplace_back(c);
        return pick(cmds);
    }

    std::string pick_phase()
    {
        const auto& phases = room.state["phases"];
        if (phases.empty() || chance(0.05)) return "nope";
        return phases[static_cast<std::size_t>(uniform(0, static_cast<int>(phases.size()) - 1))]["id"].get<std::string>();
    }

    std::string pick_board()
    {
        if (chance(0.02)) return "whiteboard";
        return board_names[uniform(0, 3)];
    }

    std::string pick_item(const std::string& board)
    {
        if (chance(0.05) || !is_board(board)) return "i999999";
        const auto& items = room.state["boards"][board]["items"];
        if (items.empty()) return "i999999";
        auto it = items.begin();
        std::advance(it, uniform(0, static_cast<int>(items.size()) - 1));
        return it.key();
    }

    std::string pick_person()
    {
        if (chance(0.05)) return "p999999";
        if (chance(0.2)) return facilitator;
        return pick(people);
    }

    void board_fields_into(const std::string& board, json& args, double p)
    {
        if (!is_board(board)) return;
        for (auto f : board_fields(board)) {
            if (!chance(p)) continue;
            if (f == "status") {
                static const std::vector<std::string> statuses = {"proposed", "agreed", "done"};
                args["status"] = chance(0.05) ? std::string("maybe") : pick(statuses);
            } else {
                args[std::string(f)] = text(0, 12);
            }
        }
    }

    json args_for(const std::string& cmd)
    {
        json a = json::object();
        if (cmd == "item.add") {
            std::string board = pick_board();
            a["board"] = board;
            auto cols = board_columns(board);
            a["column"] = cols.empty() || chance(0.03) ? std::string("nowhere")
                                                        : std::string(cols[uniform(0, static_cast<int>(cols.size()) - 1)]);
            a["text"] = chance(0.02) ? std::string() : text(1, 30);
            if (chance(0.6)) a["hidden"] = chance(0.5);
            board_fields_into(board, a, 0.5);
        } else if (cmd == "item.edit") {
            std::string board = pick_board();
            a["board"] = board;
            a["id"] = pick_item(board);
            if (chance(0.6)) a["text"] = text(1, 30);
            board_fields_into(board, a, 0.3);
        } else if (cmd == "item.move") {
            std::string board = pick_board();
            a["board"] = board;
            a["id"] = pick_item(board);
            auto cols = board_columns(board);
            if (chance(0.5) && !cols.empty()) a["column"] = std::string(cols[uniform(0, static_cast<int>(cols.size()) - 1)]);
            if (chance(0.5)) a["order"] = uniform(-100, 100) / 4.0;
        } else if (cmd == "item.delete" || cmd == "item.vote") {
            std::string board = pick_board();
            a["board"] = board;
            a["id"] = pick_item(board);
        } else if (cmd == "item.reveal") {
            std::string board = pick_board();
            a["board"] = board;
            if (chance(0.5)) a["id"] = pick_item(board);
        } else if (cmd == "phase.goto") {
            a["phase"] = pick_phase();
        } else if (cmd == "room.update") {
            if (chance(0.7)) a["title"] = text(1, 20);
        } else if (cmd == "room.lock") {
            a["locked"] = chance(0.5);
        } else if (cmd == "timer.start") {
            a["duration_s"] = chance(0.05) ? 0 : uniform(1, 14400);
        } else if (cmd == "hand.lower") {
            if (chance(0.5)) a["pid"] = pick_person();
        } else if (cmd == "participant.rename") {
            a["name"] = text(1, 20);
        } else if (cmd == "participant.remove") {
            // Rarely, so that the room keeps its people.
            a["pid"] = chance(0.2) ? pick_person() : std::string("p999999");
        } else if (cmd == "participant.join") {
            a["name"] = text(1, 20);
            a["group"] = pick_group();
            a["role"] = chance(0.8) ? "participant" : "screen";
        } else if (cmd == "participant.online" || cmd == "participant.offline") {
            a["pid"] = pick_person();
        } else if (!is_core_command(cmd)) {
            extension_args(cmd, a);
        }
        return a;
    }

    // Plausible arguments for the project's own commands (docs/protocol.md); the checks
    // that use them hold for any command, so nothing here needs to be exact.
    void extension_args(const std::string& cmd, json& a)
    {
        if (cmd == "room.settings") {
            for (const char* flag : {"hide_names", "admit_joiners", "moderated", "votes_visible", "consent_required"})
                if (chance(0.3)) a[flag] = chance(0.5);
            if (chance(0.3)) a["vote_limit"] = uniform(0, 3);
        } else if (cmd == "participant.role") {
            a["pid"] = pick_person();
            a["role"] = chance(0.5) ? "facilitator" : "participant";
        } else if (cmd == "participant.admit") {
            a["pid"] = pick_person();
        } else if (cmd == "consent.record") {
            a["given_by"] = text(1, 10);
            a["scope"] = text(1, 20);
        } else if (cmd == "item.approve" || cmd == "item.decline") {
            std::string board = pick_board();
            a["board"] = board;
            a["id"] = pick_item(board);
            if (cmd == "item.decline" && chance(0.5)) a["reason"] = text(0, 10);
        } else if (cmd == "phase.add") {
            a["title"] = text(1, 10);
            if (chance(0.5)) a["board"] = pick_board();
            if (chance(0.5)) a["after"] = pick_phase();
            if (chance(0.3)) a["timebox_s"] = uniform(0, 600);
        } else if (cmd == "phase.remove") {
            a["phase"] = pick_phase();
        } else if (cmd == "phase.move") {
            a["phase"] = pick_phase();
            a["index"] = uniform(0, 8);
        } else if (cmd == "turns.stage") {
            static const std::vector<std::string> stages = {"conversation", "reflection", "response", "nap"};
            a["stage"] = pick(stages);
        } else if (cmd == "turns.floor.give") {
            if (chance(0.7)) a["pid"] = pick_person();
        } else if (cmd == "turns.round.start") {
            if (chance(0.5)) a["shuffle"] = chance(0.5);
        }
    }

    std::mt19937 rng_;
};

}  // namespace keha::test
