#pragma once
// What the command line asks keha-desk to do by itself, as a person would: --export-to,
// --access-log-to, --history-seq and --import-from once the console is in the room (through
// the console's panels, as the facilitator's clicks would), and --frames with
// --screenshot (draw until the room is in and nothing is on its way, take the picture, end).
#include <functional>
#include <optional>

#include "options.hpp"

namespace keha::desk {

struct App_state;
struct Console_panels;

class Script_driver {
public:
    explicit Script_driver(const Options& options) : options_(options) {}
    // Before a frame: the console's one-off actions, each once, when it is in the room.
    void before_frame(App_state& app, Console_panels& panels);
    // After a frame is drawn (`shown`: the window is mapped, so its pixels are real): with
    // --frames, the exit code once enough frames were drawn (`screenshot` writes --screenshot).
    std::optional<int> after_frame(const App_state& app, const Console_panels& panels, bool shown,
                                   const std::function<bool()>& screenshot);

private:
    // An answer the picture should wait for is still on its way.
    bool waiting(const App_state& app, const Console_panels& panels) const;

    const Options& options_;
    bool export_started_ = false, history_started_ = false, access_log_started_ = false;
    bool import_done_ = false;  // --import-from sent, or the process cannot be had
    int ready_frames_ = 0;
};

}  // namespace keha::desk
