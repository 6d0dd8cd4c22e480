#include "message.hpp"

#include <set>
#include <vector>

namespace keha::server {

std::optional<json> parse_strict(std::string_view text)
{
    std::vector<std::set<std::string>> keys;
    bool duplicate = false;
    auto check = [&](int /*depth*/, json::parse_event_t event, json& parsed) {
        switch (event) {
        case json::parse_event_t::object_start: keys.emplace_back(); break;
        case json::parse_event_t::object_end:
            if (!keys.empty()) keys.pop_back();
            break;
        case json::parse_event_t::key:
            if (!keys.empty() && !keys.back().insert(parsed.get<std::string>()).second) duplicate = true;
            break;
        default: break;
        }
        return true;
    };
    json out = json::parse(text, check, /*allow_exceptions=*/false);
    if (out.is_discarded() || duplicate) return std::nullopt;
    return out;
}

Shared_text text_of(const json& message)
{
    return std::make_shared<const std::string>(message.dump(-1, ' ', false, json::error_handler_t::replace));
}

Shared_text error_message(const json& id, Error_code code, const std::string& message)
{
    return text_of({{"type", "error"}, {"id", id}, {"code", to_string(code)}, {"message", message}});
}

Shared_text bye_message(std::string_view reason)
{
    return text_of({{"type", "bye"}, {"reason", reason}});
}

}  // namespace keha::server
