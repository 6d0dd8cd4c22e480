// keha-server: one command starts a meeting server on an embedded SQLite file.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

#include "cli.hpp"
#include "exception_boundary.hpp"
#include "listener.hpp"
#include "log.hpp"
#include "metrics_listener.hpp"
#include "public_url.hpp"
#include "retention.hpp"
#include "room_registry.hpp"
#include "server_context.hpp"
#include "store_backup.hpp"
#include "store_check.hpp"
#include "tls_config.hpp"

using namespace keha::server;

namespace {

// The first line of a file that holds a secret (`what`), without trailing blanks.
std::string secret_from_file(const std::string& file, const std::string& what)
{
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read the " + what + " file " + file);
    std::string key;
    std::getline(in, key);
    while (!key.empty() && (key.back() == '\r' || key.back() == ' ' || key.back() == '\t')) key.pop_back();
    if (key.empty()) throw std::runtime_error("the " + what + " file " + file + " is empty");
    return key;
}

// The organizer key from --organizer-key-file (its first line) or KEHA_ORGANIZER_KEY, so it
// need not sit on the command line where every local user can read it.
std::string organizer_key_from(const Options& options)
{
    if (!options.organizer_key_file.empty()) return secret_from_file(options.organizer_key_file, "organizer key");
    if (const char* env = std::getenv("KEHA_ORGANIZER_KEY"); env && *env) return env;
    return {};
}

// keha-server backup FILE: what it copied on stdout, or why not on stderr.
int run_backup(const Command_line& command_line)
{
    const auto& db = command_line.options.db;
    const auto& file = command_line.backup.file;
    try {
        const auto copied = backup_store(db, file, command_line.backup.force);
        std::printf("backup: copied %s to %s: %lld rooms, %lld ops, %lld bytes\n", db.c_str(), file.c_str(),
                    static_cast<long long>(copied.rooms), static_cast<long long>(copied.ops),
                    static_cast<long long>(copied.bytes));
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "keha-server backup: %s\n", e.what());
        return 1;
    }
}

