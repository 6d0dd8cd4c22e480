// The permission table of docs/protocol.md §6, role by role and command by command.
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <set>

#include "helpers.hpp"
#include "keha/permissions.hpp"

namespace keha::test {
namespace {

struct Allowed {
    bool facilitator, participant, screen, server;
};

// Written out from docs/protocol.md §6 ("who may"), not from the code: a screen may send no
// command; the server only its presence commands and participant.remove.
const std::map<std::string, Allowed>& protocol_table()
{
    static const std::map<std::string, Allowed> table = {
        {"item.add", {true, true, false, false}},
        {"item.edit", {true, true, false, false}},       // its author (reducer), facilitator
        {"item.move", {true, true, false, false}},       // its author (reducer), facilitator
        {"item.delete", {true, true, false, false}},     // its author (reducer), facilitator
        {"item.vote", {true, true, false, false}},
        {"item.reveal", {true, true, false, false}},     // its author (reducer), facilitator
        {"phase.goto", {true, false, false, false}},
        {"room.update", {true, false, false, false}},
        {"room.lock", {true, false, false, false}},
        {"room.close", {true, false, false, false}},
        {"timer.start", {true, false, false, false}},
        {"timer.pause", {true, false, false, false}},
        {"timer.resume", {true, false, false, false}},
        {"timer.reset", {true, false, false, false}},
        {"hand.raise", {true, true, false, false}},
        {"hand.lower", {true, true, false, false}},      // self; another's: facilitator (reducer)
        {"participant.rename", {true, true, false, false}},  // self
        {"participant.remove", {true, false, false, true}},
        {"participant.join", {false, false, false, true}},
        {"participant.online", {false, false, false, true}},
        {"participant.offline", {false, false, false, true}},
    };
    return table;
}

bool expected(const Allowed& a, Role role)
{
    switch (role) {
    case Role::facilitator: return a.facilitator;
    case Role::participant: return a.participant;
    case Role::screen: return a.screen;
    case Role::server: return a.server;
    }
    return false;
}

constexpr Role all_roles[] = {Role::facilitator, Role::participant, Role::screen, Role::server};

TEST(Permissions, KnownCommandsIncludeEveryProtocolCommandOnce)
{
    std::set<std::string> known;
    for (auto c : known_commands()) EXPECT_TRUE(known.insert(std::string(c)).second) << "duplicate " << c;
    for (const auto& [cmd, a] : protocol_table()) EXPECT_TRUE(known.count(cmd)) << cmd;
}

// The project's own commands (docs/protocol.md) follow the same two rules, and what a
// participant may do, a facilitator may do too.
TEST(Permissions, ExtensionCommandsAreForPeopleOnly)
{
    for (auto cmd : known_commands()) {
        if (protocol_table().count(std::string(cmd))) continue;
        // The server's own: it wrote or released held answers (docs/privacy.md).
        if (cmd == "ratings.stored" || cmd == "poll.tally" || cmd == "qa.publish") continue;
        EXPECT_FALSE(role_may(Role::screen, cmd)) << cmd;
        // The server ends a timed vote at its time (docs/protocol.md §8.5 "Grouping and voting").
        if (cmd != "vote.end") {
            EXPECT_FALSE(role_may(Role::server, cmd)) << cmd;
        }
        EXPECT_TRUE(role_may(Role::facilitator, cmd)) << cmd;
    }
    for (auto cmd : known_commands()) {
        if (role_may(Role::participant, cmd)) {
            EXPECT_TRUE(role_may(Role::facilitator, cmd)) << cmd;
        }
    }
}

TEST(Permissions, EveryRoleAndCommandPairMatchesTheProtocolTable)
{
    for (const auto& [cmd, allowed] : protocol_table())
        for (Role role : all_roles)
            EXPECT_EQ(role_may(role, cmd), expected(allowed, role)) << to_string(role) << " " << cmd;
}

TEST(Permissions, ScreenMayNoCommand)
{
    for (auto cmd : known_commands()) EXPECT_FALSE(role_may(Role::screen, cmd)) << cmd;
}

TEST(Permissions, ServerMayOnlyItsOwnCommandsAndRemove)
{
    std::set<std::string> server_may;
    for (auto cmd : known_commands())
        if (role_may(Role::server, cmd)) server_may.insert(std::string(cmd));
    EXPECT_EQ(server_may, (std::set<std::string>{"participant.join", "participant.online", "participant.offline",
                                                  "participant.remove", "ratings.stored", "vote.end", "qa.publish",
                                                  "poll.tally"}));
    EXPECT_FALSE(role_may(Role::facilitator, "ratings.stored"));
    EXPECT_FALSE(role_may(Role::participant, "ratings.stored"));
}

TEST(Permissions, UnknownCommandsAreAllowedToNobody)
{
    for (Role role : all_roles)
        for (const char* cmd : {"", "item", "item.add ", "ITEM.ADD", "item.destroy", "ping", "hello"})
            EXPECT_FALSE(role_may(role, cmd)) << to_string(role) << " '" << cmd << "'";
}

// The reducer answers every pair the table refuses with forbidden (not bad_request, which
// is for unknown commands), and leaves the state alone.
TEST(Permissions, ReducerRefusesEveryDisallowedPairWithForbidden)
{
    Room room;
    auto fac = room.join("F", "facilitator");
    auto p = room.join("P");
    auto s = room.join("S", "screen");
    const std::map<Role, std::string> pid_of = {
        {Role::facilitator, fac}, {Role::participant, p}, {Role::screen, s}, {Role::server, ""}};
    int refused = 0;
    for (const auto& [cmd, allowed] : protocol_table())
        for (Role role : all_roles) {
            if (expected(allowed, role)) continue;
            room.fails(Error_code::forbidden, Actor{pid_of.at(role), role}, cmd, json::object());
            ++refused;
        }
    EXPECT_EQ(refused, 21 * 4 - (18 + 9 + 0 + 4));
    for (auto cmd : known_commands())
        for (Role role : all_roles)
            if (!role_may(role, cmd)) room.fails(Error_code::forbidden, Actor{pid_of.at(role), role}, std::string(cmd), json::object());
}

TEST(Permissions, ReducerLetsEveryAllowedPairPastTheRoleCheck)
{
    for (auto cmd : known_commands())
        for (Role role : all_roles) {
            if (!role_may(role, cmd)) continue;
            Room room;
            auto fac = room.join("F", "facilitator");
            auto p = room.join("P");
            std::string pid = role == Role::facilitator ? fac : role == Role::participant ? p : "";
            // Missing or wrong arguments may fail, but never on the role.
            auto r = room.run(Actor{pid, role}, std::string(cmd), json::object());
            if (auto* e = std::get_if<Error>(&r)) {
                EXPECT_NE(e->code, Error_code::forbidden) << to_string(role) << " " << cmd << ": " << e->message;
            }
        }
}

TEST(Permissions, ForbiddenMessagesAreSentences)
{
    Room room;
    auto s = room.join("S", "screen");
    auto p = room.join("P");
    auto e1 = room.fails(Error_code::forbidden, Actor{s, Role::screen}, "hand.raise");
    auto e2 = room.fails(Error_code::forbidden, Actor{p, Role::participant}, "phase.goto", {{"phase", "plan"}});
    for (const auto& e : {e1, e2}) {
        ASSERT_FALSE(e.message.empty());
        EXPECT_TRUE(std::isupper(static_cast<unsigned char>(e.message.front()))) << e.message;
        EXPECT_EQ(e.message.back(), '.') << e.message;
    }
}

}  // namespace
}  // namespace keha::test
