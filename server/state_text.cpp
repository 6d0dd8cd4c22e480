#include "state_text.hpp"

namespace keha::server {

namespace {

// The top-level key a JSON pointer starts in, unescaped; "" for the whole document (and for
// the key "" or a malformed pointer: then everything is written again).
std::string top_key(const std::string& pointer)
{
    if (pointer.empty() || pointer[0] != '/') return {};
    std::string key;
    for (std::size_t i = 1; i < pointer.size() && pointer[i] != '/'; ++i) {
        if (pointer[i] == '~' && i + 1 < pointer.size()) key += pointer[++i] == '1' ? '/' : '~';
        else key += pointer[i];
    }
    return key;
}

}  // namespace

std::string dump_text(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string State_text::whole(const json& state)
{
    if (!state.is_object()) return dump_text(state);
    // Keys are written in the document's own order (sorted), as dump() writes them.
    for (auto part = parts_.begin(); part != parts_.end();)
        part = state.contains(part->first) ? std::next(part) : parts_.erase(part);
    std::string text = "{";
    for (const auto& [key, value] : state.items()) {
        auto part = parts_.find(key);
        if (part == parts_.end()) part = parts_.emplace(key, dump_text(value)).first;
        if (text.size() > 1) text += ',';
        text += dump_text(key);
        text += ':';
        text += part->second;
    }
    return text + "}";
}

void State_text::changed(const json& patch)
{
    if (!patch.is_array()) return clear();
    for (const auto& op : patch) {
        for (const char* field : {"path", "from"}) {
            auto at = op.find(field);
            if (at == op.end() || !at->is_string()) continue;
            const std::string key = top_key(at->get<std::string>());
            if (key.empty()) return clear();  // the whole document
            parts_.erase(key);
        }
    }
}

}  // namespace keha::server
