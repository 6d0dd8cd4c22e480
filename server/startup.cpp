#include "startup.hpp"

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "log.hpp"
#include "metrics.hpp"
#include "pg_connection.hpp"
#include "public_url.hpp"
#include "server.hpp"
#include "tls_config.hpp"

namespace keha::server {
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

// Options each fine alone that make no sense: said on stderr, with the exit status.
std::optional<int> refused(const Options& options)
{
    if (!options.public_url.empty())
        if (auto problem = check_public_url(options.public_url)) {
            std::cerr << "keha-server: --public-url " << *problem << " (got \"" << options.public_url << "\")\n";
            return 2;
        }
    if (!options.organizer_key.empty())
        log_warning("organizer_key_on_command_line",
                    "other local users can read it; use --organizer-key-file or KEHA_ORGANIZER_KEY");
    if (is_postgres_dsn(options.db) && dsn_has_password(options.db))
        log_warning("db_password_in_url", "other local users can read --db and the config file; put the password in "
                                          "a passfile (PGPASSFILE) instead (docs/deployment.md)");
    return std::nullopt;
}

// Throws, saying which file or setting is wrong. Sets the organizer key from its file.
Server_parts read_parts(Options& options, const char* program)
{
    Server_parts parts;
    parts.assets = load_assets(options.assets, program);
    if (options.organizer_key.empty()) options.organizer_key = organizer_key_from(options);
    if (!options.metrics_token_file.empty())
        parts.metrics_token = secret_from_file(options.metrics_token_file, "metrics token");
    if (!options.tls_cert.empty()) parts.tls = std::make_shared<Tls_config>(options.tls_cert, options.tls_key);
    parts.proxies = Trusted_proxies(options.trusted_proxies);
    parts.store = open_store(options.db);
    return parts;
}

// Without TLS, keys and meeting text cross the meeting network readable by anyone on it.
void warn_if_in_clear(const Server_context& context)
{
    if (!context.tls && !net::ip::make_address(context.options.bind).is_loopback() && context.trusted_proxies.empty())
        log_warning("serving_in_clear", "no --tls-cert: keys and meeting text cross the network unencrypted; "
                                        "give a certificate or serve behind a TLS proxy (docs/security.md)");
}

// A wall address that participants' laptops cannot open, or one guessed behind a proxy.
void warn_about_wall(const Wall_address& wall, const Trusted_proxies& proxies)
{
    if (wall.loopback)
        log_warning("wall_address_loopback", "the wall shows " + wall.base +
                                                 ", which only this machine can open; give --public-url or --bind 0.0.0.0");
    else if (!wall.from_public_url && !proxies.empty())
        log_warning("wall_address_guessed", "behind a proxy without --public-url: the wall shows the address the proxy "
                                            "forwards (X-Forwarded-Proto and -Host), else " + wall.base);
}

// Descriptors kept for what is not a member: listeners, the store's files, HTTP requests,
// the event loop's own.
constexpr rlim_t descriptors_kept = 64;

// Each member holds a socket, and a service's soft limit is 1,024 by default: raised to the
// hard limit, and the log says how many members fit.
void raise_file_limit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return log_warning("file_limit", "cannot read RLIMIT_NOFILE");
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
        else log_warning("file_limit", "cannot raise RLIMIT_NOFILE to the hard limit " + std::to_string(limit.rlim_max));
    }
    const rlim_t members = limit.rlim_cur > descriptors_kept ? limit.rlim_cur - descriptors_kept : 0;
    log_info("file_limit", "open_files=" + std::to_string(limit.rlim_cur) + " members_fit=" + std::to_string(members));
    if (limit.rlim_cur < 4096)
        log_warning("file_limit_low", "only " + std::to_string(members) +
                                          " members fit; raise LimitNOFILE= of the service (docs/deployment.md)");
}

// The start line on stdout, which tests and supervisors wait for, then the log's.
void announce(const Server& server)
{
    const auto& context = server.context();
    const auto& options = context.options;
    const bool tls = context.tls != nullptr;
    warn_if_in_clear(context);
    const std::string shown = options.bind == "0.0.0.0" ? "localhost" : options.bind;
    std::printf("Kehä is running: open %s://%s:%u/ (database %s, assets %s)\n", tls ? "https" : "http", shown.c_str(),
                server.port(), without_password(options.db).c_str(), context.assets.root.c_str());
    std::printf("Participants join at %s (on the wall and in its QR code)\n", context.wall.base.c_str());
    std::fflush(stdout);
    warn_about_wall(context.wall, context.trusted_proxies);
    log_info("listening", "port=" + std::to_string(server.port()) + (tls ? " tls" : ""));
}

}  // namespace

int serve(Options options, const char* program)
{
    if (auto status = refused(options)) return *status;
    raise_file_limit();
    Server_parts parts;
    try {
        parts = read_parts(options, program);
    } catch (const std::exception& e) {
        std::cerr << "keha-server: " << e.what() << "\n";
        return 1;
    }
    {
        Server server(std::move(options), std::move(parts));
        if (!server.listen()) return 1;
        server.start();
        announce(server);
        server.run();
    }  // every part destroyed, the store written out and closed last
    // Each member's session counts itself off when it is destroyed: 0 says none was left behind.
    log_info("stopped", "members_connected=" + std::to_string(metrics().members_connected.get()));
    std::fflush(stderr);
    return 0;
}

}  // namespace keha::server
