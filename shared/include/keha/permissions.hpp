#pragma once
#include <span>
#include <string_view>

#include "keha/role.hpp"

namespace keha {

// Which roles may send a command at all, as the command table (keha/commands.hpp) says;
// ownership rules (an item's author) are the handlers' business.
bool role_may(Role role, std::string_view cmd);

// Every command the reducer knows, client and server commands alike.
std::span<const std::string_view> known_commands();

}  // namespace keha
