#include "strings.hpp"

#include <filesystem>
#include <fstream>

#include "keha/i18n.hpp"

namespace keha::desk {

bool Strings::load(const std::string& assets_dir, const std::string& lang)
{
    lang_ = keha::is_language(lang) ? lang : "fi";
    cache_.clear();
    catalog_ = json::object();
    std::ifstream in(std::filesystem::path(assets_dir) / "i18n" / (lang_ + ".json"));
    if (!in) return false;
    json catalog = json::parse(in, nullptr, false);
    if (!catalog.is_object()) return false;
    catalog_ = std::move(catalog);
    return true;
}

const char* Strings::operator()(std::string_view key) const
{
    auto it = cache_.find(std::string(key));
    if (it == cache_.end()) it = cache_.emplace(std::string(key), keha::tr(catalog_, key)).first;
    return it->second.c_str();
}

std::string Strings::format(std::string_view key, std::string_view name, std::string_view value) const
{
    return fill_in((*this)(key), name, value);
}

std::string Strings::count(std::string_view key, long long n) const
{
    std::string form = std::string(key) + "." + std::string(plural_form(lang_, n));
    auto it = catalog_.find(form);
    if (it == catalog_.end() || !it->is_string()) form = std::string(key) + ".other";
    return fill_in((*this)(form), "n", std::to_string(n));
}

std::string_view plural_form(std::string_view /*lang*/, long long n)
{
    // The catalogs' three languages share one rule (CLDR, for whole numbers: one for exactly 1).
    return n == 1 ? "one" : "other";
}

std::string fill_in(std::string text, std::string_view name, std::string_view value)
{
    std::string marker = "{" + std::string(name) + "}";
    for (auto p = text.find(marker); p != std::string::npos; p = text.find(marker, p + value.size()))
        text.replace(p, marker.size(), value);
    return text;
}

std::string import_summary_text(const Strings& str, const json& imported)
{
    std::string list;
    for (const char* column : {"event", "vision", "hinders", "enables", "action", "reflection", "hypothesis", "commitment"}) {
        const json n = imported.is_object() ? imported.value(column, json()) : json();
        if (!n.is_number_integer() || n.get<long long>() <= 0) continue;
        list += (list.empty() ? "" : ", ") + str.count(std::string("import.count.") + column, n.get<long long>());
    }
    return list.empty() ? std::string(str("import.nothing")) : str.format("import.brought", "list", list);
}

std::string find_assets_dir(const std::string& preferred)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    auto has_i18n = [&](const fs::path& dir) { return fs::exists(dir / "i18n" / "fi.json", ec); };
    if (!preferred.empty()) return preferred;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        fs::path installed = exe.parent_path().parent_path() / "share" / "keha";
        if (has_i18n(installed)) return installed.string();
    }
#ifdef KEHA_SOURCE_ASSET_DIR
    if (has_i18n(KEHA_SOURCE_ASSET_DIR)) return KEHA_SOURCE_ASSET_DIR;
#endif
#ifdef KEHA_ASSET_DIR
    if (has_i18n(KEHA_ASSET_DIR)) return KEHA_ASSET_DIR;
#endif
    return "assets";
}

}  // namespace keha::desk
