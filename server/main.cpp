// keha-server: one command starts a meeting server on an embedded SQLite file (startup.hpp),
// or backs up or checks that file.
#include <cstdio>
#include <utility>

#include "cli.hpp"
#include "log.hpp"
#include "pg_connection.hpp"
#include "startup.hpp"
#include "store_backup.hpp"
#include "store_check.hpp"
#include "store_migrate.hpp"

using namespace keha::server;

namespace {

// keha-server backup FILE: what it copied on stdout, or why not on stderr.
int run_backup(const Command_line& command_line)
{
    const auto& db = command_line.options.db;
    const auto& file = command_line.backup.file;
    if (is_postgres_dsn(db)) {
        std::fprintf(stderr, "keha-server backup: the store is a PostgreSQL database; back it up with pg_dump or your "
                             "PostgreSQL backups (docs/deployment.md, \"PostgreSQL instead of the file\")\n");
        return 1;
    }
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
    const auto& given = command_line.check.file.empty() ? command_line.options.db : command_line.check.file;
    const auto result = check_store(given);
    const auto db = without_password(given);
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

// keha-server migrate --from FILE [--to DSN]: what it copied on stdout, or why not on stderr.
int run_migrate(const Command_line& command_line)
{
    const auto& from = command_line.migrate.from;
    const auto& to = command_line.migrate.to.empty() ? command_line.options.db : command_line.migrate.to;
    if (dsn_has_password(command_line.migrate.to))
        log_warning("db_password_in_url", "--to holds a password, which every process list shows; use a passfile "
                                          "(PGPASSFILE) or the config file");
    try {
        const auto copied = migrate_store(from, to);
        std::printf("migrate: copied %s to %s:", from.c_str(), without_password(to).c_str());
        for (const auto& [table, rows] : copied.rows) std::printf(" %s %lld,", table.c_str(), static_cast<long long>(rows));
        std::printf(" and every room (%lld) reads back the same\n", static_cast<long long>(copied.rooms_compared));
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "keha-server migrate: %s\n", e.what());
        return 1;
    }
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app;
    Command_line command_line;
    define_command_line(app, command_line);
    if (auto exit_code = parse_command_line(app, command_line, argc, argv)) return *exit_code;
    set_log_level(log_level_named(command_line.options.log_level).value_or(Log_level::info));
    switch (command_line.command) {
    case Command_line::Command::backup: return run_backup(command_line);
    case Command_line::Command::check: return run_check(command_line);
    case Command_line::Command::migrate: return run_migrate(command_line);
    case Command_line::Command::serve: break;
    }
    return serve(std::move(command_line.options), argv[0]);
}
