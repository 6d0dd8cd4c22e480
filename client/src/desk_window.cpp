#include "desk_window.hpp"

#include <GLFW/glfw3.h>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include "app_state.hpp"
#include "shortcuts.hpp"
#include "theme.hpp"
#include "view.hpp"

namespace keha::desk {
namespace {

GLFWmonitor* pick_monitor(int index)
{
    int count = 0;
    GLFWmonitor** monitors = glfwGetMonitors(&count);
    if (count == 0) return nullptr;
    return monitors[std::clamp(index, 0, count - 1)];
}

// Without --size: the wall's or the console's size, within the primary monitor's work area.
void default_size(bool projector, int& w, int& h)
{
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
        default_size(projector, w, h);
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

}  // namespace

Desk_window::Desk_window(Console_panels& panels) : views_(make_views(panels)) {}
Desk_window::~Desk_window() = default;

double thread_cpu_ms()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

std::optional<int> Desk_window::open(const Options& options, bool projector, App_state& app)
{
    glfwSetErrorCallback([](int code, const char* text) { std::fprintf(stderr, "GLFW %d: %s\n", code, text); });
    if (!glfwInit()) {
        std::fprintf(stderr, "keha-desk: no display (is DISPLAY set?)\n");
        return 1;
    }
    window_ = open_window(options, projector, "Kehä");
    if (!window_) {
        std::fprintf(stderr, "keha-desk: could not open an OpenGL 3 window\n");
        glfwTerminate();
        return 1;
    }
    was_fullscreen_ = options.fullscreen.has_value();
    glfwMakeContextCurrent(window_);
    glfwSwapInterval(options.frames > 0 || options.bench_frames > 0 ? 0 : 1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // the layout is fixed; nothing to remember
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;  // Tab, arrows, Space, Enter, Escape, Ctrl+Tab
    float xscale = 1, yscale = 1;
    glfwGetWindowContentScale(window_, &xscale, &yscale);
    ui_scale_ = std::clamp(std::max(xscale, yscale), 1.0f, 3.0f);
    theme::apply_style(ui_scale_);
    ImGui_ImplGlfw_InitForOpenGL(window_, true);
    taps_.install(window_);
    ImGui_ImplOpenGL3_Init("#version 130");
    wall_scale_ = wall_scale_for(window_);
    load_fonts(app.fonts, app.assets_dir, ui_scale_, wall_scale_);
    return std::nullopt;
}

void Desk_window::wait(bool timed) const
{
    if (timed) glfwPollEvents();
    else glfwWaitEventsTimeout(0.25);  // the clock on screen ticks; the network wakes us
}

void Desk_window::rebuild_fonts(App_state& app)
{
    load_fonts(app.fonts, app.assets_dir, ui_scale_, wall_scale_, app.text_seen);
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
}

void Desk_window::follow(App_state& app)
{
    if (app.face == Face::projector && !app.bench && app.request_fullscreen) {
        app.request_fullscreen = false;
        if (GLFWmonitor* monitor = pick_monitor(0)) {
            const GLFWvidmode* mode = glfwGetVideoMode(monitor);
            glfwSetWindowMonitor(window_, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
            was_fullscreen_ = true;
        }
    }
    if (app.face == Face::projector && glfwGetKey(window_, GLFW_KEY_ESCAPE) == GLFW_PRESS && was_fullscreen_) {
        glfwSetWindowMonitor(window_, nullptr, 80, 80, 1280, 720, GLFW_DONT_CARE);
        was_fullscreen_ = false;
    }
    if (app.face == Face::projector) {
        float wanted = wall_scale_for(window_);
        if (std::abs(wanted - wall_scale_) / wall_scale_ > 0.15f) {
            wall_scale_ = wanted;
            rebuild_fonts(app);
        }
    }
    // A letter the atlas has no glyph for yet (a new name, an item, what is being typed):
    // the atlas is built again before this frame draws it, rather than draw "?".
    for (ImWchar c : ImGui::GetIO().InputQueueCharacters) app.text_seen.add(c);
    if (fonts_lack(app.fonts, app.text_seen)) rebuild_fonts(app);
    std::string title = app.doc.room_title().empty() ? std::string("Kehä") : "Kehä — " + app.doc.room_title();
    if (title != last_title_) {
        glfwSetWindowTitle(window_, title.c_str());
        last_title_ = title;
    }
}

double Desk_window::draw(App_state& app)
{
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    handle_shortcuts(app);
    for (auto& view : views_) view->draw(app);
    ImGui::Render();
    taps_.end_frame();
    double cpu_built = thread_cpu_ms();
    glViewport(0, 0, framebuffer_width(), framebuffer_height());
    ImVec4 bg = theme::vec(theme::paper);
    glClearColor(bg.x, bg.y, bg.z, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    return cpu_built;
}

Image Desk_window::pixels() const
{
    glFinish();
    return read_framebuffer(framebuffer_width(), framebuffer_height());
}

bool Desk_window::closing() const { return glfwWindowShouldClose(window_); }
void Desk_window::request_close() { glfwSetWindowShouldClose(window_, GLFW_TRUE); }

void Desk_window::present()
{
    glfwSwapBuffers(window_);
    if (!glfwGetWindowAttrib(window_, GLFW_VISIBLE)) glfwShowWindow(window_);
}

void Desk_window::close()
{
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window_);
    glfwTerminate();
    window_ = nullptr;
}

bool Desk_window::shown() const { return glfwGetWindowAttrib(window_, GLFW_VISIBLE); }

int Desk_window::framebuffer_width() const
{
    int w = 0, h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    return w;
}

int Desk_window::framebuffer_height() const
{
    int w = 0, h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    return h;
}

}  // namespace keha::desk
