#include "support/server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace keha::itest {

Temp_dir::Temp_dir()
{
    std::string pattern = (std::filesystem::temp_directory_path() / "keha-itest-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

Temp_dir::~Temp_dir()
{
    if (std::getenv("KEHA_KEEP_TEMP")) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

Server_process::Server_process(std::filesystem::path db, std::vector<std::string> extra) : db_(std::move(db))
{
    std::vector<std::string> args = {KEHA_SERVER_BIN, "--port", "0", "--db", db_.string(), "--assets", KEHA_TEST_ASSETS};
    // Loopback unless the test names its own address.
    if (std::find(extra.begin(), extra.end(), "--bind") == extra.end()) args.insert(args.end(), {"--bind", "127.0.0.1"});
    args.insert(args.end(), extra.begin(), extra.end());
    start(std::move(args));
}

Server_process::Server_process(std::filesystem::path db, Exact_args exact) : db_(std::move(db))
{
    std::vector<std::string> args = {KEHA_SERVER_BIN};
    args.insert(args.end(), exact.args.begin(), exact.args.end());
    start(std::move(args));
}

void Server_process::start(std::vector<std::string> args)
{
    log_ = db_;
    log_ += ".log";

    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    const int log_fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) throw std::runtime_error("cannot open the server log " + log_.string());

    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        // The child: stdout to the pipe, stderr (the log) to the file.
        dup2(out[1], STDOUT_FILENO);
        dup2(log_fd, STDERR_FILENO);
        execv(argv[0], argv.data());
        _exit(127);
    }
    ::close(out[1]);
    ::close(log_fd);
    stdout_fd_ = out[0];
    running_ = true;

    // Wait (bounded) for "Kehä is running: open http://127.0.0.1:PORT/ ...".
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (line.find('\n') == std::string::npos) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{stdout_fd_, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
        char buf[512];
        const ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
        if (n <= 0) break;
        line.append(buf, static_cast<std::size_t>(n));
    }
    std::smatch m;
    static const std::regex port_re(R"(Kehä is running: open https?://[^:/]+:(\d+)/)");
    if (!std::regex_search(line, m, port_re)) {
        signal(SIGKILL);
        wait_exit(std::chrono::seconds(5));
        throw std::runtime_error("keha-server did not start; stdout: \"" + line + "\"; log:\n" + log_text());
    }
    port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
    start_line_ = line;
}

Server_process::~Server_process()
{
    if (running_) {
        signal(SIGKILL);
        wait_exit(std::chrono::seconds(10));
    }
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
    // Under the sanitizers (`make test` builds the asan preset) a report in the server's log
    // fails the run, also when the server outlives the tests (the shared one, at exit).
    const std::string log = log_text();
    for (const char* mark : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"}) {
        if (log.find(mark) == std::string::npos) continue;
        if (::testing::UnitTest::GetInstance()->current_test_info()) {
            ADD_FAILURE() << "keha-server's sanitizer report:\n" << log;
        } else {
            std::fprintf(stderr, "keha-server's sanitizer report:\n%s\n", log.c_str());
            std::_Exit(1);
        }
        break;
    }
}

void Server_process::signal(int sig)
{
    if (running_) ::kill(pid_, sig);
}

std::optional<int> Server_process::wait_exit(std::chrono::milliseconds timeout)
{
    if (!running_) return std::nullopt;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        const pid_t r = waitpid(pid_, &status, WNOHANG);
        if (r == pid_) {
            running_ = false;
            return status;
        }
        if (r < 0) {
            running_ = false;
            return std::nullopt;
        }
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

std::string Server_process::log_text() const
{
    std::ifstream in(log_);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace keha::itest
