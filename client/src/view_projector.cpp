#include "view_projector.hpp"

#include <algorithm>
#include <cmath>

#include "keha/i18n.hpp"
#include "keha/sectors.hpp"
#include "theme.hpp"
#include "view_turns.hpp"
#include "widgets.hpp"

namespace keha::desk {
namespace {

const char* c_str(const std::string& s) { return s.c_str(); }

float text_height(ImFont* font, float size, float wrap, const std::string& text)
{
    if (text.empty()) return 0;
    return font->CalcTextSizeA(size, FLT_MAX, wrap, text.data(), text.data() + text.size()).y;
}

constexpr float fit_steps[] = {1.0f, 0.84f, 0.7f, 0.58f};

// Names stay off the wall when this window was asked to, or the room's settings say so.
bool hide_names(const App_state& app)
{
    const json& settings = app.doc.room().value("settings", json::object());
    return app.hide_names || (settings.is_object() && settings.value("hide_names", false));
}

}  // namespace

ImGuiWindowFlags View_projector::flags() const
{
    return View::flags() | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse |
           ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoInputs;
}

void View_projector::content(App_state& app)
{
    wall_ = &theme::wall_palette(app.doc.wall_theme());
    ImDrawList* list = ImGui::GetWindowDrawList();
    ImVec2 display = ImGui::GetIO().DisplaySize;
    float k = display.y / 1080.0f;
    // Behind everything, edge to edge (the window's own list is clipped inside its padding).
    ImGui::GetBackgroundDrawList()->AddRectFilled(ImVec2(0, 0), display, wall_->paper);

    float margin = 44 * k;
    float sidebar_w = std::clamp(display.x * 0.21f, 300 * k, 440 * k);
    ImVec2 main_min(margin, margin);
    float main_w = display.x - sidebar_w - 3 * margin;

    if (!app.doc.has_state()) {
        // Not in yet: say so in large type rather than show an empty wall.
        const char* text = app.link == Link::stopped ? app.str("desk.link.stopped") : app.str("desk.link.connecting");
        ImFont* f = app.fonts.wall_heading;
        ImVec2 t = f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, text);
        list->AddText(f, f->FontSize, ImVec2((display.x - t.x) * 0.5f, (display.y - t.y) * 0.45f), wall_->muted, text);
        if (!app.link_detail.empty()) {
            std::string detail = app.str(("error." + app.link_detail).c_str());
            ImFont* s = app.fonts.wall_body;
            ImVec2 d = s->CalcTextSizeA(s->FontSize, FLT_MAX, 0, detail.c_str());
            list->AddText(s, s->FontSize, ImVec2((display.x - d.x) * 0.5f, (display.y - t.y) * 0.45f + t.y * 1.6f),
                          wall_->muted, detail.c_str());
        }
        return;
    }

    float header_bottom = 0;
    draw_header(app, list, main_min, main_w, header_bottom);
    draw_sidebar(app, list, ImVec2(display.x - sidebar_w - margin, margin),
                 ImVec2(display.x - margin, display.y - margin));
    float top = header_bottom + 30 * k;
    if (app.doc.turns().running()) top = draw_turns(app, list, ImVec2(margin, top), main_w) + 26 * k;
    draw_board(app, list, ImVec2(margin, top), ImVec2(margin + main_w, display.y - margin));

    // The same moment, heard: the chime (from the first reading on, so a box already over stays quiet).
    const json& state = app.doc.state();
    bool running = state.is_object() && state.contains("timer") && state["timer"].is_object() &&
                   state["timer"].value("state", "") == "running";
    if (chime_.update(running, app.timer_remaining()) && app.chime) play_chime();

    // The soft signal when a time box ends: the wall's edge breathes in amber for a moment.
    if (float pulse = signal_pulse(app); pulse > 0) {
        ImU32 edge = (wall_->signal & 0x00FFFFFF) | (static_cast<ImU32>(200 * pulse) << 24);
        float inset = 8 * k;
        list->AddRect(ImVec2(inset, inset), ImVec2(display.x - inset, display.y - inset), edge, 22 * k, 0, 12 * k);
    }
}

