#pragma once
// Dear ImGui 1.86 reads keys as "down this frame": a key pressed and released between two
// frames (a quick tap on a busy or slow machine) would never be seen. The window's key events
// pass through here; a release that comes in the same batch of events as its press is held
// back until the frame has seen the key down (and so is every release in that batch, so a
// modifier lets go after the key it modifies).
#include <utility>
#include <vector>

struct GLFWwindow;

namespace keha::desk {

class Key_taps {
public:
    // Takes over the window's key callback (after ImGui_ImplGlfw_InitForOpenGL installed its own).
    void install(GLFWwindow* window);
    // Before polling events: a new batch begins.
    void begin_events();
    // After a frame is built: the held-back releases reach ImGui (for the next frame).
    void end_frame();

private:
    static void on_key(GLFWwindow* window, int key, int scancode, int action, int mods);
    struct Release {
        int key, scancode, mods;
    };
    GLFWwindow* window_ = nullptr;
    std::vector<int> pressed_;       // keys pressed in this batch of events
    std::vector<Release> held_;      // their releases, held back
};

}  // namespace keha::desk
