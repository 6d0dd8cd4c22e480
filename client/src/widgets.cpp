#include "widgets.hpp"

#include <algorithm>

#include "keha/json_access.hpp"
#include "theme.hpp"

namespace keha::desk {

const char* link_label(const App_state& app)
{
    if (app.bench) return app.str("desk.link.online");
    switch (app.link) {
    case Link::online: return app.str("desk.link.online");
    case Link::connecting: return app.str("desk.link.connecting");
    case Link::reconnecting: return app.str("desk.link.reconnecting");
    case Link::stopped: return app.str("desk.link.stopped");
    case Link::lobby: return app.str("desk.link.lobby");
    }
    return "";
}

ImU32 link_colour(const App_state& app)
{
    if (app.bench) return theme::online;
    switch (app.link) {
    case Link::online: return theme::online;
    case Link::connecting:
    case Link::reconnecting:
    case Link::lobby: return theme::warn;
    case Link::stopped: return theme::danger;
    }
    return theme::muted;
}

float draw_link_badge(ImDrawList* list, ImVec2 pos, const App_state& app, ImFont* font, float size)
{
    const char* label = link_label(app);
    ImVec2 text = font->CalcTextSizeA(size, FLT_MAX, 0, label);
    float r = size * 0.28f;
    list->AddCircleFilled(ImVec2(pos.x + r, pos.y + text.y * 0.5f), r, link_colour(app));
    list->AddText(font, size, ImVec2(pos.x + 2 * r + size * 0.35f, pos.y), theme::muted, label);
    return 2 * r + size * 0.35f + text.x;
}

void draw_qr(ImDrawList* list, App_state& app, const std::string& text, ImVec2 pos, float side)
{
    if (app.qr_for != text) {
        app.qr = make_qr(text);
        app.qr_for = text;
    }
    const Qr& qr = app.qr;
    list->AddRectFilled(pos, ImVec2(pos.x + side, pos.y + side), IM_COL32_WHITE, 6.0f);
    if (qr.size == 0) return;
    int total = qr.size + 4;  // two modules of quiet zone on each side
    float module = std::floor(side / static_cast<float>(total));
    float offset = (side - module * static_cast<float>(qr.size)) * 0.5f;
    for (int y = 0; y < qr.size; ++y) {
        int x = 0;
        while (x < qr.size) {
            if (!qr.at(x, y)) {
                ++x;
                continue;
            }
            int run = x;
            while (run < qr.size && qr.at(run, y)) ++run;  // one rectangle per run of dark modules
            ImVec2 a(pos.x + offset + module * x, pos.y + offset + module * y);
            list->AddRectFilled(a, ImVec2(a.x + module * (run - x), a.y + module), theme::ink);
            x = run;
        }
    }
}

ImVec2 draw_chip(ImDrawList* list, ImFont* font, float size, ImVec2 pos, std::string_view text, ImU32 bg, ImU32 fg)
{
    ImVec2 t = font->CalcTextSizeA(size, FLT_MAX, 0, text.data(), text.data() + text.size());
    ImVec2 pad(size * 0.45f, size * 0.12f);
    ImVec2 end(pos.x + t.x + 2 * pad.x, pos.y + t.y + 2 * pad.y);
    list->AddRectFilled(pos, end, bg, (end.y - pos.y) * 0.5f);
    list->AddText(font, size, ImVec2(pos.x + pad.x, pos.y + pad.y), fg, text.data(), text.data() + text.size());
    return ImVec2(end.x - pos.x, end.y - pos.y);
}

std::string timer_text(const App_state& app, bool* overdue, bool* paused)
{
    const json& state = app.doc.state();
    if (!state.is_object() || !state.contains("timer")) return {};
    const json& timer = state["timer"];
    auto remaining = timer_remaining_ms(timer, app.now_ms, app.net ? app.net->server_offset_ms() : 0);
    if (!remaining) return {};
    if (overdue) *overdue = *remaining < 0;
    if (paused) *paused = timer.value("state", "") == "paused";
    return format_clock(*remaining);
}

std::string field(const json& item, const char* key) { return keha::string_field(item, key); }

void open_item_editor(App_state& app, const std::string& board, const std::string& id, const json& item)
{
    app.edit.open = true;
    app.edit.board = board;
    app.edit.id = id;
    Item_draft& d = app.edit.draft;
    d = Item_draft{};
    d.column = field(item, "column");
    d.text = field(item, "text");
    d.when = field(item, "when");
    d.sector = sector_text(app.str, item);
    d.who = field(item, "who");
    d.with = field(item, "with");
    d.due = field(item, "due");
    d.turn = field(item, "turn");
    d.organisation = field(item, "organisation");
    d.status = field(item, "status").empty() ? "proposed" : field(item, "status");
}

void empty_state(const char* text)
{
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
    ImGui::TextWrapped("%s", text);
    ImGui::PopStyleColor();
}

void lobby_list(App_state& app)
{
    float s = app.fonts.scale;
    for (const Person& p : app.doc.lobby()) {
        ImGui::PushID(p.pid.c_str());
        std::string who = p.name + "  \xc2\xb7  " + app.group_label(p.group);
        ImGui::TextUnformatted(who.c_str());
        const ImGuiStyle& st = ImGui::GetStyle();
        float w = ImGui::CalcTextSize(app.str("desk.lobby.admit")).x + ImGui::CalcTextSize(app.str("desk.lobby.refuse")).x +
                  st.FramePadding.x * 4 + st.ItemSpacing.x + 8 * s;
        const float text_end = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x + ImGui::GetScrollX();
        ImGui::SameLine(std::max(text_end + 16 * s, ImGui::GetWindowContentRegionMax().x - w));
        ImGui::BeginDisabled(!app.online() || app.doc.consent_pending());
        if (ImGui::SmallButton(app.str("desk.lobby.admit"))) app.send("participant.admit", {{"pid", p.pid}});
        ImGui::EndDisabled();
        if (app.doc.consent_pending() && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
            ImGui::SetTooltip("%s", app.str("desk.consent.pending"));
        ImGui::SameLine();
        ImGui::BeginDisabled(!app.online());
        if (ImGui::SmallButton(app.str("desk.lobby.refuse"))) app.send("participant.remove", {{"pid", p.pid}});
        ImGui::EndDisabled();
        ImGui::PopID();
    }
}

void muted(const std::string& text)
{
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
    ImGui::TextWrapped("%s", text.c_str());
    ImGui::PopStyleColor();
}

void section(const App_state& app, const char* text)
{
    ImGui::Spacing();
    ImGui::PushFont(app.fonts.bold);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::accent));
    ImGui::TextUnformatted(text);
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::Separator();
}

}  // namespace keha::desk
