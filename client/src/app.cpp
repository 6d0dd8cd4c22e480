#include "app.hpp"

#include <GLFW/glfw3.h>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <numeric>

#include "app_state.hpp"
#include "keha/code.hpp"
#include "key_taps.hpp"
#include "shortcuts.hpp"
#include "theme.hpp"
#include "view.hpp"

namespace keha::desk {
namespace {

// SIGTERM or SIGINT: end like a closed window (the connection closed, --screenshot-at-exit written).
volatile std::sig_atomic_t stop_requested = 0;
void request_stop(int) { stop_requested = 1; }

double thread_cpu_ms()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

GLFWmonitor* pick_monitor(int index)
{
    int count = 0;
    GLFWmonitor** monitors = glfwGetMonitors(&count);
    if (count == 0) return nullptr;
    return monitors[std::clamp(index, 0, count - 1)];
}

GLFWwindow* open_window(const Options& o, bool projector, const char* title)
{
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    if (projector) glfwWindowHint(GLFW_DECORATED, GLFW_FALSE);  // no chrome on the wall
    // Shown once its first frame is drawn: no blank window, and keys pressed as soon as it
    // appears find the form ready for them.
    glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    GLFWmonitor* monitor = o.fullscreen ? pick_monitor(*o.fullscreen) : nullptr;
    int w = o.width, h = o.height;
    if (monitor) {
        const GLFWvidmode* mode = glfwGetVideoMode(monitor);
        w = mode->width;
        h = mode->height;
        glfwWindowHint(GLFW_RED_BITS, mode->redBits);
        glfwWindowHint(GLFW_GREEN_BITS, mode->greenBits);
        glfwWindowHint(GLFW_BLUE_BITS, mode->blueBits);
        glfwWindowHint(GLFW_REFRESH_RATE, mode->refreshRate);
    } else if (w == 0) {
        w = projector ? 1920 : 1360;
        h = projector ? 1080 : 860;
        if (GLFWmonitor* primary = glfwGetPrimaryMonitor()) {
            int x, y, aw, ah;
            glfwGetMonitorWorkarea(primary, &x, &y, &aw, &ah);
            if (aw > 0 && ah > 0) {
                w = std::min(w, aw);
                h = std::min(h, ah);
            }
        }
    }
    GLFWwindow* window = glfwCreateWindow(w, h, title, monitor, nullptr);
    if (!window) {
        glfwDefaultWindowHints();  // an old driver: take any context
        window = glfwCreateWindow(w, h, title, monitor, nullptr);
    }
    return window;
}

// Fonts are rasterized for a size; a projector that changes monitor gets new ones.
float wall_scale_for(GLFWwindow* window)
{
    int w = 0, h = 0;
    glfwGetFramebufferSize(window, &w, &h);
    float by_height = static_cast<float>(h) / 1080.0f, by_width = static_cast<float>(w) / 1920.0f;
    return std::clamp(std::min(by_height, by_width * 1.15f), 0.4f, 4.0f);
}

void rebuild_fonts(App_state& app, float ui_scale, float wall_scale)
{
    load_fonts(app.fonts, app.assets_dir, ui_scale, wall_scale, app.text_seen);
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
}

struct Frame_stats {
    std::vector<double> ms;
    void print(const char* what) const
    {
        if (ms.empty()) return;
        std::vector<double> s = ms;
        std::sort(s.begin(), s.end());
        double mean = std::accumulate(s.begin(), s.end(), 0.0) / static_cast<double>(s.size());
        auto pct = [&](double p) { return s[std::min(s.size() - 1, static_cast<std::size_t>(p * s.size()))]; };
        std::printf("%-34s frames %5zu  mean %6.3f ms  p50 %6.3f  p95 %6.3f  p99 %6.3f  max %6.3f\n", what, s.size(),
                    mean, pct(0.5), pct(0.95), pct(0.99), s.back());
    }
};

}  // namespace

int run(const Options& options)
{
    App_state app;
    app.options = options;
    app.assets_dir = find_assets_dir(options.assets);
    app.language_from_room = options.lang.empty();
    if (!app.str.load(app.assets_dir, options.lang.empty() ? "fi" : options.lang))
        std::fprintf(stderr, "keha-desk: no i18n catalogs under %s (use --assets)\n", app.assets_dir.c_str());
    app.hide_names = options.hide_names;
    app.chime = options.chime;
    app.ca_file = options.ca_file;
    app.open_tab = options.tab;
    app.import_from_option = options.import_from;
    bool bench = options.bench_frames > 0;

    // What to open: a room from the flags, else the start screen (with --server filled in).
    Face face = Face::start;
    std::optional<Server_url> server;
    std::optional<std::string> code;
    if (!bench && !options.room.empty()) {
        server = parse_server_url(options.server);
        if (server) server->ca_file = options.ca_file;
        code = normalize_code(options.room);
        if (!server || !code) {
            std::fprintf(stderr, "keha-desk: %s\n", !server ? "--server needs an address like http://127.0.0.1:8080"
                                                              : "--room needs a room code like K7Q4-MXP2");
            return 2;
        }
        if (options.projector) face = Face::projector;
        else if (!options.facilitator_key.empty()) face = Face::console;
        else if (!options.screen_key.empty()) face = Face::projector;
        else if (options.name.empty() && options.token.empty()) {
            std::fprintf(stderr, "keha-desk: joining as a participant needs --name\n");
            return 2;
        } else face = Face::participant;
    }
    if (bench) face = Face::projector;
    bool projector = face == Face::projector || options.projector;

    std::signal(SIGTERM, request_stop);
    std::signal(SIGINT, request_stop);
    glfwSetErrorCallback([](int code, const char* text) { std::fprintf(stderr, "GLFW %d: %s\n", code, text); });
    if (!glfwInit()) {
        std::fprintf(stderr, "keha-desk: no display (is DISPLAY set?)\n");
        return 1;
    }
    GLFWwindow* window = open_window(options, projector, "Kehä");
    if (!window) {
        std::fprintf(stderr, "keha-desk: could not open an OpenGL 3 window\n");
        glfwTerminate();
        return 1;
    }
    glfwMakeContextCurrent(window);
    bool timed = options.frames > 0 || bench;
    glfwSwapInterval(timed ? 0 : 1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // the layout is fixed; nothing to remember
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;  // Tab, arrows, Space, Enter, Escape, Ctrl+Tab
    float xscale = 1, yscale = 1;
    glfwGetWindowContentScale(window, &xscale, &yscale);
    float ui_scale = std::clamp(std::max(xscale, yscale), 1.0f, 3.0f);
    theme::apply_style(ui_scale);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    Key_taps taps;
    taps.install(window);
    ImGui_ImplOpenGL3_Init("#version 130");
    float wall_scale = wall_scale_for(window);
    load_fonts(app.fonts, app.assets_dir, ui_scale, wall_scale);

    app.wake = [] { glfwPostEmptyEvent(); };
    if (bench) {
        app.bench = true;
        app.face = Face::projector;
        app.server = parse_server_url("http://keha.example.fi");
        app.code = "K7Q4MX";
        std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
        json welcome = {{"type", "welcome"}, {"you", "p99"}, {"role", "screen"}, {"seq", 1},
                        {"state", synthetic_state(options.bench_items, now)}};
        app.text_seen.add_json(welcome);
        app.doc.apply_welcome(welcome);
    } else if (server) {
        std::string key = face == Face::projector ? options.screen_key : options.facilitator_key;
        if (face == Face::console) app.screen_key = options.screen_key;
        app.enter_room(*server, *code,
                       Hello{{}, options.name, options.name.empty() ? "" : options.group, key, options.token}, face);
    } else {
        if (!options.server.empty()) app.start.server = options.server;
        if (!options.lang.empty()) app.start.language = options.lang == "sv" ? 1 : options.lang == "en" ? 2 : 0;
    }

    auto views = make_views();
    auto started = std::chrono::steady_clock::now();
    int ready_frames = 0;
    bool export_started = false, history_started = false, access_log_started = false;
    int exit_code = 0;
    Frame_stats steady, changed, steady_build, changed_build;
    int bench_frame = 0;
    std::string last_title;
    bool was_fullscreen = options.fullscreen.has_value();

    while (!glfwWindowShouldClose(window)) {
        if (timed) glfwPollEvents();
        else glfwWaitEventsTimeout(0.25);  // the clock on screen ticks; the network wakes us

        double cpu0 = thread_cpu_ms();
        auto now = std::chrono::system_clock::now();
        app.now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
        app.time = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        bool bench_change = bench && bench_frame >= options.bench_frames;
        if (bench_change) {
            // A patch lands: the layout is built again in this frame.
            std::string id = "x" + std::to_string(bench_frame);
            app.doc.apply_patch_message(
                {{"seq", app.doc.seq() + 1},
                 {"patch", json::array({{{"op", "add"},
                                         {"path", "/boards/timeline/items/" + id},
                                         {"value",
                                          {{"id", id}, {"column", "event"}, {"text", "Uusi merkintä aikajanalle"},
                                           {"author", "p2"}, {"created_at", "2026-11-23T10:00:00Z"},
                                           {"order", 5000.0 + bench_frame}, {"votes", 0}, {"hidden", false},
                                           {"when", "2022-05"}, {"sector", "Koulu"}}}}})}});
        }
        app.pump();
        app.poll_export();
        app.poll_records();
        app.poll_history();
        app.poll_process();
        if (app.face == Face::console && app.doc.has_state() && app.link == Link::online && !app.room_process().empty() &&
            app.room_process() != app.process.id)
            app.open_process();  // the Process tab shows once the room's process answers
        if (app.face == Face::console && app.doc.has_state() && app.link == Link::online) {
            // --export-to and --history-seq: what a facilitator would click, once.
            if (!options.export_to.empty() && !export_started) {
                export_started = true;
                std::string format = options.export_to.substr(options.export_to.rfind('.') + 1);
                if (format != "html" && format != "json") format = "md";
                app.start_export(format, options.export_to);
            }
            if (!options.access_log_to.empty() && !access_log_started) {
                access_log_started = true;
                app.save_access_log(options.access_log_to);
            }
            if (options.history_seq && !history_started) {
                history_started = true;
                app.history_goto = options.history_seq;
                app.open_history();
            }
        }

        if (app.face == Face::projector && !app.bench && app.request_fullscreen) {
            app.request_fullscreen = false;
            if (GLFWmonitor* monitor = pick_monitor(0)) {
                const GLFWvidmode* mode = glfwGetVideoMode(monitor);
                glfwSetWindowMonitor(window, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
                was_fullscreen = true;
            }
        }
        if (app.face == Face::projector && glfwGetKey(window, GLFW_KEY_ESCAPE) == GLFW_PRESS && was_fullscreen) {
            glfwSetWindowMonitor(window, nullptr, 80, 80, 1280, 720, GLFW_DONT_CARE);
            was_fullscreen = false;
        }
        if (app.face == Face::projector) {
            float wanted = wall_scale_for(window);
            if (std::abs(wanted - wall_scale) / wall_scale > 0.15f) {
                wall_scale = wanted;
                rebuild_fonts(app, ui_scale, wall_scale);
            }
        }
        // A letter the atlas has no glyph for yet (a new name, an item, what is being typed):
        // the atlas is built again before this frame draws it, rather than draw "?".
        for (ImWchar c : ImGui::GetIO().InputQueueCharacters) app.text_seen.add(c);
        if (fonts_lack(app.fonts, app.text_seen)) rebuild_fonts(app, ui_scale, wall_scale);
        std::string title = app.doc.room_title().empty() ? std::string("Kehä") : "Kehä — " + app.doc.room_title();
        if (title != last_title) {
            glfwSetWindowTitle(window, title.c_str());
            last_title = title;
        }

        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        handle_shortcuts(app);
        for (auto& view : views) view->draw(app);
        ImGui::Render();
        taps.end_frame();
        double cpu_built = thread_cpu_ms();
        int fb_w = 0, fb_h = 0;
        glfwGetFramebufferSize(window, &fb_w, &fb_h);
        glViewport(0, 0, fb_w, fb_h);
        ImVec4 bg = theme::vec(theme::paper);
        glClearColor(bg.x, bg.y, bg.z, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        double cpu = thread_cpu_ms() - cpu0;

        if (bench) {
            if (bench_frame >= 5) {  // after warm-up
                (bench_change ? changed : steady).ms.push_back(cpu);
                (bench_change ? changed_build : steady_build).ms.push_back(cpu_built - cpu0);
            }
            ++bench_frame;
            if (bench_frame >= options.bench_frames + std::max(10, options.bench_frames / 4)) {
                int w = 0, h = 0;
                glfwGetFramebufferSize(window, &w, &h);
                std::printf("keha-desk projector frame, %d items on the current board (+1 per re-layout frame), "
                            "%dx%d, CPU time of the UI thread (build + draw-call submission, no swap):\n",
                            options.bench_items, w, h);
                steady.print("  steady frames (layout cached)");
                steady_build.print("    of which building the frame");
                changed.print("  a patch every frame (re-layout)");
                changed_build.print("    of which building the frame");
                std::printf("  (the rest is handing the draw lists to OpenGL; with Mesa's software renderer\n"
                            "   that includes vertex work a GPU driver does not do on this thread)\n");
                if (!options.screenshot.empty() && !write_png(options.screenshot, read_framebuffer(fb_w, fb_h)))
                    exit_code = 1;
                break;
            }
        }

        if (options.frames > 0) {
            bool waiting = app.doc.in_lobby() && app.link == Link::lobby;
            bool in = app.face == Face::start || (app.doc.has_state() && app.link == Link::online) || waiting ||
                      app.link == Link::stopped || app.time > 20;
            bool http_busy = app.exporting.busy() || app.process_busy() || app.history.listing.valid() || app.history.loading.valid() ||
                             (!options.export_to.empty() && !export_started) || app.records.log.valid() ||
                             (!options.access_log_to.empty() && !access_log_started) ||
                             (options.history_seq && !history_started) ||
                             (options.tab == "device" && !app.device_offer);  // the rejoin code on its way
            bool shown = glfwGetWindowAttrib(window, GLFW_VISIBLE);  // a hidden window's pixels are not drawn
            if (shown && in && (!http_busy || app.time > 20)) ++ready_frames;
            if (ready_frames >= options.frames) {
                if (!options.screenshot.empty()) {
                    glFinish();
                    Image image = read_framebuffer(fb_w, fb_h);
                    if (!write_png(options.screenshot, image)) {
                        std::fprintf(stderr, "keha-desk: cannot write %s\n", options.screenshot.c_str());
                        exit_code = 1;
                    }
                }
                if (app.face != Face::start && !(app.doc.has_state() && app.link == Link::online) && !waiting) {
                    std::fprintf(stderr, "keha-desk: not in the room (%s)\n",
                                 app.link_detail.empty() ? "no answer" : app.link_detail.c_str());
                    if (exit_code == 0) exit_code = 3;
                }
                break;
            }
        }
        if (stop_requested) glfwSetWindowShouldClose(window, GLFW_TRUE);
        if (glfwWindowShouldClose(window) && !options.screenshot_at_exit.empty()) {
            glFinish();
            if (!write_png(options.screenshot_at_exit, read_framebuffer(fb_w, fb_h))) exit_code = 1;
        }
        glfwSwapBuffers(window);
        if (!glfwGetWindowAttrib(window, GLFW_VISIBLE)) glfwShowWindow(window);
    }

    app.net.reset();  // joins the network thread
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return exit_code;
}

}  // namespace keha::desk
