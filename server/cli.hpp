#pragma once
// keha-server's command line: every option, the config file (--config, KEHA_CONFIG) where each
// long option is a key, and the subcommands. main() and the tests build the same App from here.
#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "options.hpp"

namespace keha::server {

struct Command_line {
    enum class Command { serve, backup, check, migrate };
    Command command = Command::serve;
    Options options;
    std::string config;  // the config file read, if any
    struct Backup {
        std::string file;  // where the copy goes
        bool force = false;
    } backup;
    struct Check {
        std::string file;  // the database to check; empty: --db
    } check;
    struct Migrate {
        std::string from;  // the SQLite file
        std::string to;    // the PostgreSQL database; empty: --db
    } migrate;
};

// Defines every option and subcommand of keha-server on `app`, parsing into `into`. A new
// option goes here, and becomes a config-file key by being here.
void define_command_line(CLI::App& app, Command_line& into);

// Parses the arguments (after the program name) with the config file, if one is named.
// Throws CLI::ParseError (CLI::CallForHelp for --help); a config file's problems name the
// file. Used as is by the tests.
void parse_command_line(CLI::App& app, Command_line& into, std::vector<std::string> args);

// For main(): parses, and on --help, --version or an error prints what CLI11 prints and
// returns the exit code; nothing when the program should go on.
std::optional<int> parse_command_line(CLI::App& app, Command_line& into, int argc, char** argv);

}  // namespace keha::server
