#include "view_turns.hpp"

#include <algorithm>
#include <cmath>
#include <imgui.h>
#include <imgui_stdlib.h>

#include "keha/state.hpp"
#include "shortcuts.hpp"
#include "theme.hpp"
#include "widgets.hpp"

namespace keha::desk {
namespace {

const auto& groups = keha::participant_groups;
const char* kinds[] = {"reflecting_team", "round", "hand_queue", "pairs"};
const char* stages[] = {"conversation", "reflection", "response"};

bool has(const std::vector<std::string>& list, const std::string& pid)
{
    return std::find(list.begin(), list.end(), pid) != list.end();
}

void coloured(ImU32 colour, const std::string& text, bool wrapped = true)
{
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(colour));
    if (wrapped) ImGui::TextWrapped("%s", text.c_str());
    else ImGui::TextUnformatted(text.c_str());
    ImGui::PopStyleColor();
}

void bold(App_state& app, const std::string& text, ImU32 colour = theme::ink)
{
    ImGui::PushFont(app.fonts.bold);
    coloured(colour, text);
    ImGui::PopFont();
}

// "Puhuvat: Maija, Aino" in the role's colour.
void people_row(App_state& app, const char* label_key, const std::vector<std::string>& pids, ImU32 colour)
{
    std::string line = std::string(app.str(label_key)) + ": " +
                       (pids.empty() ? std::string("–") : app.people_line(pids));
    coloured(colour, line);
}

// The phase's time box, and defaults derived from it, when the phase changes.
void defaults_for_phase(App_state& app, Turns_form& f)
{
    const json* phase = app.doc.current_phase();
    std::string id = phase ? field(*phase, "id") : std::string();
    if (f.kind_for_phase == id) return;
    f.kind_for_phase = id;
    std::string mode = phase ? field(*phase, "turn_mode") : std::string();
    for (int i = 0; i < 4; ++i)
        if (mode == kinds[i]) f.kind = i;
    int timebox = phase ? int_field(*phase, "timebox_s") : 0;
    Stage_times st = stage_times_for(timebox);
    f.conversation_min = st.conversation_s / 60;
    f.reflection_min = st.reflection_s / 60;
    f.response_min = st.response_s / 60;
    std::size_t n = app.doc.turn_people().size();
    f.per_speaker_s = timebox > 0 && n > 0 ? std::max(30, static_cast<int>(timebox / static_cast<int>(n)) / 15 * 15) : 0;
    f.half_min = timebox > 0 ? std::clamp(timebox / 60 / 3, 1, 30) : 5;  // two halves, then a round to share
}

int group_count(const App_state& app, const char* group)
{
    int n = 0;
    for (const Person& p : app.doc.turn_people()) n += p.group == group;
    return n;
}

bool group_combo(App_state& app, const char* id, int& value)
{
    bool changed = false;
    std::string current = app.group_label(groups[value]) + " (" + std::to_string(group_count(app, groups[value])) + ")";
    if (ImGui::BeginCombo(id, current.c_str())) {
        for (int g = 0; g < 4; ++g) {
            std::string label = app.group_label(groups[g]) + " (" + std::to_string(group_count(app, groups[g])) + ")";
            if (ImGui::Selectable(label.c_str(), value == g)) {
                value = g;
                changed = true;
            }
        }
        ImGui::EndCombo();
    }
    return changed;
}

void minutes_input(App_state& app, const char* id, int& minutes)
{
    ImGui::SetNextItemWidth(96 * app.fonts.scale);
    ImGui::InputInt(id, &minutes, 1, 5);
    minutes = std::clamp(minutes, 0, 240);
}

void start_reflecting(App_state& app, Turns_form& f)
{
    float s = app.fonts.scale;
    if (ImGui::RadioButton(app.str("desk.turns.by_group"), f.by_group)) f.by_group = true;
    ImGui::SameLine();
    if (ImGui::RadioButton(app.str("desk.turns.by_hand"), !f.by_group)) f.by_group = false;
    json args = json::object();
    const char* problem = nullptr;
    if (f.by_group) {
        float w = ImGui::GetContentRegionAvail().x * 0.5f - 6 * s;
        ImGui::BeginGroup();
        coloured(theme::speaking, app.str("desk.turns.focus"), false);
        ImGui::SetNextItemWidth(w);
        group_combo(app, "##focusgroup", f.focus_group);
        ImGui::EndGroup();
        ImGui::SameLine();
        ImGui::BeginGroup();
        coloured(theme::listening, app.str("desk.turns.reflectors"), false);
        ImGui::SetNextItemWidth(w);
        group_combo(app, "##reflectgroup", f.reflect_group);
        ImGui::EndGroup();
        if (f.focus_group == f.reflect_group) problem = "desk.turns.same_group";
        else if (group_count(app, groups[f.focus_group]) == 0 || group_count(app, groups[f.reflect_group]) == 0)
            problem = "desk.turns.nobody";
        args["focus_group"] = groups[f.focus_group];
        args["reflect_group"] = groups[f.reflect_group];
    } else {
        json focus = json::array(), reflectors = json::array();
        if (ImGui::BeginTable("##sides", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
            ImGui::TableSetupColumn("##name", ImGuiTableColumnFlags_WidthStretch);
            ImGui::TableSetupColumn(app.str("desk.turns.focus"));
            ImGui::TableSetupColumn(app.str("desk.turns.reflectors"));
            ImGui::TableHeadersRow();
            for (const Person& p : app.doc.turn_people()) {
                ImGui::PushID(p.pid.c_str());
                auto it = f.side.find(p.pid);
                if (it == f.side.end()) it = f.side.emplace(p.pid, 0).first;
                int& side = it->second;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                std::string label = app.person_label(p.pid) + "  ·  " + app.group_label(p.group);
                coloured(p.online ? theme::ink : theme::muted, label, false);
                ImGui::TableNextColumn();
                bool in_focus = side == 1, in_reflect = side == 2;
                if (ImGui::Checkbox("##f", &in_focus)) side = in_focus ? 1 : 0;
                ImGui::TableNextColumn();
                if (ImGui::Checkbox("##r", &in_reflect)) side = in_reflect ? 2 : 0;
                if (side == 1) focus.push_back(p.pid);
                if (side == 2) reflectors.push_back(p.pid);
                ImGui::PopID();
            }
            ImGui::EndTable();
        }
        if (focus.empty() || reflectors.empty()) problem = "desk.turns.nobody";
        args["focus"] = focus;
        args["reflectors"] = reflectors;
    }
    ImGui::TextUnformatted(app.str("desk.turns.stage_minutes"));
    minutes_input(app, app.str("desk.stage.conversation"), f.conversation_min);
    minutes_input(app, app.str("desk.stage.reflection"), f.reflection_min);
    minutes_input(app, app.str("desk.stage.response"), f.response_min);
    args["conversation_s"] = f.conversation_min * 60;
    args["reflection_s"] = f.reflection_min * 60;
    args["response_s"] = f.response_min * 60;
    if (problem) coloured(theme::warn, app.str(problem));
    ImGui::BeginDisabled(problem != nullptr);
    if (ImGui::Button(app.str("desk.turns.start_reflecting"))) app.send("turns.reflecting.start", std::move(args));
    ImGui::EndDisabled();
}

void start_round(App_state& app, Turns_form& f)
{
    const auto& people = app.doc.turn_people();
    // Keep the chosen order; newcomers at the end, leavers out.
    std::vector<std::string> order;
    for (const auto& pid : f.order)
        if (std::any_of(people.begin(), people.end(), [&](const Person& p) { return p.pid == pid; })) order.push_back(pid);
    for (const Person& p : people)
        if (!has(order, p.pid)) order.push_back(p.pid);
    f.order = order;

    if (ImGui::RadioButton(app.str("desk.turns.as_listed"), !f.shuffle)) f.shuffle = false;
    ImGui::SameLine();
    if (ImGui::RadioButton(app.str("desk.turns.shuffled"), f.shuffle)) f.shuffle = true;
    json chosen = json::array();
    for (std::size_t i = 0; i < f.order.size(); ++i) {
        const std::string pid = f.order[i];
        ImGui::PushID(pid.c_str());
        bool in = !f.skip[pid];
        if (ImGui::Checkbox("##in", &in)) f.skip[pid] = !in;
        ImGui::SameLine();
        const Person* person = nullptr;
        for (const Person& p : people)
            if (p.pid == pid) person = &p;
        std::string label = (f.shuffle ? std::string() : std::to_string(chosen.size() + 1) + ". ") + app.person_label(pid);
        coloured(in && person && person->online ? theme::ink : theme::muted, label, false);
        if (!f.shuffle) {
            float right = ImGui::GetWindowContentRegionMax().x - 2 * ImGui::GetFrameHeight() - 8 * app.fonts.scale;
            ImGui::SameLine(right);
            ImGui::BeginDisabled(i == 0);
            if (ImGui::ArrowButton("##up", ImGuiDir_Up)) std::swap(f.order[i], f.order[i - 1]);
            ImGui::EndDisabled();
            ImGui::SameLine();
            ImGui::BeginDisabled(i + 1 >= f.order.size());
            if (ImGui::ArrowButton("##down", ImGuiDir_Down)) std::swap(f.order[i], f.order[i + 1]);
            ImGui::EndDisabled();
        }
        if (in) chosen.push_back(pid);
        ImGui::PopID();
    }
    ImGui::SetNextItemWidth(110 * app.fonts.scale);
    ImGui::InputInt(app.str("desk.turns.per_speaker"), &f.per_speaker_s, 15, 60);
    f.per_speaker_s = std::clamp(f.per_speaker_s, 0, 3600);
    ImGui::BeginDisabled(chosen.empty());
    if (ImGui::Button(app.str("desk.turns.start_round")))
        app.send("turns.round.start", {{"order", chosen}, {"shuffle", f.shuffle}, {"per_speaker_s", f.per_speaker_s}});
    ImGui::EndDisabled();
}

void start_floor(App_state& app)
{
    empty_state(app.str("desk.turns.floor_help"));
    if (ImGui::Button(app.str("desk.turns.start_floor"))) app.send("turns.queue.start", json::object());
}

void start_pairs(App_state& app, Turns_form& f)
{
    const auto& people = app.doc.turn_people();
    if (ImGui::RadioButton(app.str("desk.turns.random_pairs"), f.random_pairs)) f.random_pairs = true;
    if (ImGui::RadioButton(app.str("desk.turns.chosen_pairs"), !f.random_pairs)) f.random_pairs = false;
    json args = json::object();
    bool ready = people.size() >= 2;
    if (!f.random_pairs) {
        // Drop pairs whose people left.
        auto present = [&](const std::string& pid) {
            return std::any_of(people.begin(), people.end(), [&](const Person& p) { return p.pid == pid; });
        };
        f.pairs.erase(std::remove_if(f.pairs.begin(), f.pairs.end(),
                                     [&](const auto& pair) { return !std::all_of(pair.begin(), pair.end(), present); }),
                      f.pairs.end());
        json pairs = json::array();
        for (std::size_t i = 0; i < f.pairs.size(); ++i) {
            ImGui::PushID(static_cast<int>(i));
            std::string line;
            for (const auto& pid : f.pairs[i]) line += (line.empty() ? "" : "  \xe2\x80\x93  ") + app.person_label(pid);
            ImGui::TextUnformatted(line.c_str());
            ImGui::SameLine();
            if (ImGui::SmallButton("x")) {
                f.pairs.erase(f.pairs.begin() + static_cast<long>(i));
                ImGui::PopID();
                break;
            }
            pairs.push_back(f.pairs[i]);
            ImGui::PopID();
        }
        empty_state(app.str("desk.turns.pick_hint"));
        bool any_left = false;
        for (const Person& p : people) {
            bool paired = std::any_of(f.pairs.begin(), f.pairs.end(), [&](const auto& pair) { return has(pair, p.pid); });
            if (paired) continue;
            any_left = true;
            ImGui::PushID(p.pid.c_str());
            bool picked = f.pick == p.pid;
            if (picked) ImGui::PushStyleColor(ImGuiCol_Button, theme::vec(theme::accent_soft));
            if (ImGui::SmallButton(app.person_label(p.pid).c_str())) {
                if (f.pick.empty()) f.pick = p.pid;
                else if (picked) f.pick.clear();
                else {
                    f.pairs.push_back({f.pick, p.pid});
                    f.pick.clear();
                }
            }
            if (picked) ImGui::PopStyleColor();
            ImGui::SameLine();
            ImGui::PopID();
        }
        if (any_left) ImGui::NewLine();
        ready = !pairs.empty();
        args["pairs"] = pairs;
    }
    ImGui::SetNextItemWidth(96 * app.fonts.scale);
    ImGui::InputInt(app.str("desk.turns.half_minutes"), &f.half_min, 1, 5);
    f.half_min = std::clamp(f.half_min, 0, 120);
    args["half_s"] = f.half_min * 60;
    ImGui::BeginDisabled(!ready);
    if (ImGui::Button(app.str("desk.turns.start_pairs"))) app.send("turns.pairs.start", std::move(args));
    ImGui::EndDisabled();
}

// The reflecting team: its stages as buttons (the current one filled; any can be jumped to).
void running_reflecting(App_state& app, const Turns& t)
{
    for (const char* stage : stages) {
        bool current = t.stage == stage;
        if (current) ImGui::PushStyleColor(ImGuiCol_Button, theme::vec(theme::accent));
        if (current) ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(IM_COL32_WHITE));
        std::string label = std::string(app.str(stage_key(stage))) + "##stage";
        if (ImGui::Button(label.c_str()) && !current) app.send("turns.stage", {{"stage", stage}});
        if (current) ImGui::PopStyleColor(2);
        ImGui::SameLine();
    }
    ImGui::NewLine();
    people_row(app, "desk.turns.speaking", t.speaking, theme::speaking);
    people_row(app, "desk.turns.listening", t.listening, theme::listening);
    if (!t.speaker.empty())
        coloured(theme::ink, std::string(app.str("desk.turns.floor")) + ": " + app.person_label(t.speaker));
    std::string next = t.stage == "response" ? std::string(app.str("desk.turns.next_cycle"))
                                             : app.str.format("desk.turns.next_stage", "stage",
                                                              app.str(stage_key(t.stage == "conversation" ? "reflection" : "response")));
    if (ImGui::Button((next + "##next").c_str())) app.send("turns.next", json::object());
    shortcut_tooltip(app, Shortcut::next_turn);
}

// The round in order, the current speaker marked; done and pass.
void running_round(App_state& app, const Turns& t)
{
    for (std::size_t i = 0; i < t.order.size(); ++i) {
        const std::string& pid = t.order[i];
        bool now = !t.finished && static_cast<int>(i) == t.current;
        std::string line = std::to_string(i + 1) + ". " + app.person_label(pid);
        if (has(t.passed, pid)) line += std::string("  (") + app.str("desk.turns.passed_one") + ")";
        if (now) {
            ImGui::PushFont(app.fonts.bold);
            coloured(theme::speaking, "\xc2\xbb " + line, false);
            ImGui::PopFont();
        } else {
            coloured(static_cast<int>(i) < t.current ? theme::muted : theme::ink, line, false);
        }
    }
    if (t.finished) {
        coloured(theme::online, app.str("desk.turns.round_over"));
    } else {
        if (ImGui::Button(app.str("desk.turns.done"))) app.send("turns.round.done", json::object());
        shortcut_tooltip(app, Shortcut::next_turn);
        ImGui::SameLine();
        if (ImGui::Button(app.str("desk.turns.pass"))) app.send("turns.round.pass", json::object());
    }
}

// The open floor: who speaks, the hands, the floor to anyone.
void running_floor(App_state& app, const Turns& t)
{
    if (!t.speaker.empty())
        bold(app, std::string(app.str("desk.turns.floor")) + ": " + app.person_label(t.speaker), theme::speaking);
    const auto& hands = app.doc.raised_hands();
    if (hands.empty()) empty_state(app.str("desk.turns.no_hands"));
    else if (ImGui::Button(app.str("desk.turns.give_first"))) app.send("turns.floor.give", json::object());
    raised_hands_list(app, true);
    // The floor to anyone, hand or not.
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##anyone", app.str("desk.turns.give_anyone"))) {
        for (const Person& p : app.doc.turn_people())
            if (ImGui::Selectable(app.person_label(p.pid).c_str(), p.pid == t.speaker))
                app.send("turns.floor.give", {{"pid", p.pid}});
        ImGui::EndCombo();
    }
}

