#include "view_qa.hpp"

#include <algorithm>
#include <cfloat>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "qa_list.hpp"
#include "widgets.hpp"

namespace keha::desk {
namespace {

void open_form(App_state& app, Qa_form& form)
{
    ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x * 0.6f, 420 * app.fonts.scale));
    ImGui::InputTextWithHint("##qa-title", app.str("qa.new_title"), &form.title);
    ImGui::SameLine();
    ImGui::BeginDisabled(!app.online() || app.doc.closed() || form.title.empty());
    if (ImGui::Button(app.str("qa.open"))) {
        app.send("qa.open", {{"title", form.title.substr(0, 200)}});
        form.title.clear();
    }
    ImGui::EndDisabled();
}

void ask_form(App_state& app, Qa_form& form, const Qa_list& qa)
{
    const float s = app.fonts.scale;
    ImGui::InputTextMultiline("##qa-question", &form.question, ImVec2(-1, 46 * s));
    if (form.question.empty() && !ImGui::IsItemActive()) {
        ImVec2 p = ImGui::GetItemRectMin();
        ImGui::GetWindowDrawList()->AddText(ImVec2(p.x + 8 * s, p.y + 5 * s), theme::muted, app.str("qa.ask_placeholder"));
    }
    ImGui::BeginDisabled(!app.online() || form.question.empty());
    if (ImGui::Button(app.str("qa.ask"))) {
        app.send("qa.ask", {{"qa", qa.id}, {"text", form.question.substr(0, 2000)}});
        form.question.clear();
        form.asked = true;
    }
    ImGui::EndDisabled();
    if (form.asked) {
        ImGui::SameLine();
        muted(app.str("qa.asked"));
    }
}

// One question: its up-votes and button, its text, and the facilitator's buttons.
void question_row(App_state& app, const Qa_list& qa, const Qa_question& q, bool facilitator)
{
    ImGui::PushID(q.id.c_str());
    ImGui::BeginDisabled(!app.online() || !qa.open || q.held() || app.doc.closed());
    std::string vote = std::string(q.mine ? "\xe2\x96\xb2 " : "\xe2\x96\xb3 ") + app.str.count("qa.upvotes", q.upvotes);
    if (ImGui::SmallButton(vote.c_str())) app.send("qa.upvote", {{"qa", qa.id}, {"question", q.id}});
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", app.str(q.mine ? "qa.unvote" : "qa.upvote"));
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (q.answered || q.held()) ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
    ImGui::TextWrapped("%s", q.text.c_str());
    if (q.answered || q.held()) ImGui::PopStyleColor();
    std::string flags;
    if (q.answered) flags += std::string("\xe2\x9c\x93 ") + app.str("qa.answered") + "  ";
    if (q.pending) flags += std::string(app.str("qa.pending")) + "  ";
    if (q.hidden) flags += app.str("qa.hidden");
    if (!flags.empty()) muted(flags);
    if (facilitator) {
        ImGui::BeginDisabled(!app.online());
        if (q.pending && ImGui::SmallButton(app.str("qa.approve"))) app.send("qa.approve", {{"qa", qa.id}, {"question", q.id}});
        if (q.pending) ImGui::SameLine();
        if (ImGui::SmallButton(app.str(q.answered ? "qa.mark_unanswered" : "qa.mark_answered")))
            app.send("qa.answered", {{"qa", qa.id}, {"question", q.id}, {"answered", !q.answered}});
        ImGui::SameLine();
        if (ImGui::SmallButton(app.str(q.hidden ? "qa.unhide" : "qa.hide")))
            app.send("qa.hide", {{"qa", qa.id}, {"question", q.id}, {"hidden", !q.hidden}});
        ImGui::EndDisabled();
    }
    ImGui::Separator();
    ImGui::PopID();
}

}  // namespace

