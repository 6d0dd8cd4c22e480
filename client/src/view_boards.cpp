#include "view_boards.hpp"

#include <imgui_stdlib.h>

#include "item_fields.hpp"
#include "keha/private_writing.hpp"
#include "keha/state.hpp"
#include "theme.hpp"
#include "view_grouping.hpp"
#include "view_ratings.hpp"
#include "view_turns.hpp"
#include "widgets.hpp"
#include "writing_panels.hpp"

namespace keha::desk {
namespace {

const char* vision_columns[] = {"vision", "hinders", "enables"};
const char* statuses[] = {"proposed", "agreed", "done"};

bool may_change(const App_state& app, const json& item)
{
    return app.online() && !app.doc.closed() && !item.value("readonly", false) &&
           (app.doc.is_facilitator() || app.doc.is_mine(item));
}

bool voted(const App_state& app, const json& item)
{
    auto it = item.find("voters");
    if (it == item.end() || !it->is_array()) return false;
    for (const json& v : *it)
        if (v.is_string() && v.get<std::string>() == app.doc.you()) return true;
    return false;
}

// Board fields that are filled in, as command arguments.
void put_fields(const App_state& app, json& args, const std::string& board, const Item_draft& d, bool keep_empty, bool facilitator)
{
    auto put = [&](const char* key, const std::string& value) {
        if (keep_empty || !value.empty()) args[key] = value;
    };
    if (board == "timeline") {
        put("when", d.when);
        put("sector", sector_value(app.str, d.sector));
    } else if (board == "commitments") {
        put("who", d.who);
        put("organisation", d.organisation);
    } else if (board == "plan") {
        put("who", d.who);
        put("with", d.with);
        put("due", d.due);
        args["status"] = d.status;
    } else {
        for (std::string_view f : item_fields(board, facilitator))
            if (f == "turn") put("turn", d.turn);
    }
}

void draft_fields(App_state& app, const std::string& board, Item_draft& d)
{
    float w = ImGui::GetContentRegionAvail().x;
    auto input = [&](const char* id, const char* hint_key, std::string& value, float width) {
        ImGui::SetNextItemWidth(width);
        ImGui::InputTextWithHint(id, app.str(hint_key), &value);
    };
    if (board == "timeline") {
        input("##when", "field.when", d.when, w * 0.3f);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.str("desk.add.when_help"));
        ImGui::SameLine();
        input("##sector", "field.sector", d.sector, w * 0.4f);
    } else if (board == "commitments") {
        input("##who", "field.who", d.who, w * 0.35f);
        ImGui::SameLine();
        input("##organisation", "field.organisation", d.organisation, w * 0.45f);
    } else if (board == "plan") {
        input("##who", "field.who", d.who, w * 0.25f);
        ImGui::SameLine();
        input("##with", "field.with", d.with, w * 0.25f);
        ImGui::SameLine();
        input("##due", "field.due", d.due, w * 0.2f);
        ImGui::SameLine();
        ImGui::SetNextItemWidth(w * 0.2f);
        if (ImGui::BeginCombo("##status", app.str("status." + d.status))) {
            for (const char* s : statuses)
                if (ImGui::Selectable(app.str(std::string("status.") + s), d.status == s)) d.status = s;
            ImGui::EndCombo();
        }
    } else {
        for (std::string_view f : item_fields(board, app.doc.is_facilitator()))
            if (f == "turn") input("##turn", "field.turn", d.turn, w * 0.4f);
    }
}

// Imported: where it came from (A → B → C: from A, via B); read-only until a facilitator makes
// an editable copy, which folds its original away inside it (not on the wall).
void provenance(const App_state& app, const std::string& board, const json& item)
{
    auto from_line = [&](const Provenance& p) {
        return p.first ? fill_in(app.str.format("desk.item.from_via", "first", provenance_line(*p.first)), "source", provenance_line(p))
                       : app.str.format("desk.item.from", "source", provenance_line(p));
    };
    Provenance from = provenance_of(item);
    if (from.imported || !from.copy_of.empty()) {
        std::string line = from.imported ? from_line(from) : std::string();
        if (from.readonly) line += std::string("  \xc2\xb7  ") + app.str("desk.item.readonly");
        if (!from.copy_of.empty()) line += (line.empty() ? "" : "  \xc2\xb7  ") + std::string(app.str("desk.item.copy_of"));
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(from.readonly ? theme::hinders : theme::muted));
        ImGui::TextWrapped("%s", line.c_str());
        ImGui::PopStyleColor();
    }
    const json* original = app.doc.original_of(board, item);
    if (!original || app.doc.is_screen() || Document::is_redacted(*original)) return;
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
    if (ImGui::TreeNode("##original", "%s", app.str("desk.item.original"))) {
        ImGui::TextWrapped("%s", field(*original, "text").c_str());
        if (Provenance o = provenance_of(*original); o.imported) ImGui::TextWrapped("%s", from_line(o).c_str());
        ImGui::TreePop();
    }
    ImGui::PopStyleColor();
}

