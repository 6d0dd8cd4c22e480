#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace keha::server {

// 256 random bits from the kernel, as URL-safe base64 (43 characters).
std::string random_secret();
std::uint32_t random_u32();

// Constant-time comparison, for hashes of keys.
bool same_secret(const std::string& a, const std::string& b);
// Whether a key someone sent is `secret` (and not empty): hashes of both compared in constant
// time, so neither the secret's length nor its first wrong character shows in the time taken.
bool key_matches(const std::string& key, const std::string& secret);

}  // namespace keha::server
