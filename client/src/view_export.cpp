#include "view_export.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "app_state.hpp"
#include "keha/private_writing.hpp"
#include "theme.hpp"
#include "view_panels.hpp"
#include "widgets.hpp"

namespace keha::desk {
namespace {

std::string default_export_path(const App_state& app, const std::string& format)
{
    const char* home = std::getenv("HOME");
    std::time_t t = std::time(nullptr);
    char date[16];
    std::strftime(date, sizeof date, "%Y-%m-%d", std::localtime(&t));
    return std::string(home ? home : ".") + "/keha-" + app.doc.room_code() + "-" + date + "." + format;
}

// Where an identity code was found, in words: "Aikajana · kohta 3 · teksti".
std::string hit_place(const App_state& app, const Identity_code_hit& hit, const Document& doc)
{
    if (hit.board == "room") return std::string(app.str("desk.pic.room_title"));
    if (hit.board == "consent") return std::string(app.str("desk.pic.consent"));
    if (hit.board == "participants") {
        std::string name = app.str("desk.pic.participant_name");
        return name + " (" + app.group_label(doc.participant(hit.id) ? field(*doc.participant(hit.id), "group") : "") + ")";
    }
    std::string out = app.str("board." + hit.board);
    const auto& items = doc.board_items(hit.board);
    for (std::size_t i = 0; i < items.size(); ++i)
        if (field(*items[i], "id") == hit.id) {
            out += " \xc2\xb7 " + app.str.format("desk.pic.item_n", "n", std::to_string(i + 1));
            std::string author = doc.name_of(field(*items[i], "author"));
            if (!author.empty()) out += " (" + author + ")";
        }
    std::string field_key = hit.field == "text" ? "desk.pic.field_text" : "field." + hit.field;
    out += " \xc2\xb7 " + std::string(app.str(field_key));
    if (hit.hidden) out += " \xc2\xb7 " + std::string(app.str("desk.pic.hidden"));
    return out;
}

std::string names_label_key(int policy)
{
    return std::string("desk.export.names.") + (policy == 0 ? "room" : export_name_policies[policy]);
}

// The boards of the live room with notes written privately and not revealed yet, one line each.
std::vector<std::string> unrevealed_lines(const App_state& app)
{
    std::vector<std::string> lines;
    const json& state = app.doc.state();
    const auto boards = state.find("boards");
    if (boards == state.end() || !boards->is_object()) return lines;
    for (const auto& [board, content] : boards->items()) {
        const long long n = keha::private_total(state, board);
        if (n == 0) continue;
        std::string line = app.str.count("writing.notes_unrevealed", n);
        if (auto at = line.find("{board}"); at != std::string::npos) line.replace(at, 7, app.str("board." + board));
        lines.push_back(std::move(line));
    }
    return lines;
}

}  // namespace

void Export_panel::start(App_state& app, const std::string& format, const std::string& path,
                         std::optional<std::uint64_t> seq)
{
    auto client = app.api();
    if (!client || busy() || confirm_) return;
    path_ = path;
    format_ = format;
    seq_ = seq;
    message_.clear();
    hits_.clear();
    check_failed_ = false;
    unrevealed_ = seq ? std::vector<std::string>{} : unrevealed_lines(app);
    checking_.start([client = *client, seq] { return client.export_check(seq); });
}

void Export_panel::confirm(App_state& app)
{
    confirm_ = false;
    auto client = app.api();
    if (!client || notes_.busy()) return;
    Export_request request{format_, export_name_policies[std::clamp(names_, 0, 3)], seq_,
                           app.str.lang()};  // the notes in the desk user's language
    notes_.start([client = *client, request] { return client.export_notes(request); });
}

void Export_panel::cancel(App_state& app)
{
    confirm_ = false;
    error_ = false;
    message_ = app.str("desk.export.cancelled");
}

void Export_panel::poll(App_state& app)
{
    if (auto check = checking_.take()) {
        if (check->ok() && check->value->empty() && unrevealed_.empty()) {
            confirm(app);
        } else {
            // Something that looks like an identity code, notes not revealed yet, or no answer we can read: ask.
            hits_ = check->value.value_or(std::vector<Identity_code_hit>{});
            check_failed_ = !check->ok();
            confirm_ = true;
        }
    }
    auto notes = notes_.take();
    if (!notes) return;
    if (!notes->ok()) {
        error_ = true;
        message_ = failure_text(app.str, *notes, "desk.export.failed");
        return;
    }
    error_ = !save_file(path_, *notes->value);
    message_ = error_ ? app.str.format("desk.export.cannot_write", "path", path_)
                      : app.str.format("desk.export.saved", "path", path_);
}

void Export_panel::controls(App_state& app, std::optional<std::uint64_t> seq, const char* id)
{
    ImGui::PushID(id);
    if (path_.empty()) path_ = default_export_path(app, format_);
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##exportpath", &path_);
    ImGui::SetNextItemWidth(200 * app.fonts.scale);
    if (ImGui::BeginCombo(app.str("desk.export.names"), app.str(names_label_key(names_)))) {
        for (int i = 0; i < 4; ++i)
            if (ImGui::Selectable(app.str(names_label_key(i)), names_ == i)) names_ = i;
        ImGui::EndCombo();
    }
    ImGui::BeginDisabled(busy() || confirm_);
    for (const char* format : {"md", "html", "json"}) {
        if (ImGui::Button(app.str(std::string("desk.export.") + format))) {
            path_ = path_for_format(path_, format, seq);
            start(app, format, path_, seq);
        }
        ImGui::SameLine();
    }
    ImGui::EndDisabled();
    ImGui::NewLine();
    if (checking_.busy()) empty_state(app.str("desk.export.checking"));
    else if (notes_.busy()) empty_state(app.str("desk.export.busy"));
    else if (!message_.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(error_ ? theme::danger : theme::online));
        ImGui::TextWrapped("%s", message_.c_str());
        ImGui::PopStyleColor();
    }
    ImGui::PopID();
}

