#pragma once
// --bench-frames: a synthetic room on the projector, drawn flat out; the CPU time of each
// frame, steady and with a patch landing every frame, printed at the end.
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "keha/json.hpp"
#include "options.hpp"

namespace keha::desk {

struct App_state;

// A room with `items` items on the timeline (the current phase), hands up and a running
// timer: what --bench-frames draws.
json synthetic_state(int items, std::int64_t now_ms);

class Bench_driver {
public:
    explicit Bench_driver(const Options& options) : options_(options) {}
    // The synthetic room as a projector sees it after its welcome.
    void seed(App_state& app) const;
    // Before a frame is built: past the steady frames, a patch lands so the layout is built again.
    void before_frame(App_state& app);
    // After a frame: its CPU times; at the end the figures printed (and --screenshot taken
    // through `screenshot`), and the exit code.
    std::optional<int> after_frame(double cpu_start, double cpu_built, double cpu_end, int width, int height,
                                   const std::function<bool()>& screenshot);

private:
    struct Frame_stats {
        std::vector<double> ms;
        void print(const char* what) const;
    };
    const Options& options_;
    int frame_ = 0;
    bool change_ = false;  // this frame has a patch
    Frame_stats steady_, changed_, steady_build_, changed_build_;
};

}  // namespace keha::desk
