#include "view_records.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include "app_state.hpp"
#include "theme.hpp"
#include "view_panels.hpp"

namespace keha::desk {

void Records_panel::save_access_log(App_state& app, const std::string& path)
{
    auto client = app.api();
    if (!client || log_.busy()) return;
    path_ = path;
    log_.start([client = *client] { return client.access_log_csv(); });
}

void Records_panel::delete_meeting(App_state& app)
{
    auto client = app.api();
    if (!client || deleting_.busy()) return;
    deleting_.start([client = *client] { return client.delete_room(); });
}

void Records_panel::poll(App_state& app)
{
    auto records_failed = [&](const auto& answer) {
        app.notify(app.str.format("desk.records.failed", "error",
                                  answer.status == 0 ? std::string(app.str("desk.export.no_answer")) : answer.error),
                   true);
    };
    if (auto log = log_.take()) {
        if (!log->ok()) {
            records_failed(*log);
        } else {
            bool saved = save_file(path_, *log->value);
            app.notify(saved ? app.str.format("desk.records.access_log_saved", "path", path_)
                             : app.str.format("desk.export.cannot_write", "path", path_),
                       !saved);
        }
    }
    if (auto deleted = deleting_.take(); deleted && !deleted->ok()) records_failed(*deleted);
}

// The access log to a file, and deleting the meeting after a confirmation.
void Records_panel::draw(App_state& app)
{
    if (app.facilitator_key.empty()) return;
    ImGui::Spacing();
    if (path_.empty()) path_ = "keha-" + app.code + "-access-log.csv";
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##accesslogpath", &path_);
    ImGui::BeginDisabled(log_.busy() || path_.empty());
    if (ImGui::Button(app.str("desk.records.access_log"))) save_access_log(app, path_);
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(deleting_.busy());
    if (ImGui::Button(app.str("desk.records.delete"))) confirm_delete_ = true;
    ImGui::EndDisabled();

    if (confirm_delete_) ImGui::OpenPopup("##deletemeeting");
    if (!ImGui::BeginPopupModal("##deletemeeting", nullptr,
                                ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar))
        return;
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28);
    ImGui::TextUnformatted(app.str("desk.records.delete_confirm"));
    ImGui::PopTextWrapPos();
    ImGui::PushStyleColor(ImGuiCol_Button, theme::vec(theme::danger));
    if (ImGui::Button(app.str("desk.records.delete_yes"))) {
        delete_meeting(app);
        confirm_delete_ = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::PopStyleColor();
    ImGui::SameLine();
    if (ImGui::Button(app.str("desk.cancel"))) {
        confirm_delete_ = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

}  // namespace keha::desk
