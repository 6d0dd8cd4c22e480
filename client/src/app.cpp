#include "app.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <GLFW/glfw3.h>

#include "app_state.hpp"
#include "bench_driver.hpp"
#include "desk_window.hpp"
#include "keha/code.hpp"
#include "script_driver.hpp"
#include "view_panels.hpp"

namespace keha::desk {
namespace {

// SIGTERM or SIGINT: end like a closed window (the connection closed, --screenshot-at-exit written).
volatile std::sig_atomic_t stop_requested = 0;
void request_stop(int) { stop_requested = 1; }

// What the command line opens: a room (its server, code and face), else the start screen.
struct Opening {
    Face face = Face::start;
    std::optional<Server_url> server;
    std::optional<std::string> code;
};

// The room of --server and --room, with the face its key or name gives; an exit code when
// they do not make a join.
std::optional<int> room_from_options(const Options& options, Opening& open)
{
    open.server = parse_server_url(options.server);
    if (open.server) open.server->ca_file = options.ca_file;
    open.code = normalize_code(options.room);
    if (!open.server || !open.code) {
        std::fprintf(stderr, "keha-desk: %s\n", !open.server ? "--server needs an address like http://127.0.0.1:8080"
                                                             : "--room needs a room code like K7Q4-MXP2");
        return 2;
    }
    if (options.projector) open.face = Face::projector;
    else if (!options.facilitator_key.empty()) open.face = Face::console;
    else if (!options.screen_key.empty()) open.face = Face::projector;
    else if (options.name.empty() && options.token.empty()) {
        std::fprintf(stderr, "keha-desk: joining as a participant needs --name\n");
        return 2;
    } else open.face = Face::participant;
    return std::nullopt;
}

void configure(App_state& app, const Options& options)
{
    app.options = options;
    app.assets_dir = find_assets_dir(options.assets);
    app.language_from_room = options.lang.empty();
    if (!app.str.load(app.assets_dir, options.lang.empty() ? "fi" : options.lang))
        std::fprintf(stderr, "keha-desk: no i18n catalogs under %s (use --assets)\n", app.assets_dir.c_str());
    app.hide_names = options.hide_names;
    app.chime = options.chime;
    app.ca_file = options.ca_file;
    app.open_tab = options.tab;
}

// The room of the command line joined, if it names one.
void enter(App_state& app, const Options& options, const Opening& open)
{
    if (!open.server) return;  // the start screen (View_start fills it in from the options)
    std::string key = open.face == Face::projector ? options.screen_key : options.facilitator_key;
    if (open.face == Face::console) app.screen_key = options.screen_key;
    app.enter_room(*open.server, *open.code,
                   Hello{{}, options.name, options.name.empty() ? "" : options.group, key, options.token}, open.face);
}

// Between frames: the clocks, what the network and the panels' HTTP calls brought.
void update(App_state& app, Console_panels& panels, std::chrono::steady_clock::time_point started)
{
    auto now = std::chrono::system_clock::now();
    app.now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    app.time = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    app.pump();
    panels.poll(app);
}

}  // namespace

int run(const Options& options)
{
    App_state app;
    Console_panels panels;  // before the window, whose views draw them
    configure(app, options);
    bool bench = options.bench_frames > 0;
    Opening open;
    if (bench) open.face = Face::projector;
    else if (!options.room.empty())
        if (auto code = room_from_options(options, open)) return *code;

    std::signal(SIGTERM, request_stop);
    std::signal(SIGINT, request_stop);
    Desk_window window(panels);
    if (auto code = window.open(options, open.face == Face::projector || options.projector, app)) return *code;
    app.wake = [] { glfwPostEmptyEvent(); };
    Bench_driver bench_driver(options);
    Script_driver script(options);
    if (bench) bench_driver.seed(app);
    else enter(app, options, open);

    auto started = std::chrono::steady_clock::now();
    auto screenshot = [&](const std::string& path) { return [&window, &path] { return write_png(path, window.pixels()); }; };
    int exit_code = 0;
    while (!window.closing()) {
        window.wait(options.frames > 0 || bench);
        double cpu_start = thread_cpu_ms();
        if (bench) bench_driver.before_frame(app);
        update(app, panels, started);
        script.before_frame(app, panels);
        window.follow(app);
        double cpu_built = window.draw(app);
        if (bench) {
            auto done = bench_driver.after_frame(cpu_start, cpu_built, thread_cpu_ms(), window.framebuffer_width(),
                                                 window.framebuffer_height(), screenshot(options.screenshot));
            if (done) {
                exit_code = *done;
                break;
            }
        }
        if (auto done = script.after_frame(app, panels, window.shown(), screenshot(options.screenshot))) {
            exit_code = *done;
            break;
        }
        if (stop_requested) window.request_close();
        if (window.closing() && !options.screenshot_at_exit.empty() && !screenshot(options.screenshot_at_exit)())
            exit_code = 1;
        window.present();
    }

    app.net.reset();  // joins the network thread
    window.close();
    return exit_code;
}

}  // namespace keha::desk
