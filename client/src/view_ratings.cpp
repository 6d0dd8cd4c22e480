#include "view_ratings.hpp"

#include <algorithm>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "theme.hpp"
#include "widgets.hpp"

namespace keha::desk {
namespace {

// A catalog text with two placeholders.
std::string format2(const App_state& app, const char* key, const char* a, const std::string& av, const char* b,
                    const std::string& bv)
{
    return fill_in(app.str.format(key, a, av), b, bv);
}

// A facilitator's review of the comments after the close: each with its "show on the wall"
// switch; the server gives the wall and the participants only those switched on.
void comment_review(App_state& app, const Ratings_view& v)
{
    muted(app.str("desk.ratings.comments_review"));
    const bool all = v.shown_count() == v.comments.size();
    ImGui::TextUnformatted(format2(app, "desk.ratings.comments_shown", "n", std::to_string(v.shown_count()), "total",
                                   std::to_string(v.comments.size())).c_str());
    ImGui::SameLine();
    ImGui::BeginDisabled(!app.online());
    if (ImGui::SmallButton(app.str(all ? "desk.ratings.comments_hide_all" : "desk.ratings.comments_show_all")))
        app.send("ratings.comment.show", {{"shown", !all}});
    for (std::size_t i = 0; i < v.comments.size(); ++i) {
        ImGui::PushID(static_cast<int>(i));
        bool shown = v.comments_shown[i];
        if (ImGui::Checkbox(app.str("desk.ratings.comment_show"), &shown))
            app.send("ratings.comment.show", {{"index", i}, {"shown", shown}});
        ImGui::SameLine();
        ImGui::TextWrapped("%s", v.comments[i].c_str());
        ImGui::PopID();
    }
    ImGui::EndDisabled();
}

void ratings_results(App_state& app, const Ratings_view& v)
{
    float s = app.fonts.scale;
    if (!v.published) return;
    if (v.suppressed) {
        muted(app.str.count("desk.ratings.suppressed", v.minimum));
        return;
    }
    ImGui::TextUnformatted(app.str.count("desk.ratings.count", v.count).c_str());
    for (const Rating_question_result& q : v.results) {
        ImGui::PushID(q.id.c_str());
        ImGui::PushFont(app.fonts.bold);
        ImGui::TextWrapped("%s", q.text.c_str());
        ImGui::PopFont();
        if (q.suppressed) {
            muted(app.str.count("desk.ratings.suppressed_question", v.minimum));
        } else {
            const std::string median = format_median(q.median, app.str("notes.decimal_mark"));
            ImGui::TextUnformatted(fill_in(app.str.count("desk.ratings.median", q.count), "median", median).c_str());
            // The distribution 0..10: drawn bars with the scale under them.
            ImDrawList* list = ImGui::GetWindowDrawList();
            ImVec2 p = ImGui::GetCursorScreenPos();
            float w = std::min(ImGui::GetContentRegionAvail().x, 420 * s), h = 54 * s;
            float bw = w / 11.0f;
            list->AddRectFilled(p, ImVec2(p.x + w, p.y + h), theme::card, 4 * s);
            for (int i = 0; i < 11; ++i) {
                float n = q.distribution[static_cast<std::size_t>(i)];
                float bh = q.max_count > 0 ? (h - 6 * s) * n / static_cast<float>(q.max_count) : 0;
                ImVec2 a(p.x + i * bw + 2 * s, p.y + h - bh), b(p.x + (i + 1) * bw - 2 * s, p.y + h);
                if (n > 0) list->AddRectFilled(a, b, i == static_cast<int>(q.median + 0.5) ? theme::accent : theme::accent_soft, 2 * s);
                std::string label = std::to_string(i);
                ImVec2 t = ImGui::CalcTextSize(label.c_str());
                list->AddText(ImVec2(p.x + i * bw + (bw - t.x) / 2, p.y + h + 2 * s), theme::muted, label.c_str());
            }
            ImGui::Dummy(ImVec2(w, h + ImGui::GetTextLineHeight() + 6 * s));
        }
        ImGui::PopID();
    }
    if (!v.comments.empty()) {
        ImGui::Spacing();
        ImGui::PushFont(app.fonts.bold);
        ImGui::TextUnformatted(app.str("desk.ratings.comments"));
        ImGui::PopFont();
        if (v.reviewable) comment_review(app, v);
        else
            for (const std::string& c : v.comments) ImGui::BulletText("%s", c.c_str());
    }
}

}  // namespace

void ratings_console_panel(App_state& app)
{
    Ratings_view v = ratings_view(app.doc.state(), app.str.lang());
    section(app, app.str("desk.ratings"));
    if (v.questions.empty()) {
        empty_state(app.str("desk.ratings.none"));
        return;
    }
    for (const auto& q : v.questions) ImGui::BulletText("%s", q.text.c_str());
    ImGui::TextUnformatted(app.str.count("desk.ratings.answered", v.answered).c_str());
    ImGui::BeginDisabled(!app.online() || app.doc.closed());
    if (!v.open) {
        if (ImGui::Button(app.str("desk.ratings.open"))) app.send("ratings.open", json::object());
    } else if (ImGui::Button(app.str("desk.ratings.close"))) {
        app.send("ratings.close", json::object());
    }
    ImGui::EndDisabled();
    if (v.open) muted(app.str("desk.ratings.is_open"));
    ratings_results(app, v);
}

void ratings_participant_panel(App_state& app, Rating_form& form)
{
    if (app.doc.is_screen()) return;
    Ratings_view v = ratings_view(app.doc.state(), app.str.lang());
    if (v.questions.empty() || (!v.open && !v.published)) return;
    float s = app.fonts.scale;
    ImGui::PushID("ratings");
    ImGui::PushFont(app.fonts.bold);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::accent));
    ImGui::TextUnformatted(app.str("desk.ratings"));
    ImGui::PopStyleColor();
    ImGui::PopFont();
    if (v.open && !app.doc.i_rated() && !form.sent) {
        muted(app.str("desk.ratings.intro"));
        for (const auto& q : v.questions) {
            ImGui::PushID(q.id.c_str());
            ImGui::TextWrapped("%s", q.text.c_str());
            auto it = form.answers.find(q.id);
            int value = it == form.answers.end() ? 5 : it->second;
            ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 420 * s));
            const char* format = it == form.answers.end() ? "\xe2\x80\x93" : "%d";
            if (ImGui::SliderInt("##score", &value, 0, 10, format, ImGuiSliderFlags_AlwaysClamp)) form.answers[q.id] = value;
            ImGui::PopID();
        }
        ImGui::InputTextMultiline("##comment", &form.comment, ImVec2(-1, 50 * s));
        if (form.comment.empty() && !ImGui::IsItemActive()) {
            ImVec2 p = ImGui::GetItemRectMin();
            ImGui::GetWindowDrawList()->AddText(ImVec2(p.x + 8 * s, p.y + 5 * s), theme::muted, app.str("desk.ratings.comment"));
        }
        ImGui::BeginDisabled(!app.online() || form.answers.empty());
        if (ImGui::Button(app.str("desk.ratings.submit"))) {
            json answers = json::object();
            for (const auto& [id, score] : form.answers) answers[id] = score;
            json args = {{"answers", answers}};
            if (!form.comment.empty()) args["comment"] = form.comment.substr(0, 2000);
            app.send("rating.submit", std::move(args));
            form.sent = true;
        }
        ImGui::EndDisabled();
        muted(app.str("desk.ratings.anonymous"));
    } else if (v.open) {
        muted(app.str("desk.ratings.thanks"));
    }
    ratings_results(app, v);
    ImGui::Separator();
    ImGui::PopID();
}

}  // namespace keha::desk
