// Private writing for a phase (keha/private_writing.hpp; docs/protocol.md §8.3, "Private
// writing"). Built on held items: a private board only makes every new item on it held, and
// the reveal is the facilitator's reveal of the whole board, with the flag off, in one patch.
#include "keha/private_writing.hpp"

#include "command_handlers.hpp"
#include "keha/state.hpp"

namespace keha {
namespace {

const json* board_object(const json& state, std::string_view board)
{
    auto boards = state.find("boards");
    if (boards == state.end() || !boards->is_object()) return nullptr;
    auto b = boards->find(board);
    return b != boards->end() && b->is_object() ? &*b : nullptr;
}

// A flag that is true, read safely from a stored state of any shape.
bool is_true(const json& object, const char* key)
{
    auto it = object.find(key);
    return it != object.end() && *it == true;
}

}  // namespace

bool board_is_private(const json& state, std::string_view board)
{
    const json* b = board_object(state, board);
    return b && is_true(*b, "private");
}

bool item_awaits_reveal(const json& item) { return item.is_object() && is_true(item, awaits_reveal); }

std::map<std::string, int> private_counts(const json& state, std::string_view board)
{
    std::map<std::string, int> counts;
    const json* b = board_object(state, board);
    if (!b || !b->contains("items") || !(*b)["items"].is_object()) return counts;
    for (const auto& [id, item] : (*b)["items"].items()) {
        if (!item_awaits_reveal(item) || !is_true(item, "hidden")) continue;
        auto author = item.find("author");
        if (author != item.end() && author->is_string() && !author->get<std::string>().empty()) ++counts[author->get<std::string>()];
    }
    return counts;
}

long long private_total(const json& state, std::string_view board)
{
    long long n = 0;
    for (const auto& [pid, count] : private_counts(state, board)) n += count;
    return n;
}

void start_private_writing(json& state)
{
    for (auto& [name, b] : state["boards"].items()) b["private"] = false;
    const json& phases = state["phases"];
    if (phases.empty() || !is_true(phases[0], "private_writing") || !phases[0].contains("board") ||
        !phases[0]["board"].is_string())
        return;
    const auto board = phases[0]["board"].get<std::string>();
    if (state["boards"].contains(board)) state["boards"][board]["private"] = true;
}

void private_writing_defaults(json& state)
{
    if (auto boards = state.find("boards"); boards != state.end() && boards->is_object())
        for (auto& [name, b] : boards->items())
            if (b.is_object() && !b.contains("private")) b["private"] = false;
    if (auto phases = state.find("phases"); phases != state.end() && phases->is_array())
        for (auto& p : *phases)
            if (p.is_object() && !p.contains("private_writing")) p["private_writing"] = false;
}

}  // namespace keha

namespace keha::detail {
namespace {

std::string private_board_arg(const Args& args)
{
    auto board = *args.text("board", true, 1, 40);
    if (!is_board(board))
        refuse(Error_code::invalid, "There is no board \"" + board +
                                        "\"; the boards are timeline, vision, plan, reflections, hypotheses and commitments.");
    return board;
}

std::string private_path(std::string_view board) { return "/boards/" + std::string(board) + "/private"; }

}  // namespace

void board_private(Step& s)
{
    s.args.allow({"board", "private"});
    const std::string board = private_board_arg(s.args);
    const bool on = *s.args.boolean("private", true);
    // "add", which also serves a snapshot stored before the flag existed (replays of it).
    s.patch.put(private_path(board), on);
}

void board_reveal(Step& s)
{
    s.args.allow({"board"});
    const std::string board = private_board_arg(s.args);
    // The notes written privately; one an author keeps private by choice stays so.
    std::vector<std::pair<std::string, json>> held;
    for (const auto& [id, item] : s.state["boards"][board]["items"].items())
        if (item_awaits_reveal(item)) held.emplace_back(id, item);
    for (auto& [id, item] : held) {
        item["hidden"] = false;
        item.erase(awaits_reveal);
        // The whole item, as item.reveal sends it: members who held it redacted get its text now.
        s.patch.put(item_path(board, id), std::move(item));
    }
    s.patch.put(private_path(board), false);
}

void private_phase_entered(Step& s, const json& phase)
{
    if (!phase.is_object() || !phase.contains("private_writing") || phase["private_writing"] != true) return;
    const json& board = phase.contains("board") ? phase["board"] : json();
    if (board.is_string() && is_board(board.get<std::string>())) s.patch.put(private_path(board.get<std::string>()), true);
}

bool waits_for_board_reveal(const Step& s, std::string_view board, const json& item)
{
    return !is_facilitator(s.actor) && board_is_private(s.state, board) && item_awaits_reveal(item);
}

void refuse_author_reveal_while_private(const Step& s, std::string_view board, const json& item)
{
    if (waits_for_board_reveal(s, board, item))
        refuse(Error_code::conflict,
               "Everyone writes privately on this board now; the facilitator reveals all the notes at once.");
}

}  // namespace keha::detail