// Who speaks and who listens, between the header and the board: the reflecting team's
// stage and its two groups, the round, the open floor, the pairs. Returns its bottom.
float View_projector::draw_turns(App_state& app, ImDrawList* list, ImVec2 min, float width)
{
    const Turns& t = app.doc.turns();
    float k = ImGui::GetIO().DisplaySize.y / 1080.0f;
    ImFont* body = app.fonts.wall_body;
    ImFont* bold = app.fonts.wall_bold;
    ImFont* small = app.fonts.wall_small;
    ImFont* h = app.fonts.wall_heading;
    float y = min.y;
    float pad = 22 * k;

    auto pill = [&](float x, float py, const std::string& text, bool on, ImU32 colour) {
        float size = small->FontSize;
        ImVec2 ts = bold->CalcTextSizeA(size, FLT_MAX, 0, text.c_str());
        ImVec2 a(x, py), b(x + ts.x + 2 * 16 * k, py + ts.y + 2 * 7 * k);
        if (on) list->AddRectFilled(a, b, colour, (b.y - a.y) * 0.5f);
        else list->AddRect(a, b, wall_->card_border, (b.y - a.y) * 0.5f, 0, 2 * k);
        list->AddText(bold, size, ImVec2(a.x + 16 * k, a.y + 7 * k), on ? wall_->on_accent : wall_->muted, text.c_str());
        return b;
    };
    auto guidance = [&](const std::string& text, ImU32 colour) {
        if (text.empty()) return;
        list->AddText(body, body->FontSize, ImVec2(min.x, y), colour, text.c_str(), nullptr, width);
        y += text_height(body, body->FontSize, width, text) + 16 * k;
    };

    if (t.mode == "reflecting_team") {
        // The three stages in a row, the current one filled; the cycle at the end.
        const char* stages[] = {"conversation", "reflection", "response"};
        float x = min.x, row_h = 0;
        for (int i = 0; i < 3; ++i) {
            if (i > 0) {  // a chevron between the stages (the fonts have no arrows)
                float cy = y + 7 * k + small->FontSize * 0.55f, cx = x + 14 * k, r = small->FontSize * 0.28f;
                list->AddTriangleFilled(ImVec2(cx, cy - r), ImVec2(cx + r * 1.1f, cy), ImVec2(cx, cy + r), wall_->muted);
                x += 14 * k + r * 1.1f + 14 * k;
            }
            ImVec2 b = pill(x, y, app.str(stage_key(stages[i])), t.stage == stages[i], wall_->speaking);
            x = b.x;
            row_h = b.y - y;
        }
        std::string cycle = app.str.format("desk.turns.cycle", "n", std::to_string(std::max(1, t.cycle)));
        list->AddText(small, small->FontSize, ImVec2(x + 28 * k, y + 7 * k), wall_->muted, cycle.c_str());
        y += row_h + 18 * k;
        guidance(turns_guidance(app, t), wall_->ink);

        // The two groups side by side: focus group left, reflectors right; who speaks is filled.
        float gap = 24 * k;
        float card_w = (width - gap) * 0.5f;
        struct Side {
            const char* title;
            const std::vector<std::string>* pids;
            bool speaks;
        };
        bool focus_speaks = t.stage != "reflection";
        Side sides[] = {{"desk.turns.focus", &t.focus, focus_speaks}, {"desk.turns.reflectors", &t.reflectors, !focus_speaks}};
        float text_w = card_w - 2 * pad;
        float card_h = 0;
        for (const Side& side : sides) {
            float hh = pad + bold->FontSize * 1.5f + text_height(body, body->FontSize, text_w, app.people_line(*side.pids)) + pad;
            card_h = std::max(card_h, hh);
        }
        for (int i = 0; i < 2; ++i) {
            const Side& side = sides[i];
            ImVec2 a(min.x + static_cast<float>(i) * (card_w + gap), y), b(a.x + card_w, y + card_h);
            ImU32 colour = side.speaks ? wall_->speaking : wall_->listening;
            list->AddRectFilled(a, b, side.speaks ? wall_->speaking_soft : wall_->listening_soft, 14 * k);
            list->AddRect(a, b, colour, 14 * k, 0, (side.speaks ? 4.0f : 1.5f) * k);
            std::string title = app.str(side.title);
            list->AddText(bold, bold->FontSize, ImVec2(a.x + pad, a.y + pad), colour, title.c_str());
            // "speaks" / "listens" as a chip at the right end of the title row.
            std::string role = app.str(side.speaks ? "desk.turns.speaks_now" : "desk.turns.listens_now");
            ImVec2 rs = bold->CalcTextSizeA(small->FontSize, FLT_MAX, 0, role.c_str());
            float chip_x = b.x - pad - rs.x - 2 * small->FontSize * 0.45f;
            draw_chip(list, bold, small->FontSize, ImVec2(chip_x, a.y + pad), role, colour, wall_->on_accent);
            std::string names = side.pids->empty() ? std::string("\xe2\x80\x93") : app.people_line(*side.pids);
            list->AddText(body, body->FontSize, ImVec2(a.x + pad, a.y + pad + bold->FontSize * 1.5f), wall_->ink,
                          names.c_str(), nullptr, text_w);
        }
        y += card_h;
        if (!t.speaker.empty()) {
            y += 14 * k;
            std::string floor = std::string(app.str("desk.turns.floor")) + ": " + app.person_label(t.speaker);
            list->AddText(bold, bold->FontSize, ImVec2(min.x, y), wall_->speaking, floor.c_str());
            y += bold->FontSize * 1.3f;
        }
        return y;
    }

    if (t.mode == "round") {
        std::string title = turns_title(app, t);
        list->AddText(small, small->FontSize, ImVec2(min.x, y), wall_->muted, title.c_str());
        y += small->FontSize * 1.5f;
        if (t.finished) {
            guidance(app.str("desk.turns.round_over"), wall_->online);
        } else {
            std::string now = app.person_label(t.current_speaker());
            std::string label = std::string(app.str("desk.turns.now")) + ":";
            ImVec2 ls = bold->CalcTextSizeA(bold->FontSize, FLT_MAX, 0, label.c_str());
            list->AddText(bold, bold->FontSize, ImVec2(min.x, y + (h->FontSize - bold->FontSize) * 0.6f), wall_->muted,
                          label.c_str());
            list->AddText(h, h->FontSize, ImVec2(min.x + ls.x + 16 * k, y), wall_->speaking, now.c_str());
            float nx = min.x + ls.x + 16 * k + h->CalcTextSizeA(h->FontSize, FLT_MAX, 0, now.c_str()).x + 48 * k;
            if (!t.next.empty()) {
                std::string next = std::string(app.str("desk.turns.next_speaker")) + ": " + app.person_label(t.next);
                list->AddText(bold, bold->FontSize, ImVec2(nx, y + (h->FontSize - bold->FontSize) * 0.6f), wall_->ink,
                              next.c_str(), nullptr, min.x + width - nx);
            }
            y += h->FontSize * 1.25f;
            guidance(app.str("desk.guide.round"), wall_->muted);
        }
        // Everyone in the round, in order: done muted, passed marked, the current one filled.
        float x = min.x;
        float size = small->FontSize;
        float line_h = size * 1.7f;
        for (std::size_t i = 0; i < t.order.size(); ++i) {
            const std::string& pid = t.order[i];
            bool now = !t.finished && static_cast<int>(i) == t.current;
            bool passed = std::find(t.passed.begin(), t.passed.end(), pid) != t.passed.end();
            bool past = static_cast<int>(i) < t.current || t.finished;
            std::string text = std::to_string(i + 1) + ". " + app.person_label(pid);
            if (passed) text += " (" + std::string(app.str("desk.turns.passed_one")) + ")";
            ImVec2 ts = bold->CalcTextSizeA(size, FLT_MAX, 0, text.c_str());
            float w = ts.x + size * 0.9f;
            if (x + w > min.x + width) {
                x = min.x;
                y += line_h;
            }
            ImU32 bg = now ? wall_->speaking : past ? wall_->past : wall_->card;
            ImU32 fg = now ? wall_->on_accent : past ? wall_->muted : wall_->ink;
            draw_chip(list, bold, size, ImVec2(x, y), text, bg, fg);
            x += w + 10 * k;
        }
        return y + line_h;
    }

    if (t.mode == "hand_queue") {
        list->AddText(small, small->FontSize, ImVec2(min.x, y), wall_->muted, app.str("desk.turn_mode.hand_queue"));
        y += small->FontSize * 1.5f;
        if (!t.speaker.empty()) {
            std::string label = std::string(app.str("desk.turns.floor")) + ":";
            ImVec2 ls = bold->CalcTextSizeA(bold->FontSize, FLT_MAX, 0, label.c_str());
            list->AddText(bold, bold->FontSize, ImVec2(min.x, y + (h->FontSize - bold->FontSize) * 0.6f), wall_->muted,
                          label.c_str());
            std::string who = app.person_label(t.speaker);
            list->AddText(h, h->FontSize, ImVec2(min.x + ls.x + 16 * k, y), wall_->speaking, who.c_str());
            y += h->FontSize * 1.3f;
        }
        guidance(app.str("desk.guide.floor"), wall_->muted);
        return y;
    }

    if (t.mode == "pairs") {
        list->AddText(small, small->FontSize, ImVec2(min.x, y), wall_->muted, turns_title(app, t).c_str());
        y += small->FontSize * 1.5f;
        guidance(app.str("desk.guide.pairs"), wall_->ink);
        int columns = width > 1100 * k ? 3 : 2;
        float gap = 18 * k;
        float cell_w = (width - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
        float cell_h = bold->FontSize * 1.2f + 2 * 14 * k;
        int n = 0;
        for (const auto& pair : t.pairs) {
            if (pair.empty()) continue;
            std::vector<std::string> speak, listen;
            for (const auto& pid : pair)
                (std::find(t.speaking.begin(), t.speaking.end(), pid) != t.speaking.end() ? speak : listen).push_back(pid);
            float x = min.x + static_cast<float>(n % columns) * (cell_w + gap);
            float cy = y + static_cast<float>(n / columns) * (cell_h + gap * 0.6f);
            list->AddRectFilled(ImVec2(x, cy), ImVec2(x + cell_w, cy + cell_h), wall_->card, 10 * k);
            list->AddRect(ImVec2(x, cy), ImVec2(x + cell_w, cy + cell_h), wall_->card_border, 10 * k, 0, 1.2f * k);
            std::string a = app.people_line(speak), arrow = "  \xe2\x80\xba  ", b = app.people_line(listen);
            float tx = x + 16 * k, ty = cy + 14 * k;
            float size = bold->FontSize * 0.9f;
            list->PushClipRect(ImVec2(x, cy), ImVec2(x + cell_w - 8 * k, cy + cell_h), true);
            list->AddText(bold, size, ImVec2(tx, ty), wall_->speaking, a.c_str());
            tx += bold->CalcTextSizeA(size, FLT_MAX, 0, a.c_str()).x;
            list->AddText(bold, size, ImVec2(tx, ty), wall_->muted, arrow.c_str());
            tx += bold->CalcTextSizeA(size, FLT_MAX, 0, arrow.c_str()).x;
            list->AddText(body, size, ImVec2(tx, ty), wall_->listening, b.c_str());
            list->PopClipRect();
            ++n;
        }
        int rows = (n + columns - 1) / columns;
        return y + static_cast<float>(rows) * (cell_h + gap * 0.6f);
    }
    return y;
}

void View_projector::draw_header(App_state& app, ImDrawList* list, ImVec2 min, float width, float& bottom)
{
    const json* phase = app.doc.current_phase();
    std::string title = phase ? text_in_language(app.str, *phase, "title") : app.doc.room_title();
    std::string question = phase ? text_in_language(app.str, *phase, "question") : std::string();
    ImFont* h = app.fonts.wall_heading;
    ImFont* b = app.fonts.wall_body;
    float y = min.y;
    // The agenda position: "2 / 6" in small type above the title.
    int index = app.doc.current_phase_index();
    if (index >= 0) {
        std::string step = app.doc.room_title() + "  ·  " + std::to_string(index + 1) + " / " +
                           std::to_string(app.doc.phases().size());
        list->AddText(app.fonts.wall_small, app.fonts.wall_small->FontSize, ImVec2(min.x, y), wall_->muted,
                      step.c_str());
        y += app.fonts.wall_small->FontSize * 1.5f;
    }
    list->AddText(h, h->FontSize, ImVec2(min.x, y), wall_->ink, title.c_str(), nullptr, width);
    y += text_height(h, h->FontSize, width, title) + h->FontSize * 0.2f;
    if (!question.empty()) {
        list->AddText(b, b->FontSize, ImVec2(min.x, y), wall_->accent, question.c_str(), nullptr, width);
        y += text_height(b, b->FontSize, width, question);
    }
    bottom = y;
}

void View_projector::draw_sidebar(App_state& app, ImDrawList* list, ImVec2 min, ImVec2 max)
{
    float k = ImGui::GetIO().DisplaySize.y / 1080.0f;
    float w = max.x - min.x;
    float y = min.y;
    ImFont* small = app.fonts.wall_small;
    ImFont* bold = app.fonts.wall_bold;
    ImFont* huge = app.fonts.wall_huge;
    float pad = 22 * k;

    // The timer.
    bool overdue = false, paused = false;
    std::string clock = timer_text(app, &overdue, &paused);
    if (!clock.empty()) {
        float size = huge->FontSize;
        ImVec2 t = huge->CalcTextSizeA(size, FLT_MAX, 0, clock.c_str());
        float card_h = t.y + small->FontSize * 1.4f + 2 * pad;
        float pulse = signal_pulse(app);
        list->AddRectFilled(min, ImVec2(max.x, y + card_h), pulse > 0 ? wall_->signal_soft : wall_->card, 14 * k);
        list->AddRect(min, ImVec2(max.x, y + card_h), pulse > 0 ? wall_->signal : wall_->card_border, 14 * k, 0,
                      (pulse > 0 ? 2.0f + 3.0f * pulse : 1.5f) * k);
        const char* label = app.str(pulse > 0   ? "desk.timer.ended"
                                    : paused    ? "desk.timer.paused"
                                    : overdue   ? "desk.timer.over"
                                                : "desk.timer.left");
        list->AddText(small, small->FontSize, ImVec2(min.x + pad, y + pad), wall_->muted, label);
        ImU32 colour = overdue ? wall_->hinders : paused ? wall_->muted : wall_->ink;
        list->AddText(huge, size, ImVec2(min.x + (w - t.x) * 0.5f, y + pad + small->FontSize * 1.3f), colour,
                      clock.c_str());
        y += card_h + 24 * k;
    }

    // How to join: the code, a QR code to the participant page, the address.
    {
        std::string code = app.display_code();
        // The server's join address (--public-url or its network address), not the one this window used.
        const auto& join = app.doc.join();
        std::string url = join ? join->url : app.server ? join_url(*app.server, app.doc.room_code()) : std::string();
        float code_size = huge->FontSize * 0.62f;
        ImVec2 ct = huge->CalcTextSizeA(code_size, FLT_MAX, 0, code.c_str());
        float qr_side = std::min(w - 2 * pad, 250 * k);
        bool show_qr = !url.empty() && max.y - y > 520 * k;
        float card_h = pad + small->FontSize * 1.4f + ct.y + (show_qr ? qr_side + 14 * k : 0) +
                       (url.empty() ? 0 : small->FontSize * 1.5f) + pad;
        list->AddRectFilled(ImVec2(min.x, y), ImVec2(max.x, y + card_h), wall_->card, 14 * k);
        list->AddRect(ImVec2(min.x, y), ImVec2(max.x, y + card_h), wall_->card_border, 14 * k, 0, 1.5f * k);
        float cy = y + pad;
        list->AddText(small, small->FontSize, ImVec2(min.x + pad, cy), wall_->muted, app.str("desk.join_with_code"));
        cy += small->FontSize * 1.4f;
        list->AddText(huge, code_size, ImVec2(min.x + (w - ct.x) * 0.5f, cy), wall_->accent, code.c_str());
        cy += ct.y;
        if (show_qr) {
            cy += 8 * k;
            draw_qr(list, app, url, ImVec2(min.x + (w - qr_side) * 0.5f, cy), qr_side);
            cy += qr_side + 6 * k;
        }
        if (!url.empty()) {
            std::string shown = url.substr(url.find("://") + 3);
            float size = small->FontSize * 0.9f;
            ImVec2 ut = small->CalcTextSizeA(size, FLT_MAX, 0, shown.c_str());
            if (ut.x > w - 2 * pad) size *= (w - 2 * pad) / ut.x;
            ut = small->CalcTextSizeA(size, FLT_MAX, 0, shown.c_str());
            list->AddText(small, size, ImVec2(min.x + (w - ut.x) * 0.5f, cy + 4 * k), wall_->muted, shown.c_str());
        }
        y += card_h + 24 * k;
    }

    // Raised hands, first raised first.
    const auto& hands = app.doc.raised_hands();
    float bottom_line = max.y - small->FontSize * 1.2f;
    if (!hands.empty() && y < bottom_line - 3 * bold->FontSize) {
        list->AddText(small, small->FontSize, ImVec2(min.x, y), wall_->muted, app.str("desk.hands"));
        y += small->FontSize * 1.5f;
        int n = 0;
        for (const Raised_hand& hand : hands) {
            if (y + bold->FontSize * 1.3f > bottom_line) {
                std::string more = "+" + std::to_string(hands.size() - static_cast<std::size_t>(n));
                list->AddText(small, small->FontSize, ImVec2(min.x, y), wall_->muted, more.c_str());
                break;
            }
            ++n;
            float r = bold->FontSize * 0.42f;
            ImVec2 c(min.x + r, y + bold->FontSize * 0.55f);
            list->AddCircleFilled(c, r, n == 1 ? wall_->hand : wall_->accent_soft);
            std::string num = std::to_string(n);
            ImVec2 nt = small->CalcTextSizeA(small->FontSize * 0.85f, FLT_MAX, 0, num.c_str());
            list->AddText(small, small->FontSize * 0.85f, ImVec2(c.x - nt.x * 0.5f, c.y - nt.y * 0.5f),
                          n == 1 ? wall_->on_accent : wall_->ink, num.c_str());
            std::string who = hide_names(app) ? app.group_label(hand.group) : hand.name;
            list->AddText(bold, bold->FontSize, ImVec2(min.x + 2 * r + 12 * k, y), wall_->ink, who.c_str(), nullptr,
                          w - 2 * r - 12 * k);
            y += bold->FontSize * 1.35f;
        }
    }

    // The footer: how many are in, and the connection.
    std::size_t in = 0;
    for (const Person& p : app.doc.people()) in += p.online;
    std::string people = app.str.count("desk.people_online", static_cast<long long>(in));
    list->AddText(small, small->FontSize, ImVec2(min.x, bottom_line), wall_->muted, people.c_str());
    float badge_w = small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, link_label(app)).x + small->FontSize;
    draw_link_badge(list, ImVec2(max.x - badge_w, bottom_line), app, small, small->FontSize);
}

