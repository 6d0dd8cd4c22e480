// keha-bench: measures keha-server beside the peers in tests/bench/peers from one lean load
// generator on the same machine, interleaved (each repetition runs every target in turn) and
// repeated; writes every measurement as JSON for tests/bench/report.py, which takes the
// medians and ratios and writes docs/performance.md. Prints figures; never fails on them.
//
//   keha-bench [--mode smoke|quick|full] [--reps N] [--targets keha,ws-relay,ws-relay-sqlite]
//              [--scenarios layout,one_room,members,rooms] [--pg postgresql://…] [--out results.json]
//              [--room-counts 1,100,500] [--room-rate N] [--welcome-samples N] [--baseline path/to/keha-server]
//   (--room-counts, --welcome-samples: the rooms curve's points and the big room's welcomes, instead
//    of the mode's; --room-rate: commands a second each room of the rooms curve gets, 1 unless
//    given — 20 is one a second from each of its members; --baseline: the target keha-before is that build of keha-server, so a change
//    is measured beside what it changes in one run, e.g. --targets keha,keha-before --scenarios rooms)
//   (layout: the op log's page writes per commit before schema 5 and now, once, not per target)
//   (keha-pg: keha-server on PostgreSQL, a throw-away cluster unless --pg names a database;
//    keha-unit: keha-server under the shipped unit's LimitNOFILE instead of systemd's default)
//   keha-bench --callgrind [--workload welcomes]   (one fixed workload, for keha-server started
//   under callgrind; welcomes: 20 members joining a room of 2,000 items, one after another)
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "layout.hpp"
#include "scenarios.hpp"
#include "ws_load.hpp"

