#include "view_status.hpp"

#include "shortcuts.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace keha::desk {

namespace {

void device_popup(App_state& app)
{
    const float s = app.fonts.scale;
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(560 * s, 0));
    if (!ImGui::BeginPopupModal("##device", nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_AlwaysAutoResize))
        return;
    ImGui::PushFont(app.fonts.heading);
    ImGui::TextUnformatted(app.str("desk.device.other"));
    ImGui::PopFont();
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(app.str("desk.device.other_hint"));
    ImGui::PopTextWrapPos();
    std::string link = make_rejoin_link(app.server ? app.server->base() : "", app.code, app.token_saved);
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##device-link", link.data(), link.size() + 1, ImGuiInputTextFlags_ReadOnly);
    if (ImGui::Button(app.str("desk.device.copy"))) {
        ImGui::SetClipboardText(link.c_str());
        app.notify(app.str("desk.device.copied"));
    }
    ImGui::Spacing();
    ImGui::TextUnformatted(app.str("desk.device.code_hint"));
    ImGui::PushFont(app.fonts.code ? app.fonts.code : app.fonts.heading);
    ImGui::TextUnformatted(app.device_offer ? app.device_offer->code.c_str() : "…");
    ImGui::PopFont();
    if (app.device_offer) {
        std::string until = local_clock_text(app.device_offer->expires_at_ms, app.net ? app.net->server_offset_ms() : 0);
        ImGui::TextUnformatted(app.str.format("desk.device.code_until", "time", until).c_str());
    }
    ImGui::Spacing();
    if (ImGui::Button(app.str("desk.device.close"))) {
        app.device_offer.reset();  // the code is not kept once the window closes
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

// The bar's items are placed from the right edge leftwards; `right` is where the next one ends.
struct Bar {
    App_state& app;
    ImDrawList* list;
    ImVec2 wpos, wsize;
    float s;
    float right;

    // The cursor for an item `width` wide (and `gap` from the one before) at the bar's middle.
    void place_button(float width, float gap)
    {
        right -= width + gap * s;
        ImGui::SetCursorPos(ImVec2(right, (wsize.y - ImGui::GetFrameHeight()) * 0.5f));
    }
};

// Left: the room and where the meeting is.
void room_and_phase(App_state& app, float s)
{
    ImGui::SetCursorPos(ImVec2(14 * s, 8 * s));
    ImGui::BeginGroup();
    ImGui::PushFont(app.fonts.bold);
    std::string title = app.doc.room_title().empty() ? app.display_code() : app.doc.room_title();
    ImGui::TextUnformatted(title.c_str());
    ImGui::PopFont();
    const json* phase = app.doc.current_phase();
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
    if (phase) {
        std::string line = std::string(app.str("desk.phase")) + ": " + text_in_language(app.str, *phase, "title");
        ImGui::TextUnformatted(line.c_str());
    } else {
        ImGui::TextUnformatted(app.str("desk.no_phase"));
    }
    ImGui::PopStyleColor();
    ImGui::EndGroup();
}

void language_combo(Bar& bar)
{
    App_state& app = bar.app;
    const char* langs[] = {"fi", "sv", "en"};
    float combo_w = 70 * bar.s;
    bar.right -= combo_w;
    ImGui::SetCursorPos(ImVec2(bar.right, (bar.wsize.y - ImGui::GetFrameHeight()) * 0.5f));
    ImGui::SetNextItemWidth(combo_w);
    if (ImGui::BeginCombo("##lang", app.str.lang().c_str())) {
        for (const char* l : langs)
            if (ImGui::Selectable(l, app.str.lang() == l)) {
                app.set_language(l);
                app.language_from_room = false;
            }
        ImGui::EndCombo();
    }
}

void connection_badge(Bar& bar)
{
    App_state& app = bar.app;
    const char* label = link_label(app);
    float badge_w = ImGui::CalcTextSize(label).x + ImGui::GetFontSize() * 1.0f;
    bar.right -= badge_w + 18 * bar.s;
    draw_link_badge(bar.list, ImVec2(bar.wpos.x + bar.right, bar.wpos.y + (bar.wsize.y - ImGui::GetFontSize()) * 0.5f),
                    app, app.fonts.body, ImGui::GetFontSize());
    if (app.link == Link::reconnecting && app.net) {
        ImGui::SetCursorPos(ImVec2(bar.right, 0));
        ImGui::InvisibleButton("##linkinfo", ImVec2(badge_w, bar.wsize.y));
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s", app.str.count("desk.link.tries", app.net->reconnects()).c_str());
    }
}

// Those in the lobby, listed under the count (its right edge at the window's).
void lobby_popup(Bar& bar, long long n)
{
    App_state& app = bar.app;
    float s = bar.s;
    ImGui::SetNextWindowPos(ImVec2(bar.wpos.x + bar.wsize.x - 14 * s, bar.wpos.y + bar.wsize.y + 4 * s),
                            ImGuiCond_Always, ImVec2(1, 0));
    ImGui::SetNextWindowSizeConstraints(ImVec2(380 * s, 0), ImVec2(560 * s, 600 * s));
    if (!ImGui::BeginPopup("##lobbylist")) return;
    // Those in the open list need no notice of their own any more.
    app.lobby_notices.seen_all(app.doc.lobby());
    ImGui::PushFont(app.fonts.bold);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::warn));
    ImGui::TextUnformatted(app.str.count("desk.lobby.badge_label", n).c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::Separator();
    lobby_list(app);
    ImGui::EndPopup();
}

// For the facilitator: how many wait in the lobby; the count opens their list.
void lobby_count(Bar& bar)
{
    App_state& app = bar.app;
    if (!app.doc.has_state() || !app.doc.is_facilitator()) return;
    app.lobby_notices.forget_gone(app.doc.lobby());
    if (app.doc.lobby().empty()) return;
    const auto n = static_cast<long long>(app.doc.lobby().size());
    std::string badge = app.str.count("desk.lobby.badge", n) + "###lobbybadge";
    bar.place_button(ImGui::CalcTextSize(badge.c_str(), nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2, 18);
    ImGui::PushStyleColor(ImGuiCol_Button, theme::vec(theme::signal_soft));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, theme::vec(theme::signal));
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::warn));
    ImGui::PushFont(app.fonts.bold);
    bool open = ImGui::Button(badge.c_str());
    ImGui::PopFont();
    ImGui::PopStyleColor(3);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.str.count("desk.lobby.badge_label", n).c_str());
    if (open || app.open_tab == "lobby") {
        app.open_tab.clear();
        ImGui::OpenPopup("##lobbylist");
    }
    lobby_popup(bar, n);
}

