#pragma once
// Which of the server's templates (GET /api/templates) the new-meeting form starts with.
#include <cstddef>

#include "keha/json.hpp"

namespace keha::desk {

// The template the server marks `"default": true` (the one it uses when none is given),
// else the first; 0 for an empty list.
std::size_t default_template_index(const json& templates);

}  // namespace keha::desk
