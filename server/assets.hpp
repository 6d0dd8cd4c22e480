#pragma once
// What the server reads from assets/ at start: meeting templates and the i18n catalogs,
// and where the browser view's files are.
#include <filesystem>
#include <map>
#include <string>

#include "keha/json.hpp"
#include "keha/templates.hpp"

namespace keha::server {

struct Assets {
    std::filesystem::path root;  // assets/
    Templates templates;
    std::map<std::string, json, std::less<>> catalogs;  // "fi" -> {...}

    const json& catalog(std::string_view language) const;
};

// `preferred` (the --assets flag), else KEHA_ASSETS: that folder, or an error naming it and
// what it lacks. Neither given: beside the installed program, then the install prefix, then
// the source tree; throws std::runtime_error with the places it looked when none will do.
Assets load_assets(const std::string& preferred, const std::filesystem::path& program);

}  // namespace keha::server
