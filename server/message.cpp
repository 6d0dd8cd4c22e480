#include "message.hpp"

#include <set>
#include <vector>

namespace keha::server {

std::string_view describe(Parse_problem problem)
{
    switch (problem) {
    case Parse_problem::none: return "is fine";
    case Parse_problem::not_json: return "is not JSON";
    case Parse_problem::duplicate_key: return "repeats a key in one object";
    case Parse_problem::too_deep: return "nests arrays and objects more than 64 levels deep";
    }
    return "is not JSON";
}

std::optional<json> parse_strict(std::string_view text, Parse_problem* problem)
{
    static_assert(max_json_depth == 64, "describe() states the limit");
    struct Too_deep {};  // stops the parse at the first level past the limit
    std::vector<std::set<std::string>> keys;
    bool duplicate = false;
    auto check = [&](int depth, json::parse_event_t event, json& parsed) {
        switch (event) {
        case json::parse_event_t::object_start:
            if (depth >= max_json_depth) throw Too_deep{};
            keys.emplace_back();
            break;
        case json::parse_event_t::array_start:
            if (depth >= max_json_depth) throw Too_deep{};
            break;
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
    auto answer = [&](Parse_problem p) -> std::optional<json> {
        if (problem) *problem = p;
        return std::nullopt;
    };
    json out;
    try {
        out = json::parse(text, check, /*allow_exceptions=*/false);
    } catch (const Too_deep&) {
        return answer(Parse_problem::too_deep);
    }
    if (out.is_discarded()) return answer(Parse_problem::not_json);
    if (duplicate) return answer(Parse_problem::duplicate_key);
    if (problem) *problem = Parse_problem::none;
    return out;
}

std::variant<std::string, Shared_text> message_type(const std::optional<json>& message, Parse_problem problem)
{
    if (!message || !message->is_object() || !message->contains("type") || !(*message)["type"].is_string())
        return error_message(nullptr, Error_code::bad_request,
                             message ? "A message must be a JSON object with a string \"type\"."
                                     : "The message " + std::string(describe(problem)) + ".");
    return (*message)["type"].get<std::string>();
}

std::variant<Do_message, Shared_text> read_do(const json& message)
{
    json id = message.contains("id") ? message["id"] : json(nullptr);
    if (!id.is_string() && !id.is_number() && !id.is_null())
        return error_message(nullptr, Error_code::bad_request, "The \"id\" of a command must be a string or a number.");
    if (!message.contains("cmd") || !message["cmd"].is_string())
        return error_message(id, Error_code::bad_request, "A command needs a string \"cmd\".");
    json args = message.contains("args") ? message["args"] : json::object();
    if (!args.is_object())
        return error_message(id, Error_code::bad_request, "The \"args\" of a command must be a JSON object.");
    return Do_message{std::move(id), message["cmd"].get<std::string>(), std::move(args)};
}

std::variant<Hello, Error> read_hello(const json& message)
{
    Hello hello;
    const std::pair<const char*, std::optional<std::string>*> fields[] = {
        {"name", &hello.name}, {"group", &hello.group}, {"key", &hello.key}, {"token", &hello.token}, {"rejoin", &hello.rejoin}};
    for (const auto& [key, field] : fields) {
        auto it = message.find(key);
        if (it == message.end()) continue;
        if (!it->is_string()) return Error{Error_code::bad_request, std::string("The hello field \"") + key + "\" must be a string."};
        *field = it->get<std::string>();
    }
    if (auto since = message.find("since"); since != message.end()) {
        if (!since->is_number_unsigned())
            return Error{Error_code::bad_request, "The hello field \"since\" must be a whole number of at least 0."};
        hello.since = since->get<std::uint64_t>();
    }
    return hello;
}

Shared_text text_of(const json& message)
{
    return std::make_shared<const std::string>(message.dump(-1, ' ', false, json::error_handler_t::replace));
}

Shared_text error_message(const json& id, Error_code code, const std::string& message)
{
    return text_of({{"type", protocol::type::error}, {"id", id}, {"code", to_string(code)}, {"message", message}});
}

Shared_text bye_message(protocol::Bye_reason reason)
{
    return text_of({{"type", protocol::type::bye}, {"reason", protocol::to_string(reason)}});
}

}  // namespace keha::server
