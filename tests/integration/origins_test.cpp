// docs/security.md, "Encryption, origins and proxies": a page on another site cannot open a
// meeting WebSocket or create a room through a participant's browser (Origin), forwarded
// headers count only from --trusted-proxy peers, and the organizer key can come from a
// file or the environment instead of the command line.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "qr.hpp"
#include "support/meeting.hpp"
#include "support/tls_client.hpp"

using namespace keha::itest;

namespace {

std::uint16_t port() { return shared_server().port(); }

std::string own_origin(std::uint16_t p) { return "http://127.0.0.1:" + std::to_string(p); }

// The opening handshake of a WebSocket, sent as a plain HTTP request: 101 when accepted.
int upgrade_status(std::uint16_t p, const Headers& extra)
{
    Headers headers = {{"Connection", "Upgrade"},
                       {"Upgrade", "websocket"},
                       {"Sec-WebSocket-Version", "13"},
                       {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}};
    headers.insert(headers.end(), extra.begin(), extra.end());
    return http_request(p, "GET", "/ws", {}, headers).status;
}

int create_status(std::uint16_t p, const Headers& headers)
{
    return http_request(p, "POST", "/api/rooms", R"({"title":"Origin","language":"en"})", headers).status;
}

std::string qr(std::uint16_t p, const std::string& code, const Headers& headers)
{
    auto answer = http_get(p, "/api/rooms/" + code + "/qr.svg", headers);
    EXPECT_EQ(answer.status, 200) << answer.body;
    return answer.body;
}

}  // namespace

TEST(Origins, AForeignOriginCannotOpenTheWebSocket)
{
    EXPECT_EQ(upgrade_status(port(), {{"Origin", "https://evil.example"}}), 403);
    EXPECT_EQ(upgrade_status(port(), {{"Origin", "null"}}), 403);
    // Same host, another port or scheme, is another origin.
    EXPECT_EQ(upgrade_status(port(), {{"Origin", "http://127.0.0.1:1"}}), 403);
    EXPECT_EQ(upgrade_status(port(), {{"Origin", "https://127.0.0.1:" + std::to_string(port())}}), 403);
}

TEST(Origins, TheServersOwnOriginAndNoOriginOpenTheWebSocket)
{
    EXPECT_EQ(upgrade_status(port(), {{"Origin", own_origin(port())}}), 101);
    EXPECT_EQ(upgrade_status(port(), {{"Origin", "HTTP://127.0.0.1:" + std::to_string(port())}}), 101);
    EXPECT_EQ(upgrade_status(port(), {}), 101);  // keha-desk sends no Origin
}

TEST(Origins, AForeignOriginCannotCreateARoom)
{
    auto answer = http_request(port(), "POST", "/api/rooms", R"({"title":"CSRF"})", {{"Origin", "https://evil.example"}});
    EXPECT_EQ(answer.status, 403);
    EXPECT_EQ(answer.json_body().value("error", ""), "forbidden_origin");
    EXPECT_EQ(answer.body.find("facilitator_key"), std::string::npos);
    EXPECT_EQ(create_status(port(), {{"Origin", own_origin(port())}}), 201);
    EXPECT_EQ(create_status(port(), {}), 201);
}

TEST(Origins, ReadingIsNotRefusedForAForeignOrigin)
{
    // GETs change nothing; the browser keeps their answers from the other page (no CORS headers).
    EXPECT_EQ(http_get(port(), "/healthz", {{"Origin", "https://evil.example"}}).status, 200);
}

TEST(Origins, AnAllowedOriginIsAccepted)
{
    Temp_dir dir;
    Server_process server(dir.path() / "allowed.db", {"--allowed-origin", "https://wall.example"});
    EXPECT_EQ(upgrade_status(server.port(), {{"Origin", "https://wall.example"}}), 101);
    EXPECT_EQ(upgrade_status(server.port(), {{"Origin", "https://wall.example:443"}}), 101);
    EXPECT_EQ(create_status(server.port(), {{"Origin", "https://wall.example"}}), 201);
    EXPECT_EQ(create_status(server.port(), {{"Origin", "https://other.example"}}), 403);
}

TEST(Origins, AnUnusableAllowedOriginStopsTheStart)
{
    Temp_dir dir;
    EXPECT_THROW(Server_process(dir.path() / "bad.db", {"--allowed-origin", "wall.example"}), std::runtime_error);
}

