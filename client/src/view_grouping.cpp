#include "view_grouping.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "json_fields.hpp"
#include "keha/board_order.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace keha::desk {
namespace {

bool may_group(const App_state& app)
{
    if (!app.online() || app.doc.closed() || app.doc.is_screen()) return false;
    if (app.doc.is_facilitator()) return true;
    const json& settings = app.doc.room().value("settings", json::object());
    return text_field(settings, "grouping") == "everyone";
}

bool may_vote(const App_state& app) { return app.online() && !app.doc.closed() && !app.doc.is_screen(); }

const json& board_of(const Document& doc, const std::string& board)
{
    static const json none = json::object();
    const json& state = doc.state();
    if (!state.is_object() || !state.contains("boards") || !state["boards"].contains(board)) return none;
    return state["boards"][board];
}

int votes_of(const json& thing) { return thing.value("votes", 0); }

std::string clock_text(std::int64_t ms)
{
    const std::int64_t s = std::max<std::int64_t>(0, (ms + 999) / 1000);
    const std::int64_t sec = s % 60;
    return std::to_string(s / 60) + (sec < 10 ? ":0" : ":") + std::to_string(sec);
}

}  // namespace

const json* running_vote(const Document& doc, const std::string& board)
{
    const json& state = doc.state();
    auto v = state.is_object() ? state.find("voting") : state.end();
    if (!state.is_object() || v == state.end() || !v->is_object() || text_field(*v, "state") != "running") return nullptr;
    return text_field(*v, "board") == board || board.empty() ? &*v : nullptr;
}

bool in_my_ballot(const Document& doc, const std::string& id)
{
    const json* v = running_vote(doc, {});
    if (!v || !v->contains("ballots") || !(*v)["ballots"].contains(doc.you())) return false;
    const json& ballot = (*v)["ballots"][doc.you()];
    return ballot.is_array() && std::find(ballot.begin(), ballot.end(), json(id)) != ballot.end();
}

const json* group_of_board(const Document& doc, const std::string& board, const std::string& gid)
{
    const json& b = board_of(doc, board);
    if (gid.empty() || !b.contains("groups") || !b["groups"].is_object()) return nullptr;
    auto it = b["groups"].find(gid);
    return it != b["groups"].end() && it->is_object() ? &*it : nullptr;
}

void group_heading(App_state& app, const std::string& board, const json& item, const json* previous)
{
    const std::string gid = text_field(item, "group");
    const json* group = group_of_board(app.doc, board, gid);
    if (!group || (previous && text_field(*previous, "group") == gid)) return;
    int cards = 0, total = votes_of(*group);
    for (const json* other : app.doc.board_items(board))
        if (text_field(*other, "group") == gid) ++cards, total += votes_of(*other);
    ImGui::PushID(gid.c_str());
    ImGui::PushFont(app.fonts.bold);
    const std::string title = text_field(*group, "title");
    ImGui::TextUnformatted(title.empty() ? app.str("group.untitled") : title.c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
    ImGui::TextUnformatted(app.str.count("group.count", cards).c_str());
    ImGui::PopStyleColor();
    const json* session = running_vote(app.doc, board);
    if (!session && group->contains("votes") && total > 0) {
        ImGui::SameLine();
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::accent));
        ImGui::TextUnformatted(app.str.count("voting.votes", total).c_str());
        ImGui::PopStyleColor();
    }
    if (may_vote(app) && !app.read_only) {
        const json& voters = group->value("voters", json::array());
        const bool mine = session ? in_my_ballot(app.doc, gid)
                                  : std::find(voters.begin(), voters.end(), json(app.doc.you())) != voters.end();
        ImGui::SameLine();
        if (mine) ImGui::PushStyleColor(ImGuiCol_Button, theme::vec(theme::accent_soft));
        const std::string label = std::string(app.str(mine ? "desk.item.take_back" : "group.vote")) + "###groupvote";
        if (ImGui::SmallButton(label.c_str())) app.send("item.vote", {{"board", board}, {"group", gid}});
        if (mine) ImGui::PopStyleColor();
    }
    if (may_group(app) && !app.read_only) {
        ImGui::SameLine();
        if (ImGui::SmallButton(app.str("group.rename"))) {
            app.group_title = title;
            ImGui::OpenPopup("##rename");
        }
        if (ImGui::BeginPopup("##rename")) {
            ImGui::SetNextItemWidth(240 * app.fonts.scale);
            if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
            const bool enter = ImGui::InputText(app.str("group.title"), &app.group_title, ImGuiInputTextFlags_EnterReturnsTrue);
            if (enter || ImGui::Button(app.str("desk.save"))) {
                app.send("group.rename", {{"board", board}, {"group", gid}, {"title", app.group_title}});
                ImGui::CloseCurrentPopup();
            }
            ImGui::EndPopup();
        }
    }
    ImGui::PopID();
}

