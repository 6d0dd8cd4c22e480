#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace keha {

// Upper-case letters and digits without the look-alikes 0/O and 1/I/L.
inline constexpr std::string_view code_alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
// New rooms get eight characters (31^8 ≈ 8.5·10^11 codes: too many to guess at the rate the
// server allows, docs/security.md); rooms made before keep their six.
inline constexpr std::size_t code_length = 8;
inline constexpr std::size_t legacy_code_length = 6;

// "k7q4-mxp2" -> "K7Q4MXP2", "k7q-4mx" -> "K7Q4MX"; nullopt when it is not a well-formed code
// (eight or six characters, with at most one dash, between the two halves).
std::optional<std::string> normalize_code(std::string_view text);

// A fresh code of code_length; `random` returns uniformly distributed 32-bit values.
std::string make_code(const std::function<std::uint32_t()>& random);

}  // namespace keha
