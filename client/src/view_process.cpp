#include "view_process.hpp"

#include <algorithm>
#include <cstdlib>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "app_state.hpp"
#include "keha/json_access.hpp"
#include "theme.hpp"
#include "view_panels.hpp"
#include "widgets.hpp"

namespace keha::desk {
namespace {

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

}  // namespace

std::string room_process(const App_state& app)
{
    const json& state = app.doc.state();
    if (!state.is_object() || !state.contains("room")) return {};
    return keha::string_field(state["room"], "process");
}

void Process_panel::open(App_state& app)
{
    std::string id = room_process(app);
    auto client = app.api();
    if (!client || id.empty() || fetching_.busy()) return;
    if (id != id_) {
        *this = Process_panel{};
        id_ = id;
    }
    error_.clear();
    fetching_.start([client = *client, id, lang = app.str.lang()] { return client.process(id, lang); });
}

void Process_panel::start_report(App_state& app, const std::string& format, const std::string& path)
{
    auto client = app.api();
    if (!client || id_.empty() || report_.busy()) return;
    report_path_ = path;
    report_message_.clear();
    report_.start([client = *client, id = id_, format, lang = app.str.lang()] {
        return client.process_report(id, format, lang);
    });
}

void Process_panel::choose_meeting(int index)
{
    from_ = index;
    boards_.clear();
    if (index < 0 || index >= static_cast<int>(view_.meetings.size())) return;
    for (const auto& [name, n] : view_.meetings[static_cast<std::size_t>(index)].boards)
        boards_[name] = name == "timeline" || name == "plan";
}

void Process_panel::import_chosen(App_state& app)
{
    if (from_ < 0 || from_ >= static_cast<int>(view_.meetings.size())) return;
    json boards = json::array();
    for (const auto& [name, on] : boards_)
        if (on) boards.push_back(name);
    if (boards.empty()) return;
    app.send("item.import", {{"from", view_.meetings[static_cast<std::size_t>(from_)].code}, {"boards", boards}});
    import_sent_at_ = app.doc.seq();
}

bool Process_panel::import_from(App_state& app, const std::string& code)
{
    for (std::size_t i = 0; i < view_.meetings.size(); ++i)
        if (view_.meetings[i].code == code) {
            choose_meeting(static_cast<int>(i));
            import_chosen(app);
            return true;
        }
    return false;
}

bool Process_panel::busy(const App_state& app) const
{
    return fetching_.busy() || report_.busy() || (import_sent_at_ && *import_sent_at_ == app.doc.seq());
}

bool Process_panel::shown(const App_state& app) const
{
    std::string id = room_process(app);
    return !id.empty() && id == id_ && !missing_;
}

// A fresh view of the process: the meeting chosen to import from (and its boards) stays chosen.
void Process_panel::take(Process_view view)
{
    std::string chosen_code =
        from_ >= 0 && from_ < static_cast<int>(view_.meetings.size()) ? view_.meetings[static_cast<std::size_t>(from_)].code
                                                                       : std::string();
    view_ = std::move(view);
    from_ = -1;
    auto was = boards_;
    for (std::size_t i = 0; i < view_.meetings.size(); ++i)
        if (!chosen_code.empty() && view_.meetings[i].code == chosen_code) {
            choose_meeting(static_cast<int>(i));
            for (auto& [name, on] : boards_)
                if (was.count(name)) on = was[name];
        }
}

void Process_panel::poll(App_state& app)
{
    // The Process tab shows once the room's process answers.
    if (app.face == Face::console && app.doc.has_state() && app.link == Link::online && !room_process(app).empty() &&
        room_process(app) != id_)
        open(app);
    if (import_sent_at_ && *import_sent_at_ != app.doc.seq()) {
        import_sent_at_.reset();
        open(app);  // the counts now include what came in
    }
    if (auto fetched = fetching_.take()) {
        missing_ = fetched->status == 404 || fetched->status == 403;
        if (!fetched->ok()) {
            error_ = failure_text(app.str, *fetched, "desk.process.failed");
        } else {
            app.text_seen.add_json(fetched->value->source);  // the process's titles and team names
            take(std::move(*fetched->value));
        }
    }
    if (auto report = report_.take()) {
        if (!report->ok()) {
            report_error_ = true;
            report_message_ = failure_text(app.str, *report, "desk.export.failed");
        } else {
            report_error_ = !save_file(report_path_, *report->value);
            report_message_ = report_error_ ? app.str.format("desk.export.cannot_write", "path", report_path_)
                                            : app.str.format("desk.export.saved", "path", report_path_);
        }
    }
}

// Importing boards from an earlier meeting of the process (item.import).
void Process_panel::import_part(App_state& app)
{
    const Process_view& v = view_;
    section(app, app.str("desk.process.import"));
    muted(app.str("desk.process.import.help"));
    auto meeting = [&](int i) -> const Process_meeting* {
        return i >= 0 && i < static_cast<int>(v.meetings.size()) ? &v.meetings[static_cast<std::size_t>(i)] : nullptr;
    };
    std::string chosen_label = meeting(from_) ? meeting(from_)->title + " (" + meeting(from_)->code + ")"
                                              : std::string(app.str("desk.process.import.choose"));
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##from", chosen_label.c_str())) {
        for (std::size_t i = 0; i < v.meetings.size(); ++i) {
            const Process_meeting& m = v.meetings[i];
            if (m.code == app.doc.room_code() || m.code == app.code) continue;
            std::string label = m.title + (m.team.empty() ? "" : " \xc2\xb7 " + m.team) + " (" + m.code + ")##" + m.code;
            if (ImGui::Selectable(label.c_str(), from_ == static_cast<int>(i))) choose_meeting(static_cast<int>(i));
        }
        ImGui::EndCombo();
    }
    if (const Process_meeting* m = meeting(from_)) {
        for (const auto& [board, n] : m->boards) {
            std::string label = std::string(app.str("board." + board)) + " (" + std::to_string(n) + ")##" + board;
            ImGui::Checkbox(label.c_str(), &boards_[board]);
            ImGui::SameLine();
        }
        ImGui::NewLine();
    }
    bool any = std::any_of(boards_.begin(), boards_.end(), [](const auto& e) { return e.second; });
    ImGui::BeginDisabled(!app.online() || app.doc.closed() || from_ < 0 || !any);
    if (ImGui::Button(app.str("desk.process.import.send"))) import_chosen(app);
    ImGui::EndDisabled();
}

