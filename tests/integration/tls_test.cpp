// docs/security.md, "Encryption, origins and proxies": with --tls-cert/--tls-key the server
// speaks HTTPS and WSS on its port, sends HSTS, answers plain HTTP there with a redirect to
// https, and a SIGHUP swaps in a renewed certificate without dropping an open connection.
#include <gtest/gtest.h>

#include <signal.h>

#include <filesystem>
#include <thread>

#include "support/meeting.hpp"
#include "support/tls_client.hpp"

using namespace keha::itest;

namespace {

struct Tls_server {
    Temp_dir dir;
    Test_certificate cert = make_certificate(dir.path(), "first", "1001");
    Server_process server{dir.path() / "tls.db", {"--tls-cert", cert.cert.string(), "--tls-key", cert.key.string()}};
    std::uint16_t port() const { return server.port(); }
};

// Creates a room over HTTPS.
Room_keys create_room_tls(const Tls_server& s)
{
    auto answer = https_request(s.port(), s.cert.cert, "POST", "/api/rooms", R"({"title":"TLS","language":"en"})");
    if (answer.status != 201) throw std::runtime_error("POST /api/rooms over TLS gave " + answer.body);
    auto j = answer.json_body();
    return {j.at("code"), j.at("facilitator_key"), j.at("screen_key")};
}

// Waits (bounded) until the server's log has `event`.
bool log_shows(const Server_process& server, const std::string& event)
{
    for (int i = 0; i < 500; ++i) {
        if (server.log_text().find(event) != std::string::npos) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

}  // namespace

TEST(Tls, TheBrowserViewAndTheApiAnswerOverHttpsWithHsts)
{
    Tls_server s;
    auto page = https_request(s.port(), s.cert.cert, "GET", "/");
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("<html"), std::string::npos);
    EXPECT_NE(page.header("strict-transport-security").find("max-age="), std::string::npos);
    auto keys = create_room_tls(s);
    EXPECT_EQ(keys.code.size(), 8u);
}

TEST(Tls, WssCarriesHelloWelcomeCommandAndAck)
{
    Tls_server s;
    auto keys = create_room_tls(s);
    Wss_client ws(s.port(), s.cert.cert);
    ws.send(hello_message(keys.code, with_key(keys.facilitator_key)));
    auto welcome = ws.recv();
    ASSERT_TRUE(welcome);
    EXPECT_EQ(welcome->value("type", ""), "welcome") << welcome->dump();
    ws.send(do_message("t1", "hand.raise"));
    bool acked = false;
    for (int i = 0; i < 10 && !acked; ++i) {
        auto m = ws.recv();
        ASSERT_TRUE(m);
        acked = m->value("type", "") == "ack" && m->value("id", "") == "t1";
    }
    EXPECT_TRUE(acked);
}

TEST(Tls, PlainHttpOnTheTlsPortIsRedirectedToHttps)
{
    Tls_server s;
    auto answer = http_get(s.port(), "/r/abc-def");
    EXPECT_EQ(answer.status, 308);
    EXPECT_EQ(answer.header("location"), "https://127.0.0.1:" + std::to_string(s.port()) + "/r/abc-def");
    EXPECT_EQ(answer.json_body().value("error", ""), "tls_required");
    // Nothing of a room is answered in clear.
    auto api = http_request(s.port(), "POST", "/api/rooms", R"({"title":"x"})");
    EXPECT_EQ(api.status, 308);
    EXPECT_EQ(api.body.find("facilitator_key"), std::string::npos);
}

TEST(Tls, PlainHttpWithoutTlsHasNoHsts)
{
    Temp_dir dir;
    Server_process server(dir.path() / "plain.db");
    auto page = http_get(server.port(), "/");
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(page.header("strict-transport-security"), "");
}

TEST(Tls, ServingTheNetworkInClearIsWarnedAboutInTheLog)
{
    Temp_dir dir;
    // Every interface without a certificate: the operator is told that keys travel in clear.
    Server_process clear(dir.path() / "clear.db", {"--bind", "0.0.0.0"});
    EXPECT_TRUE(log_shows(clear, "serving_in_clear"));
    // Loopback only, or with a certificate, there is nothing to warn about.
    Server_process loopback(dir.path() / "loopback.db");
    Test_certificate cert = make_certificate(dir.path(), "all", "1003");
    Server_process encrypted(dir.path() / "encrypted.db",
                             {"--bind", "0.0.0.0", "--tls-cert", cert.cert.string(), "--tls-key", cert.key.string()});
    EXPECT_TRUE(log_shows(loopback, "listening"));
    EXPECT_TRUE(log_shows(encrypted, "listening"));
    EXPECT_EQ(loopback.log_text().find("serving_in_clear"), std::string::npos);
    EXPECT_EQ(encrypted.log_text().find("serving_in_clear"), std::string::npos);
}

TEST(Tls, SighupSwapsTheCertificateAndKeepsOpenConnections)
{
    Tls_server s;
    auto keys = create_room_tls(s);
    Wss_client ws(s.port(), s.cert.cert);
    ws.send(hello_message(keys.code, with_key(keys.facilitator_key)));
    auto welcome = ws.recv();
    ASSERT_TRUE(welcome);
    ASSERT_EQ(welcome->value("type", ""), "welcome");
    ASSERT_EQ(presented_serial(s.port(), s.cert.cert), "1001");

    // A renewed certificate is put in place of the old files, then the server is told.
    Temp_dir other;
    auto renewed = make_certificate(other.path(), "renewed", "2002");
    std::filesystem::copy_file(renewed.cert, s.cert.cert, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(renewed.key, s.cert.key, std::filesystem::copy_options::overwrite_existing);
    s.server.signal(SIGHUP);
    ASSERT_TRUE(log_shows(s.server, "tls_reloaded")) << s.server.log_text();

    EXPECT_EQ(presented_serial(s.port(), renewed.cert), "2002");
    // The connection opened before the reload still works.
    ws.send(do_message("after-reload", "hand.raise"));
    bool acked = false;
    for (int i = 0; i < 10 && !acked; ++i) {
        auto m = ws.recv();
        ASSERT_TRUE(m) << "the open WSS connection was dropped by the reload";
        acked = m->value("type", "") == "ack" && m->value("id", "") == "after-reload";
    }
    EXPECT_TRUE(acked);
    EXPECT_TRUE(s.server.running());
}

TEST(Tls, ABrokenCertificateOnReloadKeepsTheOldOne)
{
    Tls_server s;
    const auto ca = s.dir.path() / "ca.crt";
    std::filesystem::copy_file(s.cert.cert, ca);
    std::filesystem::resize_file(s.cert.cert, 10);
    s.server.signal(SIGHUP);
    ASSERT_TRUE(log_shows(s.server, "tls_reload_failed")) << s.server.log_text();
    EXPECT_EQ(presented_serial(s.port(), ca), "1001");
    EXPECT_EQ(https_request(s.port(), ca, "GET", "/healthz").status, 200);
}

TEST(Tls, StartingWithAKeyThatIsNotTheCertificatesFails)
{
    Temp_dir dir;
    auto a = make_certificate(dir.path(), "a", "01");
    auto b = make_certificate(dir.path(), "b", "02");
    EXPECT_THROW(Server_process(dir.path() / "bad.db", {"--tls-cert", a.cert.string(), "--tls-key", b.key.string()}),
                 std::runtime_error);
}
