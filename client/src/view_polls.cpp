#include "view_polls.hpp"

#include <algorithm>
#include <cfloat>
#include <imgui_stdlib.h>

#include "document.hpp"
#include "poll_model.hpp"
#include "widgets.hpp"

namespace keha::desk {
namespace {

constexpr const char* kinds[] = {"choice", "scale", "words"};

std::string number(std::int64_t n) { return std::to_string(n); }

std::string median_text(const App_state& app, double median)
{
    return app.str.format("poll.median", "m", format_median(median, app.str("notes.decimal_mark")));
}

// The results as the console and a person's panel show them.
void results_block(App_state& app, const Poll_view& p)
{
    if (!p.has_results) {
        muted(p.shown || p.status == "closed" ? app.str.format("poll.waiting", "min", "3") : app.str("poll.hidden"));
        return;
    }
    if (p.suppressed) {
        muted(app.str.format("poll.suppressed", "min", "3"));
        return;
    }
    const float width = std::min(ImGui::GetContentRegionAvail().x, 420 * app.fonts.scale);
    if (p.kind == "choice") {
        for (std::size_t i = 0; i < p.options.size(); ++i) {
            const std::int64_t n = i < p.option_counts.size() ? p.option_counts[i] : 0;
            const float share = p.count > 0 ? static_cast<float>(n) / static_cast<float>(p.count) : 0.0f;
            ImGui::TextWrapped("%s", p.options[i].c_str());
            ImGui::ProgressBar(share, ImVec2(width, 0), number(n).c_str());
        }
    } else if (p.kind == "scale") {
        ImGui::TextUnformatted(median_text(app, p.median).c_str());
        std::string line;
        for (std::size_t v = 0; v < p.distribution.size(); ++v)
            if (p.distribution[v] > 0) line += (line.empty() ? "" : " \xc2\xb7 ") + number(static_cast<std::int64_t>(v)) + ": " + number(p.distribution[v]);
        muted(app.str("poll.distribution") + std::string(" ") + line);
    } else {
        std::string line;
        for (const auto& [word, n] : p.words) line += (line.empty() ? "" : ",  ") + word + " (" + number(n) + ")";
        ImGui::TextWrapped("%s", line.c_str());
    }
    muted(app.str.count("poll.counted", p.count));
    if (p.withheld > 0) muted(app.str.count("poll.withheld", p.withheld));
}

void launch_form(App_state& app, Poll_form& form)
{
    const char* labels[] = {app.str("poll.kind.choice"), app.str("poll.kind.scale"), app.str("poll.kind.words")};
    ImGui::SetNextItemWidth(220 * app.fonts.scale);
    ImGui::Combo(app.str("poll.kind"), &form.kind, labels, 3);
    ImGui::InputTextWithHint("##poll-question", app.str("poll.question"), &form.question);
    if (form.kind == 0) {
        ImGui::InputTextMultiline("##poll-options", &form.options, ImVec2(-1, 70 * app.fonts.scale));
        muted(app.str("poll.options"));
        ImGui::Checkbox(app.str("poll.multiple_allowed"), &form.multiple);
    }
    if (ImGui::Checkbox(app.str("poll.about_self"), &form.about_self) && form.about_self) form.reveal = true;
    ImGui::Checkbox(app.str("poll.show.reveal"), &form.reveal);
    json args = {{"kind", kinds[form.kind]}, {"question", form.question}, {"about_self", form.about_self},
                 {"show", form.reveal ? "reveal" : "live"}};
    json options = json::array();
    std::size_t start = 0;
    while (start <= form.options.size()) {
        std::size_t end = std::min(form.options.find('\n', start), form.options.size());
        std::string line = form.options.substr(start, end - start);
        line.erase(0, line.find_first_not_of(" \t\r"));
        line.erase(line.find_last_not_of(" \t\r") + 1);
        if (!line.empty()) options.push_back(line);
        start = end + 1;
    }
    if (form.kind == 0) {
        args["options"] = options;
        args["multiple"] = form.multiple;
    }
    const bool ready = !form.question.empty() && (form.kind != 0 || options.size() >= 2);
    ImGui::BeginDisabled(!app.online() || app.doc.closed() || !ready);
    if (ImGui::Button(app.str("poll.launch"))) {
        app.send("poll.open", std::move(args));
        form = Poll_form{};
    }
    ImGui::EndDisabled();
}

void poll_controls(App_state& app, const Poll_view& p)
{
    ImGui::BeginDisabled(!app.online());
    if (p.status == "open") {
        if (ImGui::SmallButton(app.str("poll.close"))) app.send("poll.close", {{"poll", p.id}});
        ImGui::SameLine();
    }
    if (ImGui::SmallButton(app.str(p.shown ? "poll.unreveal" : "poll.reveal"))) app.send("poll.reveal", {{"poll", p.id}, {"shown", !p.shown}});
    ImGui::SameLine();
    if (ImGui::SmallButton(app.str("poll.remove"))) app.send("poll.remove", {{"poll", p.id}});
    ImGui::EndDisabled();
}

void poll_heading(App_state& app, const Poll_view& p)
{
    ImGui::PushFont(app.fonts.bold);
    ImGui::TextWrapped("%s", p.question.c_str());
    ImGui::PopFont();
    muted(app.str.count("poll.answered", p.answered) + " \xc2\xb7 " + app.str(p.status == "open" ? "poll.open_now" : "poll.closed"));
}

// One poll's answer widgets; true once the answer is complete enough to send.
json answer_args(App_state& app, const Poll_view& p, Poll_answers& a)
{
    if (p.kind == "choice") {
        auto& chosen = a.choices[p.id];
        for (std::size_t i = 0; i < p.options.size(); ++i) {
            const int index = static_cast<int>(i);
            bool on = chosen.count(index) > 0;
            ImGui::PushID(index);
            const bool changed = p.multiple ? ImGui::Checkbox(p.options[i].c_str(), &on) : ImGui::RadioButton(p.options[i].c_str(), on);
            if (changed) {
                if (!p.multiple) chosen.clear();
                if (on || !p.multiple) chosen.insert(index);
                else chosen.erase(index);
            }
            ImGui::PopID();
        }
        return chosen.empty() ? json() : json{{"choices", json(chosen)}};
    }
    if (p.kind == "scale") {
        auto it = a.values.find(p.id);
        int value = it == a.values.end() ? 5 : it->second;
        ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 420 * app.fonts.scale));
        if (ImGui::SliderInt("##scale", &value, 0, 10, it == a.values.end() ? "\xe2\x80\x93" : "%d", ImGuiSliderFlags_AlwaysClamp))
            a.values[p.id] = value;
        muted(app.str("poll.scale_ends"));
        return it == a.values.end() ? json() : json{{"value", it->second}};
    }
    std::string& typed = a.words[p.id];
    ImGui::InputTextWithHint("##words", app.str("poll.words_hint"), &typed);
    json words = json::array();
    std::size_t start = 0;
    while (start <= typed.size() && words.size() < 3) {
        std::size_t end = std::min(typed.find(',', start), typed.size());
        std::string w = typed.substr(start, end - start);
        w.erase(0, w.find_first_not_of(' '));
        w.erase(w.find_last_not_of(' ') + 1);
        if (!w.empty()) words.push_back(w.substr(0, 160));
        start = end + 1;
    }
    return words.empty() ? json() : json{{"words", words}};
}

}  // namespace

