// What every store backend shares: the fold of a stored history into a state, and hashing.
#include "store.hpp"

#include <openssl/evp.h>

#include "replay.hpp"

namespace keha::server {

std::optional<Store::History> Store::state_at(const std::string& code, std::uint64_t seq)
{
    auto stored = history_at(code, seq);
    if (!stored) return std::nullopt;
    return History{stored->seq, stored->last_seq, fold(stored->snapshot.state, stored->ops).dump(),
                   std::move(stored->initial_phase)};
}

// ---- hashing ----------------------------------------------------------------------------

std::string sha256_hex(const std::string& text) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr) != 1)
        throw Store_error("SHA-256 failed (OpenSSL)");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        out.push_back(hex[digest[i] >> 4]);
        out.push_back(hex[digest[i] & 0x0f]);
    }
    return out;
}

}  // namespace keha::server
