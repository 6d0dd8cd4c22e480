// keha-server: one command starts a meeting server on an embedded SQLite file.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>

#include "exception_boundary.hpp"
#include "listener.hpp"
#include "log.hpp"
#include "public_url.hpp"
#include "request_origin.hpp"
#include "retention.hpp"
#include "room_registry.hpp"
#include "server_context.hpp"
#include "tls_config.hpp"

using namespace keha::server;

namespace {

// The organizer key from --organizer-key-file (its first line) or KEHA_ORGANIZER_KEY, so it
// need not sit on the command line where every local user can read it.
std::string organizer_key_from(const Options& options)
{
    if (!options.organizer_key_file.empty()) {
        std::ifstream in(options.organizer_key_file);
        if (!in) throw std::runtime_error("cannot read the organizer key file " + options.organizer_key_file);
        std::string key;
        std::getline(in, key);
        while (!key.empty() && (key.back() == '\r' || key.back() == ' ' || key.back() == '\t')) key.pop_back();
        if (key.empty()) throw std::runtime_error("the organizer key file " + options.organizer_key_file + " is empty");
        return key;
    }
    if (const char* env = std::getenv("KEHA_ORGANIZER_KEY"); env && *env) return env;
    return {};
}

}  // namespace

int main(int argc, char** argv)
{
    Options options;
    CLI::App app{"keha-server: the Kehä dialogue facilitation server (HTTP, WebSocket and the browser view on one port)"};
    app.set_version_flag("--version", std::string("keha-server ") + KEHA_VERSION);
    app.add_option("--port", options.port, "TCP port (0 picks a free one)")->capture_default_str();
    app.add_option("--bind", options.bind, "address to listen on; 0.0.0.0 lets laptops on the meeting-room network join")
        ->capture_default_str();
    app.add_option("--db", options.db, "SQLite database file")->capture_default_str();
    app.add_option("--assets", options.assets, "folder with templates/, i18n/ and web/ (found by itself when empty)");
    auto* key_option = app.add_option("--organizer-key", options.organizer_key,
                                      "if set, creating a room needs this key (Bearer); other local users can read "
                                      "a command line, so prefer --organizer-key-file or KEHA_ORGANIZER_KEY");
    app.add_option("--organizer-key-file", options.organizer_key_file,
                   "file whose first line is the organizer key (or set KEHA_ORGANIZER_KEY)")
        ->check(CLI::ExistingFile)->excludes(key_option);
    auto* cert_option = app.add_option("--tls-cert", options.tls_cert,
                                       "PEM certificate (chain): serve HTTPS and WSS on the port; SIGHUP reloads it")
                            ->check(CLI::ExistingFile);
    auto* tls_key_option = app.add_option("--tls-key", options.tls_key, "PEM private key of --tls-cert")
                               ->check(CLI::ExistingFile);
    cert_option->needs(tls_key_option);
    tls_key_option->needs(cert_option);
    app.add_option("--trusted-proxy", options.trusted_proxies,
                   "address or CIDR network of a reverse proxy whose X-Forwarded-For/-Proto/-Host are believed "
                   "(repeatable)");
    app.add_option("--allowed-origin", options.allowed_origins,
                   "a browser origin (https://host[:port]) allowed besides the server's own (repeatable)")
        ->check([](const std::string& origin) {
            return normalize_origin(origin).empty() ? "must look like https://host[:port]" : std::string();
        });
    app.add_option("--public-url", options.public_url,
                   "the address participants open, shown on the wall and in its QR code (https://host[:port][/path]); "
                   "without it, this machine's address on the network. Needed behind a TLS proxy")
        ->envname("KEHA_PUBLIC_URL");
    app.add_option("--threads", options.threads, "I/O threads (0: one per core)")->capture_default_str();
    app.add_option("--queue-limit", options.queue_limit, "messages waiting for one member before it is dropped")
        ->capture_default_str()->check(CLI::Range(1, 1 << 20));
    app.add_option("--rate", options.rate_per_s, "messages per second one member may send, sustained")
        ->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--burst", options.rate_burst, "messages one member may send at once")
        ->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--snapshot-every", options.snapshot_every, "ops between state snapshots")->capture_default_str();
    app.add_option("--idle-unload", options.idle_unload_s, "seconds before a room nobody uses leaves memory")
        ->capture_default_str();
    app.add_option("--retention-days", options.retention_days,
                   "days a meeting is kept after it closed; a meeting never closed, after its last change")
        ->capture_default_str()->check(CLI::Range(1, 36500));
    app.add_option("--access-log-days", options.access_log_days,
                   "days an access-log row is kept (and at least as long as its meeting)")
        ->capture_default_str()->check(CLI::Range(1, 36500));
    // Limits (limits.hpp, docs/security.md "Limits"); 0 turns one off.
    auto& limits = options.limits;
    app.add_option("--max-connections-per-address", limits.connections_per_address,
                   "open connections one client address may have")->capture_default_str();
    app.add_option("--rooms-per-hour", limits.rooms_per_hour, "rooms one client address may create in an hour")
        ->capture_default_str();
    app.add_option("--processes-per-hour", limits.processes_per_hour,
                   "processes one client address may create in an hour")->capture_default_str();
    app.add_option("--code-tries", limits.code_tries, "wrong room codes one client address may try at once")
        ->capture_default_str();
    app.add_option("--code-tries-per-minute", limits.code_tries_per_minute,
                   "wrong room codes one client address may try a minute after those")
        ->capture_default_str()->check(CLI::PositiveNumber);
    app.add_option("--code-tries-global-per-s", limits.code_tries_global_per_s,
                   "wrong room codes a second from all addresses that have missed before")
        ->capture_default_str()->check(CLI::NonNegativeNumber);
    app.add_option("--code-tries-global", limits.code_tries_global, "... and at once")->capture_default_str();
    app.add_option("--room-bytes", limits.room_bytes, "bytes of history a room may store from participants")
        ->capture_default_str();
    app.add_option("--participant-bytes", limits.participant_bytes, "bytes of history one participant may store")
        ->capture_default_str();
    app.add_option("--room-items", limits.room_items, "items a room may hold")->capture_default_str();
    app.add_option("--room-members", limits.room_members, "participant connections a room may have at once")
        ->capture_default_str();
    app.add_option("--room-participants", limits.room_participants, "participants who may join one room")
        ->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    if (!options.public_url.empty())
        if (auto problem = check_public_url(options.public_url)) {
            std::cerr << "keha-server: --public-url " << *problem << " (got \"" << options.public_url << "\")\n";
            return 2;
        }
    if (!options.organizer_key.empty())
        log_line("organizer_key_on_command_line",
                 "other local users can read it; use --organizer-key-file or KEHA_ORGANIZER_KEY");

    std::unique_ptr<Store> store;
    Assets assets;
    std::shared_ptr<Tls_config> tls;
    Trusted_proxies proxies;
    try {
        assets = load_assets(options.assets, argv[0]);
        if (options.organizer_key.empty()) options.organizer_key = organizer_key_from(options);
        if (!options.tls_cert.empty()) tls = std::make_shared<Tls_config>(options.tls_cert, options.tls_key);
        proxies = Trusted_proxies(options.trusted_proxies);
        store = std::make_unique<Store>(options.db);
    } catch (const std::exception& e) {
        std::cerr << "keha-server: " << e.what() << "\n";
        return 1;
    }

    const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    net::io_context ioc(static_cast<int>(threads));
    Server_context context{ioc, options, std::move(assets), *store};
    context.tls = tls;
    context.trusted_proxies = std::move(proxies);
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
    context.wall = wall_address(options, listener->local_endpoint().port(), tls != nullptr);
    listener->run();
    registry.start_sweeping();
    Retention_sweep retention(context);
    retention.start();

    // SIGHUP reads the certificate and key again (a renewed certificate); open connections stay.
    // Set up before the start line, which tells a supervisor that signals may come.
    net::signal_set reload_signal(ioc, SIGHUP);
    std::function<void()> wait_for_reload = [&] {
        reload_signal.async_wait([&](beast::error_code ec, int) {
            if (ec) return;
            if (!tls) log_line("reload", "no --tls-cert; nothing to reload");
            else if (auto error = tls->reload()) log_line("tls_reload_failed", *error + "; the old certificate stays");
            else log_line("tls_reloaded");
            wait_for_reload();
        });
    };
    wait_for_reload();

    // Stopping is set up before the start line too: a supervisor may signal as soon as it sees it.
    net::signal_set signals(ioc, SIGINT, SIGTERM);
    net::steady_timer grace(ioc);
    signals.async_wait([&](beast::error_code ec, int) {
        if (ec) return;
        log_line("stopping");
        context.stopping = true;
        reload_signal.cancel();
        listener->stop();
        registry.shutdown();
        retention.stop();
        // Let the byes reach the members, then stop.
        grace.expires_after(std::chrono::milliseconds(300));
        grace.async_wait([&](beast::error_code) { ioc.stop(); });
    });

    // Without TLS, keys and meeting text cross the meeting network readable by anyone on it.
    const auto bound = net::ip::make_address(options.bind);
    if (!tls && !bound.is_loopback() && context.trusted_proxies.empty())
        log_line("serving_in_clear", "no --tls-cert: keys and meeting text cross the network unencrypted; "
                                     "give a certificate or serve behind a TLS proxy (docs/security.md)");
    const auto port = listener->local_endpoint().port();
    const std::string shown = options.bind == "0.0.0.0" ? "localhost" : options.bind;
    std::printf("Kehä is running: open %s://%s:%u/ (database %s, assets %s)\n", tls ? "https" : "http", shown.c_str(), port,
                options.db.c_str(), context.assets.root.c_str());
    std::printf("Participants join at %s (on the wall and in its QR code)\n", context.wall.base.c_str());
    std::fflush(stdout);
    if (context.wall.loopback)
        log_line("wall_address_loopback", "the wall shows " + context.wall.base +
                                              ", which only this machine can open; give --public-url or --bind 0.0.0.0");
    else if (!context.wall.from_public_url && !context.trusted_proxies.empty())
        log_line("wall_address_guessed", "behind a proxy, give --public-url: the wall shows " + context.wall.base);
    log_line("listening", "port=" + std::to_string(port) + (tls ? " tls" : ""));

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

    // Everything acknowledged is already durable; this writes out anything still queued.
    store.reset();
    log_line("stopped");
    std::fflush(stderr);
    // Sessions still parked in the io_context would outlive the registry they point to;
    // nothing is left to save, so leave without running their destructors.
    std::_Exit(0);
}