// The vote button ("+3", or "3  - take back" on one's own vote), and "your vote" before it.
void vote_button(App_state& app, const std::string& board, const std::string& id, const json& item)
{
    bool can_vote = app.online() && !app.doc.closed() && !app.doc.is_screen() && !Document::is_redacted(item);
    // Without "votes" the facilitator keeps the counts back; the person's own vote is always
    // in "voters", shown, and taken back only with a button that says so.
    // While a vote runs on the board, my choices are my ballot and no count exists (view_grouping.hpp).
    const json* session = running_vote(app.doc, board);
    const bool counts_shown = item.contains("votes") && !session;
    int votes = item.value("votes", 0);
    bool mine_vote = session ? in_my_ballot(app.doc, id) : voted(app, item);
    if (Vote_budget b = app.doc.votes(board); !session && b.limit > 0 && b.known && b.left() == 0 && !mine_vote) can_vote = false;
    if (mine_vote && !app.doc.is_screen()) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::accent));
        ImGui::PushFont(app.fonts.bold);
        ImGui::TextUnformatted(app.str("desk.item.your_vote"));
        ImGui::PopFont();
        ImGui::PopStyleColor();
        ImGui::SameLine();
    }
    std::string count = counts_shown ? std::to_string(votes) : std::string();
    std::string vote = (mine_vote ? (count.empty() ? "" : count + "  ") + "- " + app.str("desk.item.take_back")
                                  : "+" + count) + "###vote";  // one id whatever it says: the keyboard stays on it
    ImGui::BeginDisabled(!can_vote);
    if (mine_vote) ImGui::PushStyleColor(ImGuiCol_Button, theme::vec(theme::accent_soft));
    if (ImGui::SmallButton(vote.c_str())) app.send("item.vote", {{"board", board}, {"id", id}});
    if (mine_vote) ImGui::PopStyleColor();
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", app.str(mine_vote ? "desk.item.unvote" : "desk.item.vote"));
}

// Up and down within its column: the order halfway to the neighbour.
void move_buttons(App_state& app, const std::string& board, const std::string& id, const json& item,
                  const std::vector<const json*>& siblings)
{
    std::size_t at = 0;
    while (at < siblings.size() && siblings[at] != &item) ++at;
    if (board != "timeline" && at < siblings.size()) {
        auto order = [&](std::size_t i) { return siblings[i]->value("order", 0.0); };
        ImGui::SameLine();
        ImGui::BeginDisabled(at == 0);
        if (ImGui::ArrowButton("##up", ImGuiDir_Up)) {
            double o = at >= 2 ? (order(at - 2) + order(at - 1)) / 2 : order(at - 1) - 1;
            app.send("item.move", {{"board", board}, {"id", id}, {"order", o}});
        }
        ImGui::EndDisabled();
        ImGui::SameLine();
        ImGui::BeginDisabled(at + 1 >= siblings.size());
        if (ImGui::ArrowButton("##down", ImGuiDir_Down)) {
            double o = at + 2 < siblings.size() ? (order(at + 1) + order(at + 2)) / 2 : order(at + 1) + 1;
            app.send("item.move", {{"board", board}, {"id", id}, {"order", o}});
        }
        ImGui::EndDisabled();
    }
}