namespace {

using nlohmann::json;
using bench::Settings;
using bench::Target;

std::vector<std::string> split(const std::string& list)
{
    std::vector<std::string> out;
    std::stringstream in(list);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

Settings settings_for(const std::string& mode)
{
    Settings s;
    if (mode == "smoke") {
        s.step_s = 0.5, s.rates = {100, 200}, s.room_sizes = {5}, s.room_counts = {1, 5};
        s.rooms_window_s = 1, s.welcome_samples = 3, s.welcome_items = 100, s.layout_rooms = 50;
    } else if (mode == "full") {
        // Up to where keha-server breaks: on an idle machine it held 16,000 cmd/s at p99 4.5 ms, so the steps
        // go on to 40,000. Sized so the four targets' three repetitions take about 25 minutes here.
        s.step_s = 2.5, s.rates = {500, 1000, 1500, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 10000, 12000, 14000, 16000,
                                   20000, 24000, 28000, 32000, 40000};
        s.room_sizes = {5, 10, 20, 40, 80, 160}, s.room_counts = {1, 10, 100, 250, 500, 950};
        s.rooms_window_s = 4, s.welcome_samples = 40;
    } else {
        s.step_s = 1.5, s.rates = {250, 500, 1000, 1500, 2000, 3000, 4000, 5000, 6500, 8000, 10000, 12000};
        s.room_sizes = {5, 20, 40, 80, 160}, s.room_counts = {1, 100, 500};
        s.rooms_window_s = 3, s.welcome_samples = 20;
    }
    return s;
}

Target target_named(const std::string& name, const std::string& pg, const std::string& baseline)
{
    if (name == "keha") return {name, Target::Kind::keha, "", {}};
    if (name == "keha-before") {
        if (baseline.empty()) throw std::runtime_error("keha-before needs --baseline path/to/keha-server");
        Target before{name, Target::Kind::keha, "", {}};
        before.binary = baseline;
        return before;
    }
    if (name == "keha-pg") return {name, Target::Kind::keha, pg.empty() ? "pg" : pg, {}};
    if (name == "keha-unit") {  // keha-server under the file limit of the unit it ships with
        Target unit{name, Target::Kind::keha, "", {}};
        unit.unit_file_limit = true;
        return unit;
    }
    if (name == "ws-relay") return {name, Target::Kind::relay, "", {}};
    if (name == "ws-relay-sqlite") return {name, Target::Kind::relay, "sqlite", {}};
    throw std::runtime_error("unknown target " + name + " (keha, keha-before, keha-unit, keha-pg, ws-relay, ws-relay-sqlite)");
}

json run_one(const std::string& scenario, const Target& target, const Settings& settings)
{
    if (scenario == "one_room") return bench::one_room(target, settings);
    if (scenario == "members") return bench::members_curve(target, settings);
    if (scenario == "rooms") return bench::rooms_curve(target, settings);
    throw std::runtime_error("unknown scenario " + scenario + " (one_room, members, rooms)");
}

std::string utc_now()
{
    char text[32];
    std::time_t t = std::time(nullptr);
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", std::gmtime(&t));
    return text;
}

// Every scenario, each repetition running every target in turn (the order rotating), so
// that what else the machine does falls on all of them alike.
json run_all(const std::map<std::string, std::string>& args, const Settings& settings)
{
    const std::string pg = args.count("--pg") ? args.at("--pg") : "";
    const std::string baseline = args.count("--baseline") ? args.at("--baseline") : "";
    std::vector<Target> targets;
    for (const auto& name : split(args.at("--targets"))) targets.push_back(target_named(name, pg, baseline));
    const int reps = std::stoi(args.at("--reps"));
    json runs = json::array();
    for (const auto& scenario : split(args.at("--scenarios"))) {
        if (scenario == "layout") continue;  // main runs it once
        for (int rep = 0; rep < reps; ++rep) {
            for (std::size_t i = 0; i < targets.size(); ++i) {
                const Target& target = targets[(i + std::size_t(rep)) % targets.size()];
                // The store does not change how a room fans out: PostgreSQL's figures are the
                // one-room and many-room ones; the file limit matters only with many rooms.
                if (target.name == "keha-pg" && scenario == "members") continue;
                if (target.name == "keha-unit" && scenario != "rooms") continue;
                std::printf("  %s, repetition %d, %s (load average %s)\n", scenario.c_str(), rep + 1,
                            target.name.c_str(), bench::load_average().c_str());
                std::fflush(stdout);
                json run = {{"scenario", scenario}, {"target", target.name}, {"rep", rep},
                            {"load_before", bench::load_average()}};
                const std::int64_t start = bench::now_ns();
                try {
                    run["result"] = run_one(scenario, target, settings);
                } catch (const std::exception& e) {
                    std::printf("    %s failed: %s\n", target.name.c_str(), e.what());
                    run["error"] = e.what();
                }
                run["load_after"] = bench::load_average();
                run["seconds"] = double(bench::now_ns() - start) / 1e9;
                std::printf("    (%.0f s)\n", run["seconds"].get<double>());
                runs.push_back(run);
            }
        }
    }
    return runs;
}

std::map<std::string, std::string> parse_args(int argc, char** argv)
{
    const char* env_mode = std::getenv("KEHA_BENCH_MODE");
    std::map<std::string, std::string> args{{"--mode", env_mode ? env_mode : "quick"},
                                            {"--targets", "keha,ws-relay,ws-relay-sqlite"},
                                            {"--scenarios", "layout,one_room,members,rooms"},
                                            {"--out", "bench-results.json"}};
    for (int i = 1; i < argc; ++i) {
        std::string key = argv[i];
        if (key == "--callgrind") args[key] = "1";
        else if (i + 1 < argc) args[key] = argv[++i];
        else throw std::runtime_error("missing value after " + key);
    }
    if (!args.count("--reps")) args["--reps"] = args["--mode"] == "smoke" ? "1" : "3";
    return args;
}

}  // namespace

int main(int argc, char** argv)
{
    rlimit lim{};  // the generator holds one descriptor per member
    getrlimit(RLIMIT_NOFILE, &lim);
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
    try {
        auto args = parse_args(argc, argv);
        Settings settings = settings_for(args["--mode"]);
        if (args.count("--room-counts")) {
            settings.room_counts.clear();
            for (const auto& n : split(args["--room-counts"])) settings.room_counts.push_back(std::stoi(n));
        }
        if (args.count("--welcome-samples")) settings.welcome_samples = std::stoi(args["--welcome-samples"]);
        if (args.count("--room-rate")) settings.room_rate = std::stoi(args["--room-rate"]);
        const auto dir = std::filesystem::temp_directory_path() / ("keha-bench-" + std::to_string(getpid()));
        std::filesystem::create_directories(dir);
        settings.dir = dir.string();
        std::string command = "keha-bench";
        for (int i = 1; i < argc; ++i) command += std::string(" ") + argv[i];
        json out = {{"machine", bench::machine_description()}, {"mode", args["--mode"]}, {"command", command},
                    {"started", utc_now()}, {"load_before", bench::load_average()},
                    {"generator_file_limit", lim.rlim_max}};
        std::printf("keha-bench (%s mode) on %s\n", args["--mode"].c_str(), out["machine"].get<std::string>().c_str());
        if (args.count("--callgrind")) {
            Target keha{"keha", Target::Kind::keha, "", split(args.count("--wrapper") ? args["--wrapper"] : "")};
            if (args.count("--workload") && args["--workload"] == "welcomes") {
                settings.welcome_items = 2000;
                out["fixed_workload"] = bench::fixed_welcomes(keha, settings);
            } else {
                out["fixed_workload"] = bench::fixed_workload(keha, settings);
            }
        } else {
            const auto scenarios = split(args["--scenarios"]);
            if (std::find(scenarios.begin(), scenarios.end(), "layout") != scenarios.end()) {
                std::printf("  layout (load average %s)\n", bench::load_average().c_str());
                out["layout"] = bench::layout_pages(settings.dir, settings.layout_rooms);
            }
            out["runs"] = run_all(args, settings);
        }
        out["finished"] = utc_now();
        out["load_after"] = bench::load_average();
        std::filesystem::remove_all(dir);
        std::ofstream(args["--out"]) << out.dump(1) << "\n";
        std::printf("keha-bench: wrote %s\n", args["--out"].c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "keha-bench: %s\n", e.what());
        return 2;
    }
}
