#pragma once
// HTTP requests to the server, synchronous: the transport under the API client
// (api_client.hpp), which names the endpoints and reads their answers. A request for a room
// another keha-server node is handing over (503 "moved", docs/protocol.md §4) is made again
// after its Retry-After, a few times, before its answer is given.
#include <chrono>
#include <string>

#include "keha/json.hpp"
#include "url.hpp"

namespace keha::desk {

struct Http_response {
    int status = 0;        // 0 when no answer arrived
    std::string body;
    std::string error;     // a transport error, or the server's {"error"} code
    int retry_after_s = 0;  // the answer's Retry-After, in seconds (0: none)
    bool ok() const { return status >= 200 && status < 300; }
};

Http_response http_get(const Server_url& server, const std::string& target, const std::string& bearer = {},
                       std::chrono::seconds timeout = std::chrono::seconds(10));
Http_response http_delete(const Server_url& server, const std::string& target, const std::string& bearer,
                          std::chrono::seconds timeout = std::chrono::seconds(10));
Http_response http_post_json(const Server_url& server, const std::string& target, const json& body,
                             const std::string& bearer = {}, std::chrono::seconds timeout = std::chrono::seconds(10));

}  // namespace keha::desk
