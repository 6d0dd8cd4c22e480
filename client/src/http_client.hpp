#pragma once
// HTTP requests to the server, synchronous: the transport under the API client
// (api_client.hpp), which names the endpoints and reads their answers.
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

}  // namespace keha::desk