// A facilitator confirms, and may erase the words from the history too (an identity code).
void delete_confirm(App_state& app, const std::string& board, const std::string& id)
{
    if (ImGui::SmallButton(app.str("desk.item.delete"))) ImGui::OpenPopup("##deleteitem");
    if (ImGui::BeginPopup("##deleteitem")) {
        ImGui::TextUnformatted(app.str("desk.item.delete_confirm"));
        if (ImGui::Button(app.str("desk.item.delete"))) {
            app.send("item.delete", {{"board", board}, {"id", id}});
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button(app.str("desk.item.delete_erase"))) {
            app.send("item.delete", {{"board", board}, {"id", id}, {"erase", true}});
            ImGui::CloseCurrentPopup();
        }
        ImGui::SameLine();
        if (ImGui::Button(app.str("desk.cancel"))) ImGui::CloseCurrentPopup();
        ImGui::EndPopup();
    }
}

}  // namespace

void View_boards::content(App_state& app)
{
    // History: the boards as they stood, drawn from the past's document, read-only.
    if (app.face == Face::console && history_.showing_past() && app.doc.has_state()) {
        std::swap(app.doc, history_.past());
        app.read_only = true;
        history_.banner(app);
        boards(app);
        app.read_only = false;
        std::swap(app.doc, history_.past());
        return;
    }
    boards(app);
}

void View_boards::boards(App_state& app)
{
    if (app.doc.in_lobby()) {
        lobby_screen(app);
        return;
    }
    if (!app.doc.has_state()) {
        empty_state(app.link == Link::stopped ? app.str("desk.link.stopped") : app.str("desk.link.connecting"));
        if (app.link == Link::stopped && !app.link_detail.empty()) empty_state(app.str("error." + app.link_detail));
        return;
    }
    // Follow the meeting: when the phase changes, show its board.
    bool select = false;
    const json* phase = app.doc.current_phase();
    std::string phase_id = phase ? field(*phase, "id") : std::string();
    if (phase_id != followed_phase_) {
        followed_phase_ = phase_id;
        std::string board = app.doc.current_board();
        if (!board.empty() && board != app.board) {
            app.board = board;
            select = true;
        }
    }
    // The facilitator's spotlight brings the tab to its board; its release, back (spotlight_follow.hpp).
    if (!app.read_only)
        if (auto go = spotlight_.observe(app.doc.state(), app.board); go && *go != app.board) {
            app.board = *go;
            select = true;
        }
    if (app.board.empty()) app.board = "timeline";

    question(app);
    if (!app.read_only) {
        participant_banner(app);
        declined_notes(app);
        ratings_participant_panel(app, rating_);
        qa_panel(app, qa_, false);
        polls_participant_panel(app, poll_answers_);
    }
    if (ImGui::BeginTabBar("##boards")) {
        for (const std::string& name : app.doc.board_names()) {
            const char* board = name.c_str();
            std::string label = std::string(app.str(std::string("board.") + board));
            std::size_t n = app.doc.board_items(board).size();
            if (n > 0) label += " (" + std::to_string(n) + ")";
            label += std::string("###") + board;
            ImGuiTabItemFlags flags = select && app.board == board ? ImGuiTabItemFlags_SetSelected : 0;
            if (ImGui::BeginTabItem(label.c_str(), nullptr, flags)) {
                if (!select) app.board = board;
                if (!app.doc.is_screen()) {
                    private_writing_panel(app, board);
                    spotlight_bar(app, board);
                }
                if (!app.doc.is_screen() && !app.read_only) add_form(app, board);
                if (!running_vote(app.doc, board)) votes_line(app, board);
                voting_line(app, board);
                ImGui::BeginChild("##items", ImVec2(0, 0), false);
                std::string b = board;
                if (b == "timeline") timeline(app);
                else if (b == "vision") vision(app);
                else if (b == "plan") plan(app);
                else reflections(app, b);
                ImGui::EndChild();
                ImGui::EndTabItem();
            }
        }
        ImGui::EndTabBar();
    }
    edit_dialog(app);
}

