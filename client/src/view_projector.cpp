#include "view_projector.hpp"

#include <algorithm>
#include <cmath>

#include "json_fields.hpp"
#include "keha/i18n.hpp"
#include "keha/sectors.hpp"
#include "keha/spotlight.hpp"
#include "theme.hpp"
#include "view_grouping.hpp"
#include "view_polls.hpp"
#include "view_qa.hpp"
#include "view_turns.hpp"
#include "widgets.hpp"
#include "writing_panels.hpp"

namespace keha::desk {
namespace {


float text_height(ImFont* font, float size, float wrap, const std::string& text)
{
    if (text.empty()) return 0;
    return font->CalcTextSizeA(size, FLT_MAX, wrap, text.data(), text.data() + text.size()).y;
}

constexpr float fit_steps[] = {1.0f, 0.84f, 0.7f, 0.58f};

// What the turn drawings share: where they draw, in which fonts, and how far down they are.
struct Turns_pen {
    App_state& app;
    ImDrawList* list;
    const theme::Wall_palette& wall;
    ImVec2 min;
    float width;
    float k;
    float y;
    ImFont* body = app.fonts.wall_body;
    ImFont* bold = app.fonts.wall_bold;
    ImFont* small = app.fonts.wall_small;
    ImFont* h = app.fonts.wall_heading;