// The pairs, who speaks in each; swap, then finish.
void running_pairs(App_state& app, const Turns& t)
{
    for (const auto& pair : t.pairs) {
        if (pair.empty()) continue;
        std::vector<std::string> speak, listen;
        for (const auto& pid : pair) (has(t.speaking, pid) ? speak : listen).push_back(pid);
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::speaking));
        ImGui::TextUnformatted(app.people_line(speak).c_str());
        ImGui::PopStyleColor();
        ImGui::SameLine();
        coloured(theme::muted, "\xe2\x80\xba", false);
        ImGui::SameLine();
        coloured(theme::listening, app.people_line(listen), false);
    }
    if (t.half == 1) {
        if (ImGui::Button(app.str("desk.turns.swap"))) app.send("turns.next", json::object());
    } else if (ImGui::Button(app.str("desk.turns.pairs_finish"))) {
        app.send("turns.next", json::object());
    }
    shortcut_tooltip(app, Shortcut::next_turn);
}

void running(App_state& app, const Turns& t)
{
    float s = app.fonts.scale;
    bold(app, turns_title(app, t), theme::accent);
    if (t.mode == "reflecting_team") running_reflecting(app, t);
    else if (t.mode == "round") running_round(app, t);
    else if (t.mode == "hand_queue") running_floor(app, t);
    else if (t.mode == "pairs") running_pairs(app, t);
    ImGui::SameLine(0, 16 * s);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::danger));
    if (ImGui::Button(app.str("desk.turns.end"))) app.send("turns.end", json::object());
    ImGui::PopStyleColor();
}

