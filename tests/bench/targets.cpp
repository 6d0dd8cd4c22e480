#include "targets.hpp"

#include "pg_cluster.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace bench {

namespace {

// Every run gets a store of its own: a new file (removed with the bench's folder at the end).
std::string new_file(const std::string& dir, const std::string& name)
{
    static int runs = 0;
    return dir + "/" + name + "-" + std::to_string(++runs) + ".db";
}

constexpr const char* metrics_token = "keha-bench-reads-the-metrics";

// The token that lets the bench read keha-server's /metrics on its port (the commits and the
// pages they wrote); only this user may read it.
std::string metrics_token_file(const std::string& dir)
{
    const std::string file = dir + "/metrics-token";
    std::ofstream(file) << metrics_token << "\n";
    std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    return file;
}

std::vector<std::string> command_line(const Target& target, const std::string& dir)
{
    if (target.kind == Target::Kind::relay) {
        std::vector<std::string> args{"node", KEHA_BENCH_PEERS "/relay.mjs", "--port", "0"};
        if (target.store == "sqlite") args.insert(args.end(), {"--db", new_file(dir, "relay")});
        return args;
    }
    // keha-pg without a URL: a new database in a throw-away cluster (tests/store/pg_cluster.hpp)
    // that this process starts on first use and stops when it ends.
    const std::string db = target.store == "pg"   ? keha::store_test::Pg_cluster::shared().new_database()
                           : target.store.empty() ? new_file(dir, "keha")
                                                  : target.store;
    // One loopback address plays every laptop: no per-address limits, no size limits.
    // KEHA_BENCH_SERVER: another build of keha-server to measure (another branch's, say).
    const char* other = std::getenv("KEHA_BENCH_SERVER");
    const std::string binary = !target.binary.empty() ? target.binary : other ? other : KEHA_SERVER_BIN;
    return {binary, "--metrics-token-file", metrics_token_file(dir), "--port", "0", "--bind", "127.0.0.1", "--db", db, "--rate", "1000000", "--burst",
            "1000000", "--queue-limit", "100000", "--max-connections-per-address", "0", "--rooms-per-hour", "0",
            "--room-members", "0", "--room-participants", "0", "--room-items", "0", "--room-bytes", "0",
            "--participant-bytes", "0", "--log-level", "error"};
}

// The soft limit a systemd service starts with (1,024; the hard limit stays, a server may raise
// itself to it), or the one the shipped unit sets (LimitNOFILE=65536; here at most the hard limit).
void service_file_limit(bool unit)
{
    rlimit lim{};
    getrlimit(RLIMIT_NOFILE, &lim);
    lim.rlim_cur = std::min<rlim_t>(unit ? 65536 : 1024, lim.rlim_max);
    setrlimit(RLIMIT_NOFILE, &lim);
}

std::string read_first_line(int fd)
{
    std::string line;
    char c;
    while (read(fd, &c, 1) == 1 && c != '\n') line += c;
    return line;
}

double ticks_to_s(const std::string& stat)
{
    // Fields after the command's closing parenthesis: state is 3rd, utime 14th, stime 15th.
    std::istringstream in(stat.substr(stat.rfind(')') + 2));
    std::string field;
    double utime = 0, stime = 0;
    for (int i = 3; i <= 15 && in >> field; ++i) {
        if (i == 14) utime = std::stod(field);
        if (i == 15) stime = std::stod(field);
    }
    return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

Server::Server(const Target& target, const std::string& dir)
{
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    auto args = command_line(target, dir);
    keha_ = target.kind == Target::Kind::keha;
    for (std::size_t i = 0; i + 1 < args.size(); ++i)
        if (args[i] == "--db" && args[i + 1].rfind(dir, 0) == 0) db_ = args[i + 1];
    args.insert(args.begin(), target.wrapper.begin(), target.wrapper.end());
    if (!target.wrapper.empty()) stop_s_ = 120;
    pid_ = fork();
    if (pid_ == 0) {
        dup2(out[1], 1);
        close(out[0]);
        service_file_limit(target.unit_file_limit);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        if (!std::getenv("KEHA_BENCH_SERVER_LOG")) (void)!freopen("/dev/null", "w", stderr);
        execvp(argv[0], argv.data());
        _exit(127);
    }
    close(out[1]);
    const std::string line = read_first_line(out[0]);
    close(out[0]);
    const auto at = line.find("http://");
    const auto colon = at == std::string::npos ? at : line.find(':', at + 7);
    if (colon == std::string::npos) throw std::runtime_error(target.name + " did not start: " + line);
    port_ = static_cast<unsigned short>(std::stoi(line.substr(colon + 1)));
}

Server::~Server()
{
    kill(pid_, SIGTERM);
    int status = 0;
    bool stopped = false;
    for (int i = 0; i < stop_s_ * 10 && !stopped; ++i) {  // time to stop, then it is killed
        stopped = waitpid(pid_, &status, WNOHANG) == pid_;
        if (!stopped) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!stopped) kill(pid_, SIGKILL), waitpid(pid_, &status, 0);
    remove_store();
}

void Server::remove_store() const
{
    if (db_.empty() || keep_store_) return;
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((db_ + suffix).c_str());
}

double Server::cpu_s() const
{
    std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return stat.empty() ? 0 : ticks_to_s(stat);
}

long Server::rss_kib() const
{
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    std::string key;
    long value = 0;
    while (in >> key) {
        if (key == "VmRSS:") return in >> value, value;
        in.ignore(1 << 12, '\n');
    }
    return 0;
}

// One HTTP/1.1 request to the server and its whole answer ("" when it could not be sent).
std::string Server::http(const std::string& head, const std::string& body) const
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port_);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval limit{30, 0};  // a server that stopped accepting must not stop the bench
    if (fd >= 0) {
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    }
    if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
        if (fd >= 0) close(fd);
        return {};
    }
    const std::string request = head + "Host: 127.0.0.1\r\nConnection: close\r\nContent-Length: " +
                                std::to_string(body.size()) + "\r\n\r\n" + body;
    (void)!write(fd, request.data(), request.size());
    std::string answer;
    char buffer[4096];
    for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) answer.append(buffer, static_cast<std::size_t>(n));
    close(fd);
    return answer;
}