void qa_panel(App_state& app, Qa_form& form, bool console)
{
    if (app.doc.is_screen()) return;
    const bool facilitator = app.doc.is_facilitator();
    auto qa = current_qa(app.doc.state(), app.doc.you(), facilitator);
    if (!qa && !console) return;
    ImGui::PushID("qa");
    section(app, app.str("qa.title"));
    if (facilitator && console && (!qa || !qa->open)) open_form(app, form);
    if (qa) {
        ImGui::PushFont(app.fonts.bold);
        ImGui::TextWrapped("%s", qa->title.c_str());
        ImGui::PopFont();
        if (!qa->open) muted(app.str("qa.closed"));
        if (facilitator && qa->open) {
            ImGui::SameLine();
            ImGui::BeginDisabled(!app.online());
            if (ImGui::SmallButton(app.str("qa.close"))) app.send("qa.close", {{"qa", qa->id}});
            ImGui::EndDisabled();
        }
        if (qa->open && !app.doc.closed()) ask_form(app, form, *qa);
        if (qa->waiting > 0) muted(app.str.count("qa.waiting", qa->waiting) + " \xe2\x80\x94 " + app.str("qa.small_room"));
        if (!facilitator && qa->pending_count > 0) muted(app.str.count("qa.pending_count", qa->pending_count));
        if (qa->questions.empty()) empty_state(app.str("qa.empty"));
        for (const Qa_question& q : qa->questions) question_row(app, *qa, q, facilitator);
    }
    ImGui::Spacing();
    ImGui::PopID();
}

bool draw_qa_wall(App_state& app, ImDrawList* list, ImVec2 min, ImVec2 max, const theme::Wall_palette& wall)
{
    auto qa = current_qa(app.doc.state(), std::string(), false);
    if (!qa) return false;
    const float k = ImGui::GetIO().DisplaySize.y / 1080.0f;
    ImFont* bold = app.fonts.wall_bold;
    ImFont* body = app.fonts.wall_body;
    ImFont* small = app.fonts.wall_small;
    float y = min.y;
    const float width = max.x - min.x;
    const std::string title = std::string(app.str("qa.title")) + ": " + qa->title;
    list->AddText(bold, bold->FontSize, ImVec2(min.x, y), wall.accent, title.c_str(), nullptr, width);
    y += bold->CalcTextSizeA(bold->FontSize, FLT_MAX, width, title.c_str()).y + 14 * k;
    if (qa->waiting > 0) {
        const std::string waiting = app.str.count("qa.waiting", qa->waiting);
        list->AddText(small, small->FontSize, ImVec2(min.x, y), wall.muted, waiting.c_str());
        y += small->FontSize * 1.5f;
    }
    if (qa->questions.empty()) {
        list->AddText(body, body->FontSize, ImVec2(min.x, y + 10 * k), wall.muted, app.str("qa.empty"));
        return true;
    }
    const float pad = 20 * k, votes_w = 120 * k, text_w = width - 2 * pad - votes_w;
    std::size_t shown = 0;
    for (const Qa_question& q : qa->questions) {
        const float h = body->CalcTextSizeA(body->FontSize, FLT_MAX, text_w, q.text.c_str()).y + 2 * pad;
        if (y + h > max.y - small->FontSize * 1.6f) break;
        ImVec2 a(min.x, y), b(max.x, y + h);
        list->AddRectFilled(a, b, wall.card, 14 * k);
        list->AddRect(a, b, wall.card_border, 14 * k, 0, 1.5f * k);
        const std::string votes = "\xe2\x96\xb2 " + std::to_string(q.upvotes);
        list->AddText(bold, bold->FontSize, ImVec2(a.x + pad, a.y + pad), wall.accent, votes.c_str());
        list->AddText(body, body->FontSize, ImVec2(a.x + pad + votes_w, a.y + pad), q.answered ? wall.muted : wall.ink,
                      q.text.c_str(), nullptr, text_w);
        if (q.answered) {
            const std::string done = std::string("\xe2\x9c\x93 ") + app.str("qa.answered");
            ImVec2 t = small->CalcTextSizeA(small->FontSize, FLT_MAX, 0, done.c_str());
            list->AddText(small, small->FontSize, ImVec2(b.x - pad - t.x, b.y - pad - t.y), wall.accent, done.c_str());
        }
        y += h + 12 * k;
        ++shown;
    }
    if (shown < qa->questions.size()) {
        const std::string more = app.str.count("desk.wall.more", static_cast<long long>(qa->questions.size() - shown));
        list->AddText(small, small->FontSize, ImVec2(min.x, max.y - small->FontSize), wall.muted, more.c_str());
    }
    return true;
}

}  // namespace keha::desk