// A participant in a reflecting team: the guidance; a listener's held input, a speaker's notes.
void banner_reflecting(App_state& app, const Turns& t, My_turn me)
{
    coloured(theme::muted, turns_guidance(app, t));
    std::vector<const json*> notes = app.doc.my_private_items("reflections");
    if (me == My_turn::listening) {
        // The server holds a listener's input and hand (docs/protocol.md §8); say so here,
        // where the hand button in the status bar can only say it on hover.
        coloured(theme::ink, app.str("desk.me.notes_hint"));
        coloured(theme::listening, app.str("desk.hand.listening"));
    } else if (me == My_turn::speaking && !notes.empty()) {
        coloured(theme::ink, app.str.count("desk.me.private_notes", static_cast<long long>(notes.size())));
        ImGui::BeginDisabled(!app.online());
        if (ImGui::Button(app.str("desk.me.reveal"))) app.send("item.reveal", {{"board", "reflections"}});
        ImGui::EndDisabled();
    }
}

// A participant in a round: who speaks and who is next; done and pass on one's own turn.
void banner_round(App_state& app, const Turns& t)
{
    if (t.finished) {
        coloured(theme::muted, app.str("desk.turns.round_over"));
    } else {
        std::string now = t.current_speaker();
        std::string line = std::string(app.str("desk.turns.now")) + ": " + app.person_label(now);
        if (!t.next.empty()) line += "   \xc2\xb7   " + std::string(app.str("desk.turns.next_speaker")) + ": " +
                                     app.person_label(t.next);
        coloured(theme::ink, line);
        if (app.doc.my_round_turn()) {
            ImGui::BeginDisabled(!app.online());
            if (ImGui::Button(app.str("desk.turns.done"))) app.send("turns.round.done", json::object());
            ImGui::SameLine();
            if (ImGui::Button(app.str("desk.turns.pass"))) app.send("turns.round.pass", json::object());
            ImGui::EndDisabled();
            ImGui::SameLine();
            coloured(theme::muted, app.str("desk.me.pass_help"), false);
        } else {
            coloured(theme::muted, app.str("desk.guide.round"));
        }
    }
}

}  // namespace

