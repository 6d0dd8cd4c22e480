#include "view_history.hpp"

#include <algorithm>
#include <imgui.h>

#include "app_state.hpp"
#include "theme.hpp"
#include "view_export.hpp"
#include "view_panels.hpp"
#include "widgets.hpp"

namespace keha::desk {

std::uint64_t History_panel::seq_at(int i) const
{
    if (i <= 0 || ops_.empty()) return 0;
    return ops_[static_cast<std::size_t>(std::min<int>(i, static_cast<int>(ops_.size())) - 1)].seq;
}

void History_panel::open(App_state& app)
{
    open_ = true;
    auto client = app.api();
    if (!client || listing_.busy()) return;
    error_.clear();
    listing_.start([client = *client] { return client.history(); });
}

void History_panel::load(App_state& app, std::uint64_t seq)
{
    wanted_ = seq;
    auto client = app.api();
    if (!client || loading_.busy()) return;  // asked again when this one lands
    loading_.start([client = *client, seq] { return client.history_at(seq); });
}

void History_panel::go_to(App_state& app, std::uint64_t seq)
{
    goto_ = seq;
    open(app);
}

void History_panel::poll(App_state& app)
{
    if (auto list = listing_.take()) {
        if (!list->ok()) {
            error_ = failure_text(app.str, *list, "desk.history.failed");
        } else {
            ops_ = std::move(list->value->ops);
            last_seq_ = list->value->last_seq;
            index_ = static_cast<int>(ops_.size());
            if (goto_) {
                while (index_ > 0 && seq_at(index_) > *goto_) --index_;
                viewing_ = true;
                goto_.reset();
            }
            load(app, seq_at(index_));
        }
    }
    auto at = loading_.take();
    if (!at) return;
    if (!at->ok()) {
        error_ = failure_text(app.str, *at, "desk.history.failed");
        wanted_.reset();
    } else {
        app.text_seen.add_json(at->value->state);
        // The past as this facilitator saw it: their own pid and role over the state of then.
        doc_.apply_welcome({{"type", "welcome"}, {"you", app.doc.you()}, {"role", app.doc.role()},
                            {"seq", at->value->seq}, {"state", std::move(at->value->state)}});
        loaded_ = at->value->seq;
        at_ = at->value->at;
        error_.clear();
    }
    if (wanted_ && wanted_ != loaded_) load(app, *wanted_);
}

void History_panel::tab_shown(bool shown)
{
    if (!shown && viewing_ && !goto_) viewing_ = false;  // leaving the tab returns the boards to the present
    open_ = shown || listing_.busy();
}

void History_panel::draw(App_state& app, Export_panel& exporting)
{
    if (!open_) open(app);
    section(app, app.str("desk.history"));
    muted(app.str("desk.history.help"));
    if (!error_.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::danger));
        ImGui::TextWrapped("%s", error_.c_str());
        ImGui::PopStyleColor();
    }
    if (listing_.busy()) {
        empty_state(app.str("desk.history.loading"));
        return;
    }
    if (ImGui::SmallButton(app.str("desk.history.refresh"))) open(app);
    int n = static_cast<int>(ops_.size());
    ImGui::SetNextItemWidth(-1);
    std::string label = "seq " + std::to_string(seq_at(index_));
    ImGui::SliderInt("##seq", &index_, 0, n, label.c_str(), ImGuiSliderFlags_AlwaysClamp);
    if (ImGui::IsItemDeactivatedAfterEdit() || (ImGui::IsItemActive() && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter))))
        load(app, seq_at(index_));
    ImGui::BeginDisabled(index_ <= 0);
    if (ImGui::ArrowButton("##prev", ImGuiDir_Left)) load(app, seq_at(--index_));
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(index_ >= n);
    if (ImGui::ArrowButton("##next", ImGuiDir_Right)) load(app, seq_at(++index_));
    ImGui::EndDisabled();
    ImGui::SameLine();
    std::string what = index_ == 0 ? std::string(app.str("desk.history.created"))
                                   : ops_[static_cast<std::size_t>(index_ - 1)].cmd + "  \xc2\xb7  " +
                                         ops_[static_cast<std::size_t>(index_ - 1)].at;
    ImGui::TextUnformatted(what.c_str());
    if (loading_.busy()) empty_state(app.str("desk.history.loading"));
    else if (loaded_) {
        std::string line = fill_in(app.str.count("desk.history.loaded", static_cast<long long>(doc_.item_count())),
                                   "seq", std::to_string(*loaded_));
        ImGui::TextWrapped("%s", line.c_str());
    }
    ImGui::BeginDisabled(!loaded_);
    if (ImGui::Checkbox(app.str("desk.history.show_boards"), &viewing_) && viewing_) app.board.clear();
    ImGui::EndDisabled();
    if (loaded_) {
        ImGui::Spacing();
        ImGui::TextUnformatted(app.str("desk.history.export"));
        exporting.controls(app, loaded_, "historyexport");
    }
}

void History_panel::banner(App_state& app) const
{
    float s = app.fonts.scale;
    ImDrawList* list = ImGui::GetWindowDrawList();
    ImVec2 p = ImGui::GetCursorScreenPos();
    std::string text = fill_in(app.str.format("desk.history.banner", "seq", std::to_string(loaded_.value_or(0))), "at",
                               at_.empty() ? std::string(app.str("desk.history.created")) : at_);
    ImGui::PushFont(app.fonts.bold);
    ImVec2 t = ImGui::CalcTextSize(text.c_str());
    float w = ImGui::GetContentRegionAvail().x;
    list->AddRectFilled(p, ImVec2(p.x + w, p.y + t.y + 14 * s), theme::signal_soft, 6 * s);
    list->AddRect(p, ImVec2(p.x + w, p.y + t.y + 14 * s), theme::signal, 6 * s, 0, 2 * s);
    ImGui::SetCursorScreenPos(ImVec2(p.x + 10 * s, p.y + 7 * s));
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopFont();
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + t.y + 18 * s));
}

}  // namespace keha::desk
