#include "keha/i18n.hpp"

namespace keha {

std::string tr(const json& catalog, std::string_view key)
{
    if (catalog.is_object()) {
        auto it = catalog.find(key);
        if (it != catalog.end() && it->is_string()) return it->get<std::string>();
    }
    return std::string(key);
}

bool is_language(std::string_view text)
{
    for (auto l : languages)
        if (l == text) return true;
    return false;
}

}  // namespace keha