void polls_console_panel(App_state& app, Poll_form& form)
{
    section(app, app.str("poll.label"));
    const auto prepared = prepared_polls(app.doc.state(), app.str.lang());
    ImGui::BeginDisabled(!app.online() || app.doc.closed());
    for (const Poll_view& p : prepared) {
        ImGui::PushID(p.id.c_str());
        if (ImGui::Button(p.question.c_str())) app.send("poll.open", {{"prepared", p.id}});
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.str("poll.open_prepared"));
        ImGui::PopID();
    }
    ImGui::EndDisabled();
    if (ImGui::CollapsingHeader(app.str("poll.new"))) launch_form(app, form);
    for (const Poll_view& p : launched_polls(app.doc.state(), app.str.lang())) {
        ImGui::PushID(p.id.c_str());
        ImGui::Separator();
        poll_heading(app, p);
        results_block(app, p);
        poll_controls(app, p);
        ImGui::PopID();
    }
}

void polls_participant_panel(App_state& app, Poll_answers& answers)
{
    if (app.doc.is_screen()) return;
    for (const Poll_view& p : visible_polls(app.doc.state(), app.str.lang())) {
        ImGui::PushID(p.id.c_str());
        poll_heading(app, p);
        const bool answered = answered_poll(app.doc.state(), app.doc.you(), p.id) || answers.sent.count(p.id);
        if (p.status == "open" && !answered) {
            muted(app.str(p.about_self ? "poll.anonymous_self" : "poll.anonymous"));
            json args = answer_args(app, p, answers);
            ImGui::BeginDisabled(!app.online() || args.is_null());
            if (ImGui::Button(app.str("poll.submit"))) {
                args["poll"] = p.id;
                app.send("poll.answer", std::move(args));
                answers.sent.insert(p.id);
            }
            ImGui::EndDisabled();
        } else {
            if (p.status == "open") muted(app.str("poll.thanks"));
            results_block(app, p);
        }
        ImGui::Separator();
        ImGui::PopID();
    }
}

