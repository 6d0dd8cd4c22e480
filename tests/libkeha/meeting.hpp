#pragma once
// The one libkeha test fixture (the unit, facilitation and client suites): a meeting driven
// through keha::apply as the server drives it. Every accepted command takes the next seq and
// goes to the op log (time and patch); the clock moves only when a test moves it, so rendered
// notes are the same on every run. Each command is checked as the server relies on it:
//   - accepted: its patch, applied to the state before, gives the state after;
//   - refused: the state is unchanged byte for byte and the seq does not move.
#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "keha/error.hpp"
#include "keha/json.hpp"
#include "keha/notes.hpp"
#include "keha/reducer.hpp"
#include "keha/state.hpp"

namespace keha::test {

// The shipped assets, read from the source tree (KEHA_SOURCE_ASSET_DIR, set by the suite).
inline std::string asset_path(const std::string& relative) { return std::string(KEHA_SOURCE_ASSET_DIR) + "/" + relative; }

inline json load_json(const std::string& path)
{
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    return json::parse(ss.str());
}

inline json read_template(const std::string& id) { return load_json(asset_path("templates/" + id + ".json")); }
inline json default_template() { return read_template("default"); }
inline json catalog(const std::string& lang) { return load_json(asset_path("i18n/" + lang + ".json")); }

inline Room_meta test_meta(const std::string& language = "en")
{
    Room_meta meta;
    meta.code = "K7Q4MX";
    meta.title = "Team meeting";
    meta.language = language;
    meta.template_id = "default";
    meta.created_at = "2026-11-23T09:00:00Z";
    return meta;
}

// A meeting of the process "proc1" held by the given team.
inline Room_meta process_meta(const std::string& code, const std::string& title, const std::string& team)
{
    Room_meta meta = test_meta("en");
    meta.code = code;
    meta.title = title;
    meta.process = "proc1";
    meta.team = team;
    return meta;
}

using Outcome = std::variant<json, Error>;

// "cmd {args}" for a failure message; bytes that are not UTF-8 (a test may send them) show as U+FFFD.
inline std::string describe(const std::string& cmd, const json& args)
{
    return cmd + " " + args.dump(-1, ' ', false, json::error_handler_t::replace);
}

inline constexpr std::int64_t test_start_ms = 1'795'000'000'000;  // 2026-11-18

class Meeting {
public:
    explicit Meeting(const Room_meta& meta = test_meta(), const json& room_template = default_template(),
                     std::int64_t start_ms = test_start_ms)
        : state(make_state(meta, room_template)), first_phase(state["phase"].get<std::string>()), now_ms(start_ms)
    {
    }

    json state;
    std::string first_phase;
    std::uint64_t seq = 0;
    std::int64_t now_ms;
    std::vector<Op_time> ops;
    Column_ends* column_ends = nullptr;  // as a server's room keeps them, when a test sets it

    static constexpr Actor server{"server", Role::server};

    Outcome run(const Actor& actor, const std::string& cmd, json args = json::object(),
                const json* server_input = nullptr)
    {
        const json before = state;
        const std::string said = describe(cmd, args);
        auto r = apply(state, actor, Command{cmd, std::move(args)}, Context{seq + 1, now_ms, server_input, column_ends});
        if (auto* patch = std::get_if<json>(&r)) {
            ++seq;
            ops.push_back({now_ms, patch->dump()});
            EXPECT_EQ(before.patch(*patch), state) << said << " made a patch that does not give its state";
        } else {
            EXPECT_EQ(before.dump(), state.dump()) << said << " failed but changed the state";
        }
        return r;
    }

    // A command that must succeed; its patch.
    json ok(const Actor& actor, const std::string& cmd, json args = json::object(), const json* server_input = nullptr)
    {
        const std::string said = describe(cmd, args);
        auto r = run(actor, cmd, std::move(args), server_input);
        if (auto* e = std::get_if<Error>(&r)) {
            ADD_FAILURE() << said << " failed: " << to_string(e->code) << ": " << e->message;
            return json::array();
        }
        return std::get<json>(r);
    }

    // A command that must be refused with `code` and a message a person can read.
    Error fails(Error_code code, const Actor& actor, const std::string& cmd, json args = json::object(),
                const json* server_input = nullptr)
    {
        const std::string said = describe(cmd, args);
        auto r = run(actor, cmd, std::move(args), server_input);
        if (auto* e = std::get_if<Error>(&r)) {
            EXPECT_EQ(to_string(e->code), to_string(code)) << said << ": " << e->message;
            EXPECT_FALSE(e->message.empty()) << said;
            return *e;
        }
        ADD_FAILURE() << said << " succeeded, expected " << to_string(code);
        return Error{code, ""};
    }

    // A command that must be refused; the code it was refused with.
    Error_code refusal(const Actor& actor, const std::string& cmd, json args = json::object(),
                       const json* server_input = nullptr)
    {
        const std::string said = describe(cmd, args);
        auto r = run(actor, cmd, std::move(args), server_input);
        if (auto* e = std::get_if<Error>(&r)) return e->code;
        ADD_FAILURE() << said << " was accepted but should have failed";
        return Error_code::bad_request;
    }

    // A new person (the server's participant.join), as whom a test acts.
    Actor join(const std::string& name, const std::string& group, const std::string& role = "participant")
    {
        ok(server, "participant.join", {{"name", name}, {"group", group}, {"role", role}});
        pids.push_back(participant_id_for(seq));
        return Actor{pids.back(), role == "facilitator" ? Role::facilitator
                                  : role == "screen"    ? Role::screen
                                                        : Role::participant};
    }

    // Adds an item; its id.
    std::string add(const Actor& actor, const std::string& board, const std::string& column, const std::string& text,
                    json extra = json::object())
    {
        json args = {{"board", board}, {"column", column}, {"text", text}};
        args.update(extra);
        ok(actor, "item.add", args);
        return "i" + std::to_string(seq);
    }

    void minutes(int m) { now_ms += m * 60'000LL; }

    // The notes' phase times, from the op log.
    Notes_options notes_options() const
    {
        Notes_options o;
        o.times = meeting_times(first_phase, ops);
        return o;
    }

    const json& item(const std::string& board, const std::string& id) const
    {
        return state.at("boards").at(board).at("items").at(id);
    }
    const json& participant(const std::string& pid) const { return state.at("participants").at(pid); }

    std::deque<std::string> pids;  // keeps the Actors' pid views alive (a deque never moves them)
};

}  // namespace keha::test
