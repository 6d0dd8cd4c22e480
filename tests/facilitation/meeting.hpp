#pragma once
// A room driven through keha::apply as the server drives it, with people already in it,
// and a check on every patch: applied to the state before, it gives the state after.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "keha/reducer.hpp"
#include "keha/state.hpp"
#include "keha/view.hpp"

namespace keha::test {

inline json read_template(const std::string& id)
{
    std::ifstream in(std::string(KEHA_SOURCE_ASSET_DIR) + "/templates/" + id + ".json");
    std::stringstream ss;
    ss << in.rdbuf();
    return json::parse(ss.str());
}

class Meeting {
public:
    Meeting()
    {
        Room_meta meta{"K7Q4MX", "Kehittämisen tiimi", "fi", "default", std::nullopt, "2026-11-23T09:00:00Z", std::nullopt};
        state = make_state(meta, read_template("default"));
    }

    json state;
    std::uint64_t seq = 0;
    std::int64_t now_ms = 1'795'000'000'000;

    std::variant<json, Error> run(const std::string& pid, Role role, const std::string& cmd, json args = json::object())
    {
        json before = state;
        auto r = apply(state, Actor{pid, role}, Command{cmd, std::move(args)}, Context{seq + 1, now_ms});
        if (auto* patch = std::get_if<json>(&r)) {
            ++seq;
            EXPECT_EQ(before.patch(*patch), state) << cmd << " made a patch that does not give its state";
        } else {
            EXPECT_EQ(before, state) << cmd << " failed but changed the state";
        }
        return r;
    }

    json ok(const std::string& pid, Role role, const std::string& cmd, json args = json::object())
    {
        auto r = run(pid, role, cmd, std::move(args));
        if (auto* e = std::get_if<Error>(&r)) {
            ADD_FAILURE() << cmd << " failed: " << e->message;
            return json::array();
        }
        return std::get<json>(r);
    }

    Error_code err(const std::string& pid, Role role, const std::string& cmd, json args = json::object())
    {
        auto r = run(pid, role, cmd, std::move(args));
        if (auto* e = std::get_if<Error>(&r)) return e->code;
        ADD_FAILURE() << cmd << " was accepted but should have failed";
        return Error_code::bad_request;
    }

    // A new person: the server's participant.join; returns the id.
    std::string join(const std::string& name, const std::string& group, const std::string& role = "participant")
    {
        ok("server", Role::server, "participant.join", {{"name", name}, {"group", group}, {"role", role}});
        now_ms += 1000;
        return participant_id_for(seq);
    }

    // Facilitator shorthands.
    json f(const std::string& cmd, json args = json::object()) { return ok(fac, Role::facilitator, cmd, std::move(args)); }
    json p(const std::string& pid, const std::string& cmd, json args = json::object())
    {
        return ok(pid, Role::participant, cmd, std::move(args));
    }

    const json& turns() const { return state["turns"]; }

    std::string fac = "p0";
};

// A meeting with a facilitator, three professionals and two leaders.
class Team : public Meeting {
public:
    Team()
    {
        fac = join("Ohjaaja", "other", "facilitator");
        pro = {join("Aino", "professional"), join("Eero", "professional"), join("Kaisa", "professional")};
        lead = {join("Liisa", "leader"), join("Matti", "leader")};
    }
    std::vector<std::string> pro, lead;
};

inline json ids(const std::vector<std::string>& v) { return json(v); }

}  // namespace keha::test
