#include "assets.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "keha/i18n.hpp"

namespace keha::server {
namespace fs = std::filesystem;
namespace {

json read_json(const fs::path& file)
{
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    try {
        return json::parse(in);
    } catch (const json::parse_error& e) {
        throw std::runtime_error(file.string() + " is not valid JSON: " + e.what());
    }
}

fs::path find_root(const std::string& preferred, const fs::path& program)
{
    std::vector<fs::path> candidates;
    if (!preferred.empty()) candidates.emplace_back(preferred);
    if (const char* env = std::getenv("KEHA_ASSETS"); env && *env) candidates.emplace_back(env);
    std::error_code ec;
    fs::path exe = fs::canonical(program, ec);
    if (!ec) candidates.push_back(exe.parent_path().parent_path() / "share" / "keha");
    candidates.emplace_back(KEHA_INSTALLED_ASSET_DIR);
    candidates.emplace_back(KEHA_SOURCE_ASSET_DIR);
    std::string looked;
    for (const auto& c : candidates) {
        if (fs::exists(c / "templates") && fs::exists(c / "i18n")) return c;
        looked += "\n  " + c.string();
    }
    throw std::runtime_error("cannot find Kehä's assets (templates/, i18n/, web/); looked in:" + looked +
                             "\nPass --assets DIR or set KEHA_ASSETS.");
}

}  // namespace

const json& Assets::catalog(std::string_view language) const
{
    auto it = catalogs.find(language);
    if (it == catalogs.end()) it = catalogs.find("fi");
    static const json empty = json::object();
    return it == catalogs.end() ? empty : it->second;
}

Assets load_assets(const std::string& preferred, const fs::path& program)
{
    Assets assets;
    assets.root = find_root(preferred, program);
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(assets.root / "templates"))
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files)
        if (auto problem = assets.templates.add(read_json(f)))
            throw std::runtime_error(f.string() + ": " + *problem);
    if (assets.templates.default_id().empty())
        throw std::runtime_error("no meeting template found in " + (assets.root / "templates").string());
    for (auto lang : languages) {
        fs::path f = assets.root / "i18n" / (std::string(lang) + ".json");
        if (fs::exists(f)) assets.catalogs.emplace(std::string(lang), read_json(f));
    }
    return assets;
}

}  // namespace keha::server