std::string group_label_text(const App_state& app, const std::string& board, const json& item, const json* previous)
{
    const std::string gid = text_field(item, "group");
    const json* group = group_of_board(app.doc, board, gid);
    if (!group || (previous && text_field(*previous, "group") == gid)) return {};
    int cards = 0, total = votes_of(*group);
    for (const json* other : app.doc.board_items(board))
        if (text_field(*other, "group") == gid) ++cards, total += votes_of(*other);
    const std::string title = text_field(*group, "title");
    std::string text = (title.empty() ? std::string(app.str("group.untitled")) : title) + "  \xc2\xb7  " + app.str.count("group.count", cards);
    if (!running_vote(app.doc, board) && group->contains("votes") && total > 0) text += "  \xc2\xb7  " + app.str.count("voting.votes", total);
    return text;
}

void group_actions(App_state& app, const std::string& board, const json& item)
{
    if (!may_group(app) || app.read_only || item.value("hidden", false) || item.value("pending", false)) return;
    const std::string id = text_field(item, "id"), gid = text_field(item, "group");
    const std::string column = text_field(item, "column");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(170 * app.fonts.scale);
    if (ImGui::BeginCombo("##groupwith", app.str("group.onto"))) {
        for (const json* other : app.doc.board_items(board)) {
            const std::string oid = text_field(*other, "id");
            if (oid == id || text_field(*other, "column") != column || other->value("hidden", false) ||
                other->value("pending", false) || Document::is_redacted(*other) || (!gid.empty() && text_field(*other, "group") == gid))
                continue;
            std::string text = text_field(*other, "text");
            if (text.size() > 48) text = text.substr(0, 45) + "...";
            if (ImGui::Selectable((text + "###" + oid).c_str())) app.send("item.group", {{"board", board}, {"id", id}, {"onto", oid}});
        }
        ImGui::EndCombo();
    }
    if (!gid.empty()) {
        ImGui::SameLine();
        if (ImGui::SmallButton(app.str("group.ungroup"))) app.send("item.ungroup", {{"board", board}, {"id", id}});
    }
}

