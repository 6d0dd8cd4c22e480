// The benchmark's workloads. Each starts a fresh server of the target, drives it with the
// generator (ws_load.hpp) and returns what it measured as JSON (docs/performance.md reads it).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "targets.hpp"

namespace bench {

struct Settings {
    std::string dir;                     // for the servers' stores
    double step_s = 2;                   // one offered-rate step
    std::vector<int> rates;              // one room's offered-rate steps, cmd/s
    std::vector<int> room_sizes;         // members per room, for the members curve
    int member_rate = 10;                // cmd/s each member sends in the members curve
    std::vector<int> room_counts;        // rooms of 20 members, for the rooms curve
    int room_rate = 1;                   // cmd/s each room of the rooms curve gets
    double rooms_window_s = 5;           // one point of the rooms curve
    int welcome_samples = 30;            // welcomes of the 2,000-item room under load
    int welcome_items = 2000;
    int layout_rooms = 500;              // rooms of the op log's page-writes figure (layout.hpp)
};

nlohmann::json one_room(const Target& target, const Settings& settings);
nlohmann::json members_curve(const Target& target, const Settings& settings);
nlohmann::json rooms_curve(const Target& target, const Settings& settings);
// A fixed workload for callgrind (keha-server started under valgrind by `valgrind_prefix`).
nlohmann::json fixed_workload(const Target& target, const Settings& settings);
// Another, for the welcome's cost: `welcome_items` items in one room, then 20 members join it one
// after another, each after the last one's welcome.
nlohmann::json fixed_welcomes(const Target& target, const Settings& settings);

}  // namespace bench
