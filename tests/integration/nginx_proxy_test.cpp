// docs/security.md, "Encryption, origins and proxies": behind a real nginx that ends TLS —
// server/dist/nginx-keha.conf as shipped, only its names, paths and ports changed — the wall's
// join address and its QR code say https:// and the proxy's address, and a WebSocket through
// nginx joins the room. Without --trusted-proxy the proxy's headers count for nothing.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "qr.hpp"
#include "support/meeting.hpp"
#include "support/tls_client.hpp"

using namespace keha::itest;

namespace {

std::string read_text(const std::filesystem::path& file)
{
    std::ifstream in(file);
    std::stringstream out;
    out << in.rdbuf();
    return out.str();
}

// Replaces `from` in `text`, failing the test when the example no longer has it.
void replace(std::string& text, const std::string& from, const std::string& to)
{
    const auto at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("server/dist/nginx-keha.conf has no '" + from + "'");
    text.replace(at, from.size(), to);
    if (text.find(from) != std::string::npos) replace(text, from, to);
}

std::uint16_t free_port()
{
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor acceptor(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

bool accepts(std::uint16_t port)
{
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket socket(ioc);
    boost::system::error_code ec;
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    return !ec;
}

// nginx as this test's own process (not the system's service), in the foreground, with
// every file it writes in `dir`, serving the example site in front of keha-server.
class Nginx {
public:
    Nginx(const std::filesystem::path& dir, const Test_certificate& cert, std::uint16_t upstream_port)
        : dir_(dir), port_(free_port())
    {
        std::string site = read_text(KEHA_NGINX_EXAMPLE);
        replace(site, "listen 443 ssl;", "listen 127.0.0.1:" + std::to_string(port_) + " ssl;");
        replace(site, "listen [::]:443 ssl;", "");
        replace(site, "listen 80;", "listen 127.0.0.1:" + std::to_string(free_port()) + ";");
        replace(site, "listen [::]:80;", "");
        replace(site, "server_name kokous.example.fi;", "server_name localhost;");
        replace(site, "/etc/ssl/keha/fullchain.pem", cert.cert.string());
        replace(site, "/etc/ssl/keha/privkey.pem", cert.key.string());
        replace(site, "server 127.0.0.1:8080;", "server 127.0.0.1:" + std::to_string(upstream_port) + ";");
        std::ofstream(dir_ / "keha-site.conf") << site;

        const auto d = dir_.string();
        std::ofstream(dir_ / "nginx.conf") << "worker_processes 1;\n"
                                           << "events { worker_connections 64; }\n"
                                           << "http {\n"
                                           << "  access_log off;\n"
                                           << "  client_body_temp_path " << d << "/client_body;\n"
                                           << "  proxy_temp_path " << d << "/proxy;\n"
                                           << "  fastcgi_temp_path " << d << "/fastcgi;\n"
                                           << "  uwsgi_temp_path " << d << "/uwsgi;\n"
                                           << "  scgi_temp_path " << d << "/scgi;\n"
                                           << "  include " << d << "/keha-site.conf;\n"
                                           << "}\n";

        const std::string binary = KEHA_NGINX;
        if (binary.empty() || ::access(binary.c_str(), X_OK) != 0)
            throw std::runtime_error("nginx is not installed (apt-get install nginx)");
        const std::string globals = "daemon off; pid " + d + "/nginx.pid; error_log " + d + "/error.log;";
        std::vector<std::string> args = {binary, "-e", d + "/error.log", "-p", d, "-c", d + "/nginx.conf", "-g", globals};
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            const int out = ::open((d + "/stderr.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            ::dup2(out, 1);
            ::dup2(out, 2);
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        // Bounded: nginx is up once its TLS port accepts, or has failed with its reason in the log.
        for (int i = 0; i < 1000 && !accepts(port_); ++i) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                throw std::runtime_error("nginx did not start: " + read_text(dir_ / "error.log") +
                                         read_text(dir_ / "stderr.log"));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        if (!accepts(port_)) throw std::runtime_error("nginx did not listen: " + read_text(dir_ / "error.log"));
    }

    ~Nginx()
    {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);  // nginx's fast shutdown: the master ends its worker, then itself
        int status = 0;
        for (int i = 0; i < 500 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (::waitpid(pid_, &status, WNOHANG) == 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
        }
    }

    Nginx(const Nginx&) = delete;
    Nginx& operator=(const Nginx&) = delete;

    std::uint16_t port() const { return port_; }

private:
    std::filesystem::path dir_;
    std::uint16_t port_;
    pid_t pid_ = -1;
};

// keha-server behind the example nginx, with a certificate for localhost and 127.0.0.1.
struct Behind_nginx {
    explicit Behind_nginx(std::vector<std::string> server_flags)
        : server(dir.path() / "keha.db", std::move(server_flags)), nginx(dir.path(), cert, server.port())
    {
    }
    Temp_dir dir;
    Test_certificate cert = make_certificate(dir.path(), "proxy", "0C");
    Server_process server;
    Nginx nginx;

    Http_answer get(const std::string& target) { return https_request(nginx.port(), cert.cert, "GET", target); }
    std::string create_room()
    {
        auto answer = https_request(nginx.port(), cert.cert, "POST", "/api/rooms", R"({"title":"Proxy","language":"fi"})");
        if (answer.status != 201) throw std::runtime_error("POST /api/rooms through nginx gave " + answer.body);
        return answer.json_body().at("code");
    }
    nlohmann::json welcome(const std::string& code)
    {
        Wss_client ws(nginx.port(), cert.cert);
        ws.send(hello_message(code, as_participant("Aino")));
        auto welcome = ws.recv();
        if (!welcome || welcome->value("type", "") != "welcome")
            throw std::runtime_error("no welcome through nginx: " + (welcome ? welcome->dump() : std::string("nothing")));
        return *welcome;
    }
};

}  // namespace

TEST(NginxProxy, TheWallBehindATrustedTlsProxyGivesItsHttpsAddress)
{
    Behind_nginx site({"--trusted-proxy", "127.0.0.1"});
    const auto code = site.create_room();
    // What participants open: the proxy's address as the browser named it, over https.
    const std::string proxy = "127.0.0.1:" + std::to_string(site.nginx.port());
    const std::string expected = "https://" + proxy + "/r/" + code;

    auto room = site.get("/api/rooms/" + code);
    ASSERT_EQ(room.status, 200) << room.body;
    EXPECT_EQ(room.json_body()["join"]["url"], expected);
    EXPECT_EQ(room.json_body()["join"]["address"], proxy);

    // The QR code: the same picture libqrencode draws of the expected link, and not the picture
    // of the server's own plain-HTTP address.
    auto qr = site.get("/api/rooms/" + code + "/qr.svg");
    ASSERT_EQ(qr.status, 200) << qr.body;
    EXPECT_EQ(qr.body, keha::server::qr_svg(expected).value());
    const std::string own = "http://127.0.0.1:" + std::to_string(site.server.port()) + "/r/" + code;
    EXPECT_NE(qr.body, keha::server::qr_svg(own).value());

    // A WebSocket through nginx (the Upgrade headers of the example) joins, and the welcome's
    // join address, which the browser's wall shows, is the https one too.
    const auto welcome = site.welcome(code);
    EXPECT_EQ(welcome["join"]["url"], expected);
    EXPECT_EQ(welcome["role"], "participant");

    // Straight to keha-server, not through the proxy, the wall keeps the server's own address.
    EXPECT_EQ(http_get(site.server.port(), "/api/rooms/" + code).json_body()["join"]["url"], own);
}

TEST(NginxProxy, WithoutTrustedProxyTheProxysHeadersCountForNothing)
{
    Behind_nginx site({});
    const auto code = site.create_room();
    const std::string own = "http://127.0.0.1:" + std::to_string(site.server.port()) + "/r/" + code;

    auto room = site.get("/api/rooms/" + code);
    ASSERT_EQ(room.status, 200) << room.body;
    EXPECT_EQ(room.json_body()["join"]["url"], own);
    EXPECT_EQ(site.get("/api/rooms/" + code + "/qr.svg").body, keha::server::qr_svg(own).value());
    EXPECT_EQ(site.welcome(code)["join"]["url"], own);
}
