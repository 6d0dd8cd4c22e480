#include "key_taps.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>

namespace keha::desk {
namespace {

// Keys after which ImGui moves the focus (one frame to ask, one to land).
bool moves_focus(int key)
{
    switch (key) {
        case GLFW_KEY_TAB: case GLFW_KEY_ENTER: case GLFW_KEY_KP_ENTER: case GLFW_KEY_ESCAPE:
        case GLFW_KEY_UP: case GLFW_KEY_DOWN: case GLFW_KEY_LEFT: case GLFW_KEY_RIGHT: case GLFW_KEY_SPACE:
            return true;
        default:
            return false;
    }
}

}  // namespace

void Key_taps::install(GLFWwindow* window)
{
    window_ = window;
    glfwSetWindowUserPointer(window, this);
    glfwSetKeyCallback(window, &Key_taps::on_key);
    glfwSetCharCallback(window, &Key_taps::on_char);
}

void Key_taps::on_key(GLFWwindow* window, int key, int scancode, int action, int mods)
{
    auto* self = static_cast<Key_taps*>(glfwGetWindowUserPointer(window));
    if (!self) return ImGui_ImplGlfw_KeyCallback(window, key, scancode, action, mods);
    self->take({false, key, scancode, action, mods, 0});
}

void Key_taps::on_char(GLFWwindow* window, unsigned int c)
{
    auto* self = static_cast<Key_taps*>(glfwGetWindowUserPointer(window));
    if (!self) return ImGui_ImplGlfw_CharCallback(window, c);
    self->take({true, 0, 0, 0, 0, c});
}

bool Key_taps::must_wait(const Event& e) const
{
    if (settle_frames_ > 0) return true;
    return !e.is_char && e.action == GLFW_RELEASE && pressed_;  // seen down first
}

void Key_taps::take(const Event& e)
{
    if (!waiting_.empty() || must_wait(e)) waiting_.push_back(e);
    else deliver(e);
}

void Key_taps::deliver(const Event& e)
{
    if (e.is_char) {
        ImGui_ImplGlfw_CharCallback(window_, e.c);
        return;
    }
    ImGui_ImplGlfw_KeyCallback(window_, e.key, e.scancode, e.action, e.mods);
    if (e.action == GLFW_PRESS) {
        pressed_ = true;
        if (moves_focus(e.key)) settle_frames_ = 2;
    }
}

void Key_taps::end_frame()
{
    pressed_ = false;
    if (settle_frames_ > 0) --settle_frames_;
    while (!waiting_.empty() && !must_wait(waiting_.front())) {
        deliver(waiting_.front());
        waiting_.pop_front();
    }
    if (!waiting_.empty() || settle_frames_ > 0) glfwPostEmptyEvent();  // the next frame soon
}

}  // namespace keha::desk