void View_projector::draw_board(App_state& app, ImDrawList* list, ImVec2 min, ImVec2 max)
{
    std::string board = app.doc.current_board();
    float k = ImGui::GetIO().DisplaySize.y / 1080.0f;
    if (board.empty()) {
        draw_no_board(app, list, min, max);
        return;
    }
    if (layout_.version != app.doc.version() || layout_.board != board || layout_.min.x != min.x ||
        layout_.min.y != min.y || layout_.max.x != max.x || layout_.max.y != max.y || layout_.lang != app.str.lang())
        build(app, board, min, max);

    for (const Label& label : layout_.labels) {
        ImFont* f = app.fonts.wall_bold;
        float size = f->FontSize * std::max(0.75f, layout_.size / app.fonts.wall_body->FontSize);
        list->AddRectFilled(ImVec2(label.pos.x, label.pos.y + size * 1.25f),
                            ImVec2(label.pos.x + label.width, label.pos.y + size * 1.25f + 4 * k), label.colour, 2 * k);
        list->AddText(f, size, label.pos, label.colour, label.text.c_str());
    }
    for (const Card& card : layout_.cards) draw_card(app, list, card);

    if (layout_.cards.empty() && layout_.labels.empty()) {
        ImFont* b = app.fonts.wall_body;
        list->AddText(b, b->FontSize, ImVec2(min.x, min.y + 20 * k), wall_->muted, app.str("desk.wall.empty"), nullptr,
                      max.x - min.x);
    }
    if (layout_.left_out > 0 || layout_.private_items > 0) {
        std::string more;
        if (layout_.left_out > 0) more = app.str.count("desk.wall.more", static_cast<long long>(layout_.left_out));
        if (layout_.private_items > 0) {
            if (!more.empty()) more += "   ·   ";
            more += app.str.count("desk.wall.private", static_cast<long long>(layout_.private_items));
        }
        ImFont* s = app.fonts.wall_small;
        list->AddText(s, s->FontSize, ImVec2(min.x, max.y - s->FontSize), wall_->muted, more.c_str());
    }
}

