#pragma once
#include <map>
#include <optional>
#include <string>

#include "keha/i18n.hpp"
#include "keha/json.hpp"

namespace keha {

// Meeting templates as loaded from assets/templates/*.json. Each has "id", "title"
// ({"fi","sv","en"}), "default"? and "phases": [{"id","kind","title":{..},"question":{..},
// "board","timebox_s","turn_mode","card"?}]. A room keeps the texts in every language (see
// localized in keha/i18n.hpp); each reader picks their own.
class Templates {
public:
    // Checks the shape; returns an English message on a malformed template.
    std::optional<std::string> add(json room_template);
    const json* find(std::string_view id) const;
    const std::string& default_id() const { return default_id_; }
    // [{"id","title","language","phases"}] for GET /api/templates.
    json list(std::string_view language) const;

private:
    std::map<std::string, json, std::less<>> by_id_;
    std::string default_id_;
};

}  // namespace keha
