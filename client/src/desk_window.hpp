#pragma once
// The one GLFW window with its OpenGL 3 context and Dear ImGui: opening it, following the app
// between frames (fullscreen, font scale, title), drawing a frame, reading its pixels, closing.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "image.hpp"
#include "key_taps.hpp"
#include "options.hpp"

struct GLFWwindow;

namespace keha::desk {

struct App_state;
struct Console_panels;
class View;

class Desk_window {
public:
    // The views it draws show `panels` (the console's HTTP panels), which outlive the window.
    explicit Desk_window(Console_panels& panels);
    ~Desk_window();
    Desk_window(const Desk_window&) = delete;
    Desk_window& operator=(const Desk_window&) = delete;

    // Opens the window (`projector`: no decorations, the wall's default size) and ImGui on it;
    // an exit code on failure (no display, no OpenGL 3).
    std::optional<int> open(const Options& options, bool projector, App_state& app);
    // Waits for input or the network (`timed`: polls, the frame loop runs flat out).
    void wait(bool timed) const;
    // Between frames: the fullscreen switch, the font scale and new letters, the title.
    void follow(App_state& app);
    // Builds and renders one frame of every view; the UI thread's CPU time (ms) when the
    // frame was built (before the draw calls).
    double draw(App_state& app);
    Image pixels() const;
    bool closing() const;
    void request_close();
    // Swaps, and shows the window once its first frame is drawn.
    void present();
    void close();

    bool shown() const;
    int framebuffer_width() const;
    int framebuffer_height() const;

private:
    void rebuild_fonts(App_state& app);

    GLFWwindow* window_ = nullptr;
    Key_taps taps_;
    std::vector<std::unique_ptr<View>> views_;
    float ui_scale_ = 1, wall_scale_ = 1;
    bool was_fullscreen_ = false;
    std::string last_title_;
};

// The calling thread's CPU time in milliseconds.
double thread_cpu_ms();

}  // namespace keha::desk
