#pragma once
// A small synchronous Beast HTTP/1.1 client: one request per connection, bounded in time.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace keha::itest {

struct Http_answer {
    int status = 0;
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;

    std::string header(const std::string& lower_name) const;
    nlohmann::json json_body() const;  // discarded value if the body is not JSON
};

Http_answer http_request(std::uint16_t port, const std::string& method, const std::string& target,
                         const std::string& body = {},
                         const std::vector<std::pair<std::string, std::string>>& headers = {});
inline Http_answer http_get(std::uint16_t port, const std::string& target,
                            const std::vector<std::pair<std::string, std::string>>& headers = {})
{
    return http_request(port, "GET", target, {}, headers);
}

}  // namespace keha::itest