int int_field(const json& object, const char* key, int fallback)
{
    if (!object.is_object()) return fallback;
    auto it = object.find(key);
    return it != object.end() && it->is_number() ? it->get<int>() : fallback;
}

std::string turn_label(const App_state& app, const std::string& turn)
{
    auto colon = turn.find(':');
    if (colon == std::string::npos || colon == 0) return turn;
    std::string cycle = turn.substr(0, colon), stage = turn.substr(colon + 1);
    if (cycle.find_first_not_of("0123456789") != std::string::npos) return turn;
    if (stage != "conversation" && stage != "reflection" && stage != "response") return turn;
    return app.str.format("desk.turns.cycle_short", "n", cycle) + "  \xc2\xb7  " + app.str(stage_key(stage));
}

std::string stage_key(const std::string& stage) { return "desk.stage." + (stage.empty() ? std::string("conversation") : stage); }

std::string turns_title(const App_state& app, const Turns& t)
{
    if (t.mode == "reflecting_team")
        return app.str.format("desk.turns.cycle", "n", std::to_string(std::max(1, t.cycle))) + "  \xc2\xb7  " +
               app.str(stage_key(t.stage));
    if (t.mode == "round") {
        std::string title = app.str("desk.turn_mode.round");
        if (!t.finished && !t.order.empty())
            title += "  \xc2\xb7  " + std::to_string(t.current + 1) + " / " + std::to_string(t.order.size());
        return title;
    }
    if (t.mode == "hand_queue") return app.str("desk.turn_mode.hand_queue");
    if (t.mode == "pairs") return app.str.format("desk.turns.pairs_half", "n", std::to_string(std::clamp(t.half, 1, 2)));
    return {};
}

