#include "view_notes.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "theme.hpp"
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

// A catalog text with two placeholders.
std::string format2(const App_state& app, const char* key, const char* a, const std::string& av, const char* b,
                    const std::string& bv)
{
    return fill_in(app.str.format(key, a, av), b, bv);
}

void muted(const std::string& text)
{
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
    ImGui::TextWrapped("%s", text.c_str());
    ImGui::PopStyleColor();
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

void export_controls(App_state& app, std::optional<std::uint64_t> seq, const char* id)
{
    ImGui::PushID(id);
    if (app.exporting.path.empty()) app.exporting.path = default_export_path(app, app.exporting.format);
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##exportpath", &app.exporting.path);
    ImGui::SetNextItemWidth(200 * app.fonts.scale);
    std::string names_key = std::string("desk.export.names.") + (app.exporting.names == 0 ? "room" : export_name_policies[app.exporting.names]);
    if (ImGui::BeginCombo(app.str("desk.export.names"), app.str(names_key))) {
        for (int i = 0; i < 4; ++i) {
            std::string key = std::string("desk.export.names.") + (i == 0 ? "room" : export_name_policies[i]);
            if (ImGui::Selectable(app.str(key), app.exporting.names == i)) app.exporting.names = i;
        }
        ImGui::EndCombo();
    }
    bool busy = app.exporting.busy() || app.exporting.confirm;
    ImGui::BeginDisabled(busy);
    for (const char* format : {"md", "html", "json"}) {
        std::string label = std::string(app.str(std::string("desk.export.") + format));
        if (ImGui::Button(label.c_str())) {
            std::string path = app.exporting.path;
            auto dot = path.rfind('.');
            auto slash = path.rfind('/');
            if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) path = path.substr(0, dot);
            if (seq) {
                std::string suffix = "-" + std::to_string(*seq);
                if (path.size() < suffix.size() || path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0)
                    path += suffix;
            }
            path += std::string(".") + format;
            app.exporting.path = path;
            app.start_export(format, path, seq);
        }
        ImGui::SameLine();
    }
    ImGui::EndDisabled();
    ImGui::NewLine();
    if (app.exporting.checking.busy()) empty_state(app.str("desk.export.checking"));
    else if (app.exporting.pending.busy()) empty_state(app.str("desk.export.busy"));
    else if (!app.exporting.message.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(app.exporting.error ? theme::danger : theme::online));
        ImGui::TextWrapped("%s", app.exporting.message.c_str());
        ImGui::PopStyleColor();
    }
    ImGui::PopID();
}

void export_warning(App_state& app)
{
    if (app.exporting.confirm && !ImGui::IsPopupOpen("##picwarning")) ImGui::OpenPopup("##picwarning");
    float s = app.fonts.scale;
    ImGui::SetNextWindowSize(ImVec2(620 * s, 0));
    if (!ImGui::BeginPopupModal("##picwarning", nullptr, ImGuiWindowFlags_NoTitleBar)) return;
    ImGui::PushFont(app.fonts.bold);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::danger));
    ImGui::TextWrapped("%s", app.str(app.exporting.check_failed ? "desk.pic.check_failed" : "desk.pic.title"));
    ImGui::PopStyleColor();
    ImGui::PopFont();
    if (!app.exporting.check_failed) {
        ImGui::TextWrapped("%s", app.str.count("desk.pic.found", static_cast<long long>(app.exporting.hits.size())).c_str());
        const Document& doc = app.exporting.seq && app.history.loaded == app.exporting.seq ? app.history.doc : app.doc;
        ImGui::BeginChild("##hits", ImVec2(0, std::min(220 * s, (app.exporting.hits.size() + 1) * ImGui::GetTextLineHeightWithSpacing())), true);
        for (const Identity_code_hit& hit : app.exporting.hits) ImGui::BulletText("%s", hit_place(app, hit, doc).c_str());
        ImGui::EndChild();
        muted(app.str("desk.pic.advice"));
    }
    if (ImGui::Button(app.str("desk.cancel"))) {
        app.cancel_export();
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Button, theme::vec(theme::accent_soft));
    if (ImGui::Button(app.str("desk.pic.export_anyway"))) {
        app.confirm_export();
        ImGui::CloseCurrentPopup();
    }
    ImGui::PopStyleColor();
    ImGui::EndPopup();
}