void View_boards::question(App_state& app)
{
    const json* phase = app.doc.current_phase();
    if (!phase) return;
    ImGui::PushFont(app.fonts.heading);
    ImGui::TextWrapped("%s", text_in_language(app.str, *phase, "title").c_str());
    ImGui::PopFont();
    std::string q = text_in_language(app.str, *phase, "question");
    if (!q.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::accent));
        ImGui::TextWrapped("%s", q.c_str());
        ImGui::PopStyleColor();
    }
    ImGui::Spacing();
}

void View_boards::add_form(App_state& app, const std::string& board)
{
    Item_draft& d = drafts_[board];
    ImGui::PushID("add");
    auto columns = keha::board_columns(board);
    if (d.column.empty()) d.column = columns.empty() ? std::string("item") : std::string(columns.front());
    if (columns.size() > 1) {
        for (std::string_view c : columns) {
            if (ImGui::RadioButton(app.str("column." + std::string(c)), d.column == c)) d.column = c;
            ImGui::SameLine();
        }
        ImGui::NewLine();
    }
    float s = app.fonts.scale;
    ImGui::InputTextMultiline("##text", &d.text, ImVec2(-1, 58 * s));
    bool submit = ImGui::IsItemFocused() && ImGui::GetIO().KeyCtrl &&
                  ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter));
    if (d.text.empty() && !ImGui::IsItemActive()) {
        ImVec2 p = ImGui::GetItemRectMin();
        std::string hint_key = "desk.add.hint." + board;
        const char* hint = app.str(hint_key);
        if (hint_key == hint) hint = app.str("desk.add.hint.other");
        ImGui::GetWindowDrawList()->AddText(ImVec2(p.x + 9 * s, p.y + 5 * s), theme::muted, hint);
    }
    draft_fields(app, board, d);
    // A listener's input is private whatever the box says (the server holds it): the box
    // shows it ticked and locked, with the reason; the person's own choice waits in the draft.
    // On a private board everything waits for the reveal; the box still means "keep it to
    // myself after that too" (private writing, writing_panels.hpp).
    const bool held = app.doc.my_input_held();
    const bool writing = !held && keha::board_is_private(app.doc.state(), board);
    const char* why = held ? "desk.add.listening_private" : "writing.add_note";
    bool forced = true;
    ImGui::BeginDisabled(held);
    ImGui::Checkbox(app.str("desk.add.private"), held ? &forced : &d.hidden);
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", app.str(held ? why : "desk.add.private_help"));
    ImGui::SameLine();
    bool can = app.online() && !app.doc.closed() && !d.text.empty();
    ImGui::BeginDisabled(!can);
    if (ImGui::Button(app.str("desk.add")) || (submit && can)) {
        json args = {{"board", board}, {"text", d.text}, {"column", d.column}};
        put_fields(app, args, board, d, false, app.doc.is_facilitator());
        if (d.hidden || held) args["hidden"] = true;
        app.send("item.add", std::move(args));
        d.text.clear();
    }
    ImGui::EndDisabled();
    if (held || writing) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::listening));
        ImGui::TextWrapped("%s", app.str(why));
        ImGui::PopStyleColor();
    }
    ImGui::PopID();
    ImGui::Separator();
}

