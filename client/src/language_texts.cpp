#include "language_texts.hpp"

#include "keha/i18n.hpp"
#include "keha/json_access.hpp"
#include "keha/sectors.hpp"

namespace keha::desk {

std::string text_in_language(const Strings& str, const json& object, const char* key)
{
    if (!object.is_object()) return {};
    auto it = object.find(key);
    return it == object.end() ? std::string() : keha::localized(*it, str.lang());
}

std::string sector_text(const Strings& str, const json& item)
{
    const std::string sector = keha::string_field(item, "sector");
    auto label = keha::sector_label_key(sector);
    return label ? std::string(str(*label)) : keha::sector_key(sector);
}

std::string sector_value(const Strings& str, const std::string& typed)
{
    const std::string sector = keha::sector_key(typed);
    for (auto key : keha::sector_keys)
        if (sector == str("sector." + std::string(key))) return std::string(key);
    return sector;
}

}  // namespace keha::desk
