#pragma once
// Runs a program (keha-server's subcommands, a server that should refuse to start) to its end
// and gives its exit status and everything it printed.
#include <sys/types.h>

#include <string>
#include <vector>

namespace keha::itest {

struct Program_run {
    int exit_code = -1;  // the exit status; -1 when it was killed (see `signal`) or did not end
    int signal = 0;      // the signal that ended it, if one did
    std::string out, err;
};

struct Program_env {
    std::vector<std::pair<std::string, std::string>> set;  // variables set for the program
    std::vector<std::string> unset;                        // variables removed
    mode_t umask = 022;
};

// `args` begins with the program's path. Fails the current test if it does not end within a
// minute (and kills it).
Program_run run_program(const std::vector<std::string>& args, const Program_env& env = {});

}  // namespace keha::itest
