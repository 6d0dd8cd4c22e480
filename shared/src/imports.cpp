// item.import (server) and item.copy (facilitator): items that came from an earlier meeting
// of the same process, with their provenance (keha/provenance.hpp).
#include <algorithm>
#include <map>
#include <set>

#include "keha/board_order.hpp"
#include "keha/json_access.hpp"
#include "keha/private_writing.hpp"
#include "keha/provenance.hpp"
#include "keha/sectors.hpp"
#include "keha/state.hpp"
#include "keha/view.hpp"
#include "command_handlers.hpp"
#include "keha/private_writing.hpp"

namespace keha {
namespace {

// Where an item of the meeting `room` came from, as a later meeting keeps it (keha/provenance.hpp).
json source_of(const json& room, const std::string& id, const json& item, const json& board_items)
{
    const std::string code = string_field(room, "code");
    json source = {{"team", room.value("team", json(nullptr))},
                   {"meeting", string_field(room, "title")},
                   {"code", code},
                   {"item", id},
                   {"at", string_field(room, "created_at")},
                   {"origin", origin_of(item, code, board_items)}};
    // The meeting the chain began in, when this one is not it.
    if (auto s = item.find("source"); s != item.end() && s->is_object()) {
        if (s->contains("first") && (*s)["first"].is_object()) source["first"] = (*s)["first"];
        else source["first"] = {{"team", s->value("team", json(nullptr))}, {"meeting", string_field(*s, "meeting")},
                                {"code", string_field(*s, "code")}, {"at", string_field(*s, "at")}};
    }
    return source;
}

}  // namespace

std::string origin_of(const json& item, std::string_view room_code, const json& board_items)
{
    // A copy made here follows its original (a chain of copies at most as long as the board).
    const json* at = &item;
    for (std::size_t hops = 0; board_items.is_object() && hops <= board_items.size(); ++hops) {
        if (auto s = at->find("source"); s != at->end() && s->is_object() && s->contains("origin")) break;
        auto of = at->find("copy_of");
        if (of == at->end() || !of->is_string()) break;
        auto original = board_items.find(of->get<std::string>());
        if (original == board_items.end()) break;
        at = &*original;
    }
    if (auto s = at->find("source"); s != at->end() && s->is_object() && s->contains("origin")) return string_field(*s, "origin");
    return std::string(room_code) + "/" + string_field(*at, "id");
}

std::set<std::string> copied_originals(const json& board_items)
{
    // Also read by keha-desk from whatever a server sent: a field of the wrong type is no copy.
    std::set<std::string> out;
    if (!board_items.is_object()) return out;
    for (const auto& item : board_items) {  // not a structured binding: clang 14 cannot capture one
        if (!item.is_object()) continue;
        auto set = [&](const char* key) { auto f = item.find(key); return f != item.end() && f->is_boolean() && f->get<bool>(); };
        auto of = item.find("copy_of");
        if (set("hidden") || set("pending") || of == item.end() || !of->is_string()) continue;
        if (board_items.contains(of->get<std::string>())) out.insert(of->get<std::string>());
    }
    return out;
}

json import_summary(const json& patch)
{
    json counts = json::object();
    if (!patch.is_array()) return counts;
    for (const auto& op : patch) {
        if (op.value("op", "") != "add" || !op.contains("value") || !op["value"].is_object()) continue;
        // "/boards/<board>/items/<id>": a whole item, not a field of one.
        const std::string path = op.value("path", "");
        const auto items = path.find("/items/");
        if (path.rfind("/boards/", 0) != 0 || items == std::string::npos || path.find('/', items + 7) != std::string::npos) continue;
        const std::string column = string_field(op["value"], "column");
        if (!column.empty()) counts[column] = counts.value(column, 0) + 1;
    }
    return counts;
}

json import_args(const json& source_state, const std::vector<std::string>& boards, bool readonly)
{
    const json& room = source_state.at("room");
    const std::string code = string_field(room, "code");
    json items = json::array();
    for (const auto& board : boards) {
        if (!is_board(board) || !source_state["boards"].contains(board)) continue;
        std::vector<const json*> shown;
        const json& all = source_state["boards"][board]["items"];
        // An item replaced by an editable copy goes on as the copy.
        const std::set<std::string> copied = copied_originals(all);
        for (const auto& [id, item] : all.items())
            if (!is_held(item) && !copied.count(id)) shown.push_back(&item);
        // By column, each in board order (keha/board_order.hpp).
        sort_in_board_order(shown);
        std::stable_sort(shown.begin(), shown.end(),
                         [](const json* a, const json* b) { return string_field(*a, "column") < string_field(*b, "column"); });
        const json none = json::object();
        const json& vision = source_state["boards"].contains("vision") ? source_state["boards"]["vision"].value("items", none) : none;
        for (const json* item : shown) {
            json fields = json::object();
            for (auto f : board_fields(board))
                if (f != "addresses" && item->contains(f) && (*item)[std::string(f)].is_string()) fields[std::string(f)] = (*item)[std::string(f)];
            json source = source_of(room, string_field(*item, "id"), *item, all);
            // The hinderer or enabler an action answers goes by its origin: the ids differ here.
            if (auto target = vision.find(string_field(*item, "addresses")); target != vision.end() && !is_held(*target))
                source["answers"] = origin_of(*target, code, vision);
            else if (auto src = item->find("source"); src != item->end() && src->is_object() && src->contains("answers") &&
                     !item->contains("addresses"))
                source["answers"] = (*src)["answers"];  // its hinderer never came here; it may come later
            items.push_back({{"board", board},
                             {"column", item->value("column", "")},
                             {"text", item->value("text", "")},
                             {"fields", fields},
                             {"source", std::move(source)}});
        }
    }
    return {{"items", items}, {"readonly", readonly}};
}

json state_from_notes(const json& notes, const Room_meta& meta, const json& room_template)
{
    json state = make_state(meta, room_template);
    const json& old = notes.at("state");
    const json& room = old.at("room");
    if (!old.at("phases").empty()) {
        // Only the fields check_notes_json checked, in the shape make_state gives a phase.
        json phases = json::array();
        for (const auto& p : old["phases"]) {
            json phase = {{"id", p.at("id")},
                          {"kind", p.value("kind", "custom")},
                          {"title", p.at("title")},
                          {"question", p.value("question", json(""))},
                          {"board", p.value("board", json(nullptr))},
                          {"timebox_s", p.value("timebox_s", 0)},
                          {"turn_mode", p.value("turn_mode", "none")},
                          {"private_writing", p.value("private_writing", false)}};
            if (p.contains("card"))
                phase["card"] = {{"title", p["card"].value("title", json(""))}, {"lines", p["card"].value("lines", json::array())}};
            phases.push_back(std::move(phase));
        }
        state["phase"] = phases[0]["id"];
        state["phases"] = std::move(phases);
        start_private_writing(state);
    }
    auto renamed = [](const std::string& id) { return id.empty() ? id : "m" + id; };
    // An action may answer a vision item the notes left out (a hidden one): that link goes.
    const json none = json::object();
    const json& vision = old["boards"].contains("vision") ? old["boards"]["vision"].at("items") : none;
    for (const auto& [name, board] : old.at("boards").items()) {
        if (!state["boards"].contains(name)) continue;
        json items = json::object();
        for (const auto& [id, item] : board.at("items").items()) {
            json copy = {{"id", renamed(id)},
                         {"column", item.at("column")},
                         {"text", item.at("text")},
                         {"author", ""},
                         {"created_at", item.value("created_at", meta.created_at)},
                         {"order", item.value("order", 0.0)},
                         {"votes", 0},
                         {"voters", json::array()},
                         {"hidden", false}};
            for (auto f : board_fields(name))
                if (item.contains(f) && item[std::string(f)].is_string()) copy[std::string(f)] = item[std::string(f)];
            if (copy.contains("sector")) copy["sector"] = sector_key(copy["sector"].get<std::string>());
            if (copy.contains("addresses")) {
                const std::string target = copy["addresses"].get<std::string>();
                if (target.empty() || vision.contains(target)) copy["addresses"] = renamed(target);
                else copy.erase("addresses");
            }
            if (item.contains("copy_of") && item["copy_of"].is_string()) copy["copy_of"] = renamed(item["copy_of"].get<std::string>());
            copy["source"] = source_of(room, id, item, board.at("items"));
            items[renamed(id)] = std::move(copy);
        }
        state["boards"][name]["items"] = std::move(items);
    }
    return state;
}

namespace detail {
namespace {

// An action answers a hinderer or an enabler (its "addresses"). Imported, it says which by
// origin (source.answers); it points at that item here whenever that item is here too —
// brought by the same import or by an earlier or a later one — the editable copy when there is
// one. An action whose link a person has set or cleared here ("addresses" present) is left alone.
void link_answers(Step& s)
{
    const json& boards = std::as_const(s.state).at("boards");
    if (!boards.contains("vision") || !boards.contains("plan")) return;
    const json& vision = boards["vision"]["items"];
    const std::string code = string_field(std::as_const(s.state).at("room"), "code");
    const std::set<std::string> copied = copied_originals(vision);
    std::map<std::string, std::string> by_origin;  // origin -> the vision item here that stands for it
    for (const auto& [id, item] : vision.items())
        if (!is_held(item) && !copied.count(id)) by_origin[origin_of(item, code, vision)] = id;
    std::vector<std::pair<std::string, std::string>> links;  // action, vision item
    for (const auto& [id, item] : boards["plan"]["items"].items()) {
        auto src = item.find("source");
        if (item.contains("addresses") || src == item.end() || !src->is_object()) continue;
        if (auto target = by_origin.find(string_field(*src, "answers")); target != by_origin.end()) links.emplace_back(id, target->second);
    }
    for (const auto& [action, target] : links) s.patch.set(item_path("plan", action) + "/addresses", target);
}

// Checks every item the server supplied first; nothing changes unless all are well-formed.
void check_import_items(const Step& s, const json& items)
{
    for (const auto& it : items) {
        if (!it.is_object() || !it.contains("source") || !it["source"].is_object())
            refuse(Error_code::bad_request, "Every imported item needs an object \"source\".");
        const std::string board = string_field(it, "board"), column = string_field(it, "column"), text = string_field(it, "text");
        auto columns = board_columns(board);
        if (std::find(columns.begin(), columns.end(), column) == columns.end() ||
            !std::as_const(s.state).at("boards").contains(board))
            refuse(Error_code::invalid, "An imported item names an unknown board or column.");
        auto len = text_length(text);
        if (!len || *len < 1 || *len > 2000) refuse(Error_code::invalid, "An imported item's text must be 1–2000 characters.");
        const json fields = it.value("fields", json::object());
        for (const auto& [k, v] : fields.items()) {
            auto fs = board_fields(board);
            if (std::find(fs.begin(), fs.end(), k) == fs.end() || !v.is_string() || !text_length(v.get<std::string>()) ||
                *text_length(v.get<std::string>()) > 200)
                refuse(Error_code::invalid, "An imported item has an unknown or too long field \"" + k + "\".");
        }
    }
}

}  // namespace

// A facilitator brings items of an earlier meeting of the process into this one:
// {"from": code, "boards": [...]?}. The server reads that meeting and supplies the items with
// their provenance (Context::server_input, from import_args), so no client can forge a source.
void item_import(Step& s)
{
    s.args.allow({"from", "boards"});
    auto from = s.args.text("from", true, 1, 20);
    if (s.args.has("boards")) {
        const json& b = s.args.raw()["boards"];
        if (!b.is_array() || b.empty()) refuse(Error_code::bad_request, "\"boards\" must be a non-empty array of board names.");
        for (const auto& name : b)
            if (!name.is_string() || !is_board(name.get<std::string>()))
                refuse(Error_code::invalid, "\"boards\" names a board that does not exist.");
    }
    if (!s.context.server_input || !s.context.server_input->is_object())
        refuse(Error_code::conflict, "The meeting " + *from + " could not be read for the import.");
    const json& input = *s.context.server_input;
    const bool readonly = input.value("readonly", true);
    const json& items = input.value("items", json());
    if (!items.is_array()) refuse(Error_code::bad_request, "The import has no items.");
    check_import_items(s, items);
    // What was imported before, by where it came from: an import is done once.
    std::map<std::string, std::string> imported;  // "CODE/id" there -> id here
    for (const auto& [b, board] : std::as_const(s.state).at("boards").items()) {
        if (!board.contains("items") || !board["items"].is_object()) continue;
        for (const auto& [id, item] : board["items"].items())
            if (auto src = item.find("source"); src != item.end() && src->is_object())
                imported[string_field(*src, "code") + "/" + string_field(*src, "item")] = id;
    }
    std::vector<std::pair<std::string, json>> added;  // board, item
    int n = 0;
    for (const auto& it : items) {
        const json& source = it["source"];
        const std::string origin = string_field(source, "code") + "/" + string_field(source, "item");
        if (imported.count(origin)) continue;
        const std::string board = string_field(it, "board"), column = string_field(it, "column");
        const std::string id = "i" + std::to_string(s.context.seq) + "_" + std::to_string(++n);
        imported[origin] = id;
        json item = {{"id", id},
                     {"column", column},
                     {"text", string_field(it, "text")},
                     {"author", ""},
                     {"created_at", iso8601_utc(s.context.now_ms)},
                     {"order", 0.0},
                     {"votes", 0},
                     {"voters", json::array()},
                     {"hidden", false},
                     {"source", source},
                     {"readonly", readonly}};
        item.update(it.value("fields", json::object()));
        added.emplace_back(board, std::move(item));
    }
    for (auto& [board, item] : added) {
        item["order"] = place_after_last(s, board, item["column"].get<std::string>());
        const std::string path = item_path(board, item["id"].get<std::string>());
        s.patch.set(path, std::move(item));
    }
    link_answers(s);
    s.effects.ack["imported"] = import_summary(s.patch.ops());  // what the import brought
}

// An editable copy of an item (usually an imported, read-only one), placed right after it.
void item_copy(Step& s)
{
    s.args.allow({"board", "id"});
    auto board = s.args.text("board", true, 1, 40);
    auto id = s.args.text("id", true, 1, 40);
    if (!is_board(*board)) refuse(Error_code::invalid, "There is no board \"" + *board + "\".");
    const json& boards = std::as_const(s.state).at("boards");
    if (!boards.contains(*board)) refuse(Error_code::not_found, "There is no item " + *id + " on the " + *board + " board.");
    const json& items = boards[*board]["items"];
    auto original = items.find(*id);
    if (original == items.end()) refuse(Error_code::not_found, "There is no item " + *id + " on the " + *board + " board.");
    if (original->value("hidden", false) || original->value("pending", false))
        refuse(Error_code::conflict, "A private or held item cannot be copied.");
    const std::string new_id = "i" + std::to_string(s.context.seq);
    json copy = {{"id", new_id},
                 {"column", (*original)["column"]},
                 {"text", (*original)["text"]},
                 {"author", std::string(s.actor.pid)},
                 {"created_at", iso8601_utc(s.context.now_ms)},
                 {"order", original->value("order", 0.0) + 0.5},
                 {"votes", 0},
                 {"voters", json::array()},
                 {"hidden", false},
                 {"copy_of", *id}};
    for (auto f : board_fields(*board))
        if (original->contains(f)) copy[std::string(f)] = (*original)[std::string(f)];
    if (original->contains("source")) copy["source"] = (*original)["source"];
    s.patch.set(item_path(*board, new_id), std::move(copy));
}

}  // namespace detail
}  // namespace keha
