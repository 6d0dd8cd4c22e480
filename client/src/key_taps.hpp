#pragma once
// Dear ImGui 1.86 reads keys as "down this frame", and its keyboard navigation moves the focus
// a frame or two after Tab, Enter or an arrow: a key pressed and released between two frames
// (a quick tap on a busy machine) would never be seen, and letters typed right after Tab
// would land in the field being left. The window's keys and characters pass through here and
// reach ImGui in order, each when the frames before it have seen what came first: a release
// waits for a frame after its press, and whatever follows a navigation key waits until the
// focus has moved.
#include <deque>

struct GLFWwindow;

namespace keha::desk {

class Key_taps {
public:
    // Takes over the window's key and character callbacks (after ImGui_ImplGlfw_InitForOpenGL
    // installed its own, which are called from here).
    void install(GLFWwindow* window);
    // After a frame is built: what waited reaches ImGui, as far as it may before the next frame.
    void end_frame();

private:
    struct Event {
        bool is_char = false;
        int key = 0, scancode = 0, action = 0, mods = 0;
        unsigned int c = 0;
    };
    static void on_key(GLFWwindow* window, int key, int scancode, int action, int mods);
    static void on_char(GLFWwindow* window, unsigned int c);
    void take(const Event& e);
    bool must_wait(const Event& e) const;
    void deliver(const Event& e);

    GLFWwindow* window_ = nullptr;
    std::deque<Event> waiting_;
    bool pressed_ = false;   // a key went down since the last frame
    int settle_frames_ = 0;  // frames the focus needs after a navigation key
};

}  // namespace keha::desk
