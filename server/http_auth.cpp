#include "http_auth.hpp"

#include "keha/code.hpp"
#include "access_log.hpp"
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

std::variant<Room_record, Response> facilitator_room(Server_context& ctx, const Request& req, const std::string& raw_code,
                                                    std::string_view what)
{
    auto code = normalize_code(raw_code);
    auto room = code ? ctx.store.find_room(*code) : std::nullopt;
    if (!room) {
        log_access(ctx, req, code.value_or(raw_code.substr(0, 20)), "unknown_room", "", std::string(what));
        return error_response(req, Error_code::unknown_room, "There is no room with this code; check the code.");
    }
    auto refusal = key_refusal(req, what, "the facilitator key", [&](const std::string& key) {
        return !key.empty() && same_secret(sha256_hex(key), room->facilitator_key_hash);
    });
    if (refusal) {
        log_access(ctx, req, room->code, "denied", "", std::string(what) + ": " + refusal->why);
        return std::move(refusal->response);
    }
    return *room;
}

}  // namespace keha::server
