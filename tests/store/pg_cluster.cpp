#include "pg_cluster.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "pg_connection.hpp"

namespace keha::store_test {

namespace {

namespace fs = std::filesystem;

std::string tool(const char* name) { return std::string(KEHA_PG_BINDIR) + "/" + name; }

std::string tail_of(const std::string& file)
{
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    auto s = text.str();
    return s.size() > 3000 ? s.substr(s.size() - 3000) : s;
}

// Runs `argv` in `folder` with its output appended to `log`, as `postgres` when we are root;
// its exit status. Descriptors beyond stderr are closed, so a server it starts holds none of
// the test's pipes open.
int run_tool(std::vector<std::string> argv, const std::string& folder, const std::string& log)
{
    if (geteuid() == 0) argv.insert(argv.begin(), {"runuser", "-u", "postgres", "--"});
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    const pid_t child = fork();
    if (child < 0) throw std::runtime_error("fork failed");
    if (child == 0) {
        const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        const int in = ::open("/dev/null", O_RDONLY);
        if (out < 0 || in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0 || chdir(folder.c_str()) != 0)
            _exit(126);
        close_range(3, ~0U, 0);
        execvp(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0)
        if (errno != EINTR) throw std::runtime_error("waitpid failed");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void make_folder_the_servers(const std::string& folder)
{
    if (geteuid() != 0) return;
    const passwd* user = getpwnam("postgres");
    if (!user)
        throw std::runtime_error("the tests run as root and there is no `postgres` user to run PostgreSQL as "
                                 "(install postgresql-15, or run the tests as another user)");
    if (chown(folder.c_str(), user->pw_uid, user->pw_gid) != 0) throw std::runtime_error("chown " + folder + " failed");
}

std::string new_folder()
{
    // A Unix socket's path is at most ~100 bytes: a long TMPDIR gives way to /tmp.
    auto base = fs::temp_directory_path();
    if (base.string().size() > 60) base = "/tmp";
    std::string pattern = (base / "keha-pg-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed in " + base.string());
    return pattern;
}

}  // namespace

Pg_cluster Pg_cluster::start()
{
    Pg_cluster cluster(new_folder(), true);
    const auto& folder = cluster.folder_;
    try {
        make_folder_the_servers(folder);
        // fsync off: a test cluster is thrown away; a server crash (immediate stop) still loses
        // nothing committed, as the operating system keeps what was written.
        if (run_tool({tool("initdb"), "-D", folder + "/data", "-U", "keha", "-A", "trust", "-E", "UTF8", "--locale=C",
                      "--no-sync", "--no-instructions"},
                     folder, folder + "/tools.log") != 0)
            throw std::runtime_error("initdb failed:\n" + tail_of(folder + "/tools.log"));
        cluster.run_server("start");
    } catch (...) {
        std::error_code ec;
        fs::remove_all(folder, ec);
        cluster.owned_ = false;
        throw;
    }
    return cluster;
}

Pg_cluster Pg_cluster::attach(const std::string& folder) { return Pg_cluster(folder, false); }

Pg_cluster& Pg_cluster::shared()
{
    static std::unique_ptr<Pg_cluster> cluster = [] {
        if (const char* file = std::getenv("KEHA_TEST_PG_FOLDER_FILE")) {
            std::ifstream in(file);
            std::string folder;
            if (!std::getline(in, folder) || !fs::exists(folder + "/data"))
                throw std::runtime_error(std::string("no test cluster named in ") + file +
                                         " (the ctest fixture pg.cluster.start did not run?)");
            return std::make_unique<Pg_cluster>(attach(folder));
        }
        return std::make_unique<Pg_cluster>(start());
    }();
    return *cluster;
}

Pg_cluster::Pg_cluster(Pg_cluster&& other) noexcept : folder_(std::move(other.folder_)), owned_(other.owned_)
{
    other.owned_ = false;
}

Pg_cluster::~Pg_cluster()
{
    if (!owned_) return;
    try {
        stop();
    } catch (...) {
    }
}

void Pg_cluster::run_server(const char* action, const char* mode)
{
    std::vector<std::string> argv{tool("pg_ctl"), "-D", folder_ + "/data", "-w", "-t", "60"};
    if (mode) argv.insert(argv.end(), {"-m", mode});
    if (std::string(action) == "start")
        argv.insert(argv.end(), {"-l", folder_ + "/server.log", "-o",
                                 "-k '" + folder_ + "' -h '' -c fsync=off -c max_connections=200"});
    argv.push_back(action);
    if (run_tool(argv, folder_, folder_ + "/tools.log") != 0)
        throw std::runtime_error(std::string("pg_ctl ") + action + " failed:\n" + tail_of(folder_ + "/tools.log") +
                                 "\n" + tail_of(folder_ + "/server.log"));
}

std::string Pg_cluster::dsn(const std::string& name) const
{
    return "postgresql:///" + name + "?host=" + folder_ + "&user=keha";
}

std::string Pg_cluster::new_database()
{
    static std::atomic<int> made{0};
    const std::string name = "t" + std::to_string(getpid()) + "_" + std::to_string(made++);
    server::Pg_connection admin(dsn("postgres"));
    admin.exec("CREATE DATABASE " + name + " STRATEGY = FILE_COPY");
    return dsn(name);
}

void Pg_cluster::crash_and_restart()
{
    run_server("stop", "immediate");
    run_server("start");
}

void Pg_cluster::stop()
{
    if (fs::exists(folder_ + "/data/postmaster.pid")) run_server("stop", "fast");
    std::error_code ec;
    fs::remove_all(folder_, ec);
    owned_ = false;
}

}  // namespace keha::store_test