void history_panel(App_state& app)
{
    History_state& h = app.history;
    if (!h.open) app.open_history();
    ImGui::Spacing();
    ImGui::PushFont(app.fonts.bold);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::accent));
    ImGui::TextUnformatted(app.str("desk.history"));
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::Separator();
    muted(app.str("desk.history.help"));
    if (!h.error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::danger));
        ImGui::TextWrapped("%s", h.error.c_str());
        ImGui::PopStyleColor();
    }
    if (h.listing.busy()) {
        empty_state(app.str("desk.history.loading"));
        return;
    }
    if (ImGui::SmallButton(app.str("desk.history.refresh"))) {
        h.open = false;
        app.open_history();
    }
    int n = static_cast<int>(h.ops.size());
    ImGui::SetNextItemWidth(-1);
    std::string label = "seq " + std::to_string(h.seq_at(h.index));
    ImGui::SliderInt("##seq", &h.index, 0, n, label.c_str(), ImGuiSliderFlags_AlwaysClamp);
    if (ImGui::IsItemDeactivatedAfterEdit() || (ImGui::IsItemActive() && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter))))
        app.load_history(h.seq_at(h.index));
    ImGui::BeginDisabled(h.index <= 0);
    if (ImGui::ArrowButton("##prev", ImGuiDir_Left)) app.load_history(h.seq_at(--h.index));
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(h.index >= n);
    if (ImGui::ArrowButton("##next", ImGuiDir_Right)) app.load_history(h.seq_at(++h.index));
    ImGui::EndDisabled();
    ImGui::SameLine();
    std::string what = h.index == 0 ? std::string(app.str("desk.history.created"))
                                    : h.ops[static_cast<std::size_t>(h.index - 1)].cmd + "  \xc2\xb7  " +
                                          h.ops[static_cast<std::size_t>(h.index - 1)].at;
    ImGui::TextUnformatted(what.c_str());
    if (h.loading.busy()) empty_state(app.str("desk.history.loading"));
    else if (h.loaded) {
        std::string line = fill_in(app.str.count("desk.history.loaded", static_cast<long long>(h.doc.item_count())), "seq",
                                std::to_string(*h.loaded));
        ImGui::TextWrapped("%s", line.c_str());
    }
    ImGui::BeginDisabled(!h.loaded);
    if (ImGui::Checkbox(app.str("desk.history.show_boards"), &h.viewing) && h.viewing) app.board.clear();
    ImGui::EndDisabled();
    if (h.loaded) {
        ImGui::Spacing();
        ImGui::TextUnformatted(app.str("desk.history.export"));
        export_controls(app, h.loaded, "historyexport");
    }
}

void history_banner(App_state& app)
{
    const History_state& h = app.history;
    float s = app.fonts.scale;
    ImDrawList* list = ImGui::GetWindowDrawList();
    ImVec2 p = ImGui::GetCursorScreenPos();
    std::string text = format2(app, "desk.history.banner", "seq", std::to_string(h.loaded.value_or(0)), "at",
                                      h.at.empty() ? std::string(app.str("desk.history.created")) : h.at);
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

void ratings_console_panel(App_state& app)
{
    Ratings_view v = ratings_view(app.doc.state(), app.str.lang());
    ImGui::Spacing();
    ImGui::PushFont(app.fonts.bold);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::accent));
    ImGui::TextUnformatted(app.str("desk.ratings"));
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::Separator();
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

namespace {

void section(App_state& app, const char* text)
{
    ImGui::Spacing();
    ImGui::PushFont(app.fonts.bold);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::accent));
    ImGui::TextUnformatted(text);
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::Separator();
}