TEST(Proxies, OnlyATrustedProxysForwardedSchemeAndHostSteerTheWallsJoinLink)
{
    // Without --public-url the QR's join link is the server's own address, except through a
    // trusted proxy that forwards the scheme: then it is the address the proxy was reached at,
    // so a TLS-terminating proxy's wall says https:// (public_url.hpp). A Host alone, or
    // forwarded headers from any other peer, change nothing; --public-url beats them all.
    Temp_dir dir;
    const Headers forwarded = {{"Host", "10.0.0.5:8080"}, {"X-Forwarded-Proto", "https"}, {"X-Forwarded-Host", "wall.example"}};
    Server_process proxied(dir.path() / "proxy.db", {"--trusted-proxy", "127.0.0.0/8"});
    const auto code = create_room(proxied.port()).code;
    const auto own = keha::server::qr_svg("http://127.0.0.1:" + std::to_string(proxied.port()) + "/r/" + code).value();
    EXPECT_EQ(qr(proxied.port(), code, forwarded), keha::server::qr_svg("https://wall.example/r/" + code).value());
    EXPECT_EQ(qr(proxied.port(), code, {{"Host", "wall.example"}}), own);
    EXPECT_EQ(qr(proxied.port(), code, {{"Host", "10.0.0.5:8080"}}), own);
    // A proxy that does not forward the scheme is not set up for this: its Host is no guide.
    EXPECT_EQ(qr(proxied.port(), code, {{"X-Forwarded-Host", "wall.example"}}), own);

    Server_process direct(dir.path() / "direct.db", {"--trusted-proxy", "10.1.2.3"});
    const auto direct_code = create_room(direct.port()).code;
    EXPECT_EQ(qr(direct.port(), direct_code, forwarded),
              keha::server::qr_svg("http://127.0.0.1:" + std::to_string(direct.port()) + "/r/" + direct_code).value());

    Server_process fixed(dir.path() / "fixed.db", {"--trusted-proxy", "127.0.0.0/8", "--public-url", "https://kokous.example.fi"});
    const auto fixed_code = create_room(fixed.port()).code;
    EXPECT_EQ(qr(fixed.port(), fixed_code, forwarded), keha::server::qr_svg("https://kokous.example.fi/r/" + fixed_code).value());
}

TEST(Proxies, BehindATrustedProxyTheForwardedOriginIsTheServersOwn)
{
    Temp_dir dir;
    Server_process server(dir.path() / "proxy-origin.db", {"--trusted-proxy", "127.0.0.1"});
    const Headers via_proxy = {{"X-Forwarded-Proto", "https"}, {"X-Forwarded-Host", "wall.example"}};
    Headers same = via_proxy;
    same.push_back({"Origin", "https://wall.example"});
    EXPECT_EQ(create_status(server.port(), same), 201);
    Headers foreign = via_proxy;
    foreign.push_back({"Origin", "https://evil.example"});
    EXPECT_EQ(create_status(server.port(), foreign), 403);
}

TEST(OrganizerKey, ComesFromAFile)
{
    Temp_dir dir;
    const auto file = dir.path() / "organizer.key";
    std::ofstream(file) << "file-secret-123\n";
    Server_process server(dir.path() / "keyfile.db", {"--organizer-key-file", file.string()});
    EXPECT_EQ(create_status(server.port(), {}), 401);
    EXPECT_EQ(create_status(server.port(), {{"Authorization", "Bearer wrong"}}), 403);
    EXPECT_EQ(create_status(server.port(), {{"Authorization", "Bearer file-secret-123"}}), 201);
    EXPECT_EQ(server.log_text().find("organizer_key_on_command_line"), std::string::npos);
    EXPECT_EQ(server.log_text().find("file-secret-123"), std::string::npos);
}

TEST(OrganizerKey, ComesFromTheEnvironment)
{
    Temp_dir dir;
    ::setenv("KEHA_ORGANIZER_KEY", "env-secret-456", 1);
    Server_process server(dir.path() / "keyenv.db");
    ::unsetenv("KEHA_ORGANIZER_KEY");
    EXPECT_EQ(create_status(server.port(), {}), 401);
    EXPECT_EQ(create_status(server.port(), {{"Authorization", "Bearer env-secret-456"}}), 201);
    EXPECT_EQ(server.log_text().find("organizer_key_on_command_line"), std::string::npos);
}

TEST(OrganizerKey, OnTheCommandLineItWorksWithAWarning)
{
    Temp_dir dir;
    Server_process server(dir.path() / "keyarg.db", {"--organizer-key", "argv-secret-789"});
    EXPECT_EQ(create_status(server.port(), {{"Authorization", "Bearer argv-secret-789"}}), 201);
    EXPECT_NE(server.log_text().find("organizer_key_on_command_line"), std::string::npos);
    EXPECT_EQ(server.log_text().find("argv-secret-789"), std::string::npos);
}

TEST(OrganizerKey, AnEmptyKeyFileStopsTheStart)
{
    Temp_dir dir;
    const auto file = dir.path() / "empty.key";
    std::ofstream(file) << "\n";
    EXPECT_THROW(Server_process(dir.path() / "empty.db", {"--organizer-key-file", file.string()}), std::runtime_error);
}