// The process report to a file, Markdown or HTML.
void Process_panel::report_part(App_state& app)
{
    section(app, app.str("desk.process.report"));
    if (report_path_.empty()) {
        const char* home = std::getenv("HOME");
        report_path_ = std::string(home ? home : ".") + "/keha-" + view_.id + ".md";
    }
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##reportpath", &report_path_);
    ImGui::BeginDisabled(report_.busy());
    for (const char* format : {"md", "html"}) {
        if (ImGui::Button(app.str(std::string("desk.export.") + format))) {
            report_path_ = path_for_format(report_path_, format);
            start_report(app, format, report_path_);
        }
        ImGui::SameLine();
    }
    ImGui::EndDisabled();
    ImGui::NewLine();
    if (report_.busy()) empty_state(app.str("desk.export.busy"));
    else if (!report_message_.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(report_error_ ? theme::danger : theme::online));
        ImGui::TextWrapped("%s", report_message_.c_str());
        ImGui::PopStyleColor();
    }
}

void Process_panel::draw(App_state& app)
{
    const Process_view& v = view_;
    if (!error_.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::danger));
        ImGui::TextWrapped("%s", error_.c_str());
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
    ImGui::BeginDisabled(fetching_.busy());
    if (ImGui::SmallButton(app.str("desk.history.refresh"))) open(app);
    ImGui::EndDisabled();

    process_meetings(app, v);
    section(app, app.str("desk.process.ratings"));
    ratings_plot(app, v);
    import_part(app);
    report_part(app);
}

}  // namespace keha::desk
