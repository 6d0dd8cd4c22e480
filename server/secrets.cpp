#include "secrets.hpp"

#include <sys/random.h>

#include <array>
#include <cstdint>
#include <stdexcept>

#include "store.hpp"  // sha256_hex

namespace keha::server {
namespace {

void fill(void* data, std::size_t size)
{
    auto* p = static_cast<unsigned char*>(data);
    while (size > 0) {
        ssize_t n = getrandom(p, size, 0);
        if (n < 0) throw std::runtime_error("the kernel gave no random bytes");
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

}  // namespace

std::string random_secret()
{
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::array<unsigned char, 32> bytes{};
    fill(bytes.data(), bytes.size());
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (unsigned char b : bytes) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += alphabet[(acc >> bits) & 63];
        }
    }
    if (bits > 0) out += alphabet[(acc << (6 - bits)) & 63];
    return out;
}

std::uint32_t random_u32()
{
    std::uint32_t v = 0;
    fill(&v, sizeof v);
    return v;
}

bool same_secret(const std::string& a, const std::string& b)
{
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

bool key_matches(const std::string& key, const std::string& secret)
{
    return !key.empty() && same_secret(sha256_hex(key), sha256_hex(secret));
}

}  // namespace keha::server