void View_boards::item_card(App_state& app, const std::string& board, const json& item, float width,
                            const std::vector<const json*>& siblings)
{
    float s = app.fonts.scale;
    ImDrawList* list = ImGui::GetWindowDrawList();
    ImGui::PushID(field(item, "id").c_str());
    list->ChannelsSplit(2);
    list->ChannelsSetCurrent(1);
    ImVec2 start = ImGui::GetCursorScreenPos();
    float pad = 10 * s;
    ImGui::SetCursorScreenPos(ImVec2(start.x + pad, start.y + pad));
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - 2 * pad);
    bool hidden = item.value("hidden", false);
    if (board == "timeline" || board == "reflections") {
        std::string top = board == "timeline" ? field(item, "when") : turn_label(app, field(item, "turn"));
        if (board == "timeline" && top.empty() && !Document::is_redacted(item)) top = app.str("notes.no_date");
        if (!top.empty()) {
            ImGui::PushFont(app.fonts.bold);
            ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::accent));
            ImGui::TextUnformatted(top.c_str());
            ImGui::PopStyleColor();
            ImGui::PopFont();
        }
    }
    if (Document::is_redacted(item)) {
        empty_state(app.str("desk.item.private_other"));
    } else if (item.value("erased", false)) {
        empty_state(app.str("desk.item.erased"));
    } else {
        ImGui::TextUnformatted(field(item, "text").c_str());
    }
    std::string meta;
    if (board == "timeline") meta = sector_text(app.str, item);
    if (board == "commitments") meta = field(item, "who") + (field(item, "organisation").empty() ? "" : ", " + field(item, "organisation"));
    std::string author = app.doc.name_of(field(item, "author"));
    if (!author.empty()) meta += (meta.empty() ? "" : "  ·  ") + author;
    if (hidden && !Document::is_redacted(item))
        meta += std::string("  ·  ") + app.str(app.doc.is_mine(item) ? "desk.item.private_mine" : "desk.add.private");
    if (!meta.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::muted));
        ImGui::TextUnformatted(meta.c_str());
        ImGui::PopStyleColor();
    }
    // Held for moderation: waiting, or declined with the facilitator's reason.
    if (item.value("pending", false)) {
        bool declined = item.value("declined", false);
        std::string reason = field(item, "decline_reason");
        std::string line = !declined ? std::string(app.str("desk.item.pending"))
                           : reason.empty() ? std::string(app.str("desk.item.declined"))
                                            : app.str.format("desk.item.declined_reason", "reason", reason);
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(declined ? theme::danger : theme::warn));
        ImGui::TextUnformatted(line.c_str());
        ImGui::PopStyleColor();
    }
    provenance(app, board, item);
    ImGui::PopTextWrapPos();
    item_actions(app, board, item, siblings);
    ImGui::EndGroup();
    ImVec2 end(start.x + width, ImGui::GetItemRectMax().y + pad);
    list->ChannelsSetCurrent(0);
    bool held = hidden || item.value("pending", false);
    list->AddRectFilled(start, end, held ? theme::rgb(0xF3, 0xEF, 0xE6) : theme::card, 6 * s);
    list->AddRect(start, end, theme::card_border, 6 * s);
    // The facilitator's spotlight is on this item: everyone's window shows it outlined, and
    // scrolls to it once.
    if (spotlit_item(app, board, item)) {
        list->AddRect(ImVec2(start.x - 3 * s, start.y - 3 * s), ImVec2(end.x + 3 * s, end.y + 3 * s), theme::warn, 8 * s, 0, 4 * s);
        if (spotlight_.take_scroll()) ImGui::SetScrollHereY(0.3f);
    }
    ImU32 accent = board == "vision" ? theme::column_colour(field(item, "column")) : theme::accent;
    list->AddRectFilled(start, ImVec2(start.x + 4 * s, end.y), accent, 6 * s, ImDrawFlags_RoundCornersLeft);
    list->ChannelsMerge();
    ImGui::SetCursorScreenPos(ImVec2(start.x, end.y + 6 * s));
    ImGui::Dummy(ImVec2(width, 0));
    ImGui::PopID();
}

