#pragma once
// Shared helpers of the libkeha unit tests, on the one libkeha fixture (tests/libkeha/meeting.hpp).
#include <string>

#include "libkeha/meeting.hpp"

namespace keha::test {

// A string of n copies of one UTF-8 character.
inline std::string repeat(const std::string& ch, std::size_t n)
{
    std::string s;
    s.reserve(ch.size() * n);
    for (std::size_t i = 0; i < n; ++i) s += ch;
    return s;
}

// A room in the given language whose people join by role first (the unit tests' habit).
class Room : public Meeting {
public:
    explicit Room(const std::string& language = "en") : Meeting(test_meta(language)) {}

    // participant.join by the server; the new participant's id.
    std::string join(const std::string& name, const std::string& role = "participant",
                     const std::string& group = "professional")
    {
        return std::string(Meeting::join(name, group, role).pid);
    }
};

// A room with a facilitator, two participants and a projector, as most tests need.
class Four_people : public ::testing::Test {
protected:
    void SetUp() override
    {
        fac_id = room.join("Fia", "facilitator", "leader");
        a_id = room.join("Aino");
        b_id = room.join("Bertil", "participant", "expert");
        screen_id = room.join("Screen", "screen", "other");
    }

    Actor fac() const { return {fac_id, Role::facilitator}; }
    Actor a() const { return {a_id, Role::participant}; }
    Actor b() const { return {b_id, Role::participant}; }
    Actor screen() const { return {screen_id, Role::screen}; }

    Room room;
    std::string fac_id, a_id, b_id, screen_id;
};

}  // namespace keha::test