namespace {

// The words of a cloud laid out in centred rows, the most given first and largest, shrunk
// until they fit the area.
struct Placed_word {
    const Cloud_word* word;
    float size;
    ImVec2 pos;
};

std::vector<Placed_word> lay_out_cloud(ImFont* font, const std::vector<Cloud_word>& words, ImVec2 min, ImVec2 max, float base)
{
    const float width = max.x - min.x, height = max.y - min.y;
    std::vector<Placed_word> placed;
    // From large (a few words fill the card) down until every row fits.
    for (float scale = 1.4f; scale > 0.2f; scale *= 0.85f) {
        placed.clear();
        std::vector<std::pair<std::size_t, std::size_t>> rows;  // [first, last) of placed
        std::vector<float> row_widths, row_heights;
        float x = 0, row_h = 0;
        const float gap = base * 0.6f * scale;
        for (const Cloud_word& w : words) {
            const float size = base * scale * (1.0f + w.step * 2.2f);
            const ImVec2 t = font->CalcTextSizeA(size, FLT_MAX, 0, w.word.c_str());
            if (!rows.empty() && x > 0 && x + gap + t.x > width) {
                row_widths.push_back(x);
                row_heights.push_back(row_h);
                rows.emplace_back(placed.size(), placed.size());
                x = row_h = 0;
            }
            if (rows.empty()) rows.emplace_back(0, 0);
            if (x > 0) x += gap;
            placed.push_back({&w, size, ImVec2(x, t.y)});
            x += t.x;
            row_h = std::max(row_h, t.y);
            rows.back().second = placed.size();
        }
        row_widths.push_back(x);
        row_heights.push_back(row_h);
        float total = 0;
        for (float h : row_heights) total += h;
        if (total > height && scale > 0.25f) continue;
        float y = min.y + std::max(0.0f, (height - total) / 2);
        for (std::size_t r = 0; r < rows.size(); ++r) {
            const float left = min.x + std::max(0.0f, (width - row_widths[r]) / 2);
            for (std::size_t i = rows[r].first; i < rows[r].second; ++i)
                placed[i].pos = ImVec2(left + placed[i].pos.x, y + (row_heights[r] - placed[i].pos.y) * 0.7f);
            y += row_heights[r];
        }
        break;
    }
    return placed;
}

// Bars for a choice or a scale: a label, a bar by count, the count.
void wall_bars(App_state& app, ImDrawList* list, const theme::Wall_palette& wall, const std::vector<std::string>& labels,
               const std::vector<std::int64_t>& counts, ImVec2 min, ImVec2 max)
{
    ImFont* body = app.fonts.wall_body;
    const float k = ImGui::GetIO().DisplaySize.y / 1080.0f;
    const std::int64_t most = std::max<std::int64_t>(1, counts.empty() ? 1 : *std::max_element(counts.begin(), counts.end()));
    const float row = std::min(body->FontSize * 2.0f, (max.y - min.y) / static_cast<float>(std::max<std::size_t>(1, labels.size())));
    const float label_w = (max.x - min.x) * 0.32f, count_w = body->FontSize * 3;
    float y = min.y;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const std::int64_t n = i < counts.size() ? counts[i] : 0;
        list->AddText(body, body->FontSize, ImVec2(min.x, y), wall.ink, labels[i].c_str(), nullptr, label_w - 12 * k);
        const float bar_w = (max.x - min.x - label_w - count_w) * static_cast<float>(n) / static_cast<float>(most);
        list->AddRectFilled(ImVec2(min.x + label_w, y + 4 * k), ImVec2(min.x + label_w + std::max(bar_w, 3 * k), y + row * 0.7f),
                            wall.accent, 6 * k);
        list->AddText(body, body->FontSize, ImVec2(max.x - count_w + 12 * k, y), wall.muted, number(n).c_str());
        y += row;
    }
}

}  // namespace

