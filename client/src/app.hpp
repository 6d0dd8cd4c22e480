#pragma once
// The window and the frame loop: GLFW + OpenGL 3 + Dear ImGui, the views drawn from the
// one App_state; the screenshot and benchmark modes.
#include "options.hpp"

namespace keha::desk {

// Runs keha-desk; returns the process exit code.
int run(const Options& options);

}  // namespace keha::desk