void voting_line(App_state& app, const std::string& board)
{
    const bool facilitator = app.doc.is_facilitator() && app.online() && !app.doc.closed() && !app.read_only;
    const json& b = board_of(app.doc, board);
    const bool sorted = text_field(b, "sort") == "votes";
    ImGui::PushID("##voting");
    if (const json* v = running_vote(app.doc, board)) {
        ImGui::PushFont(app.fonts.bold);
        ImGui::TextUnformatted(app.str("voting.running"));
        ImGui::PopFont();
        ImGui::SameLine();
        const auto at = v->find("ends_at_ms");
        const std::string time = at != v->end() && at->is_number_integer()
                                     ? app.str.format("voting.remaining", "time", clock_text(at->get<std::int64_t>() - app.server_now()))
                                     : std::string(app.str("voting.no_time"));
        ImGui::TextUnformatted(time.c_str());
        if (!app.doc.is_screen()) {
            const json& ballots = v->value("ballots", json::object());
            const long long used = ballots.contains(app.doc.you()) ? static_cast<long long>(ballots[app.doc.you()].size()) : 0;
            ImGui::SameLine();
            ImGui::TextUnformatted(app.str.count("voting.left", std::max(0LL, v->value("limit", 0LL) - used)).c_str());
        }
        ImGui::SameLine();
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
        ImGui::TextUnformatted(app.str("voting.hidden"));
        ImGui::PopStyleColor();
        if (facilitator) {
            ImGui::SameLine();
            if (ImGui::SmallButton(app.str("voting.end"))) app.send("vote.end", json::object());
        }
    } else if (facilitator) {
        ImGui::SetNextItemWidth(90 * app.fonts.scale);
        ImGui::InputInt(app.str("voting.limit"), &app.vote_limit_field);
        ImGui::SameLine();
        ImGui::SetNextItemWidth(90 * app.fonts.scale);
        ImGui::InputInt(app.str("voting.duration"), &app.vote_minutes_field);
        app.vote_limit_field = std::clamp(app.vote_limit_field, 1, 100);
        app.vote_minutes_field = std::clamp(app.vote_minutes_field, 0, 240);
        ImGui::SameLine();
        if (ImGui::SmallButton(app.str("voting.start")))
            app.send("vote.start", {{"board", board}, {"limit", app.vote_limit_field}, {"duration_s", app.vote_minutes_field * 60}});
        ImGui::SameLine();
        if (ImGui::SmallButton(app.str(sorted ? "voting.sort.order" : "voting.sort.votes")))
            app.send("board.sort", {{"board", board}, {"by", sorted ? "order" : "votes"}});
    } else if (sorted) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::accent));
        ImGui::TextUnformatted(app.str("voting.sorted"));
        ImGui::PopStyleColor();
    }
    ImGui::PopID();
}

float draw_voting_wall(App_state& app, ImDrawList* list, ImVec2 min, float width, const theme::Wall_palette& wall,
                       const std::string& board)
{
    const float k = ImGui::GetIO().DisplaySize.y / 1080.0f;
    ImFont* bold = app.fonts.wall_bold;
    ImFont* small = app.fonts.wall_small;
    const json* v = board.empty() ? nullptr : running_vote(app.doc, board);
    if (!v) {
        if (board.empty() || text_field(board_of(app.doc, board), "sort") != "votes") return min.y;
        list->AddText(small, small->FontSize, min, wall.accent, app.str("voting.sorted"));
        return min.y + small->FontSize * 1.3f;
    }
    const float pad = 16 * k, height = bold->FontSize + 2 * pad;
    const ImVec2 b(min.x + width, min.y + height);
    list->AddRectFilled(min, b, wall.signal_soft, 12 * k);
    list->AddRect(min, b, wall.signal, 12 * k, 0, 3 * k);
    float x = min.x + pad + 8 * k;
    const float y = min.y + pad;
    // One stretch of text after another on the line, each in its own font and colour.
    auto put = [&](ImFont* font, float size, ImU32 colour, const std::string& text) {
        list->AddText(font, size, ImVec2(x, y + (bold->FontSize - size) * 0.7f), colour, text.c_str());
        x += font->CalcTextSizeA(size, FLT_MAX, 0, text.c_str()).x + 36 * k;
    };
    put(bold, bold->FontSize, wall.ink, app.str("voting.running"));
    const auto at = v->find("ends_at_ms");
    put(bold, bold->FontSize, wall.ink,
        at != v->end() && at->is_number_integer()
            ? app.str.format("voting.remaining", "time", clock_text(at->get<std::int64_t>() - app.server_now()))
            : std::string(app.str("voting.no_time")));
    put(app.fonts.wall_body, small->FontSize, wall.muted, app.str("voting.hidden"));
    return b.y;
}

}  // namespace keha::desk