void hand_button(Bar& bar)
{
    App_state& app = bar.app;
    if (!app.doc.has_state() || app.doc.is_screen()) return;
    bool up = app.doc.my_hand_up();
    const char* hand = app.str(up ? "desk.hand.lower" : "desk.hand.raise");
    bar.place_button(ImGui::CalcTextSize(hand).x + ImGui::GetStyle().FramePadding.x * 2, 18);
    if (up) ImGui::PushStyleColor(ImGuiCol_Button, theme::vec(theme::hand));
    // A listener raises no hand (the server refuses it); a hand raised before can go down.
    const bool listening = !up && app.doc.my_input_held();
    ImGui::BeginDisabled(!app.online() || listening);
    // One id for both labels, so the keyboard stays on the button when it turns around.
    if (ImGui::Button((std::string(hand) + "###hand").c_str())) app.send(up ? "hand.lower" : "hand.raise", json::object());
    ImGui::EndDisabled();
    if (listening && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", app.str("desk.hand.listening"));
    else shortcut_tooltip(app, Shortcut::hand);
    if (up) ImGui::PopStyleColor();
}

// A participant carries on elsewhere: a personal link and a code on this window only.
void other_device_button(Bar& bar)
{
    App_state& app = bar.app;
    if (!app.doc.has_state() || app.face != Face::participant || app.doc.is_screen() || app.doc.is_facilitator() ||
        app.token_saved.empty())
        return;
    const char* other = app.str("desk.device.other");
    bar.place_button(ImGui::CalcTextSize(other).x + ImGui::GetStyle().FramePadding.x * 2, 12);
    ImGui::BeginDisabled(!app.online());
    bool open = ImGui::Button(other);
    ImGui::EndDisabled();
    if (open || (app.open_tab == "device" && app.online())) {
        app.open_tab.clear();
        app.device_offer.reset();
        if (app.net) app.net->ask_rejoin_code();
        ImGui::OpenPopup("##device");
    }
    device_popup(app);
}

void clock(Bar& bar)
{
    App_state& app = bar.app;
    bool overdue = false, paused = false;
    std::string text = timer_text(app, &overdue, &paused);
    if (text.empty()) return;
    ImGui::PushFont(app.fonts.heading);
    float tw = ImGui::CalcTextSize(text.c_str()).x;
    bar.right -= tw + 24 * bar.s;
    ImGui::SetCursorPos(ImVec2(bar.right, (bar.wsize.y - ImGui::GetFontSize()) * 0.5f));
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(overdue ? theme::hinders : paused ? theme::muted : theme::ink));
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
}

