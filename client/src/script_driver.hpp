#pragma once
// What the command line asks keha-desk to do by itself, as a person would: --export-to,
// --access-log-to and --history-seq once the console is in the room, and --frames with
// --screenshot (draw until the room is in and nothing is on its way, take the picture, end).
#include <functional>
#include <optional>

#include "options.hpp"

namespace keha::desk {

struct App_state;

class Script_driver {
public:
    explicit Script_driver(const Options& options) : options_(options) {}
    // Before a frame: the console's one-off actions, each once, when it is in the room.
    void before_frame(App_state& app);
    // After a frame is drawn (`shown`: the window is mapped, so its pixels are real): with
    // --frames, the exit code once enough frames were drawn (`screenshot` writes --screenshot).
    std::optional<int> after_frame(const App_state& app, bool shown, const std::function<bool()>& screenshot);

private:
    // An answer the picture should wait for is still on its way.
    bool waiting(const App_state& app) const;

    const Options& options_;
    bool export_started_ = false, history_started_ = false, access_log_started_ = false;
    int ready_frames_ = 0;
};

}  // namespace keha::desk
