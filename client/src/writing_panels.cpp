#include "writing_panels.hpp"

#include <algorithm>
#include <map>

#include "keha/private_writing.hpp"
#include "keha/spotlight.hpp"
#include "widgets.hpp"

namespace keha::desk {
namespace {

struct Count {
    std::string label;  // "" when names are hidden and the person has no group to show
    int n = 0;
};

// Each writer's count, in the order people joined (a steady list: nobody jumps ahead).
std::vector<Count> counts_of(const App_state& app, const std::string& board, int& total)
{
    auto counts = keha::private_counts(app.doc.state(), board);
    std::vector<std::pair<std::string, int>> sorted(counts.begin(), counts.end());
    auto seq = [](const std::string& pid) {
        std::string digits;
        for (char c : pid)
            if (c >= '0' && c <= '9') digits += c;
        return digits.empty() ? 0LL : std::stoll(digits.substr(0, 15));
    };
    std::sort(sorted.begin(), sorted.end(), [&](const auto& a, const auto& b) { return seq(a.first) < seq(b.first); });
    std::vector<Count> out;
    total = 0;
    for (const auto& [pid, n] : sorted) {
        out.push_back({app.person_label(pid), n});
        total += n;
    }
    return out;
}

std::string count_line(const App_state& app, const Count& c)
{
    return c.label.empty() ? app.str.count("writing.count_anon", c.n)
                           : fill_in(app.str.count("writing.count", c.n), "name", c.label);
}

bool facilitating(const App_state& app) { return app.doc.is_facilitator() && app.online() && !app.doc.closed(); }

}  // namespace

void private_writing_panel(App_state& app, const std::string& board)
{
    if (app.read_only) return;
    const bool on = keha::board_is_private(app.doc.state(), board);
    ImGui::PushID("writing");
    if (!on) {
        if (facilitating(app)) {
            if (ImGui::SmallButton(app.str("writing.start"))) app.send("board.private", {{"board", board}, {"private", true}});
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.str("writing.start_hint"));
            ImGui::SameLine();
        }
        ImGui::PopID();
        return;
    }
    int total = 0;
    const auto counts = counts_of(app, board, total);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, theme::vec(theme::accent_soft));
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const float rows = 3.0f + (counts.empty() ? 0.0f : 1.0f) + (facilitating(app) ? 1.6f : 0.0f);
    ImGui::BeginChild("##writing", ImVec2(0, line * rows + 2 * ImGui::GetStyle().WindowPadding.y), true);
    ImGui::PushFont(app.fonts.bold);
    ImGui::TextUnformatted(app.str("writing.title"));
    ImGui::PopFont();
    ImGui::TextWrapped("%s", app.str("writing.explain"));
    std::string summary = total == 0 ? std::string(app.str("writing.none"))
                                     : app.str.count("writing.total", total) + "  \xc2\xb7  " +
                                           app.str.count("writing.people", static_cast<long long>(counts.size()));
    ImGui::TextUnformatted(summary.c_str());
    std::string people;
    for (const Count& c : counts) people += (people.empty() ? "" : "   \xc2\xb7   ") + count_line(app, c);
    if (!people.empty()) ImGui::TextWrapped("%s", people.c_str());
    if (facilitating(app)) {
        ImGui::PushStyleColor(ImGuiCol_Button, theme::vec(theme::accent));
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::rgb(0xFF, 0xFF, 0xFF)));
        std::string reveal = total ? app.str.count("writing.reveal", total) : std::string(app.str("writing.stop"));
        if (ImGui::Button((reveal + "###reveal").c_str())) app.send("board.reveal", {{"board", board}});
        ImGui::PopStyleColor(2);
        if (total) {
            ImGui::SameLine();
            if (ImGui::SmallButton(app.str("writing.stop"))) app.send("board.private", {{"board", board}, {"private", false}});
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.str("writing.stop_hint"));
        }
        ImGui::SameLine();
        muted(app.str("writing.reminder"));
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
    ImGui::PopID();
}

void spotlight_bar(App_state& app, const std::string& board)
{
    if (app.read_only) return;
    auto spot = keha::spotlight_of(app.doc.state());
    ImGui::PushID("spotlight");
    if (spot) {
        std::string text = spot->board == board ? std::string(app.str(app.doc.is_facilitator() ? "spotlight.here_facil" : "spotlight.here"))
                                                : fill_in(app.str("spotlight.elsewhere"), "board", app.str("board." + spot->board));
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::warn));
        ImGui::PushFont(app.fonts.bold);
        ImGui::TextUnformatted(text.c_str());
        ImGui::PopFont();
        ImGui::PopStyleColor();
        if (facilitating(app)) {
            ImGui::SameLine();
            if (ImGui::SmallButton(app.str("spotlight.release"))) app.send("spotlight.clear", json::object());
        }
    } else if (facilitating(app)) {
        if (ImGui::SmallButton(app.str("spotlight.board"))) app.send("spotlight.set", {{"board", board}});
    }
    ImGui::PopID();
}

