#include "http_auth.hpp"

#include "secrets.hpp"
#include "server_context.hpp"

namespace keha::server {

std::string bearer_of(const Request& req)
{
    const std::string auth(req[http::field::authorization]);
    const std::string prefix = "Bearer ";
    return auth.rfind(prefix, 0) == 0 ? auth.substr(prefix.size()) : std::string();
}

std::optional<Refusal> key_refusal(const Request& req, std::string_view what, std::string_view key_name,
                                   const std::function<bool(const std::string& key)>& opens)
{
    const std::string what_text(what), key_text(key_name);
    if (req[http::field::authorization].empty())
        return Refusal{error_response(req, Error_code::unauthorized,
                                      what_text + " needs " + key_text + " (Authorization: Bearer <key>)."),
                       "no key"};
    if (!opens(bearer_of(req)))
        return Refusal{error_response(req, Error_code::forbidden, what_text + " needs " + key_text + "; this key is not it."),
                       "wrong key"};
    return std::nullopt;
}

std::optional<Refusal> organizer_refusal(const Server_context& ctx, const Request& req, std::string_view what,
                                         Without_organizer_key without)
{
    const std::string& organizer_key = ctx.options.organizer_key;
    if (organizer_key.empty()) {
        if (without == Without_organizer_key::open) return std::nullopt;
        return Refusal{error_response(req, Error_code::forbidden,
                                      std::string(what) +
                                          " needs the organizer key; start keha-server with an organizer key."),
                       "no organizer key configured"};
    }
    return key_refusal(req, what, "the organizer key",
                       [&](const std::string& key) { return key_matches(key, organizer_key); });
}

}  // namespace keha::server