// The questions' medians across the meetings: one line per question over 0..10, a gap where
// a meeting has no published results; the question texts as the legend.
void ratings_plot(App_state& app, const Process_view& v)
{
    static constexpr ImU32 palette[] = {theme::accent, theme::listening, theme::hinders, theme::signal, theme::enables,
                                        theme::rgb(0x7A, 0x4E, 0x8C), theme::muted};
    float s = app.fonts.scale;
    if (v.ratings.empty()) {
        empty_state(app.str("desk.process.ratings.none"));
        return;
    }
    ImDrawList* list = ImGui::GetWindowDrawList();
    ImVec2 p = ImGui::GetCursorScreenPos();
    float line = ImGui::GetTextLineHeight();
    float left = ImGui::CalcTextSize("10").x + 8 * s;
    float w = std::max(200 * s, ImGui::GetContentRegionAvail().x), h = 170 * s;
    ImVec2 a(p.x + left, p.y + 6 * s), b(p.x + w - 10 * s, p.y + h);
    list->AddRectFilled(ImVec2(p.x, p.y), ImVec2(p.x + w, p.y + h + line + 8 * s), theme::card, 4 * s);
    for (int y = 0; y <= 10; y += 5) {
        float yy = b.y - (b.y - a.y) * y / 10.0f;
        list->AddLine(ImVec2(a.x, yy), ImVec2(b.x, yy), theme::card_border, 1);
        std::string label = std::to_string(y);
        list->AddText(ImVec2(p.x + 3 * s, yy - line / 2), theme::muted, label.c_str());
    }
    std::size_t n = v.meetings.size();
    auto x_at = [&](std::size_t i) { return n <= 1 ? (a.x + b.x) / 2 : a.x + 12 * s + (b.x - a.x - 24 * s) * i / float(n - 1); };
    for (std::size_t i = 0; i < n; ++i) {
        std::string label = std::to_string(i + 1);
        ImVec2 t = ImGui::CalcTextSize(label.c_str());
        list->AddText(ImVec2(x_at(i) - t.x / 2, b.y + 4 * s), theme::muted, label.c_str());
    }
    for (std::size_t q = 0; q < v.ratings.size(); ++q) {
        ImU32 colour = palette[q % (sizeof palette / sizeof *palette)];
        const auto& m = v.ratings[q].medians;
        for (std::size_t i = 0; i < m.size() && i < n; ++i) {
            if (!m[i]) continue;
            ImVec2 at(x_at(i), b.y - (b.y - a.y) * float(*m[i]) / 10.0f);
            if (i + 1 < m.size() && m[i + 1])
                list->AddLine(at, ImVec2(x_at(i + 1), b.y - (b.y - a.y) * float(*m[i + 1]) / 10.0f), colour, 2.5f * s);
            list->AddCircleFilled(at, 4.5f * s, colour);
        }
    }
    ImGui::Dummy(ImVec2(w, h + line + 10 * s));
    for (std::size_t q = 0; q < v.ratings.size(); ++q) {
        ImVec2 c = ImGui::GetCursorScreenPos();
        list->AddRectFilled(ImVec2(c.x, c.y + line * 0.25f), ImVec2(c.x + line * 0.5f, c.y + line * 0.75f),
                            palette[q % (sizeof palette / sizeof *palette)], 2 * s);
        ImGui::SetCursorScreenPos(ImVec2(c.x + line * 0.8f, c.y));
        std::string text = v.ratings[q].text.empty() ? v.ratings[q].id : v.ratings[q].text;
        std::string medians;
        const char* mark = app.str("notes.decimal_mark");
        for (const auto& m : v.ratings[q].medians)
            medians += (medians.empty() ? "" : " \xc2\xb7 ") + (m ? format_median(*m, mark) : std::string("\xe2\x80\x93"));
        ImGui::TextWrapped("%s  (%s)", text.c_str(), medians.c_str());
    }
    muted(app.str("desk.process.ratings.help"));
}


// The process's meetings in order, each with its counts, and the totals.
void process_meetings(App_state& app, const Process_view& v)
{
    section(app, app.str("desk.process.meetings"));
    for (std::size_t i = 0; i < v.meetings.size(); ++i) {
        const Process_meeting& m = v.meetings[i];
        ImGui::PushID(static_cast<int>(i));
        bool here = m.code == app.doc.room_code() || m.code == app.code;
        ImGui::PushFont(app.fonts.bold);
        ImGui::TextWrapped("%zu. %s", i + 1, m.title.c_str());
        ImGui::PopFont();
        std::string status = app.str(m.status == "closed" ? "desk.process.status.closed" : "desk.process.status.open");
        std::string line = (m.team.empty() ? std::string() : m.team + " \xc2\xb7 ") + m.date + " \xc2\xb7 " + m.code + " \xc2\xb7 " +
                           status + (here ? " \xc2\xb7 " + std::string(app.str("desk.process.this_meeting")) : std::string());
        ImGui::TextWrapped("%s", line.c_str());
        std::string counts = app.str.count("desk.process.count.participants", m.participants) + ", " +
                             app.str.count("desk.process.count.items", m.items) + ", " +
                             app.str.count("desk.process.count.agreements", m.agreements) + ", " +
                             (m.reaffirmed > 0 ? app.str.count("desk.process.count.reaffirmed", m.reaffirmed) + ", " : std::string()) +
                             app.str.count("desk.process.count.commitments", m.commitments) + ", " +
                             app.str.count("desk.process.count.answers", m.ratings_answered);
        muted(counts);
        ImGui::Spacing();
        ImGui::PopID();
    }
    muted(app.str.count("desk.process.count.agreements", v.agreements) + ", " +
          app.str.count("desk.process.count.commitments", v.commitments) + " \xc2\xb7 " +
          std::string(app.str("desk.process.totals")));
}