// A phase with no board (opening, closing, a round): its card (e.g. ground rules) if it
// has one, and the people in the room around a circle — the kehä — when it is a round.
void View_projector::draw_no_board(App_state& app, ImDrawList* list, ImVec2 min, ImVec2 max)
{
    float k = ImGui::GetIO().DisplaySize.y / 1080.0f;
    const json* phase = app.doc.current_phase();
    ImFont* body = app.fonts.wall_body;
    ImFont* bold = app.fonts.wall_bold;
    ImFont* small = app.fonts.wall_small;
    float y = min.y + 10 * k;
    float width = max.x - min.x;
    if (phase && phase->contains("card") && (*phase)["card"].is_object()) {
        const json& card = (*phase)["card"];
        std::string title = text_in_language(app.str, card, "title");
        float pad = 28 * k;
        float text_w = width - 2 * pad - 40 * k;
        float h = pad + (title.empty() ? 0 : bold->FontSize * 1.6f);
        const json& lines = card.value("lines", json::array());
        for (const json& line : lines) h += text_height(body, body->FontSize, text_w, localized(line, app.str.lang())) + 12 * k;
        h += pad;
        ImVec2 a(min.x, y), b(max.x, y + h);
        list->AddRectFilled(a, b, wall_->card, 14 * k);
        list->AddRect(a, b, wall_->card_border, 14 * k, 0, 1.5f * k);
        list->AddRectFilled(a, ImVec2(a.x + 8 * k, b.y), wall_->accent, 14 * k, ImDrawFlags_RoundCornersLeft);
        float cy = y + pad;
        if (!title.empty()) {
            list->AddText(bold, bold->FontSize, ImVec2(a.x + pad, cy), wall_->accent, title.c_str());
            cy += bold->FontSize * 1.6f;
        }
        int n = 0;
        for (const json& line : lines) {
            std::string number = std::to_string(++n) + ".";
            list->AddText(bold, body->FontSize, ImVec2(a.x + pad, cy), wall_->muted, number.c_str());
            std::string text = localized(line, app.str.lang());
            list->AddText(body, body->FontSize, ImVec2(a.x + pad + 40 * k, cy), wall_->ink, text.c_str(), nullptr,
                          text_w);
            cy += text_height(body, body->FontSize, text_w, text) + 12 * k;
        }
        return;
    }
    std::string turn_mode = phase ? field(*phase, "turn_mode") : std::string();
    std::string hint = turn_mode == "round" && !app.doc.turns().running() ? app.str(phase && field(*phase, "kind") == "closing" ? "desk.wall.closing"
                                                                                                   : "desk.wall.round")
                                            : "";
    if (!hint.empty()) {
        list->AddText(body, body->FontSize, ImVec2(min.x, y), wall_->muted, hint.c_str(), nullptr, width);
        y += text_height(body, body->FontSize, width, hint);
    }
    y += 30 * k;

    // The circle: everyone present, hands up highlighted.
    std::vector<const Person*> present;
    for (const Person& p : app.doc.people())
        if (p.online) present.push_back(&p);
    if (present.empty()) return;
    ImVec2 centre((min.x + max.x) * 0.5f, (y + max.y) * 0.5f);
    float radius = std::min(width * 0.5f, (max.y - y) * 0.5f) - bold->FontSize * 1.8f;
    if (radius < 60 * k) return;
    list->AddCircle(centre, radius, wall_->card_border, 96, 3 * k);
    float step = 2.0f * 3.14159265f / static_cast<float>(present.size());
    for (std::size_t i = 0; i < present.size(); ++i) {
        const Person& p = *present[i];
        float angle = -3.14159265f / 2 + step * static_cast<float>(i);
        ImVec2 at(centre.x + std::cos(angle) * radius, centre.y + std::sin(angle) * radius);
        const Turns& turns = app.doc.turns();
        bool speaks = std::find(turns.speaking.begin(), turns.speaking.end(), p.pid) != turns.speaking.end();
        bool listens = std::find(turns.listening.begin(), turns.listening.end(), p.pid) != turns.listening.end();
        ImU32 dot = speaks ? wall_->speaking : listens ? wall_->listening : p.hand ? wall_->hand : wall_->accent;
        bool alone = speaks && turns.speaking.size() == 1;
        if (alone) list->AddCircle(at, 20 * k, wall_->speaking, 32, 4 * k);
        list->AddCircleFilled(at, (speaks ? 15.0f : 12.0f) * k, dot);
        std::string name = hide_names(app) ? app.group_label(p.group) : p.name;
        float size = present.size() > 16 ? small->FontSize : bold->FontSize * 0.85f;
        ImVec2 t = bold->CalcTextSizeA(size, FLT_MAX, 0, name.c_str());
        float dx = std::cos(angle), dy = std::sin(angle);
        float off = (alone ? 32.0f : 22.0f) * k;
        ImVec2 pos(at.x + dx * off - (dx < -0.3f ? t.x : dx > 0.3f ? 0 : t.x * 0.5f),
                   at.y + dy * off - (dy < -0.3f ? t.y : dy > 0.3f ? 0 : t.y * 0.5f));
        list->AddText(bold, size, pos, alone ? wall_->speaking : p.hand ? wall_->hand : wall_->ink,
                      name.c_str());
    }
}

