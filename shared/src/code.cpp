#include "keha/code.hpp"

namespace keha {

std::optional<std::string> normalize_code(std::string_view text)
{
    std::string code;
    std::optional<std::size_t> dash_at;  // characters before the dash
    for (char c : text) {
        if (c == '-') {
            if (dash_at) return std::nullopt;
            dash_at = code.size();
            continue;
        }
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (code_alphabet.find(c) == std::string_view::npos) return std::nullopt;
        code.push_back(c);
        if (code.size() > code_length) return std::nullopt;
    }
    if (code.size() != code_length && code.size() != legacy_code_length) return std::nullopt;
    if (dash_at && *dash_at != code.size() / 2) return std::nullopt;
    return code;
}

std::string make_code(const std::function<std::uint32_t()>& random)
{
    const auto n = static_cast<std::uint32_t>(code_alphabet.size());
    // Rejection sampling keeps every letter equally likely.
    const std::uint32_t limit = UINT32_MAX - UINT32_MAX % n;
    std::string code;
    while (code.size() < code_length) {
        std::uint32_t r = random();
        if (r >= limit) continue;
        code.push_back(code_alphabet[r % n]);
    }
    return code;
}

}  // namespace keha