std::string Server::create_room(const std::string& title) const
{
    const std::string answer = http("POST /api/rooms HTTP/1.1\r\nContent-Type: application/json\r\n",
                                    "{\"title\":\"" + title + "\"}");
    const auto at = answer.find("\"code\":\"");
    if (at == std::string::npos) return {};
    return answer.substr(at + 8, answer.find('"', at + 8) - at - 8);
}

double Server::metric(const std::string& name) const
{
    if (!keha_) return -1;
    const std::string text =
        http("GET /metrics HTTP/1.1\r\nAuthorization: Bearer " + std::string(metrics_token) + "\r\n", "");
    const auto at = text.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stod(text.substr(at + name.size() + 2));
}

double own_cpu_s()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::string machine_description()
{
    std::ifstream cpu("/proc/cpuinfo");
    std::string line, model = "unknown CPU";
    while (std::getline(cpu, line))
        if (line.rfind("model name", 0) == 0) {
            model = line.substr(line.find(':') + 2);
            break;
        }
    std::ifstream mem("/proc/meminfo");
    std::string key;
    long kib = 0;
    mem >> key >> kib;
    utsname u{};
    uname(&u);
    return std::to_string(sysconf(_SC_NPROCESSORS_ONLN)) + " cores (nproc), " + model + ", " +
           std::to_string(kib / 1024 / 1024) + " GiB memory, Linux " + u.release;
}

std::string load_average()
{
    std::ifstream in("/proc/loadavg");
    std::string one, five, fifteen;
    in >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

std::string hello_json(const std::string& code, const std::string& name)
{
    return R"({"type":"hello","room":")" + code + R"(","name":")" + name + R"(","group":"professional"})";
}

std::string add_json(const std::string& id, const std::string& text, const char* board, const char* column)
{
    return R"({"type":"do","id":")" + id + R"(","cmd":"item.add","args":{"board":")" + board + R"(","column":")" +
           column + R"(","text":")" + text + R"("}})";
}

std::string edit_json(const std::string& id, const std::string& item, const std::string& text)
{
    return R"({"type":"do","id":")" + id + R"(","cmd":"item.edit","args":{"board":"plan","id":")" + item +
           R"(","text":")" + text + R"("}})";
}

}  // namespace bench
