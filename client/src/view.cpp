#include "view.hpp"

#include "view_boards.hpp"
#include "view_console.hpp"
#include "view_projector.hpp"
#include "view_start.hpp"
#include "view_status.hpp"

namespace keha::desk {

ImGuiWindowFlags View::flags() const
{
    return ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
           ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoBringToFrontOnFocus;
}

void View::draw(App_state& app)
{
    if (!visible(app)) {
        shown_ = false;
        return;
    }
    if (!shown_ && takes_focus(app)) ImGui::SetNextWindowFocus();
    shown_ = true;
    ImVec2 pos, size;
    place(app, ImGui::GetIO().DisplaySize, pos, size);
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    if (ImGui::Begin(window_id(), nullptr, flags())) content(app);
    ImGui::End();
}

std::vector<std::unique_ptr<View>> make_views(Console_panels& panels)
{
    std::vector<std::unique_ptr<View>> views;
    views.push_back(std::make_unique<View_start>());
    views.push_back(std::make_unique<View_status>());
    views.push_back(std::make_unique<View_console>(panels));
    views.push_back(std::make_unique<View_boards>(panels.history));
    views.push_back(std::make_unique<View_projector>());
    views.push_back(std::make_unique<View_lobby_notices>());  // last: over the boards
    return views;
}

float status_bar_height(const App_state& app) { return 64.0f * app.fonts.scale; }
float console_width(const App_state& app) { return 430.0f * app.fonts.scale; }

}  // namespace keha::desk
