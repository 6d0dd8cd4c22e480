#pragma once
// The real keha-server, started as a child process on a loopback port with a database in
// a temporary folder. The destructor kills it (SIGKILL) if it is still running.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace keha::itest {

// A temporary folder removed with everything in it when this goes away.
class Temp_dir {
public:
    Temp_dir();
    ~Temp_dir();
    Temp_dir(const Temp_dir&) = delete;
    Temp_dir& operator=(const Temp_dir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

class Server_process {
public:
    // Starts keha-server --port 0 --bind 127.0.0.1 --db `db` plus `extra` flags and waits for
    // the line that tells its port. Fails the current test (and throws) if it does not start.
    Server_process(std::filesystem::path db, std::vector<std::string> extra = {});
    // Starts keha-server with exactly `args` (e.g. only --config FILE), as an operator would;
    // `db` is where the configuration puts the database (its log goes beside it).
    struct Exact_args {
        std::vector<std::string> args;
    };
    Server_process(std::filesystem::path db, Exact_args exact);
    ~Server_process();
    Server_process(const Server_process&) = delete;
    Server_process& operator=(const Server_process&) = delete;

    std::uint16_t port() const { return port_; }
    pid_t pid() const { return pid_; }
    const std::filesystem::path& db() const { return db_; }
    const std::filesystem::path& log_path() const { return log_; }

    void signal(int sig);
    // Waits for the process to end; the raw waitpid status, or nothing on timeout.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout);
    bool running() const { return running_; }
    // What it printed until it was listening ("Kehä is running: open …").
    const std::string& start_line() const { return start_line_; }
    std::string log_text() const;

private:
    void start(std::vector<std::string> args);

    std::filesystem::path db_, log_;
    std::string start_line_;
    pid_t pid_ = -1;
    int stdout_fd_ = -1;
    std::uint16_t port_ = 0;
    bool running_ = false;
};

}  // namespace keha::itest