void View_boards::item_actions(App_state& app, const std::string& board, const json& item,
                               const std::vector<const json*>& siblings)
{
    std::string id = field(item, "id");
    vote_button(app, board, id, item);
    group_actions(app, board, item);
    spotlight_item_button(app, board, item);
    if (item.value("readonly", false) && app.doc.is_facilitator() && app.online() && !app.doc.closed()) {
        ImGui::SameLine();
        if (ImGui::SmallButton(app.str("desk.item.copy"))) app.send("item.copy", {{"board", board}, {"id", id}});
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.str("desk.item.copy_help"));
    }
    if (!may_change(app, item)) return;
    if (app.doc.is_facilitator() && item.value("pending", false)) {
        ImGui::SameLine();
        ImGui::PushStyleColor(ImGuiCol_Button, theme::vec(theme::accent_soft));
        if (ImGui::SmallButton(app.str("desk.moderation.approve"))) app.send("item.approve", {{"board", board}, {"id", id}});
        ImGui::PopStyleColor();
        if (!item.value("declined", false)) {
            ImGui::SameLine();
            if (ImGui::SmallButton(app.str("desk.moderation.decline"))) app.decline = Decline_state{true, board, id, {}};
        }
    }
    ImGui::SameLine();
    if (ImGui::SmallButton(app.str("desk.item.edit"))) open_item_editor(app, board, id, item);
    move_buttons(app, board, id, item, siblings);
    if (item.value("hidden", false)) {
        ImGui::SameLine();
        // A listener reveals in their own turn, an author on a private board with everyone's
        // notes; the server refuses it before.
        const bool writing = keha::board_is_private(app.doc.state(), board) && !app.doc.is_facilitator() &&
                             keha::item_awaits_reveal(item);
        const bool held = app.doc.my_input_held() || writing;
        ImGui::BeginDisabled(held);
        if (ImGui::SmallButton(app.str("desk.item.reveal"))) app.send("item.reveal", {{"board", board}, {"id", id}});
        ImGui::EndDisabled();
        if (held && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
            ImGui::SetTooltip("%s", app.str(writing ? "writing.wait_reveal" : "desk.add.listening_private"));
    }
    ImGui::SameLine();
    if (!app.doc.is_facilitator()) {
        if (ImGui::SmallButton(app.str("desk.item.delete"))) app.send("item.delete", {{"board", board}, {"id", id}});
        return;
    }
    delete_confirm(app, board, id);
}

void View_boards::timeline(App_state& app)
{
    const auto& items = app.doc.timeline();
    if (items.empty()) {
        empty_state(app.str("desk.empty.timeline"));
        return;
    }
    float width = ImGui::GetContentRegionAvail().x - 8 * app.fonts.scale;
    for (std::size_t i = 0; i < items.size(); ++i) {
        group_heading(app, "timeline", *items[i], i ? items[i - 1] : nullptr);
        item_card(app, "timeline", *items[i], width, items);
    }
}

