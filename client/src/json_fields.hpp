#pragma once
// Reading the server's JSON defensively: a field of an unexpected type reads as its fallback,
// so no message can make the client throw (tests/fuzz/fuzz_client_patch.cpp).
#include <cmath>
#include <cstdint>
#include <string>

#include "keha/json.hpp"
#include "keha/json_access.hpp"

namespace keha::desk {

// A string field, or "" when absent or not a string: libkeha's one reader (keha/json_access.hpp).
inline std::string text_field(const json& object, const char* key) { return keha::string_field(object, key); }

inline std::int64_t number_or(const json& object, const char* key, std::int64_t fallback)
{
    if (!object.is_object()) return fallback;
    auto it = object.find(key);
    if (it == object.end() || !it->is_number()) return fallback;
    if (it->is_number_integer()) return it->get<std::int64_t>();
    const double d = it->get<double>();
    // Beyond ±2^62 (or not finite) is no time or count of ours.
    return std::isfinite(d) && std::fabs(d) < 4.6e18 ? static_cast<std::int64_t>(d) : fallback;
}

inline int whole(const json& object, const char* key, int fallback)
{
    const std::int64_t n = number_or(object, key, fallback);
    return n >= INT32_MIN && n <= INT32_MAX ? static_cast<int>(n) : fallback;
}

inline bool flag(const json& object, const char* key, bool fallback)
{
    if (!object.is_object()) return fallback;
    auto it = object.find(key);
    return it != object.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

}  // namespace keha::desk
