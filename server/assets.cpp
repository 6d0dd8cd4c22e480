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

// What is missing for `dir` to be an assets folder; empty when nothing is.
std::string missing_in(const fs::path& dir)
{
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return fs::exists(dir, ec) ? "it is not a folder" : "it does not exist";
    std::string missing;
    for (const char* sub : {"templates", "i18n", "web"})
        if (!fs::is_directory(dir / sub, ec)) missing += std::string(missing.empty() ? "" : ", ") + sub + "/";
    return missing.empty() ? "" : "it has no " + missing;
}

fs::path find_root(const std::string& preferred, const fs::path& program)
{
    // A folder named by the operator is the one used, or an error: never another one in its place.
    auto named = [](const fs::path& dir, const char* by) {
        if (auto missing = missing_in(dir); !missing.empty())
            throw std::runtime_error("the assets folder " + dir.string() + " (" + by + ") cannot be used: " + missing +
                                     "; it should hold Kehä's templates/, i18n/ and web/");
        return dir;
    };
    if (!preferred.empty()) return named(preferred, "--assets");
    if (const char* env = std::getenv("KEHA_ASSETS"); env && *env) return named(env, "KEHA_ASSETS");
    std::vector<fs::path> candidates;
    std::error_code ec;
    fs::path exe = fs::canonical(program, ec);
    if (!ec) candidates.push_back(exe.parent_path().parent_path() / "share" / "keha");
    candidates.emplace_back(KEHA_INSTALLED_ASSET_DIR);
    candidates.emplace_back(KEHA_SOURCE_ASSET_DIR);
    std::string looked;
    for (const auto& c : candidates) {
        if (missing_in(c).empty()) return c;
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
