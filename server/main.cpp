// keha-server: one command starts a meeting server on an embedded SQLite file.
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

#include "listener.hpp"
#include "log.hpp"
#include "room_registry.hpp"
#include "server_context.hpp"

using namespace keha::server;

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
    app.add_option("--organizer-key", options.organizer_key, "if set, creating a room needs this key (Bearer)");
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
    CLI11_PARSE(app, argc, argv);

    std::unique_ptr<Store> store;
    Assets assets;
    try {
        assets = load_assets(options.assets, argv[0]);
        store = std::make_unique<Store>(options.db);
    } catch (const std::exception& e) {
        std::cerr << "keha-server: " << e.what() << "\n";
        return 1;
    }

    const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    net::io_context ioc(static_cast<int>(threads));
    Server_context context{ioc, options, std::move(assets), *store};
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
    listener->run();
    registry.start_sweeping();

    const auto port = listener->local_endpoint().port();
    const std::string shown = options.bind == "0.0.0.0" ? "localhost" : options.bind;
    std::printf("Kehä is running: open http://%s:%u/ (database %s, assets %s)\n", shown.c_str(), port,
                options.db.c_str(), context.assets.root.c_str());
    std::fflush(stdout);
    log_line("listening", "port=" + std::to_string(port));

    net::signal_set signals(ioc, SIGINT, SIGTERM);
    net::steady_timer grace(ioc);
    signals.async_wait([&](beast::error_code ec, int) {
        if (ec) return;
        log_line("stopping");
        context.stopping = true;
        listener->stop();
        registry.shutdown();
        // Let the byes reach the members, then stop.
        grace.expires_after(std::chrono::milliseconds(300));
        grace.async_wait([&](beast::error_code) { ioc.stop(); });
    });

    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : pool) t.join();

    // Everything acknowledged is already durable; this writes out anything still queued.
    store.reset();
    log_line("stopped");
    std::fflush(stderr);
    // Sessions still parked in the io_context would outlive the registry they point to;
    // nothing is left to save, so leave without running their destructors.
    std::_Exit(0);
}