    // A stage name in a pill, filled when it is the current one; returns its far corner.
    ImVec2 pill(float x, float py, const std::string& text, bool on, ImU32 colour) const
    {
        float size = small->FontSize;
        ImVec2 ts = bold->CalcTextSizeA(size, FLT_MAX, 0, text.c_str());
        ImVec2 a(x, py), b(x + ts.x + 2 * 16 * k, py + ts.y + 2 * 7 * k);
        if (on) list->AddRectFilled(a, b, colour, (b.y - a.y) * 0.5f);
        else list->AddRect(a, b, wall.card_border, (b.y - a.y) * 0.5f, 0, 2 * k);
        list->AddText(bold, size, ImVec2(a.x + 16 * k, a.y + 7 * k), on ? wall.on_accent : wall.muted, text.c_str());
        return b;
    }
    // A line of guidance across the width, moving down past it.
    void guidance(const std::string& text, ImU32 colour)
    {
        if (text.empty()) return;
        list->AddText(body, body->FontSize, ImVec2(min.x, y), colour, text.c_str(), nullptr, width);
        y += text_height(body, body->FontSize, width, text) + 16 * k;
    }
    // "Label:" in bold, then who in the heading font (the round's and the open floor's speaker).
    void speaker_line(const std::string& label, const std::string& who, ImU32 label_colour)
    {
        ImVec2 ls = bold->CalcTextSizeA(bold->FontSize, FLT_MAX, 0, label.c_str());
        list->AddText(bold, bold->FontSize, ImVec2(min.x, y + (h->FontSize - bold->FontSize) * 0.6f), label_colour,
                      label.c_str());
        list->AddText(h, h->FontSize, ImVec2(min.x + ls.x + 16 * k, y), wall.speaking, who.c_str());
    }
    void small_title(const std::string& text)
    {
        list->AddText(small, small->FontSize, ImVec2(min.x, y), wall.muted, text.c_str());
        y += small->FontSize * 1.5f;
    }
};

// The reflecting team's three stages in a row, the current one filled; the cycle at the end.
void reflecting_stages(Turns_pen& p, const Turns& t)
{
    const char* stages[] = {"conversation", "reflection", "response"};
    float x = p.min.x, row_h = 0, k = p.k;
    for (int i = 0; i < 3; ++i) {
        if (i > 0) {  // a chevron between the stages (the fonts have no arrows)
            float cy = p.y + 7 * k + p.small->FontSize * 0.55f, cx = x + 14 * k, r = p.small->FontSize * 0.28f;
            p.list->AddTriangleFilled(ImVec2(cx, cy - r), ImVec2(cx + r * 1.1f, cy), ImVec2(cx, cy + r), p.wall.muted);
            x += 14 * k + r * 1.1f + 14 * k;
        }
        ImVec2 b = p.pill(x, p.y, p.app.str(stage_key(stages[i])), t.stage == stages[i], p.wall.speaking);
        x = b.x;
        row_h = b.y - p.y;
    }
    std::string cycle = p.app.str.format("desk.turns.cycle", "n", std::to_string(std::max(1, t.cycle)));
    p.list->AddText(p.small, p.small->FontSize, ImVec2(x + 28 * k, p.y + 7 * k), p.wall.muted, cycle.c_str());
    p.y += row_h + 18 * k;
}

// The two groups side by side: focus group left, reflectors right; who speaks is filled.
void reflecting_groups(Turns_pen& p, const Turns& t)
{
    float k = p.k, pad = 22 * k, gap = 24 * k;
    float card_w = (p.width - gap) * 0.5f;
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
        float hh = pad + p.bold->FontSize * 1.5f +
                   text_height(p.body, p.body->FontSize, text_w, p.app.people_line(*side.pids)) + pad;
        card_h = std::max(card_h, hh);
    }
    for (int i = 0; i < 2; ++i) {
        const Side& side = sides[i];
        ImVec2 a(p.min.x + static_cast<float>(i) * (card_w + gap), p.y), b(a.x + card_w, p.y + card_h);
        ImU32 colour = side.speaks ? p.wall.speaking : p.wall.listening;
        p.list->AddRectFilled(a, b, side.speaks ? p.wall.speaking_soft : p.wall.listening_soft, 14 * k);
        p.list->AddRect(a, b, colour, 14 * k, 0, (side.speaks ? 4.0f : 1.5f) * k);
        std::string title = p.app.str(side.title);
        p.list->AddText(p.bold, p.bold->FontSize, ImVec2(a.x + pad, a.y + pad), colour, title.c_str());
        // "speaks" / "listens" as a chip at the right end of the title row.
        std::string role = p.app.str(side.speaks ? "desk.turns.speaks_now" : "desk.turns.listens_now");
        ImVec2 rs = p.bold->CalcTextSizeA(p.small->FontSize, FLT_MAX, 0, role.c_str());
        float chip_x = b.x - pad - rs.x - 2 * p.small->FontSize * 0.45f;
        draw_chip(p.list, p.bold, p.small->FontSize, ImVec2(chip_x, a.y + pad), role, colour, p.wall.on_accent);
        std::string names = side.pids->empty() ? std::string("\xe2\x80\x93") : p.app.people_line(*side.pids);
        p.list->AddText(p.body, p.body->FontSize, ImVec2(a.x + pad, a.y + pad + p.bold->FontSize * 1.5f), p.wall.ink,
                        names.c_str(), nullptr, text_w);
    }
    p.y += card_h;
}

float reflecting_team(Turns_pen& p, const Turns& t)
{
    reflecting_stages(p, t);
    p.guidance(turns_guidance(p.app, t), p.wall.ink);
    reflecting_groups(p, t);
    if (!t.speaker.empty()) {
        p.y += 14 * p.k;
        std::string floor = std::string(p.app.str("desk.turns.floor")) + ": " + p.app.person_label(t.speaker);
        p.list->AddText(p.bold, p.bold->FontSize, ImVec2(p.min.x, p.y), p.wall.speaking, floor.c_str());
        p.y += p.bold->FontSize * 1.3f;
    }
    return p.y;
}

// Everyone in the round, in order: done muted, passed marked, the current one filled.
float round_order(Turns_pen& p, const Turns& t)
{
    float x = p.min.x;
    float size = p.small->FontSize;
    float line_h = size * 1.7f;
    for (std::size_t i = 0; i < t.order.size(); ++i) {
        const std::string& pid = t.order[i];
        bool now = !t.finished && static_cast<int>(i) == t.current;
        bool passed = std::find(t.passed.begin(), t.passed.end(), pid) != t.passed.end();
        bool past = static_cast<int>(i) < t.current || t.finished;
        std::string text = std::to_string(i + 1) + ". " + p.app.person_label(pid);
        if (passed) text += " (" + std::string(p.app.str("desk.turns.passed_one")) + ")";
        ImVec2 ts = p.bold->CalcTextSizeA(size, FLT_MAX, 0, text.c_str());
        float w = ts.x + size * 0.9f;
        if (x + w > p.min.x + p.width) {
            x = p.min.x;
            p.y += line_h;
        }
        ImU32 bg = now ? p.wall.speaking : past ? p.wall.past : p.wall.card;
        ImU32 fg = now ? p.wall.on_accent : past ? p.wall.muted : p.wall.ink;
        draw_chip(p.list, p.bold, size, ImVec2(x, p.y), text, bg, fg);
        x += w + 10 * p.k;
    }
    return p.y + line_h;
}

float round_turns(Turns_pen& p, const Turns& t)
{
    p.small_title(turns_title(p.app, t));
    if (t.finished) {
        p.guidance(p.app.str("desk.turns.round_over"), p.wall.online);
        return round_order(p, t);
    }
    std::string now = p.app.person_label(t.current_speaker());
    std::string label = std::string(p.app.str("desk.turns.now")) + ":";
    p.speaker_line(label, now, p.wall.muted);
    if (!t.next.empty()) {
        float lx = p.bold->CalcTextSizeA(p.bold->FontSize, FLT_MAX, 0, label.c_str()).x;
        float nx = p.min.x + lx + 16 * p.k + p.h->CalcTextSizeA(p.h->FontSize, FLT_MAX, 0, now.c_str()).x + 48 * p.k;
        std::string next = std::string(p.app.str("desk.turns.next_speaker")) + ": " + p.app.person_label(t.next);
        p.list->AddText(p.bold, p.bold->FontSize, ImVec2(nx, p.y + (p.h->FontSize - p.bold->FontSize) * 0.6f),
                        p.wall.ink, next.c_str(), nullptr, p.min.x + p.width - nx);
    }
    p.y += p.h->FontSize * 1.25f;
    p.guidance(p.app.str("desk.guide.round"), p.wall.muted);
    return round_order(p, t);
}

float open_floor(Turns_pen& p, const Turns& t)
{
    p.small_title(p.app.str("desk.turn_mode.hand_queue"));
    if (!t.speaker.empty()) {
        p.speaker_line(std::string(p.app.str("desk.turns.floor")) + ":", p.app.person_label(t.speaker), p.wall.muted);
        p.y += p.h->FontSize * 1.3f;
    }
    p.guidance(p.app.str("desk.guide.floor"), p.wall.muted);
    return p.y;
}

// One pair in its cell: who speaks › who listens.
void pair_cell(Turns_pen& p, const Turns& t, const std::vector<std::string>& pair, ImVec2 at, ImVec2 cell)
{
    float k = p.k;
    std::vector<std::string> speak, listen;
    for (const auto& pid : pair)
        (std::find(t.speaking.begin(), t.speaking.end(), pid) != t.speaking.end() ? speak : listen).push_back(pid);
    ImVec2 end(at.x + cell.x, at.y + cell.y);
    p.list->AddRectFilled(at, end, p.wall.card, 10 * k);
    p.list->AddRect(at, end, p.wall.card_border, 10 * k, 0, 1.2f * k);
    std::string a = p.app.people_line(speak), arrow = "  \xe2\x80\xba  ", b = p.app.people_line(listen);
    float tx = at.x + 16 * k, ty = at.y + 14 * k;
    float size = p.bold->FontSize * 0.9f;
    p.list->PushClipRect(at, ImVec2(end.x - 8 * k, end.y), true);
    p.list->AddText(p.bold, size, ImVec2(tx, ty), p.wall.speaking, a.c_str());
    tx += p.bold->CalcTextSizeA(size, FLT_MAX, 0, a.c_str()).x;
    p.list->AddText(p.bold, size, ImVec2(tx, ty), p.wall.muted, arrow.c_str());
    tx += p.bold->CalcTextSizeA(size, FLT_MAX, 0, arrow.c_str()).x;
    p.list->AddText(p.body, size, ImVec2(tx, ty), p.wall.listening, b.c_str());
    p.list->PopClipRect();
}

float pairs_turns(Turns_pen& p, const Turns& t)
{
    p.small_title(turns_title(p.app, t));
    p.guidance(p.app.str("desk.guide.pairs"), p.wall.ink);
    float k = p.k;
    int columns = p.width > 1100 * k ? 3 : 2;
    float gap = 18 * k;
    float cell_w = (p.width - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
    float cell_h = p.bold->FontSize * 1.2f + 2 * 14 * k;
    int n = 0;
    for (const auto& pair : t.pairs) {
        if (pair.empty()) continue;
        float x = p.min.x + static_cast<float>(n % columns) * (cell_w + gap);
        float cy = p.y + static_cast<float>(n / columns) * (cell_h + gap * 0.6f);
        pair_cell(p, t, pair, ImVec2(x, cy), ImVec2(cell_w, cell_h));
        ++n;
    }
    int rows = (n + columns - 1) / columns;
    return p.y + static_cast<float>(rows) * (cell_h + gap * 0.6f);
}

// The measures one layout attempt shares: item text at `size` and what follows from it.
struct Fit {
    App_state& app;
    const theme::Wall_palette& wall;
    View_projector::Layout& layout;
    float k, size;
    float small_size = size * 0.78f;
    float pad = size * 0.55f;
    float gap = 18 * k;
    ImVec2 min = layout.min, max = layout.max;
    float width = max.x - min.x;
    float max_text_h = size * 1.2f * 6;  // at most six lines of a long text
    ImFont* body = app.fonts.wall_body;
    ImFont* bold = app.fonts.wall_bold;

    float card_height(const json& item, float text_w, const std::string& top, bool chip) const
    {
        float h = pad;
        if (!top.empty()) h += size * 1.25f;
        h += std::min(max_text_h, text_height(body, size, text_w, field(item, "text")));
        if (chip || item.value("votes", 0) > 0) h += small_size * 1.6f;
        return h + pad;
    }
    float label_size() const { return bold->FontSize * std::max(0.75f, size / body->FontSize); }
    void add_card(const json* item, ImVec2 pos, ImVec2 card_size, ImU32 accent)
    {
        View_projector::Card card;
        card.item = item;
        card.pos = pos;
        card.size = card_size;
        card.accent = accent;
        layout.cards.push_back(card);
    }
};

// Cards of one row share its height, so the rows read as rows.
void even_rows(std::vector<View_projector::Card>& cards)
{
    for (std::size_t i = 0; i < cards.size();) {
        std::size_t j = i;
        float h = 0;
        while (j < cards.size() && cards[j].pos.y == cards[i].pos.y) h = std::max(h, cards[j++].size.y);
        for (std::size_t n = i; n < j; ++n) cards[n].size.y = h;
        i = j;
    }
}

// The timeline, the reflections and any list board: cards in rows, in the board's order.
bool fit_list(Fit& f, const std::string& board)
{
    const auto& items = board == "timeline" ? f.app.doc.timeline() : f.app.doc.board_items(board);
    int columns = std::max(1, static_cast<int>((f.width + f.gap) / (f.size * 12.5f + f.gap)));
    float card_w = (f.width - f.gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
    float y = f.min.y, row_h = 0;
    int col = 0;
    std::size_t placed = 0, total = 0;
    bool fits = true;
    for (const json* item : items) total += !Document::is_redacted(*item);
    for (const json* item : items) {
        if (Document::is_redacted(*item)) {
            ++f.layout.private_items;
            continue;
        }
        std::string top = board == "timeline" ? field(*item, "when") : field(*item, "turn");
        if (board == "timeline" && top.empty()) top = "·";
        float h = f.card_height(*item, card_w - 2 * f.pad - 4 * f.k, top, !field(*item, "sector").empty());
        if (col == columns) {
            col = 0;
            y += row_h + f.gap;
            row_h = 0;
        }
        if (y + h > f.max.y) {
            fits = false;
            break;
        }
        f.add_card(item, ImVec2(f.min.x + (card_w + f.gap) * static_cast<float>(col), y), ImVec2(card_w, h),
                   board == "timeline" ? f.wall.accent : f.wall.muted);
        row_h = std::max(row_h, h);
        ++col;
        ++placed;
    }
    even_rows(f.layout.cards);
    f.layout.left_out = total - placed;
    return fits;
}

// The vision: three columns (the vision, what hinders, what enables).
bool fit_vision(Fit& f)
{
    const char* columns[] = {"vision", "hinders", "enables"};
    float col_w = (f.width - 2 * f.gap) / 3;
    bool fits = true;
    for (int c = 0; c < 3; ++c) {
        float x = f.min.x + (col_w + f.gap) * static_cast<float>(c);
        ImU32 colour = f.wall.column(columns[c]);
        f.layout.labels.push_back({f.app.str(std::string("column.") + columns[c]), ImVec2(x, f.min.y), colour, col_w});
        float y = f.min.y + f.label_size() * 1.25f + 4 * f.k + f.gap;
        const json* previous = nullptr;
        for (const json* item : f.app.doc.column_items("vision", columns[c])) {
            if (Document::is_redacted(*item)) {
                ++f.layout.private_items;
                continue;
            }
            // A group's title above its first card; its cards stand indented under it (view_grouping.hpp).
            const std::string heading = group_label_text(f.app, "vision", *item, previous);
            previous = item;
            const float indent = text_field(*item, "group").empty() || !group_of_board(f.app.doc, "vision", text_field(*item, "group")) ? 0 : f.gap;
            if (!heading.empty() && y + f.label_size() * 1.25f < f.max.y) {
                f.layout.labels.push_back({heading, ImVec2(x, y), colour, col_w});
                y += f.label_size() * 1.25f + f.gap * 0.5f;
            }
            float h = f.card_height(*item, col_w - indent - 2 * f.pad, {}, false);
            if (y + h > f.max.y) {
                fits = false;
                ++f.layout.left_out;
                continue;
            }
            f.add_card(item, ImVec2(x + indent, y), ImVec2(col_w - indent, h), colour);
            y += h + f.gap * 0.7f;
        }
    }
    return fits;
}

// One status group of the plan under its label; false when something did not fit.
bool fit_plan_group(Fit& f, const Plan_group& group, float& y)
{
    std::size_t visible = 0;
    for (const json* item : group.items) visible += !Document::is_redacted(*item);
    if (visible == 0) {
        f.layout.private_items += group.items.size();
        return true;
    }
    if (y + f.label_size() * 2 > f.max.y) {
        f.layout.left_out += visible;
        return false;
    }
    bool fits = true;
    float text_w = f.width * 0.56f;
    ImU32 colour = f.wall.status(group.status);
    f.layout.labels.push_back({f.app.str("status." + group.status), ImVec2(f.min.x, y), colour, f.width});
    y += f.label_size() * 1.25f + 4 * f.k + f.gap * 0.8f;
    for (const json* item : group.items) {
        if (Document::is_redacted(*item)) {
            ++f.layout.private_items;
            continue;
        }
        float th = std::min(f.max_text_h, text_height(f.body, f.size, text_w, field(*item, "text")));
        int lines = !field(*item, "who").empty() + !field(*item, "with").empty() + !field(*item, "due").empty();
        float h = std::max(th, static_cast<float>(lines) * f.small_size * 1.3f) + 2 * f.pad;
        if (y + h > f.max.y) {
            fits = false;
            ++f.layout.left_out;
            continue;
        }
        f.add_card(item, ImVec2(f.min.x, y), ImVec2(f.width, h), colour);
        y += h + f.gap * 0.6f;
    }
    y += f.gap * 0.6f;
    return fits;
}

// The plan. Agreements first: they are what the meeting is for.
bool fit_plan(Fit& f)
{
    const auto& groups = f.app.doc.plan_by_status();
    bool fits = true;
    float y = f.min.y;
    for (int g : {1, 0, 2})
        if (!fit_plan_group(f, groups[static_cast<std::size_t>(g)], y)) fits = false;
    return fits;
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

    float header_bottom = draw_header(app, list, main_min, main_w);
    draw_sidebar(app, list, ImVec2(display.x - sidebar_w - margin, margin),
                 ImVec2(display.x - margin, display.y - margin));
    float top = header_bottom + 30 * k;
    if (app.doc.turns().running()) top = draw_turns(app, list, ImVec2(margin, top), main_w) + 26 * k;
    // The main area, first match wins as on the browser's wall: a spotlight (drawn by draw_board),
    // the poll on the wall (view_polls.hpp), an open Q&A (docs/protocol.md §8.2), the phase's board.
    const ImVec2 area_min(margin, top), area_max(margin + main_w, display.y - margin);
    if (keha::spotlight_of(app.doc.state()) || (!draw_wall_poll(app, list, *wall_, area_min, area_max) &&
                                                !draw_qa_wall(app, list, area_min, area_max, *wall_)))
        draw_board(app, list, area_min, area_max);

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
    Turns_pen pen{app, list, *wall_, min, width, ImGui::GetIO().DisplaySize.y / 1080.0f, min.y};
    if (t.mode == "reflecting_team") return reflecting_team(pen, t);
    if (t.mode == "round") return round_turns(pen, t);
    if (t.mode == "hand_queue") return open_floor(pen, t);
    if (t.mode == "pairs") return pairs_turns(pen, t);
    return min.y;
}

float View_projector::draw_header(App_state& app, ImDrawList* list, ImVec2 min, float width)
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
    return y;
}

void View_projector::draw_sidebar(App_state& app, ImDrawList* list, ImVec2 min, ImVec2 max)
{
    ImFont* small = app.fonts.wall_small;
    float y = draw_timer_card(app, list, min, max.x);
    y = draw_join_card(app, list, ImVec2(min.x, y), max);
    float bottom_line = max.y - small->FontSize * 1.2f;
    draw_hands(app, list, ImVec2(min.x, y), ImVec2(max.x, bottom_line));

    // The footer: how many are in, and the connection.
    std::size_t in = 0;
    for (const Person& p : app.doc.people()) in += p.online;
    std::string people = app.str.count("desk.people_online", static_cast<long long>(in));
    list->AddText(small, small->FontSize, ImVec2(min.x, bottom_line), wall_->muted, people.c_str());
    float badge_w = small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, link_label(app)).x + small->FontSize;
    draw_link_badge(list, ImVec2(max.x - badge_w, bottom_line), app, small, small->FontSize);
}

// The timer in large digits, amber for a moment when its time box ends; returns the bottom.
float View_projector::draw_timer_card(App_state& app, ImDrawList* list, ImVec2 min, float right)
{
    float k = ImGui::GetIO().DisplaySize.y / 1080.0f;
    bool overdue = false, paused = false;
    std::string clock = timer_text(app, &overdue, &paused);
    if (clock.empty()) return min.y;
    ImFont* small = app.fonts.wall_small;
    ImFont* huge = app.fonts.wall_huge;
    float pad = 22 * k, w = right - min.x, y = min.y;
    float size = huge->FontSize;
    ImVec2 t = huge->CalcTextSizeA(size, FLT_MAX, 0, clock.c_str());
    float card_h = t.y + small->FontSize * 1.4f + 2 * pad;
    float pulse = signal_pulse(app);
    list->AddRectFilled(min, ImVec2(right, y + card_h), pulse > 0 ? wall_->signal_soft : wall_->card, 14 * k);
    list->AddRect(min, ImVec2(right, y + card_h), pulse > 0 ? wall_->signal : wall_->card_border, 14 * k, 0,
                  (pulse > 0 ? 2.0f + 3.0f * pulse : 1.5f) * k);
    const char* label = app.str(pulse > 0   ? "desk.timer.ended"
                                : paused    ? "desk.timer.paused"
                                : overdue   ? "desk.timer.over"
                                            : "desk.timer.left");
    list->AddText(small, small->FontSize, ImVec2(min.x + pad, y + pad), wall_->muted, label);
    ImU32 colour = overdue ? wall_->hinders : paused ? wall_->muted : wall_->ink;
    list->AddText(huge, size, ImVec2(min.x + (w - t.x) * 0.5f, y + pad + small->FontSize * 1.3f), colour,
                  clock.c_str());
    return y + card_h + 24 * k;
}

// How to join: the code, a QR code to the participant page, the address; returns the bottom.
float View_projector::draw_join_card(App_state& app, ImDrawList* list, ImVec2 min, ImVec2 max)
{
    float k = ImGui::GetIO().DisplaySize.y / 1080.0f;
    ImFont* small = app.fonts.wall_small;
    ImFont* huge = app.fonts.wall_huge;
    float pad = 22 * k, w = max.x - min.x, y = min.y;
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
    return y + card_h + 24 * k;
}

// Raised hands, first raised first, down to `max.y` (the footer line).
void View_projector::draw_hands(App_state& app, ImDrawList* list, ImVec2 min, ImVec2 max)
{
    float k = ImGui::GetIO().DisplaySize.y / 1080.0f;
    ImFont* small = app.fonts.wall_small;
    ImFont* bold = app.fonts.wall_bold;
    float w = max.x - min.x, y = min.y, bottom_line = max.y;
    const auto& hands = app.doc.raised_hands();
    if (hands.empty() || y >= bottom_line - 3 * bold->FontSize) return;
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
        std::string who = app.names_hidden() ? app.group_label(hand.group) : hand.name;
        list->AddText(bold, bold->FontSize, ImVec2(min.x + 2 * r + 12 * k, y), wall_->ink, who.c_str(), nullptr,
                      w - 2 * r - 12 * k);
        y += bold->FontSize * 1.35f;
    }
}