void View_projector::build(App_state& app, const std::string& board, ImVec2 min, ImVec2 max)
{
    layout_ = Layout{};
    layout_.version = app.doc.version();
    layout_.board = board;
    layout_.lang = app.str.lang();
    layout_.min = min;
    layout_.max = max;
    float base = app.fonts.wall_body->FontSize;
    for (float step : fit_steps)
        if (build_at(app, board, base * step)) return;
    build_at(app, board, base * fit_steps[std::size(fit_steps) - 1]);
}

// Lays the board out with item text at `size`; false when something did not fit.
bool View_projector::build_at(App_state& app, const std::string& board, float size)
{
    float k = ImGui::GetIO().DisplaySize.y / 1080.0f;
    layout_.cards.clear();
    layout_.labels.clear();
    layout_.left_out = 0;
    layout_.private_items = 0;
    layout_.size = size;
    ImFont* body = app.fonts.wall_body;
    ImFont* bold = app.fonts.wall_bold;
    ImFont* small = app.fonts.wall_small;
    float small_size = size * 0.78f;
    float pad = size * 0.55f;
    float gap = 18 * k;
    ImVec2 min = layout_.min, max = layout_.max;
    max.y -= small->FontSize * 1.5f;  // room for the "+N more" line
    float width = max.x - min.x;
    float max_text_h = size * 1.2f * 6;  // at most six lines of a long text
    bool fits = true;

    auto card_height = [&](const json& item, float text_w, const std::string& top, bool chip, bool meta_lines) {
        float h = pad;
        if (!top.empty()) h += size * 1.25f;
        h += std::min(max_text_h, text_height(body, size, text_w, field(item, "text")));
        if (chip || item.value("votes", 0) > 0) h += small_size * 1.6f;
        (void)meta_lines;
        return h + pad;
    };

    if (board != "vision" && board != "plan") {  // timeline, reflections, and any list board
        const auto& items = board == "timeline" ? app.doc.timeline() : app.doc.board_items(board);
        int columns = std::max(1, static_cast<int>((width + gap) / (size * 12.5f + gap)));
        float card_w = (width - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
        float y = min.y, row_h = 0;
        int col = 0;
        std::size_t placed = 0, shown = 0;
        for (const json* item : items) {
            if (Document::is_redacted(*item)) {
                ++layout_.private_items;
                continue;
            }
            ++shown;
            std::string top = board == "timeline" ? field(*item, "when") : field(*item, "turn");
            if (board == "timeline" && top.empty()) top = "·";
            float h = card_height(*item, card_w - 2 * pad - 4 * k, top, !field(*item, "sector").empty(), false);
            if (col == columns) {
                col = 0;
                y += row_h + gap;
                row_h = 0;
            }
            if (y + h > max.y) {
                fits = false;
                break;
            }
            Card card;
            card.item = item;
            card.pos = ImVec2(min.x + (card_w + gap) * static_cast<float>(col), y);
            card.size = ImVec2(card_w, h);
            card.accent = board == "timeline" ? wall_->accent : wall_->muted;
            layout_.cards.push_back(card);
            row_h = std::max(row_h, h);
            ++col;
            ++placed;
        }
        // Cards of one row share its height, so the rows read as rows.
        for (std::size_t i = 0; i < layout_.cards.size();) {
            std::size_t j = i;
            float h = 0;
            while (j < layout_.cards.size() && layout_.cards[j].pos.y == layout_.cards[i].pos.y)
                h = std::max(h, layout_.cards[j++].size.y);
            for (std::size_t n = i; n < j; ++n) layout_.cards[n].size.y = h;
            i = j;
        }
        std::size_t total = 0;
        for (const json* item : items) total += !Document::is_redacted(*item);
        layout_.left_out = total - placed;
        (void)shown;
        return fits;
    }

    if (board == "vision") {
        const char* columns[] = {"vision", "hinders", "enables"};
        float col_w = (width - 2 * gap) / 3;
        for (int c = 0; c < 3; ++c) {
            float x = min.x + (col_w + gap) * static_cast<float>(c);
            ImU32 colour = wall_->column(columns[c]);
            float label_size = bold->FontSize * std::max(0.75f, size / body->FontSize);
            layout_.labels.push_back({app.str(std::string("column.") + columns[c]), ImVec2(x, min.y), colour, col_w});
            float y = min.y + label_size * 1.25f + 4 * k + gap;
            for (const json* item : app.doc.column_items("vision", columns[c])) {
                if (Document::is_redacted(*item)) {
                    ++layout_.private_items;
                    continue;
                }
                float h = card_height(*item, col_w - 2 * pad, {}, false, false);
                if (y + h > max.y) {
                    fits = false;
                    ++layout_.left_out;
                    continue;
                }
                Card card;
                card.item = item;
                card.pos = ImVec2(x, y);
                card.size = ImVec2(col_w, h);
                card.accent = colour;
                layout_.cards.push_back(card);
                y += h + gap * 0.7f;
            }
        }
        return fits;
    }

    {
        // The plan. Agreements first: they are what the meeting is for.
        const auto& groups = app.doc.plan_by_status();
        const int order[] = {1, 0, 2};
        float y = min.y;
        float text_w = width * 0.56f;
        float meta_w = width - text_w - 3 * pad;
        for (int g : order) {
            const Plan_group& group = groups[static_cast<std::size_t>(g)];
            std::size_t visible = 0;
            for (const json* item : group.items) visible += !Document::is_redacted(*item);
            if (visible == 0) {
                layout_.private_items += group.items.size();
                continue;
            }
            float label_size = bold->FontSize * std::max(0.75f, size / body->FontSize);
            if (y + label_size * 2 > max.y) {
                fits = false;
                layout_.left_out += visible;
                continue;
            }
            ImU32 colour = wall_->status(group.status);
            layout_.labels.push_back({app.str("status." + group.status), ImVec2(min.x, y), colour, width});
            y += label_size * 1.25f + 4 * k + gap * 0.8f;
            for (const json* item : group.items) {
                if (Document::is_redacted(*item)) {
                    ++layout_.private_items;
                    continue;
                }
                float th = std::min(max_text_h, text_height(body, size, text_w, field(*item, "text")));
                int lines = !field(*item, "who").empty() + !field(*item, "with").empty() + !field(*item, "due").empty();
                float mh = static_cast<float>(lines) * small_size * 1.3f;
                float h = std::max(th, mh) + 2 * pad;
                if (y + h > max.y) {
                    fits = false;
                    ++layout_.left_out;
                    continue;
                }
                Card card;
                card.item = item;
                card.pos = ImVec2(min.x, y);
                card.size = ImVec2(width, h);
                card.text_h = meta_w;  // the plan card keeps its meta column width here
                card.accent = colour;
                layout_.cards.push_back(card);
                y += h + gap * 0.6f;
            }
            y += gap * 0.6f;
        }
        return fits;
    }
}

void View_projector::draw_card(App_state& app, ImDrawList* list, const Card& card)
{
    float k = ImGui::GetIO().DisplaySize.y / 1080.0f;
    const json& item = *card.item;
    float size = layout_.size;
    float small_size = size * 0.78f;
    float pad = size * 0.55f;
    ImFont* body = app.fonts.wall_body;
    ImFont* bold = app.fonts.wall_bold;
    ImFont* small = app.fonts.wall_small;
    ImVec2 a = card.pos, b(card.pos.x + card.size.x, card.pos.y + card.size.y);
    float rounding = 10 * k;
    list->AddRectFilled(a, b, wall_->card, rounding);
    list->AddRect(a, b, wall_->card_border, rounding, 0, 1.2f * k);
    list->AddRectFilled(a, ImVec2(a.x + 6 * k, b.y), card.accent, rounding, ImDrawFlags_RoundCornersLeft);

    const std::string& board = layout_.board;
    float x = a.x + pad + 4 * k, y = a.y + pad;
    float text_w = card.size.x - 2 * pad - 4 * k;
    if (board == "plan") text_w = card.size.x * 0.56f;
    std::string top = board == "timeline" ? field(item, "when") : board == "reflections" ? turn_label(app, field(item, "turn")) : "";
    if (board == "timeline" && top.empty()) top = app.str("notes.no_date");
    if (!top.empty()) {
        list->AddText(bold, size * 0.9f, ImVec2(x, y), board == "timeline" ? wall_->accent : wall_->muted, top.c_str());
        y += size * 1.25f;
    }
    const std::string text = field(item, "text");
    float max_text_h = size * 1.2f * 6;
    ImVec4 clip(a.x, y, b.x, std::min(b.y - pad * 0.5f, y + max_text_h));
    list->PushClipRect(ImVec2(clip.x, clip.y), ImVec2(clip.z, clip.w), true);
    list->AddText(body, size, ImVec2(x, y), wall_->ink, text.c_str(), nullptr, text_w);
    list->PopClipRect();

    if (board == "plan") {
        float mx = a.x + card.size.x * 0.56f + 3 * pad;
        float my = a.y + pad;
        const char* keys[][2] = {{"who", "field.who"}, {"with", "field.with"}, {"due", "field.due"}};
        for (auto& key : keys) {
            std::string value = field(item, key[0]);
            if (value.empty()) continue;
            std::string label = std::string(app.str(key[1])) + ": ";
            ImVec2 lt = small->CalcTextSizeA(small_size, FLT_MAX, 0, label.c_str());
            list->AddText(small, small_size, ImVec2(mx, my), wall_->muted, label.c_str());
            list->AddText(bold, small_size, ImVec2(mx + lt.x, my), wall_->ink, value.c_str(), nullptr,
                          b.x - mx - lt.x - pad);
            my += small_size * 1.3f;
        }
        return;
    }

    float chip_y = b.y - pad - small_size * 1.3f;
    float cx = x;
    std::string sector = sector_text(app.str, item);
    if (!sector.empty()) {
        ImVec2 s = draw_chip(list, small, small_size, ImVec2(cx, chip_y), sector, wall_->tag(keha::sector_key(field(item, "sector"))), wall_->ink);
        cx += s.x + 8 * k;
    }
    int votes = item.value("votes", 0);
    if (votes > 0) {
        std::string v = "+" + std::to_string(votes);
        draw_chip(list, small, small_size, ImVec2(cx, chip_y), v, wall_->accent_soft, wall_->accent);
    }
    (void)c_str;
}

}  // namespace keha::desk