// Importing boards from an earlier meeting of the process (item.import).
void process_import(App_state& app, Process_state& p, const Process_view& v)
{
    section(app, app.str("desk.process.import"));
    muted(app.str("desk.process.import.help"));
    std::string chosen = p.from >= 0 && p.from < static_cast<int>(v.meetings.size())
                             ? v.meetings[static_cast<std::size_t>(p.from)].title + " (" + v.meetings[static_cast<std::size_t>(p.from)].code + ")"
                             : std::string(app.str("desk.process.import.choose"));
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##from", chosen.c_str())) {
        for (std::size_t i = 0; i < v.meetings.size(); ++i) {
            const Process_meeting& m = v.meetings[i];
            if (m.code == app.doc.room_code() || m.code == app.code) continue;
            std::string label = m.title + (m.team.empty() ? "" : " \xc2\xb7 " + m.team) + " (" + m.code + ")##" + m.code;
            if (ImGui::Selectable(label.c_str(), p.from == static_cast<int>(i))) app.choose_import_meeting(static_cast<int>(i));
        }
        ImGui::EndCombo();
    }
    if (p.from >= 0 && p.from < static_cast<int>(v.meetings.size())) {
        for (const auto& [board, n] : v.meetings[static_cast<std::size_t>(p.from)].boards) {
            std::string label = std::string(app.str("board." + board)) + " (" + std::to_string(n) + ")##" + board;
            ImGui::Checkbox(label.c_str(), &p.boards[board]);
            ImGui::SameLine();
        }
        ImGui::NewLine();
    }
    bool any = std::any_of(p.boards.begin(), p.boards.end(), [](const auto& e) { return e.second; });
    ImGui::BeginDisabled(!app.online() || app.doc.closed() || p.from < 0 || !any);
    if (ImGui::Button(app.str("desk.process.import.send"))) app.import_from_meeting();
    ImGui::EndDisabled();
}

// The process report to a file, Markdown or HTML.
void process_report(App_state& app, Process_state& p, const Process_view& v)
{
    section(app, app.str("desk.process.report"));
    if (p.report_path.empty()) {
        const char* home = std::getenv("HOME");
        p.report_path = std::string(home ? home : ".") + "/keha-" + v.id + ".md";
    }
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##reportpath", &p.report_path);
    ImGui::BeginDisabled(p.report.busy());
    for (const char* format : {"md", "html"}) {
        if (ImGui::Button(app.str(std::string("desk.export.") + format))) {
            std::string path = p.report_path;
            auto dot = path.rfind('.');
            auto slash = path.rfind('/');
            if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) path = path.substr(0, dot);
            path += std::string(".") + format;
            p.report_path = path;
            app.start_process_report(format, path);
        }
        ImGui::SameLine();
    }
    ImGui::EndDisabled();
    ImGui::NewLine();
    if (p.report.busy()) empty_state(app.str("desk.export.busy"));
    else if (!p.report_message.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(p.report_error ? theme::danger : theme::online));
        ImGui::TextWrapped("%s", p.report_message.c_str());
        ImGui::PopStyleColor();
    }
}

}  // namespace

void process_panel(App_state& app)
{
    Process_state& p = app.process;
    const Process_view& v = p.view;
    if (!p.error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::danger));
        ImGui::TextWrapped("%s", p.error.c_str());
        ImGui::PopStyleColor();
    }
    if (!v.valid) {
        empty_state(app.str("desk.process.loading"));
        return;
    }
    ImGui::Spacing();
    ImGui::PushFont(app.fonts.bold);
    ImGui::TextWrapped("%s", v.title.c_str());
    ImGui::PopFont();
    if (!v.teams.empty()) {
        std::string teams;
        for (const auto& t : v.teams) teams += (teams.empty() ? "" : ", ") + t;
        muted(app.str.format("desk.process.teams", "teams", teams));
    }
    ImGui::BeginDisabled(p.fetching.busy());
    if (ImGui::SmallButton(app.str("desk.history.refresh"))) app.open_process();
    ImGui::EndDisabled();

    process_meetings(app, v);
    section(app, app.str("desk.process.ratings"));
    ratings_plot(app, v);
    process_import(app, p, v);
    process_report(app, p, v);
}

}  // namespace keha::desk
