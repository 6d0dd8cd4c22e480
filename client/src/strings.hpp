#pragma once
// UI strings: keys into assets/i18n/<lang>.json, looked up with keha::tr and kept, so a
// frame asks for a label without building a string.
#include <string>
#include <string_view>
#include <unordered_map>

#include "keha/json.hpp"

namespace keha::desk {

class Strings {
public:
    // Loads <assets>/i18n/<lang>.json; false (and keys shown as themselves) when missing.
    bool load(const std::string& assets_dir, const std::string& lang);
    const std::string& lang() const { return lang_; }
    const char* operator()(std::string_view key) const;
    // "{n}" in the text replaced by `value`.
    std::string format(std::string_view key, std::string_view name, std::string_view value) const;

private:
    json catalog_ = json::object();
    std::string lang_ = "fi";
    mutable std::unordered_map<std::string, std::string> cache_;
};

// Where the assets are: --assets / $KEHA_ASSETS, next to an installed binary, else the
// source tree the binary was built from.
std::string find_assets_dir(const std::string& preferred);

}  // namespace keha::desk
