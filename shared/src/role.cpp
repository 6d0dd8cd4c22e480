#include "keha/role.hpp"

namespace keha {

std::string_view to_string(Role role)
{
    switch (role) {
    case Role::facilitator: return "facilitator";
    case Role::participant: return "participant";
    case Role::screen: return "screen";
    case Role::server: return "server";
    }
    return "participant";
}

std::optional<Role> role_from_string(std::string_view text)
{
    for (Role r : {Role::facilitator, Role::participant, Role::screen, Role::server})
        if (to_string(r) == text) return r;
    return std::nullopt;
}

}  // namespace keha