// Notices float under the bar (below those of the lobby), newest last.
void notices(App_state& app, ImVec2 wpos, ImVec2 wsize, float s)
{
    float y = wsize.y + 8 * s + app.lobby_notices_height;
    app.lobby_notices_height = 0;  // View_lobby_notices, drawn after this, sets it again
    for (auto it = app.notices.begin(); it != app.notices.end();) {
        if (it->until < app.time) {
            it = app.notices.erase(it);
            continue;
        }
        ImDrawList* fg = ImGui::GetForegroundDrawList();
        ImVec2 t = ImGui::CalcTextSize(it->text.c_str());
        ImVec2 a(wpos.x + wsize.x - t.x - 40 * s, wpos.y + y);
        ImVec2 b(wpos.x + wsize.x - 16 * s, a.y + t.y + 16 * s);
        fg->AddRectFilled(a, b, it->error ? theme::rgb(0xF6, 0xE1, 0xDC) : theme::accent_soft, 6 * s);
        fg->AddRect(a, b, it->error ? theme::danger : theme::accent, 6 * s);
        fg->AddText(ImVec2(a.x + 12 * s, a.y + 8 * s), theme::ink, it->text.c_str());
        y += t.y + 24 * s;
        ++it;
    }
}

}  // namespace

void View_status::content(App_state& app)
{
    ImDrawList* list = ImGui::GetWindowDrawList();
    ImVec2 wpos = ImGui::GetWindowPos(), wsize = ImGui::GetWindowSize();
    list->AddRectFilled(wpos, ImVec2(wpos.x + wsize.x, wpos.y + wsize.y), theme::card);
    list->AddLine(ImVec2(wpos.x, wpos.y + wsize.y - 1), ImVec2(wpos.x + wsize.x, wpos.y + wsize.y - 1),
                  theme::card_border);
    float s = app.fonts.scale;
    room_and_phase(app, s);
    // Right, from the edge in: the language, the connection, the lobby, the hand, another
    // device, the timer.
    Bar bar{app, list, wpos, wsize, s, wsize.x - 14 * s};
    language_combo(bar);
    connection_badge(bar);
    lobby_count(bar);
    hand_button(bar);
    other_device_button(bar);
    clock(bar);
    notices(app, wpos, wsize, s);
}

bool View_lobby_notices::visible(const App_state& app) const
{
    return app.face == Face::console && app.doc.has_state() && app.doc.is_facilitator() &&
           !app.lobby_notices.view(app.doc.lobby()).shown.empty();
}

void View_lobby_notices::place(const App_state& app, ImVec2 display, ImVec2& pos, ImVec2& size) const
{
    float s = app.fonts.scale;
    size = ImVec2(420 * s, 0);  // height 0: as tall as the notices
    pos = ImVec2(display.x - size.x - 6 * s, status_bar_height(app) + 2 * s);
}