std::string turns_guidance(const App_state& app, const Turns& t)
{
    if (t.mode == "reflecting_team") return app.str("desk.guide." + (t.stage.empty() ? std::string("conversation") : t.stage));
    if (t.mode == "round") return app.str(t.finished ? "desk.turns.round_over" : "desk.guide.round");
    if (t.mode == "hand_queue") return app.str("desk.guide.floor");
    if (t.mode == "pairs") return app.str("desk.guide.pairs");
    return {};
}

float signal_pulse(const App_state& app)
{
    auto remaining = app.timer_remaining();
    if (!timebox_signal(remaining)) return 0;
    // A slow breath (2.4 s), not a flash.
    double phase = std::fmod(static_cast<double>(-*remaining) / 2400.0, 1.0);
    return 0.35f + 0.65f * static_cast<float>(0.5 - 0.5 * std::cos(phase * 2 * 3.14159265358979));
}

void raised_hands_list(App_state& app, bool give)
{
    const auto& hands = app.doc.raised_hands();
    if (hands.empty()) return;
    ImGui::PushID("hands");
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::hand));
    ImGui::TextUnformatted(app.str("desk.hands"));
    ImGui::PopStyleColor();
    int n = 0;
    ImGui::BeginDisabled(!app.online() || app.doc.closed());
    float s = app.fonts.scale;
    for (const Raised_hand& hand : hands) {
        ImGui::PushID(hand.pid.c_str());
        // An amber dot per hand, as on the wall and the People tab's names.
        ImVec2 c = ImGui::GetCursorScreenPos();
        float r = 4.5f * s;
        ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(c.x + r, c.y + ImGui::GetTextLineHeight() * 0.5f), r, theme::hand);
        ImGui::SetCursorScreenPos(ImVec2(c.x + 3 * r, c.y));
        ImGui::Text("%d. %s", ++n, app.person_label(hand.pid).c_str());
        if (give) {
            ImGui::SameLine();
            if (ImGui::SmallButton(app.str("desk.turns.give"))) app.send("turns.floor.give", {{"pid", hand.pid}});
        }
        ImGui::SameLine();
        if (ImGui::SmallButton(app.str("desk.hand.lower_other"))) app.send("hand.lower", {{"pid", hand.pid}});
        ImGui::PopID();
    }
    ImGui::EndDisabled();
    ImGui::PopID();
}