void View_boards::vision(App_state& app)
{
    if (!ImGui::BeginTable("##vision", 3, ImGuiTableFlags_SizingStretchSame | ImGuiTableFlags_BordersInnerV)) return;
    for (const char* c : vision_columns) ImGui::TableSetupColumn(app.str(std::string("column.") + c));
    ImGui::TableNextRow();
    for (const char* c : vision_columns) {
        ImGui::TableNextColumn();
        const bool spotlit = spotlit_column(app, "vision", c);
        ImGui::PushFont(app.fonts.bold);
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(spotlit ? theme::warn : theme::column_colour(c)));
        ImGui::TextUnformatted((std::string(spotlit ? "> " : "") + app.str(std::string("column.") + c)).c_str());
        ImGui::PopStyleColor();
        ImGui::PopFont();
        // A facilitator brings everyone to one column.
        if (!spotlit && app.doc.is_facilitator() && app.online() && !app.doc.closed() && !app.read_only) {
            ImGui::SameLine();
            ImGui::PushID(c);
            if (ImGui::SmallButton(app.str("spotlight.item"))) app.send("spotlight.set", {{"board", "vision"}, {"column", c}});
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.str("spotlight.column"));
            ImGui::PopID();
        }
    }
    ImGui::TableNextRow();
    for (const char* c : vision_columns) {
        ImGui::TableNextColumn();
        auto items = app.doc.column_items("vision", c);
        if (items.empty()) empty_state(app.str(std::string("desk.empty.") + c));
        float width = ImGui::GetContentRegionAvail().x;
        for (std::size_t i = 0; i < items.size(); ++i) {
            group_heading(app, "vision", *items[i], i ? items[i - 1] : nullptr);
            item_card(app, "vision", *items[i], width, items);
        }
    }
    ImGui::EndTable();
}

void View_boards::plan(App_state& app)
{
    const auto& groups = app.doc.plan_by_status();
    if (app.doc.board_items("plan").empty()) {
        empty_state(app.str("desk.empty.plan"));
        return;
    }
    ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("##plan", 6, flags)) return;
    ImGui::TableSetupColumn(app.str("column.action"), ImGuiTableColumnFlags_WidthStretch, 4);
    ImGui::TableSetupColumn(app.str("field.who"), ImGuiTableColumnFlags_WidthStretch, 1.5f);
    ImGui::TableSetupColumn(app.str("field.with"), ImGuiTableColumnFlags_WidthStretch, 1.5f);
    ImGui::TableSetupColumn(app.str("field.due"), ImGuiTableColumnFlags_WidthStretch, 1.2f);
    ImGui::TableSetupColumn(app.str("field.status"), ImGuiTableColumnFlags_WidthStretch, 1.4f);
    ImGui::TableSetupColumn("##actions", ImGuiTableColumnFlags_WidthStretch, 2.6f);
    ImGui::TableHeadersRow();
    for (const Plan_group& group : groups) {
        if (group.items.empty()) continue;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::PushFont(app.fonts.bold);
        ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::status_colour(group.status)));
        ImGui::Text("%s (%zu)", app.str("status." + group.status), group.items.size());
        ImGui::PopStyleColor();
        ImGui::PopFont();
        for (const json* item : group.items) {
            ImGui::PushID(field(*item, "id").c_str());
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            if (Document::is_redacted(*item)) empty_state(app.str("desk.item.private_other"));
            else if (item->value("erased", false)) empty_state(app.str("desk.item.erased"));
            else ImGui::TextWrapped("%s", field(*item, "text").c_str());
            provenance(app, "plan", *item);
            for (const char* key : {"who", "with", "due"}) {
                ImGui::TableNextColumn();
                ImGui::TextWrapped("%s", field(*item, key).c_str());
            }
            ImGui::TableNextColumn();
            std::string status = field(*item, "status").empty() ? "proposed" : field(*item, "status");
            if (may_change(app, *item)) {
                ImGui::SetNextItemWidth(-1);
                if (ImGui::BeginCombo("##st", app.str("status." + status))) {
                    for (const char* s : statuses)
                        if (ImGui::Selectable(app.str(std::string("status.") + s), status == s) && status != s)
                            app.send("item.edit", {{"board", "plan"}, {"id", field(*item, "id")}, {"status", s}});
                    ImGui::EndCombo();
                }
            } else {
                ImGui::TextUnformatted(app.str("status." + status));
            }
            ImGui::TableNextColumn();
            item_actions(app, "plan", *item, app.doc.board_items("plan"));
            ImGui::PopID();
        }
    }
    ImGui::EndTable();
}