void Export_panel::warning(App_state& app, const Document& doc)
{
    if (confirm_ && !ImGui::IsPopupOpen("##picwarning")) ImGui::OpenPopup("##picwarning");
    float s = app.fonts.scale;
    ImGui::SetNextWindowSize(ImVec2(620 * s, 0));
    if (!ImGui::BeginPopupModal("##picwarning", nullptr, ImGuiWindowFlags_NoTitleBar)) return;
    ImGui::PushFont(app.fonts.bold);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::danger));
    ImGui::TextWrapped("%s", app.str(check_failed_ ? "desk.pic.check_failed" : hits_.empty() ? "writing.export_title" : "desk.pic.title"));
    ImGui::PopStyleColor();
    ImGui::PopFont();
    if (!check_failed_ && !hits_.empty()) {
        ImGui::TextWrapped("%s", app.str.count("desk.pic.found", static_cast<long long>(hits_.size())).c_str());
        float rows = static_cast<float>(hits_.size() + 1) * ImGui::GetTextLineHeightWithSpacing();
        ImGui::BeginChild("##hits", ImVec2(0, std::min(220 * s, rows)), true);
        for (const Identity_code_hit& hit : hits_) ImGui::BulletText("%s", hit_place(app, hit, doc).c_str());
        ImGui::EndChild();
        muted(app.str("desk.pic.advice"));
    }
    if (!unrevealed_.empty()) {
        if (check_failed_ || !hits_.empty()) {
            ImGui::Separator();
            ImGui::PushFont(app.fonts.bold);
            ImGui::TextWrapped("%s", app.str("writing.export_title"));
            ImGui::PopFont();
        }
        for (const auto& line : unrevealed_) {
            ImGui::Bullet();
            ImGui::SameLine();
            ImGui::TextWrapped("%s", line.c_str());
        }
        muted(app.str("writing.export_lead"));
    }
    if (ImGui::Button(app.str("desk.cancel"))) {
        cancel(app);
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Button, theme::vec(theme::accent_soft));
    if (ImGui::Button(app.str("desk.pic.export_anyway"))) {
        confirm(app);
        ImGui::CloseCurrentPopup();
    }
    ImGui::PopStyleColor();
    ImGui::EndPopup();
}

}  // namespace keha::desk