void console_turns_panel(App_state& app, Turns_form& f)
{
    const Turns& t = app.doc.turns();
    ImGui::BeginDisabled(!app.online() || app.doc.closed());
    ImGui::PushID("turns");
    if (t.running()) {
        running(app, t);
    } else {
        defaults_for_phase(app, f);
        ImGui::SetNextItemWidth(-1);
        std::string current = std::string(app.str(std::string("desk.turn_mode.") + kinds[f.kind]));
        if (ImGui::BeginCombo("##kind", current.c_str())) {
            for (int i = 0; i < 4; ++i)
                if (ImGui::Selectable(app.str(std::string("desk.turn_mode.") + kinds[i]), f.kind == i)) f.kind = i;
            ImGui::EndCombo();
        }
        if (app.doc.turn_people().empty() && f.kind != 2) empty_state(app.str("desk.turns.no_people"));
        else if (f.kind == 0) start_reflecting(app, f);
        else if (f.kind == 1) start_round(app, f);
        else if (f.kind == 2) start_floor(app);
        else start_pairs(app, f);
    }
    ImGui::PopID();
    ImGui::EndDisabled();
}

void participant_banner(App_state& app)
{
    const Turns& t = app.doc.turns();
    if (!t.running() || app.doc.is_screen()) return;
    My_turn me = app.doc.my_turn();
    if (app.doc.is_facilitator() && me == My_turn::none) return;  // the console shows it
    float s = app.fonts.scale;
    ImU32 colour = me == My_turn::speaking ? theme::speaking : me == My_turn::listening ? theme::listening : theme::muted;
    ImU32 soft = me == My_turn::speaking ? theme::speaking_soft
                 : me == My_turn::listening ? theme::listening_soft
                                            : theme::card;

    ImDrawList* list = ImGui::GetWindowDrawList();
    list->ChannelsSplit(2);
    list->ChannelsSetCurrent(1);
    ImVec2 start = ImGui::GetCursorScreenPos();
    float width = ImGui::GetContentRegionAvail().x;
    float pad = 12 * s;
    ImGui::SetCursorScreenPos(ImVec2(start.x + pad + 6 * s, start.y + pad));
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - 2 * pad - 6 * s);

    // The headline: speaking or listening now, or whose turn it is.
    std::string headline;
    if (t.mode == "round" && app.doc.my_round_turn()) headline = app.str("desk.me.your_turn");
    else if (me == My_turn::speaking) headline = app.str("desk.me.speaking");
    else if (me == My_turn::listening) headline = app.str("desk.me.listening");
    else headline = turns_title(app, t);
    ImGui::PushFont(app.fonts.heading);
    coloured(colour, headline);
    ImGui::PopFont();
    if (me != My_turn::none) coloured(theme::ink, turns_title(app, t));

    if (t.mode == "reflecting_team") {
        banner_reflecting(app, t, me);
    } else if (t.mode == "round") {
        banner_round(app, t);
    } else if (t.mode == "hand_queue") {
        if (!t.speaker.empty())
            coloured(theme::ink, std::string(app.str("desk.turns.floor")) + ": " + app.person_label(t.speaker));
        coloured(theme::muted, app.str("desk.guide.floor"));
    } else if (t.mode == "pairs") {
        auto partners = app.doc.my_pair_partners();
        if (!partners.empty()) coloured(theme::ink, app.str.format("desk.me.pair_partner", "names", app.people_line(partners)));
        coloured(theme::muted, app.str("desk.guide.pairs"));
    }
    if (me == My_turn::none && t.mode != "hand_queue") coloured(theme::muted, app.str("desk.me.not_in"));
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    ImVec2 end(start.x + width, ImGui::GetItemRectMax().y + pad);
    list->ChannelsSetCurrent(0);
    list->AddRectFilled(start, end, soft, 8 * s);
    list->AddRect(start, end, colour, 8 * s, 0, 1.5f * s);
    list->AddRectFilled(start, ImVec2(start.x + 7 * s, end.y), colour, 8 * s, ImDrawFlags_RoundCornersLeft);
    list->ChannelsMerge();
    ImGui::SetCursorScreenPos(ImVec2(start.x, end.y + 8 * s));
    ImGui::Dummy(ImVec2(width, 0));
}

