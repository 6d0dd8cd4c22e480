#pragma once
#include <optional>
#include <string_view>

namespace keha {

enum class Role { facilitator, participant, screen, server };

std::string_view to_string(Role role);
std::optional<Role> role_from_string(std::string_view text);

// Who is acting: a participant id ("p3") and its role, or the server itself.
struct Actor {
    std::string_view pid;
    Role role;
};

}  // namespace keha