void View_lobby_notices::content(App_state& app)
{
    const float s = app.fonts.scale;
    const ImGuiStyle& st = ImGui::GetStyle();
    const float pad = 12 * s;
    Lobby_notice_view v = app.lobby_notices.view(app.doc.lobby());
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float left = ImGui::GetCursorScreenPos().x;
    const float right = left + ImGui::GetContentRegionAvail().x;
    const char* close = "\xc3\x97##close";
    const float close_w = ImGui::CalcTextSize(close, nullptr, true).x + st.FramePadding.x * 2;
    for (const Person* p : v.shown) {
        ImGui::PushID(p->pid.c_str());
        // The card's background goes under its content once the content's height is known.
        dl->ChannelsSplit(2);
        dl->ChannelsSetCurrent(1);
        const ImVec2 top = ImGui::GetCursorScreenPos();
        ImGui::SetCursorScreenPos(ImVec2(left + pad, top.y + pad));
        ImGui::BeginGroup();
        ImGui::PushTextWrapPos(right - ImGui::GetWindowPos().x - pad - close_w - st.ItemSpacing.x);
        ImGui::PushFont(app.fonts.bold);
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::ink));
        ImGui::TextUnformatted(app.str.format("desk.lobby.toast", "name", p->name).c_str());
        ImGui::PopStyleColor();
        ImGui::PopFont();
        ImGui::PopTextWrapPos();
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
        ImGui::TextUnformatted(app.group_label(p->group).c_str());
        ImGui::PopStyleColor();
        ImGui::Spacing();
        ImGui::BeginDisabled(!app.online() || app.doc.consent_pending());
        if (ImGui::Button(app.str("desk.lobby.admit"))) app.send("participant.admit", {{"pid", p->pid}});
        ImGui::EndDisabled();
        if (app.doc.consent_pending() && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
            ImGui::SetTooltip("%s", app.str("desk.consent.pending"));
        ImGui::SameLine();
        ImGui::BeginDisabled(!app.online());
        if (ImGui::Button(app.str("desk.lobby.refuse"))) app.send("participant.remove", {{"pid", p->pid}});
        ImGui::EndDisabled();
        ImGui::EndGroup();
        const float bottom = ImGui::GetItemRectMax().y + pad;
        // Close: the person stays waiting, in the list of the top bar's count.
        ImGui::SetCursorScreenPos(ImVec2(right - pad / 2 - close_w, top.y + pad / 2));
        if (ImGui::SmallButton(close)) app.lobby_notices.dismiss(p->pid);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.str("desk.lobby.dismiss"));
        dl->ChannelsSetCurrent(0);
        dl->AddRectFilled(ImVec2(left, top.y), ImVec2(right, bottom), theme::signal_soft, 6 * s);
        dl->AddRect(ImVec2(left, top.y), ImVec2(right, bottom), theme::signal, 6 * s, 0, 1.5f * s);
        dl->ChannelsMerge();
        ImGui::SetCursorScreenPos(ImVec2(left, bottom + 6 * s));
        ImGui::Dummy(ImVec2(0, 0));
        ImGui::PopID();
    }
    if (v.more > 0) {
        // The rest wait in the list the count opens.
        std::string more = app.str.count("desk.lobby.more", static_cast<long long>(v.more)) + "###lobbymore";
        const float w = ImGui::CalcTextSize(more.c_str(), nullptr, true).x + st.FramePadding.x * 2;
        ImGui::SetCursorScreenPos(ImVec2(right - w, ImGui::GetCursorScreenPos().y));
        ImGui::PushStyleColor(ImGuiCol_Button, theme::vec(theme::signal_soft));
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, theme::vec(theme::signal));
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::warn));
        if (ImGui::Button(more.c_str())) app.open_tab = "lobby";
        ImGui::PopStyleColor(3);
    }
    app.lobby_notices_height = ImGui::GetWindowHeight();
}

}  // namespace keha::desk
