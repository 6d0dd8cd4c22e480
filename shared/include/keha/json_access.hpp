#pragma once
// Reading a field of a JSON document that came from elsewhere (a state, a notes file, a
// server answer) without throwing: a missing field, or one of another type, reads as empty.
#include <string>
#include <string_view>

#include "keha/json.hpp"

namespace keha {

// The string at `key` of `object`; "" when `object` is no object or the field is missing
// or not a string.
inline std::string string_field(const json& object, std::string_view key)
{
    if (!object.is_object()) return {};
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace keha
