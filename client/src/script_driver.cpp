#include "script_driver.hpp"

#include <cstdio>

#include "app_state.hpp"
#include "view_panels.hpp"

namespace keha::desk {

void Script_driver::before_frame(App_state& app, Console_panels& panels)
{
    if (app.face != Face::console || !app.doc.has_state() || app.link != Link::online) return;
    if (!options_.export_to.empty() && !export_started_) {
        export_started_ = true;
        std::string format = options_.export_to.substr(options_.export_to.rfind('.') + 1);
        if (format != "html" && format != "json") format = "md";
        panels.exporting.start(app, format, options_.export_to);
    }
    if (!options_.access_log_to.empty() && !access_log_started_) {
        access_log_started_ = true;
        panels.records.save_access_log(app, options_.access_log_to);
    }
    if (options_.history_seq && !history_started_) {
        history_started_ = true;
        panels.history.go_to(app, *options_.history_seq);
    }
    if (!options_.import_from.empty() && !import_done_) {
        // Once the room's process is in, the meeting is chosen and imported; not when it cannot be had.
        if (panels.process.view().valid) panels.process.import_from(app, options_.import_from);
        import_done_ = panels.process.view().valid || !panels.process.error().empty();
    }
}

bool Script_driver::waiting(const App_state& app, const Console_panels& panels) const
{
    return panels.busy(app) || (!options_.export_to.empty() && !export_started_) ||
           (!options_.access_log_to.empty() && !access_log_started_) || (options_.history_seq && !history_started_) ||
           (!options_.import_from.empty() && !import_done_) ||
           (options_.tab == "device" && !app.device_offer);  // the rejoin code on its way
}

std::optional<int> Script_driver::after_frame(const App_state& app, const Console_panels& panels, bool shown,
                                              const std::function<bool()>& screenshot)
{
    if (options_.frames <= 0) return std::nullopt;
    bool lobby = app.doc.in_lobby() && app.link == Link::lobby;
    bool in_room = app.doc.has_state() && app.link == Link::online;
    bool settled = app.face == Face::start || in_room || lobby || app.link == Link::stopped || app.time > 20;
    // A hidden window's pixels are not drawn.
    if (shown && settled && (!waiting(app, panels) || app.time > 20)) ++ready_frames_;
    if (ready_frames_ < options_.frames) return std::nullopt;
    int exit_code = 0;
    if (!options_.screenshot.empty() && !screenshot()) {
        std::fprintf(stderr, "keha-desk: cannot write %s\n", options_.screenshot.c_str());
        exit_code = 1;
    }
    if (app.face != Face::start && !in_room && !lobby) {
        std::fprintf(stderr, "keha-desk: not in the room (%s)\n",
                     app.link_detail.empty() ? "no answer" : app.link_detail.c_str());
        if (exit_code == 0) exit_code = 3;
    }
    return exit_code;
}

}  // namespace keha::desk
