// keha-desk over TLS: with an https:// server address and --ca-file, the HTTP calls and the
// network thread reach a real keha-server serving HTTPS and WSS, and a certificate the CA
// file does not vouch for is refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "api_client.hpp"
#include "net_client.hpp"
#include "support/server_process.hpp"
#include "support/tls_client.hpp"

using namespace keha::desk;
using namespace std::chrono_literals;
using keha::itest::Server_process;
using keha::itest::Temp_dir;
using keha::json;

namespace {

struct Tls_server {
    Temp_dir dir;
    keha::itest::Test_certificate cert = keha::itest::make_certificate(dir.path(), "server", "5151");
    Server_process server{dir.path() / "desk-tls.db", {"--tls-cert", cert.cert.string(), "--tls-key", cert.key.string()}};

    Server_url url(const std::string& ca_file) const
    {
        auto u = parse_server_url("wss://127.0.0.1:" + std::to_string(server.port()));
        u->ca_file = ca_file;
        return *u;
    }
};

// Takes events until `done` says so or 5 s are over.
bool pump_until(Net_client& client, std::vector<Net_event>& seen, const std::function<bool()>& done)
{
    const auto end = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < end) {
        for (auto& e : client.take()) seen.push_back(std::move(e));
        if (done()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return false;
}

}  // namespace

TEST(NetClientTls, CreatesARoomAndJoinsItOverWssWithACaFile)
{
    Tls_server s;
    const auto url = s.url(s.cert.cert.string());
    EXPECT_EQ(url.base(), "https://127.0.0.1:" + std::to_string(s.server.port()));
    auto created = Api_client(url, "").create_room("Over TLS", "", "en");
    ASSERT_TRUE(created.ok()) << created.error;

    Net_client client(url, Hello{created.value->code, "", "", created.value->facilitator_key, ""});
    client.start();
    std::vector<Net_event> seen;
    ASSERT_TRUE(pump_until(client, seen, [&] { return client.link() == Link::online; }))
        << (seen.empty() ? "" : seen.back().detail);
    const auto id = client.send("hand.raise", json::object());
    EXPECT_TRUE(pump_until(client, seen, [&] {
        return std::any_of(seen.begin(), seen.end(), [&](const Net_event& e) {
            return e.message.is_object() && e.message.value("type", "") == "ack" && e.message.value("id", "") == id;
        });
    }));
}

TEST(NetClientTls, ACertificateNoTrustedCaVouchesForIsRefused)
{
    Tls_server s;
    Temp_dir other;
    auto stranger = keha::itest::make_certificate(other.path(), "stranger", "77");
    auto created = Api_client(s.url(stranger.cert.string()), "").create_room("Refused", "", "en");
    EXPECT_FALSE(created.ok());
    EXPECT_EQ(created.status, 0);
    EXPECT_NE(created.error.find("certificate verify failed"), std::string::npos) << created.error;

    // The system's CAs do not know a self-signed test certificate either.
    Net_client client(s.url(""), Hello{"ABCDEF", "X", "other", "", ""});
    client.start();
    std::vector<Net_event> seen;
    EXPECT_TRUE(pump_until(client, seen, [&] {
        return std::any_of(seen.begin(), seen.end(), [](const Net_event& e) {
            return e.kind == Net_event::Kind::link && e.detail.find("certificate verify failed") != std::string::npos;
        });
    }));
    EXPECT_NE(client.link(), Link::online);
}
