#include "keha/templates.hpp"

#include "keha/i18n.hpp"
#include "keha/polls.hpp"
#include "keha/ratings.hpp"
#include "keha/state.hpp"

namespace keha {
namespace {

bool is_texts(const json& t)
{
    return t.is_object() && t.contains("fi") && t["fi"].is_string();
}

}  // namespace

std::optional<std::string> Templates::add(json t)
{
    if (!t.is_object() || !t.contains("id") || !t["id"].is_string() || t["id"].get<std::string>().empty())
        return "a template needs a non-empty string \"id\"";
    const std::string id = t["id"];
    if (!t.contains("title") || !is_texts(t["title"]))
        return "template " + id + ": \"title\" must be an object with at least a Finnish (\"fi\") text";
    if (!t.contains("phases") || !t["phases"].is_array() || t["phases"].empty())
        return "template " + id + ": \"phases\" must be a non-empty array";
    for (const auto& p : t["phases"]) {
        if (!p.is_object() || !p.contains("id") || !p["id"].is_string())
            return "template " + id + ": every phase needs a string \"id\"";
        const std::string pid = p["id"];
        if (!p.contains("title") || !is_texts(p["title"]))
            return "template " + id + ", phase " + pid + ": \"title\" needs a Finnish text";
        if (p.contains("board") && !p["board"].is_null() &&
            (!p["board"].is_string() || !is_board(p["board"].get<std::string>())))
            return "template " + id + ", phase " + pid + ": \"board\" must be a board name or null";
        // A parsed file holds a positive number as unsigned, a template built in code as signed.
        if (p.contains("timebox_s") && !(p["timebox_s"].is_number_integer() && p["timebox_s"] >= 0))
            return "template " + id + ", phase " + pid + ": \"timebox_s\" must be a whole number of seconds";
        for (const char* key : {"kind", "turn_mode"})
            if (p.contains(key) && !p[key].is_string())
                return "template " + id + ", phase " + pid + ": \"" + key + "\" must be a string";
        if (p.contains("private_writing") && !p["private_writing"].is_boolean())
            return "template " + id + ", phase " + pid + ": \"private_writing\" must be true or false";
        if (p.value("private_writing", false) == true && !(p.contains("board") && p["board"].is_string()))
            return "template " + id + ", phase " + pid + ": a private-writing phase needs a \"board\"";
        if (p.contains("question") && !p["question"].is_object())
            return "template " + id + ", phase " + pid + ": \"question\" must be an object of texts by language";
        for (const auto& other : t["phases"])
            if (&other != &p && other.is_object() && other.value("id", json()) == p["id"])
                return "template " + id + ": two phases have the id \"" + pid + "\"";
    }
    if (t.contains("default") && !t["default"].is_boolean())
        return "template " + id + ": \"default\" must be true or false";
    if (t.contains("ratings"))
        if (auto e = check_template_ratings(t["ratings"])) return "template " + id + ": " + *e;
    if (t.contains("polls"))
        if (auto e = check_template_polls(t["polls"])) return "template " + id + ": " + *e;
    if (t.value("default", false) || default_id_.empty()) default_id_ = id;
    by_id_[id] = std::move(t);
    return std::nullopt;
}

const json* Templates::find(std::string_view id) const
{
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : &it->second;
}

json Templates::list(std::string_view language) const
{
    json out = json::array();
    for (const auto& [id, t] : by_id_) {
        json phases = json::array();
        for (const auto& p : t["phases"])
            phases.push_back({{"id", p["id"]}, {"title", localized(p["title"], language)}});
        out.push_back({{"id", id},
                       {"title", localized(t["title"], language)},
                       {"language", std::string(language)},
                       {"default", id == default_id_},
                       {"phases", phases}});
    }
    return out;
}

}  // namespace keha
