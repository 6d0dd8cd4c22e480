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
    // "{name}" in the text replaced by `value`.
    std::string format(std::string_view key, std::string_view name, std::string_view value) const;
    // A counted text: the catalog's "<key>.one" or "<key>.other" by the language's plural
    // form of n ("<key>.other" when the form has no text), with "{n}" replaced by n. The
    // same entries the browser's tn() reads.
    std::string count(std::string_view key, long long n) const;

private:
    json catalog_ = json::object();
    std::string lang_ = "fi";
    mutable std::unordered_map<std::string, std::string> cache_;
};

// The plural form of n in a language, named as the catalogs and the browser's Intl.PluralRules
// name them. Finnish, Swedish and English: "one" for 1, "other" for everything else (0 too).
std::string_view plural_form(std::string_view lang, long long n);

// Every "{name}" in `text` replaced by `value`.
std::string fill_in(std::string text, std::string_view name, std::string_view value);

// What an item.import brought, from its ack's "imported" ({column: n}): "Brought 5 timeline
// events, 3 actions, 2 hinderers.", or that everything had been brought before.
std::string import_summary_text(const Strings& str, const json& imported);

// Where the assets are: --assets / $KEHA_ASSETS, next to an installed binary, else the
// source tree the binary was built from.
std::string find_assets_dir(const std::string& preferred);

}  // namespace keha::desk