void View_projector::draw_board(App_state& app, ImDrawList* list, ImVec2 min, ImVec2 max)
{
    std::string board = app.doc.current_board();
    // A spotlight puts its board on the wall whatever the phase shows (writing_panels.hpp).
    if (auto spot = keha::spotlight_of(app.doc.state()); spot && app.doc.state()["boards"].contains(spot->board))
        board = spot->board;
    float k = ImGui::GetIO().DisplaySize.y / 1080.0f;
    // While everyone writes privately: how many notes each person has written, over the board.
    if (float bottom = draw_private_writing_wall(app, list, min, max.x - min.x, *wall_, board); bottom > min.y)
        min.y = bottom + 20 * k;
    // While a vote runs: that it runs and the time left, over the board (view_grouping.hpp).
    if (float bottom = draw_voting_wall(app, list, min, max.x - min.x, *wall_, board); bottom > min.y)
        min.y = bottom + 20 * k;
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
        std::string name = app.names_hidden() ? app.group_label(p.group) : p.name;
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
    layout_.cards.clear();
    layout_.labels.clear();
    layout_.left_out = 0;
    layout_.private_items = 0;
    layout_.size = size;
    Fit fit{app, *wall_, layout_, ImGui::GetIO().DisplaySize.y / 1080.0f, size};
    fit.max.y -= app.fonts.wall_small->FontSize * 1.5f;  // room for the "+N more" line
    if (board == "vision") return fit_vision(fit);
    if (board == "plan") return fit_plan(fit);
    return fit_list(fit, board);
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
    // The facilitator's spotlight: its item, or every card of its column, outlined from afar.
    if (spotlit_item(app, board, item) || spotlit_column(app, board, field(item, "column")))
        list->AddRect(ImVec2(a.x - 5 * k, a.y - 5 * k), ImVec2(b.x + 5 * k, b.y + 5 * k), wall_->signal, rounding + 4 * k, 0, 6 * k);
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
}

}  // namespace keha::desk