void spotlight_item_button(App_state& app, const std::string& board, const json& item)
{
    if (!facilitating(app) || app.read_only || item.value("hidden", false) || item.value("pending", false)) return;
    if (spotlit_item(app, board, item)) return;
    ImGui::SameLine();
    if (ImGui::SmallButton(app.str("spotlight.item"))) app.send("spotlight.set", {{"board", board}, {"item", field(item, "id")}});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.str("spotlight.item_hint"));
}

bool spotlit_item(const App_state& app, const std::string& board, const json& item)
{
    auto spot = keha::spotlight_of(app.doc.state());
    return spot && spot->board == board && !spot->item.empty() && spot->item == field(item, "id");
}

bool spotlit_column(const App_state& app, const std::string& board, const std::string& column)
{
    auto spot = keha::spotlight_of(app.doc.state());
    return spot && spot->board == board && spot->item.empty() && spot->column == column;
}

float draw_private_writing_wall(App_state& app, ImDrawList* list, ImVec2 min, float width,
                                const theme::Wall_palette& wall, const std::string& board)
{
    if (board.empty() || !keha::board_is_private(app.doc.state(), board)) return min.y;
    const float k = ImGui::GetIO().DisplaySize.y / 1080.0f;
    int total = 0;
    const auto counts = counts_of(app, board, total);
    ImFont* bold = app.fonts.wall_bold;
    ImFont* body = app.fonts.wall_body;
    ImFont* small = app.fonts.wall_small;
    const float pad = 18 * k;
    float y = min.y + pad;
    const float x = min.x + pad;
    // The panel's height, known before its frame is drawn: title, total, the chips' rows.
    std::vector<std::pair<std::string, int>> chips;
    for (const Count& c : counts) chips.emplace_back(c.label, c.n);
    const float chip_h = small->FontSize * 1.6f;
    float cx = x;
    int rows = chips.empty() ? 0 : 1;
    std::vector<float> widths;
    for (const auto& [label, n] : chips) {
        const float dot = small->FontSize * 0.55f;
        const float label_w = label.empty() ? 0.0f : small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, label.c_str()).x + 10 * k;
        const int shown = std::min(n, 12);
        const std::string num = std::to_string(n);
        const float w = label_w + static_cast<float>(shown) * dot * 1.6f + small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, num.c_str()).x + 34 * k;
        if (cx + w > min.x + width - pad && cx > x) {
            cx = x;
            ++rows;
        }
        widths.push_back(w);
        cx += w + 12 * k;
    }
    const float height = pad * 2 + bold->FontSize * 1.3f + body->FontSize * 1.3f + static_cast<float>(rows) * (chip_h + 10 * k);
    const ImVec2 a = min, b(min.x + width, min.y + height);
    list->AddRectFilled(a, b, wall.accent_soft, 12 * k);
    list->AddRect(a, b, wall.accent, 12 * k, 0, 3 * k);
    list->AddText(bold, bold->FontSize, ImVec2(x, y), wall.ink, app.str("writing.title"));
    y += bold->FontSize * 1.3f;
    std::string summary = total == 0 ? std::string(app.str("writing.none"))
                                     : app.str.count("writing.total", total) + "  \xc2\xb7  " +
                                           app.str.count("writing.people", static_cast<long long>(counts.size()));
    list->AddText(body, body->FontSize, ImVec2(x, y), wall.ink, summary.c_str());
    y += body->FontSize * 1.3f;
    cx = x;
    for (std::size_t i = 0; i < chips.size(); ++i) {
        const auto& [label, n] = chips[i];
        if (cx + widths[i] > min.x + width - pad && cx > x) {
            cx = x;
            y += chip_h + 10 * k;
        }
        list->AddRectFilled(ImVec2(cx, y), ImVec2(cx + widths[i], y + chip_h), wall.card, chip_h * 0.5f);
        float tx = cx + 14 * k;
        const float ty = y + (chip_h - small->FontSize) * 0.5f;
        if (!label.empty()) {
            list->AddText(small, small->FontSize, ImVec2(tx, ty), wall.ink, label.c_str());
            tx += small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, label.c_str()).x + 10 * k;
        }
        const float dot = small->FontSize * 0.55f;
        for (int d = 0; d < std::min(n, 12); ++d) {
            list->AddCircleFilled(ImVec2(tx + dot * 0.5f, y + chip_h * 0.5f), dot * 0.5f, wall.accent);
            tx += dot * 1.6f;
        }
        const std::string num = std::to_string(n);
        list->AddText(small, small->FontSize, ImVec2(tx + 4 * k, ty), wall.muted, num.c_str());
        cx += widths[i] + 12 * k;
    }
    return b.y;
}

}  // namespace keha::desk