void View_boards::reflections(App_state& app, const std::string& board)
{
    const auto& items = app.doc.board_items(board);
    if (items.empty()) {
        empty_state(app.str(board == "reflections" ? "desk.empty.reflections" : "desk.empty.other"));
        return;
    }
    float width = ImGui::GetContentRegionAvail().x - 8 * app.fonts.scale;
    for (std::size_t i = 0; i < items.size(); ++i) {
        group_heading(app, board, *items[i], i ? items[i - 1] : nullptr);
        item_card(app, board, *items[i], width, items);
    }
}

void View_boards::edit_dialog(App_state& app)
{
    if (app.edit.open) {
        ImGui::OpenPopup("##edit");
    }
    float s = app.fonts.scale;
    ImGui::SetNextWindowSize(ImVec2(620 * s, 0));
    if (!ImGui::BeginPopupModal("##edit", nullptr, ImGuiWindowFlags_NoTitleBar)) return;
    Item_draft& d = app.edit.draft;
    const std::string& board = app.edit.board;
    ImGui::PushFont(app.fonts.bold);
    ImGui::TextUnformatted(app.str("desk.item.edit"));
    ImGui::PopFont();
    if (auto columns = keha::board_columns(board); columns.size() > 1) {
        for (std::string_view c : columns) {
            if (ImGui::RadioButton(app.str("column." + std::string(c)), d.column == c)) d.column = c;
            ImGui::SameLine();
        }
        ImGui::NewLine();
    }
    ImGui::InputTextMultiline("##text", &d.text, ImVec2(-1, 90 * s));
    draft_fields(app, board, d);
    ImGui::BeginDisabled(d.text.empty() || !app.online());
    if (ImGui::Button(app.str("desk.save"))) {
        json args = {{"board", board}, {"id", app.edit.id}, {"text", d.text}};
        put_fields(app, args, board, d, true, app.doc.is_facilitator());
        app.send("item.edit", std::move(args));
        const json* item = nullptr;
        for (const json* i : app.doc.board_items(board))
            if (field(*i, "id") == app.edit.id) item = i;
        if (item && !d.column.empty() && field(*item, "column") != d.column)
            app.send("item.move", {{"board", board}, {"id", app.edit.id}, {"column", d.column}});
        app.edit.open = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(app.str("desk.cancel"))) {
        app.edit.open = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

// My items a facilitator declined, with the reason, above the boards (they stay on their
// board too, marked).
void View_boards::declined_notes(App_state& app)
{
    if (app.doc.is_facilitator()) return;
    auto declined = app.doc.my_declined_items();
    if (declined.empty()) return;
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(theme::danger));
    for (const Held_item& h : declined) {
        std::string text = field(*h.item, "text");
        if (text.size() > 80) {
            std::size_t cut = 77;
            while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a letter
            text = text.substr(0, cut) + "\xe2\x80\xa6";
        }
        std::string reason = field(*h.item, "decline_reason");
        std::string line = "\xe2\x80\x9c" + text + "\xe2\x80\x9d  \xe2\x80\x93  " +
                           (reason.empty() ? std::string(app.str("desk.item.declined"))
                                           : app.str.format("desk.item.declined_reason", "reason", reason));
        ImGui::TextWrapped("%s", line.c_str());
    }
    ImGui::PopStyleColor();
    ImGui::Spacing();
}

// Votes left on this board when the room sets a limit; without one, the votes given.
void View_boards::votes_line(App_state& app, const std::string& board)
{
    if (app.doc.is_screen()) return;
    Vote_budget b = app.doc.votes(board);
    if (b.limit <= 0 && b.used == 0) return;
    std::string line = b.limit <= 0 ? app.str.count("desk.votes.given", b.used)
                       : b.known    ? fill_in(app.str.count("desk.votes.left", b.left()), "limit", std::to_string(b.limit))
                                    : app.str.count("desk.votes.limit", b.limit);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(b.known && b.left() == 0 ? theme::warn : theme::accent));
    ImGui::TextUnformatted(line.c_str());
    ImGui::PopStyleColor();
}

}  // namespace keha::desk
