#pragma once
// The HTTP API of docs/protocol.md §2, called synchronously. The UI runs these on a worker
// (std::async) and polls the future, so it never waits on them.
#include <chrono>
#include <string>

#include "keha/json.hpp"
#include "url.hpp"

namespace keha::desk {

struct Http_response {
    int status = 0;        // 0 when no answer arrived
    std::string body;
    std::string error;     // a transport error, or the server's {"error"} code
    bool ok() const { return status >= 200 && status < 300; }
};

Http_response http_get(const Server_url& server, const std::string& target, const std::string& bearer = {},
                       std::chrono::seconds timeout = std::chrono::seconds(10));
Http_response http_delete(const Server_url& server, const std::string& target, const std::string& bearer,
                          std::chrono::seconds timeout = std::chrono::seconds(10));
Http_response http_post_json(const Server_url& server, const std::string& target, const json& body,
                             const std::string& bearer = {}, std::chrono::seconds timeout = std::chrono::seconds(10));

// POST /api/rooms -> {"code","facilitator_key","screen_key"}; a server with an organizer key answers
// 401 without it and 403 for a wrong one.
struct Created_room {
    std::string code, facilitator_key, screen_key;
};
struct Create_result {
    Http_response response;
    Created_room room;
};
Create_result create_room(const Server_url& server, const std::string& title, const std::string& template_id,
                          const std::string& language, const std::string& organizer_key = {});

}  // namespace keha::desk
