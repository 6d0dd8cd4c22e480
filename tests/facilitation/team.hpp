#pragma once
// The facilitation suites' meeting: the one libkeha fixture (tests/libkeha/meeting.hpp) in
// Finnish, with a facilitator, three professionals and two leaders, and shorthands that name
// the actor by id and role. Each join moves the clock a second, so hands and queues have an order.
#include <string>
#include <vector>

#include "keha/view.hpp"
#include "libkeha/meeting.hpp"

namespace keha::test {

inline Room_meta team_meta()
{
    Room_meta meta = test_meta("fi");
    meta.title = "Kehittämisen tiimi";
    return meta;
}

class Team : public Meeting {
public:
    Team() : Meeting(team_meta())
    {
        fac = join("Ohjaaja", "other", "facilitator");
        pro = {join("Aino", "professional"), join("Eero", "professional"), join("Kaisa", "professional")};
        lead = {join("Liisa", "leader"), join("Matti", "leader")};
    }

    using Meeting::ok;
    json ok(const std::string& pid, Role role, const std::string& cmd, json args = json::object())
    {
        return Meeting::ok(Actor{pid, role}, cmd, std::move(args));
    }

    Error_code err(const std::string& pid, Role role, const std::string& cmd, json args = json::object())
    {
        return refusal(Actor{pid, role}, cmd, std::move(args));
    }

    // A new person: the server's participant.join; their id.
    std::string join(const std::string& name, const std::string& group, const std::string& role = "participant")
    {
        std::string pid(Meeting::join(name, group, role).pid);
        now_ms += 1000;
        return pid;
    }

    // The facilitator's command, and a participant's.
    json f(const std::string& cmd, json args = json::object()) { return ok(fac, Role::facilitator, cmd, std::move(args)); }
    json p(const std::string& pid, const std::string& cmd, json args = json::object())
    {
        return ok(pid, Role::participant, cmd, std::move(args));
    }

    const json& turns() const { return state["turns"]; }

    std::string fac;
    std::vector<std::string> pro, lead;
};

inline json ids(const std::vector<std::string>& v) { return json(v); }

}  // namespace keha::test
