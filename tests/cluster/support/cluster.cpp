#include "support/cluster.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "pg_cluster.hpp"
#include "support/http_client.hpp"

namespace keha::cluster_test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string read_text(const fs::path& file)
{
    std::ifstream in(file);
    std::stringstream out;
    out << in.rdbuf();
    return out.str();
}

// Replaces every `from` in `text`, failing when the example no longer has it.
void replace(std::string& text, const std::string& from, const std::string& to)
{
    auto at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("server/dist/haproxy-keha.cfg has no '" + from + "'");
    for (; at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
}

bool accepts(std::uint16_t port)
{
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket socket(ioc);
    boost::system::error_code ec;
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    return !ec;
}

// The example as shipped, with this machine's ports instead of its addresses, plain HTTP on the
// HTTPS frontend's place, and what the tests read: the stats page and the answering node.
std::string test_config(std::uint16_t port, std::uint16_t redirect_port, std::uint16_t stats_port,
                        const std::vector<Haproxy::Node>& nodes, const std::string& server_checks)
{
    std::string example = read_text(KEHA_HAPROXY_EXAMPLE);
    if (!server_checks.empty()) {
        const auto line = example.find("\n    default-server ");
        if (line == std::string::npos) throw std::runtime_error("server/dist/haproxy-keha.cfg has no default-server line");
        example.replace(line + 5, example.find('\n', line + 1) - line - 5, server_checks);
    }
    replace(example, "    bind :443 ssl crt /etc/haproxy/certs/kokous.example.fi.pem alpn http/1.1",
            "    bind 127.0.0.1:" + std::to_string(port));
    replace(example, "    bind :80\n", "    bind 127.0.0.1:" + std::to_string(redirect_port) + "\n");
    const std::map<std::string, std::string> example_address{{"node1", "192.0.2.11:8080"}, {"node2", "192.0.2.12:8080"}};
    for (const auto& node : nodes)
        replace(example, "server " + node.name + " " + example_address.at(node.name),
                "server " + node.name + " 127.0.0.1:" + std::to_string(node.port));
    replace(example, "backend keha_nodes\n    mode http\n",
            "backend keha_nodes\n    mode http\n    http-response set-header X-Keha-Node %s\n");
    return "global\n"
           "    maxconn 4096\n"
           "    log stdout format short local0 info\n"
           "defaults\n"
           "    log global\n"
           "    timeout connect 3s\n"
           "    timeout client 30s\n"
           "    timeout server 30s\n\n" +
           example +
           "\nlisten stats\n"
           "    bind 127.0.0.1:" + std::to_string(stats_port) + "\n"
           "    mode http\n"
           "    stats enable\n"
           "    stats uri /stats\n"
           "    stats refresh 0\n";
}

std::vector<std::string> split(const std::string& line, char by)
{
    std::vector<std::string> fields;
    std::stringstream in(line);
    for (std::string field; std::getline(in, field, by);) fields.push_back(field);
    return fields;
}

}  // namespace

std::uint16_t free_port()
{
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor acceptor(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

Haproxy::Haproxy(const fs::path& folder, const std::vector<Node>& nodes, const std::string& server_checks)
    : folder_(folder), port_(free_port()), stats_port_(free_port())
{
    const auto config = folder_ / "haproxy.cfg";
    std::ofstream(config) << test_config(port_, free_port(), stats_port_, nodes, server_checks);
    if (::access(KEHA_HAPROXY, X_OK) != 0) throw std::runtime_error("haproxy is not installed (apt-get install haproxy)");
    std::vector<std::string> args = {KEHA_HAPROXY, "-db", "-f", config.string()};
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        const int out = ::open((folder_ / "haproxy.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        ::dup2(out, 1);
        ::dup2(out, 2);
        close_range(3, ~0U, 0);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    for (int i = 0; i < 1000 && !(accepts(port_) && accepts(stats_port_)); ++i) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("haproxy did not start:\n" + log_text());
        }
        std::this_thread::sleep_for(10ms);
    }
    if (!accepts(port_)) throw std::runtime_error("haproxy did not listen:\n" + log_text());
}

Haproxy::~Haproxy()
{
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);  // haproxy's hard stop: it ends at once
    int status = 0;
    for (int i = 0; i < 500 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i) std::this_thread::sleep_for(10ms);
    if (::waitpid(pid_, &status, WNOHANG) == 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
    }
}

std::string Haproxy::status_of(const std::string& node) const
{
    const auto answer = itest::http_get(stats_port_, "/stats;csv");
    std::stringstream lines(answer.body);
    std::string line;
    if (!std::getline(lines, line) || !line.starts_with("# ")) return "";
    const auto header = split(line.substr(2), ',');
    std::size_t proxy = header.size(), server = header.size(), status = header.size();
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i] == "pxname") proxy = i;
        if (header[i] == "svname") server = i;
        if (header[i] == "status") status = i;
    }
    while (std::getline(lines, line)) {
        const auto fields = split(line, ',');
        if (fields.size() > status && fields[proxy] == "keha_nodes" && fields[server] == node) return fields[status];
    }
    return "";
}

bool Haproxy::wait_status(const std::string& node, const std::string& status, std::chrono::milliseconds timeout) const
{
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (status_of(node).starts_with(status)) return true;
        if (std::chrono::steady_clock::now() >= until) return false;
        std::this_thread::sleep_for(50ms);
    }
}

std::string Haproxy::node_for(const std::string& target) const
{
    return itest::http_get(port_, target).header("x-keha-node");
}

std::string Haproxy::log_text() const { return read_text(folder_ / "haproxy.log"); }

Cluster::Cluster(std::vector<std::string> flags, const std::string& server_checks) : flags_(std::move(flags))
{
    dsn_ = store_test::Pg_cluster::shared().new_database();
    std::vector<Haproxy::Node> nodes;
    for (const auto& name : node_names) {
        start_node(name, 0);
        nodes.push_back({name, ports_[name]});
    }
    haproxy_ = std::make_unique<Haproxy>(dir_.path(), nodes, server_checks);
    for (const auto& name : node_names)
        if (!haproxy_->wait_status(name, "UP", 10s))
            throw std::runtime_error(name + " is not UP in HAProxy: " + haproxy_->status_of(name) + "\n" +
                                     haproxy_->log_text());
}

Cluster::~Cluster()
{
    haproxy_.reset();
    nodes_.clear();
}

void Cluster::start_node(const std::string& name, std::uint16_t port)
{
    std::vector<std::string> args = {"--port", std::to_string(port), "--bind", "127.0.0.1", "--db", dsn_,
                                     "--assets", KEHA_TEST_ASSETS, "--trusted-proxy", "127.0.0.1"};
    args.insert(args.end(), flags_.begin(), flags_.end());
    nodes_[name].reset();
    nodes_[name] = std::make_unique<itest::Server_process>(dir_.path() / name, itest::Server_process::Exact_args{args});
    ports_[name] = nodes_[name]->port();
}

std::string Cluster::node_of(const std::string& code) const { return haproxy_->node_for("/api/rooms/" + code); }

void Cluster::kill(const std::string& name)
{
    auto& node = *nodes_.at(name);
    node.signal(SIGKILL);
    node.wait_exit(10s);
}

void Cluster::restart(const std::string& name)
{
    start_node(name, ports_.at(name));
    if (!haproxy_->wait_status(name, "UP", 20s))
        throw std::runtime_error(name + " did not come UP again in HAProxy: " + haproxy_->status_of(name));
}

}  // namespace keha::cluster_test
