#include "cli.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "metrics_listener.hpp"
#include "public_url.hpp"
#include "request_origin.hpp"

namespace keha::server {
namespace {

// The config file: TOML-style `key = value` lines, `#` comments, lists as ["a", "b"] or the
// key repeated. CLI11 merges a key repeated on consecutive lines only and ignores a later
// repetition, so every repetition is merged here: a line is never silently dropped. A key
// that is no option is refused here too, by its name.
class Config_file : public CLI::ConfigTOML {
public:
    explicit Config_file(const CLI::App& app) : app_(app) {}

    std::vector<CLI::ConfigItem> from_config(std::istream& input) const override
    {
        auto read = CLI::ConfigTOML::from_config(input);
        std::vector<CLI::ConfigItem> merged;
        for (auto& item : read) {
            if (item.name == "++" || item.name == "--") {  // a [section] opens or closes
                merged.push_back(std::move(item));
                continue;
            }
            const auto* option = item.parents.empty() ? app_.get_option_no_throw("--" + item.name) : nullptr;
            if (!option) throw CLI::ConfigError("unknown key \"" + item.fullname() + "\"");
            if (!option->get_configurable())
                throw CLI::ConfigError(item.name + " may not be set here" +
                                       (item.name == "organizer-key"
                                            ? ": put the key in a file only the server can read and name that "
                                              "file with organizer-key-file"
                                            : ""));
            auto same = std::find_if(merged.begin(), merged.end(), [&](const CLI::ConfigItem& m) {
                return m.name == item.name && m.parents == item.parents;
            });
            if (same == merged.end()) merged.push_back(std::move(item));
            else same->inputs.insert(same->inputs.end(), item.inputs.begin(), item.inputs.end());
        }
        return merged;
    }

private:
    const CLI::App& app_;
};

// Says which file and why it cannot be read, where CLI11 would guess "missing?".
[[noreturn]] void unreadable(const std::string& file, const char* named_by)
{
    namespace fs = std::filesystem;
    std::string why;
    std::error_code ec;
    if (!fs::exists(file, ec)) why = "it does not exist";
    else if (!fs::is_regular_file(file, ec)) why = "it is not a file";
    else if (std::ifstream in(file); !in) why = std::strerror(errno);
    else why = "it could not be read";
    throw CLI::FileError("cannot read the config file " + file + " (" + named_by + "): " + why);
}

// The program's name, help text, --version and --config.
void describe_program(CLI::App& app)
{
    app.name("keha-server");
    app.description("keha-server: the Kehä dialogue facilitation server (HTTP, WebSocket and the browser view on one port)");
    app.footer(
        "Every long option above but --organizer-key can also be set in the config file (--config), one\n"
        "\"name = value\" line per option without the dashes, e.g. port = 8443, db = /var/lib/keha/keha.db,\n"
        "trusted-proxy = [\"127.0.0.1\", \"::1\"] (or the line repeated); # starts a comment. The command\n"
        "line wins over the file; an unknown name in the file is an error.");
    app.set_version_flag("--version", std::string("keha-server ") + KEHA_VERSION);
    app.config_formatter(std::make_shared<Config_file>(app));
    app.allow_config_extras(CLI::config_extras_mode::error);
    app.set_config("--config", "",
                   "read options from this file (or set KEHA_CONFIG); see the end of this help")
        ->type_name("FILE");
}

// Where the server listens, what it serves, with which keys, and whom it believes.
void add_serving_options(CLI::App& app, Options& options)
{
    app.add_option("--port", options.port, "TCP port (0 picks a free one)")->capture_default_str();
    app.add_option("--bind", options.bind, "address to listen on; 0.0.0.0 lets laptops on the meeting-room network join")
        ->capture_default_str();
    app.add_option("--db", options.db,
                   "SQLite database file, or a PostgreSQL database as postgresql://[user@]host/dbname?... "
                   "(its password in a passfile, PGPASSFILE; docs/deployment.md)")->capture_default_str();
    app.add_option("--assets", options.assets,
                   "folder with templates/, i18n/ and web/ (or set KEHA_ASSETS); without either, found beside "
                   "the program or where it was installed");
    auto* key_option = app.add_option("--organizer-key", options.organizer_key,
                                      "if set, creating a room needs this key (Bearer); other local users can read "
                                      "a command line, so prefer --organizer-key-file or KEHA_ORGANIZER_KEY. "
                                      "Not allowed in the config file: name the key file there")
                           ->configurable(false);
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
}

// Threads, queues, rates and how long things are kept.
void add_tuning_options(CLI::App& app, Options& options)
{
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
    app.add_option("--drain", options.drain_s,
                   "seconds the server goes on serving after SIGTERM while /healthz answers 503 draining, so that a "
                   "load balancer sends new connections elsewhere first (0: stop at once; a second SIGTERM stops now)")
        ->capture_default_str()->check(CLI::Range(0, 3600));
    app.add_option("--retention-days", options.retention_days,
                   "days a meeting is kept after it closed; a meeting never closed, after its last change")
        ->capture_default_str()->check(CLI::Range(1, 36500));
    app.add_option("--access-log-days", options.access_log_days,
                   "days an access-log row is kept (and at least as long as its meeting)")
        ->capture_default_str()->check(CLI::Range(1, 36500));
}

// Limits (limits.hpp, docs/security.md "Limits"); 0 turns one off.
void add_limit_options(CLI::App& app, Limits& limits)
{
    app.add_option("--max-connections-per-address", limits.connections_per_address,
                   "open connections one client address may have (0: no limit, as for the limits below)")
        ->capture_default_str();
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
    app.add_option("--code-tries-global", limits.code_tries_global,
                   "wrong room codes from all those addresses at once")->capture_default_str();
    app.add_option("--room-bytes", limits.room_bytes, "bytes of history a room may store from participants")
        ->capture_default_str();
    app.add_option("--participant-bytes", limits.participant_bytes, "bytes of history one participant may store")
        ->capture_default_str();
    app.add_option("--room-items", limits.room_items, "items a room may hold")->capture_default_str();
    app.add_option("--room-members", limits.room_members, "participant connections a room may have at once")
        ->capture_default_str();
    app.add_option("--room-participants", limits.room_participants, "participants who may join one room")
        ->capture_default_str();
}

// What an operator watches (log.hpp, metrics_text.hpp).
void add_watching_options(CLI::App& app, Options& options)
{
    app.add_option("--log-level", options.log_level,
                   "the least important lines logged: error, warning, info or debug (ordinary disconnects)")
        ->capture_default_str()->check(CLI::IsMember({"error", "warning", "info", "debug"}));
    app.add_option("--metrics-bind", options.metrics_bind,
                   "ADDR:PORT of a plain-HTTP listener that serves only /metrics (Prometheus), e.g. 127.0.0.1:9108")
        ->check([](const std::string& text) {
            return parse_endpoint(text) ? std::string() : std::string("must look like 127.0.0.1:9108 or [::1]:9108");
        });
    app.add_option("--metrics-token-file", options.metrics_token_file,
                   "file whose first line is a token: /metrics on the main port answers to Authorization: Bearer TOKEN")
        ->check(CLI::ExistingFile);
}

// The subcommands read the database named by --db (or the config file) and leave the server running.
void add_subcommands(CLI::App& app, Command_line& into)
{
    app.require_subcommand(0, 1);
    auto* backup = app.add_subcommand(
        "backup", "copy the database (--db) to FILE while the server keeps running: a consistent copy, "
                  "readable only by its owner; prints the rooms, ops and bytes copied");
    backup->fallthrough();
    backup->add_option("FILE", into.backup.file, "where the copy goes; it must not exist yet")->required();
    backup->add_flag("--force", into.backup.force, "replace FILE if it exists");
    backup->callback([&into] { into.command = Command_line::Command::backup; });
    backup->footer("The database is --db, or db = in the --config file, e.g.\n"
                   "  keha-server backup --config /etc/keha/keha.conf /var/backups/keha.db");
    auto* check = app.add_subcommand(
        "check", "check a database (FILE, or --db) without changing it: SQLite integrity, the schema version, "
                 "and that every room's stored history replays to its latest state; exit status 0 only "
                 "when all is well");
    check->fallthrough();
    check->add_option("FILE", into.check.file, "the database to check (default: --db), e.g. a backup copy");
    check->callback([&into] { into.command = Command_line::Command::check; });
    check->footer("Without FILE, the database is --db, or db = in the --config file, e.g.\n"
                  "  keha-server check --config /etc/keha/keha.conf");
    auto* migrate = app.add_subcommand(
        "migrate", "copy every meeting, process, token, questionnaire answer and access-log row of a SQLite "
                   "file into an empty PostgreSQL database, then check that every room reads back the same");
    migrate->fallthrough();
    migrate->add_option("--from", into.migrate.from, "the SQLite file (stop the server that uses it first)")
        ->required()->check(CLI::ExistingFile);
    migrate->add_option("--to", into.migrate.to, "the PostgreSQL database (default: --db); its password goes in "
                                                  "a passfile (PGPASSFILE) or the config file, never here");
    migrate->callback([&into] { into.command = Command_line::Command::migrate; });
    migrate->footer("e.g.  keha-server migrate --from /var/lib/keha/keha.db --to postgresql:///keha?host=/var/run/postgresql\n"
                    "or, with db = postgresql://… in the config file:\n"
                    "  keha-server migrate --config /etc/keha/keha.conf --from /var/lib/keha/keha.db");
}

}  // namespace

void define_command_line(CLI::App& app, Command_line& into)
{
    describe_program(app);
    add_serving_options(app, into.options);
    add_tuning_options(app, into.options);
    add_limit_options(app, into.options.limits);
    add_watching_options(app, into.options);
    add_subcommands(app, into);
}

void parse_command_line(CLI::App& app, Command_line& into, std::vector<std::string> args)
{
    auto* config = app.get_config_ptr();
    const char* env = std::getenv("KEHA_CONFIG");
    const bool from_env = env && *env;
    // CLI11 reads the config file before the environment, so KEHA_CONFIG becomes the default.
    if (from_env) config->default_str(env);
    std::reverse(args.begin(), args.end());  // CLI11 takes them last first
    try {
        app.parse(args);
    } catch (const CLI::FileError&) {
        // Only a file named with --config gets here; say why it could not be read.
        unreadable(config->as<std::string>(), "--config");
    } catch (const CLI::ConfigError& e) {
        throw CLI::ConfigError(std::string("in the config file ") + config->as<std::string>() + ": " + e.what() +
                               " (the keys are the long options without their dashes; see keha-server --help)");
    }
    // CLI11 passes over a default config file it cannot read; one named by KEHA_CONFIG is an error.
    if (from_env && config->count() == 0) {
        unreadable(env, "KEHA_CONFIG");
    }
    if (config->count() > 0) into.config = config->as<std::string>();
}

std::optional<int> parse_command_line(CLI::App& app, Command_line& into, int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        parse_command_line(app, into, std::move(args));
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    return std::nullopt;
}

}  // namespace keha::server
