#include "keha/permissions.hpp"

#include <vector>

#include "keha/commands.hpp"

namespace keha {

bool role_may(Role role, std::string_view cmd)
{
    const Command_spec* spec = find_command(cmd);
    return spec && spec->roles.has(role);
}

std::span<const std::string_view> known_commands()
{
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> out;
        for (const auto& spec : command_table()) out.push_back(spec.name);
        return out;
    }();
    return names;
}

}  // namespace keha