// keha-server check [FILE]: a line per problem, then a summary; 0 only when all is well.
int run_check(const Command_line& command_line)
{
    const auto& db = command_line.check.file.empty() ? command_line.options.db : command_line.check.file;
    const auto result = check_store(db);
    for (const auto& problem : result.problems) std::printf("problem: %s\n", problem.c_str());
    if (result.ok())
        std::printf("check: %s is whole: schema version %lld, %lld rooms replayed, %lld ops\n", db.c_str(),
                    static_cast<long long>(result.schema_version), static_cast<long long>(result.rooms),
                    static_cast<long long>(result.ops));
    else
        std::printf("check: %s has %zu problem%s (%lld rooms looked at)\n", db.c_str(), result.problems.size(),
                    result.problems.size() == 1 ? "" : "s", static_cast<long long>(result.rooms));
    return result.ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app;
    Command_line command_line;
    define_command_line(app, command_line);
    if (auto exit_code = parse_command_line(app, command_line, argc, argv)) return *exit_code;
    Options& options = command_line.options;
    set_log_level(log_level_named(options.log_level).value_or(Log_level::info));
    if (command_line.command == Command_line::Command::backup) return run_backup(command_line);
    if (command_line.command == Command_line::Command::check) return run_check(command_line);
    if (!options.public_url.empty())
        if (auto problem = check_public_url(options.public_url)) {
            std::cerr << "keha-server: --public-url " << *problem << " (got \"" << options.public_url << "\")\n";
            return 2;
        }
    if (!options.organizer_key.empty())
        log_warning("organizer_key_on_command_line",
                 "other local users can read it; use --organizer-key-file or KEHA_ORGANIZER_KEY");

    std::unique_ptr<Store> store;
    std::string metrics_token;
    Assets assets;
    std::shared_ptr<Tls_config> tls;
    Trusted_proxies proxies;
    try {
        assets = load_assets(options.assets, argv[0]);
        if (options.organizer_key.empty()) options.organizer_key = organizer_key_from(options);
        if (!options.metrics_token_file.empty()) metrics_token = secret_from_file(options.metrics_token_file, "metrics token");
        if (!options.tls_cert.empty()) tls = std::make_shared<Tls_config>(options.tls_cert, options.tls_key);
        proxies = Trusted_proxies(options.trusted_proxies);
        store = std::make_unique<Store>(options.db);
    } catch (const std::exception& e) {
        std::cerr << "keha-server: " << e.what() << "\n";
        return 1;
    }

    const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    net::io_context ioc(static_cast<int>(threads));
    Blocking_pool blocking;
    Server_context context{ioc, options, std::move(assets), *store, blocking};
    context.tls = tls;
    context.trusted_proxies = std::move(proxies);
    context.metrics_token = std::move(metrics_token);
    Room_registry registry(context);
    context.rooms = &registry;

    std::shared_ptr<Listener> listener;
    try {
        listener = std::make_shared<Listener>(context, tcp::endpoint(net::ip::make_address(options.bind), options.port));
    } catch (const std::exception& e) {
        std::cerr << "keha-server: cannot listen on " << options.bind << ":" << options.port << ": " << e.what()
                  << "\n(is another server running there? choose another --port)\n";
        return 1;
    }
    std::shared_ptr<Metrics_listener> metrics_listener;
    if (!options.metrics_bind.empty()) {
        try {
            metrics_listener = std::make_shared<Metrics_listener>(context, *parse_endpoint(options.metrics_bind));
        } catch (const std::exception& e) {
            std::cerr << "keha-server: cannot listen for metrics on " << options.metrics_bind << ": " << e.what()
                      << "\n(choose another --metrics-bind)\n";
            return 1;
        }
    }
    context.wall = wall_address(options, listener->local_endpoint().port(), tls != nullptr);
    listener->run();
    if (metrics_listener) {
        metrics_listener->run();
        // Before the start line: whoever waits for that line finds the metrics port too.
        const auto at = metrics_listener->local_endpoint();
        log_info("metrics_listening", "address=" + at.address().to_string() + " port=" + std::to_string(at.port()));
    }
    registry.start_sweeping();
    Retention_sweep retention(context);
    retention.start();

    // SIGHUP reads the certificate and key again (a renewed certificate); open connections stay.
    // Set up before the start line, which tells a supervisor that signals may come.
    net::signal_set reload_signal(ioc, SIGHUP);
    std::function<void()> wait_for_reload = [&] {
        reload_signal.async_wait([&](beast::error_code ec, int) {
            if (ec) return;
            if (!tls) log_warning("reload", "no --tls-cert; nothing to reload");
            else if (auto error = tls->reload()) log_error("tls_reload_failed", *error + "; the old certificate stays");
            else log_info("tls_reloaded");
            wait_for_reload();
        });
    };
    wait_for_reload();

    // Stopping is set up before the start line too: a supervisor may signal as soon as it sees it.
    net::signal_set signals(ioc, SIGINT, SIGTERM);
    net::steady_timer grace(ioc);
    signals.async_wait([&](beast::error_code ec, int) {
        if (ec) return;
        log_info("stopping");
        context.stopping = true;
        reload_signal.cancel();
        listener->stop();
        if (metrics_listener) metrics_listener->stop();
        registry.shutdown();
        retention.stop();
        // Let the byes reach the members, then stop.
        grace.expires_after(std::chrono::milliseconds(300));
        grace.async_wait([&](beast::error_code) { ioc.stop(); });
    });

    // Without TLS, keys and meeting text cross the meeting network readable by anyone on it.
    const auto bound = net::ip::make_address(options.bind);
    if (!tls && !bound.is_loopback() && context.trusted_proxies.empty())
        log_warning("serving_in_clear", "no --tls-cert: keys and meeting text cross the network unencrypted; "
                                     "give a certificate or serve behind a TLS proxy (docs/security.md)");
    const auto port = listener->local_endpoint().port();
    const std::string shown = options.bind == "0.0.0.0" ? "localhost" : options.bind;
    std::printf("Kehä is running: open %s://%s:%u/ (database %s, assets %s)\n", tls ? "https" : "http", shown.c_str(), port,
                options.db.c_str(), context.assets.root.c_str());
    std::printf("Participants join at %s (on the wall and in its QR code)\n", context.wall.base.c_str());
    std::fflush(stdout);
    if (context.wall.loopback)
        log_warning("wall_address_loopback", "the wall shows " + context.wall.base +
                                              ", which only this machine can open; give --public-url or --bind 0.0.0.0");
    else if (!context.wall.from_public_url && !context.trusted_proxies.empty())
        log_warning("wall_address_guessed", "behind a proxy without --public-url: the wall shows the address the proxy "
                                            "forwards (X-Forwarded-Proto and -Host), else " + context.wall.base);
    log_info("listening", "port=" + std::to_string(port) + (tls ? " tls" : ""));

    // The last exception boundary: each entry point has its own (exception_boundary.hpp), so
    // this only catches what slipped past them; the thread logs it and goes back to work.
    auto run = [&ioc] {
        for (;;) {
            try {
                ioc.run();
                return;
            } catch (...) {
                log_exception("io_context");
            }
        }
    };
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i) pool.emplace_back(run);
    run();
    for (auto& t : pool) t.join();

    blocking.stop();
    // Everything acknowledged is already durable; this writes out anything still queued.
    store.reset();
    log_info("stopped");
    std::fflush(stderr);
    // Sessions still parked in the io_context would outlive the registry they point to;
    // nothing is left to save, so leave without running their destructors.
    std::_Exit(0);
}