bool draw_wall_poll(App_state& app, ImDrawList* list, const theme::Wall_palette& wall, ImVec2 min, ImVec2 max)
{
    const auto polls = visible_polls(app.doc.state(), app.str.lang());
    if (polls.empty()) return false;
    const Poll_view& p = polls.front();
    const float k = ImGui::GetIO().DisplaySize.y / 1080.0f;
    ImFont* h = app.fonts.wall_heading;
    ImFont* body = app.fonts.wall_body;
    list->AddRectFilled(min, max, wall.card, 16 * k);
    list->AddRect(min, max, wall.card_border, 16 * k, 0, 1.5f * k);
    const float pad = 30 * k, width = max.x - min.x - 2 * pad;
    float y = min.y + pad;
    list->AddText(h, h->FontSize, ImVec2(min.x + pad, y), wall.ink, p.question.c_str(), nullptr, width);
    y += h->CalcTextSizeA(h->FontSize, FLT_MAX, width, p.question.c_str()).y + 8 * k;
    const std::string count = app.str.count("poll.answered", p.answered) + "  \xc2\xb7  " +
                              app.str(p.status == "open" ? "poll.answer_now" : "poll.closed");
    list->AddText(body, body->FontSize, ImVec2(min.x + pad, y), wall.muted, count.c_str());
    y += body->FontSize * 1.8f;
    const ImVec2 area_min(min.x + pad, y), area_max(max.x - pad, max.y - pad);
    if (!p.has_results || p.suppressed) {
        const std::string why = p.suppressed ? app.str.format("poll.suppressed", "min", "3")
                                : p.shown || p.status == "closed" ? app.str.format("poll.waiting", "min", "3") : app.str("poll.hidden");
        list->AddText(body, body->FontSize, area_min, wall.muted, why.c_str(), nullptr, width);
        return true;
    }
    if (p.kind == "words") {
        const auto words = cloud_words(p);
        // The heading's face, baked large, so the biggest words stay sharp; the least given word
        // is still larger than the wall's body text, for the back of the room.
        ImFont* face = app.fonts.wall_heading;
        for (const Placed_word& w : lay_out_cloud(face, words, area_min, area_max, body->FontSize * 1.25f))
            list->AddText(face, w.size, w.pos, w.word->step > 0.5f ? wall.accent : wall.ink, w.word->word.c_str());
    } else if (p.kind == "choice") {
        wall_bars(app, list, wall, p.options, p.option_counts, area_min, area_max);
    } else {
        list->AddText(app.fonts.wall_bold, body->FontSize * 1.3f, area_min, wall.accent, median_text(app, p.median).c_str());
        std::vector<std::string> labels;
        for (int v = 0; v <= 10; ++v) labels.push_back(number(v));
        wall_bars(app, list, wall, labels, p.distribution, ImVec2(area_min.x, area_min.y + body->FontSize * 2.2f), area_max);
    }
    return true;
}

}  // namespace keha::desk
