#include "notes_names.hpp"

#include "keha/json_access.hpp"

namespace keha {

Notes_names names_policy(const json& state, const Notes_options& options)
{
    if (options.names) return *options.names;
    auto room = state.find("room");
    if (room != state.end() && room->contains("settings") && (*room)["settings"].is_object())
        if (auto n = notes_names_from_string((*room)["settings"].value("notes_names", "auto"))) return *n;
    return Notes_names::automatic;
}

std::string shown_name(const json& p, Notes_names names)
{
    const std::string name = string_field(p, "name");
    switch (names) {
    case Notes_names::full: return name;
    case Notes_names::initials: return initials(name);
    case Notes_names::groups: return {};
    case Notes_names::automatic: return p.value("group", "") == "expert" ? initials(name) : name;
    }
    return name;
}

std::optional<Notes_names> notes_names_from_string(std::string_view text)
{
    if (text == "auto") return Notes_names::automatic;
    if (text == "full") return Notes_names::full;
    if (text == "initials") return Notes_names::initials;
    if (text == "groups") return Notes_names::groups;
    return std::nullopt;
}

std::string_view to_string(Notes_names names)
{
    switch (names) {
    case Notes_names::automatic: return "auto";
    case Notes_names::full: return "full";
    case Notes_names::initials: return "initials";
    case Notes_names::groups: return "groups";
    }
    return "auto";
}

std::string initials(std::string_view name)
{
    std::string out;
    bool start = true;
    for (std::size_t i = 0; i < name.size();) {
        const unsigned char c = static_cast<unsigned char>(name[i]);
        const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
        const bool space = c == ' ' || c == '\t' || c == '-';
        if (space) {
            start = true;
        } else if (start) {
            if (!out.empty()) out += ' ';
            std::string letter(name.substr(i, len));
            // ASCII letters upper-cased; ä, ö, å and the rest are kept as written.
            if (len == 1 && letter[0] >= 'a' && letter[0] <= 'z') letter[0] = static_cast<char>(letter[0] - 'a' + 'A');
            out += letter + ".";
            start = false;
        }
        i += len;
    }
    return out;
}

}  // namespace keha
