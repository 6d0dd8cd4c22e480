#pragma once
#include <cstdint>
#include <string>

namespace keha::server {

// 256 random bits from the kernel, as URL-safe base64 (43 characters).
std::string random_secret();
std::uint32_t random_u32();

// Constant-time comparison, for hashes of keys.
bool same_secret(const std::string& a, const std::string& b);

}  // namespace keha::server
