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

std::string localized(const json& text, std::string_view language)
{
    if (text.is_string()) return text.get<std::string>();
    if (!text.is_object()) return {};
    auto it = text.find(language);
    if (it != text.end() && it->is_string()) return it->get<std::string>();
    it = text.find("fi");
    return it != text.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool is_localized(const json& text)
{
    if (text.is_string()) return true;
    if (!text.is_object() || !text.contains("fi")) return false;
    for (const auto& [lang, t] : text.items())
        if (!is_language(lang) || !t.is_string()) return false;
    return true;
}

}  // namespace keha
