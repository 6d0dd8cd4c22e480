#include "key_taps.hpp"

#include <GLFW/glfw3.h>
#include <algorithm>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>

namespace keha::desk {

void Key_taps::install(GLFWwindow* window)
{
    window_ = window;
    glfwSetWindowUserPointer(window, this);
    glfwSetKeyCallback(window, &Key_taps::on_key);
}

void Key_taps::on_key(GLFWwindow* window, int key, int scancode, int action, int mods)
{
    auto* self = static_cast<Key_taps*>(glfwGetWindowUserPointer(window));
    if (self && key >= 0) {
        if (action == GLFW_PRESS) {
            self->pressed_.push_back(key);
        } else if (action == GLFW_RELEASE && !self->pressed_.empty()) {
            // Also a modifier's: Shift+F5 tapped in one go is seen with its Shift.
            self->held_.push_back({key, scancode, mods});
            return;
        }
    }
    ImGui_ImplGlfw_KeyCallback(window, key, scancode, action, mods);
}

void Key_taps::begin_events() { pressed_.clear(); }

void Key_taps::end_frame()
{
    if (held_.empty()) return;
    std::vector<Release> held;
    held.swap(held_);
    for (const Release& r : held) ImGui_ImplGlfw_KeyCallback(window_, r.key, r.scancode, GLFW_RELEASE, r.mods);
    glfwPostEmptyEvent();  // a frame soon, to see the key up
}

}  // namespace keha::desk