void lobby_screen(App_state& app)
{
    ImVec2 avail = ImGui::GetContentRegionAvail();
    float s = app.fonts.scale;
    float w = std::min(avail.x - 40 * s, 640 * s);
    ImGui::SetCursorPos(ImVec2((avail.x - w) * 0.5f, avail.y * 0.3f));
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
    ImGui::PushFont(app.fonts.heading);
    coloured(theme::accent, app.str("desk.lobby.title"));
    ImGui::PopFont();
    ImGui::Spacing();
    coloured(theme::ink, app.str("desk.lobby.text"));
    ImGui::Spacing();
    // A quiet sign of life: three dots breathing in turn.
    ImDrawList* list = ImGui::GetWindowDrawList();
    ImVec2 p = ImGui::GetCursorScreenPos();
    for (int i = 0; i < 3; ++i) {
        float a = 0.5f + 0.5f * std::sin(static_cast<float>(app.time) * 2.5f - static_cast<float>(i) * 0.8f);
        list->AddCircleFilled(ImVec2(p.x + 8 * s + static_cast<float>(i) * 22 * s, p.y + 12 * s), 6 * s,
                              theme::rgb(0x2A, 0x74, 0x70, static_cast<unsigned>(80 + 175 * a)));
    }
    ImGui::Dummy(ImVec2(w, 28 * s));
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
}

}  // namespace keha::desk
