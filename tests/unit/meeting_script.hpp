#pragma once
// A meeting driven through keha::apply as the server runs it, recording its op log (times and
// patches) so the notes can show start, end and time per phase. The clock only moves when the
// script moves it, so rendered notes are the same on every run (golden files).
#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <variant>

#include "keha/notes.hpp"
#include "keha/reducer.hpp"
#include "keha/state.hpp"

namespace keha::test {

class Meeting {
public:
    Meeting(const Room_meta& meta, const json& room_template, std::int64_t start_ms)
        : state(make_state(meta, room_template)), first_phase(state["phase"].get<std::string>()), now_ms(start_ms)
    {
    }

    json state;
    std::string first_phase;
    std::uint64_t seq = 0;
    std::int64_t now_ms;
    std::vector<Op_time> ops;

    static constexpr Actor server{"server", Role::server};

    std::variant<json, Error> run(const Actor& actor, const std::string& cmd, json args = json::object(),
                                  const json* server_input = nullptr)
    {
        Context ctx{seq + 1, now_ms, server_input};
        auto r = apply(state, actor, Command{cmd, std::move(args)}, ctx);
        if (auto* patch = std::get_if<json>(&r)) {
            ++seq;
            ops.push_back({now_ms, patch->dump()});
        }
        return r;
    }

    json ok(const Actor& actor, const std::string& cmd, json args = json::object(), const json* server_input = nullptr)
    {
        auto r = run(actor, cmd, args, server_input);
        if (auto* e = std::get_if<Error>(&r)) {
            ADD_FAILURE() << cmd << " " << args.dump() << " failed: " << to_string(e->code) << ": " << e->message;
            return json::array();
        }
        return std::get<json>(r);
    }

    Error_code fails(const Actor& actor, const std::string& cmd, json args = json::object(), const json* server_input = nullptr)
    {
        const std::string before = state.dump();
        auto r = run(actor, cmd, args, server_input);
        EXPECT_EQ(state.dump(), before) << cmd << " changed the state on error";
        if (auto* e = std::get_if<Error>(&r)) return e->code;
        ADD_FAILURE() << cmd << " " << args.dump() << " succeeded";
        return Error_code::bad_request;
    }

    Actor join(const std::string& name, const std::string& group, const std::string& role = "participant")
    {
        ok(server, "participant.join", {{"name", name}, {"group", group}, {"role", role}});
        pids.push_back(participant_id_for(seq));
        return Actor{pids.back(), role == "facilitator" ? Role::facilitator : Role::participant};
    }

    std::string add(const Actor& actor, const std::string& board, const std::string& column, const std::string& text,
                    json extra = json::object())
    {
        json args = {{"board", board}, {"column", column}, {"text", text}};
        args.update(extra);
        ok(actor, "item.add", args);
        return "i" + std::to_string(seq);
    }

    void minutes(int m) { now_ms += m * 60'000LL; }

    Notes_options notes_options() const
    {
        Notes_options o;
        o.times = meeting_times(first_phase, ops);
        return o;
    }

    std::deque<std::string> pids;  // keeps the Actors' pid views alive (a deque never moves them)
};

}  // namespace keha::test
