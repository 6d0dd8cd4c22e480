// The facilitator reshapes the agenda during a meeting: add, remove and reorder phases.
#include "keha/state.hpp"
#include "command_handlers.hpp"

namespace keha::detail {
namespace {

std::optional<std::size_t> index_of(const json& phases, const std::string& id)
{
    for (std::size_t i = 0; i < phases.size(); ++i)
        if (phases[i]["id"] == id) return i;
    return std::nullopt;
}

}  // namespace

void phase_add(Step& s)
{
    s.args.allow({"title", "kind", "question", "board", "timebox_s", "turn_mode", "after", "private_writing"});
    auto title = s.args.text("title", true, 1, 200);
    auto kind = s.args.text("kind", false, 1, 40);
    auto question = s.args.text("question", false, 0, 2000);
    auto board = s.args.text("board", false, 0, 40);
    auto timebox = s.args.integer("timebox_s", false, 0, 14400);
    auto mode = s.args.text("turn_mode", false, 1, 40);
    auto after = s.args.text("after", false, 1, 100);
    const bool private_writing = s.args.boolean("private_writing", false).value_or(false);
    if (board && !board->empty() && !is_board(*board))
        refuse(Error_code::invalid, "There is no board \"" + *board + "\"; the boards are timeline, vision, plan, reflections and hypotheses.");
    if (mode && !one_of(turn_mode_values, *mode))
        refuse(Error_code::invalid, "The turn mode must be none, reflecting_team, round, hand_queue or pairs.");
    if (private_writing && (!board || board->empty()))
        refuse(Error_code::invalid, "A private-writing phase needs a board to write on.");
    const json& phases = s.state["phases"];
    std::size_t at = phases.size();
    if (after) {
        auto i = index_of(phases, *after);
        if (!i) refuse(Error_code::not_found, "This meeting has no phase \"" + *after + "\".");
        at = *i + 1;
    }
    json phase = {{"id", "x" + std::to_string(s.context.seq)},
                  {"kind", kind.value_or("custom")},
                  {"title", *title},
                  {"question", question.value_or("")},
                  {"board", board && !board->empty() ? json(*board) : json(nullptr)},
                  {"timebox_s", timebox.value_or(0)},
                  {"turn_mode", mode.value_or("none")},
                  {"private_writing", private_writing}};
    s.patch.insert("/phases", at, std::move(phase));
}

void phase_remove(Step& s)
{
    s.args.allow({"phase"});
    auto id = s.args.text("phase", true, 1, 100);
    auto i = index_of(s.state["phases"], *id);
    if (!i) refuse(Error_code::not_found, "This meeting has no phase \"" + *id + "\".");
    if (s.state["phase"] == *id) refuse(Error_code::conflict, "The current phase cannot be removed; go to another phase first.");
    s.patch.remove("/phases/" + std::to_string(*i));
}

void phase_move(Step& s)
{
    s.args.allow({"phase", "index"});
    auto id = s.args.text("phase", true, 1, 100);
    auto index = s.args.integer("index", true, 0, 1000);
    const json& phases = s.state["phases"];
    auto i = index_of(phases, *id);
    if (!i) refuse(Error_code::not_found, "This meeting has no phase \"" + *id + "\".");
    const auto to = std::min<std::size_t>(static_cast<std::size_t>(*index), phases.size() - 1);
    if (to == *i) return;
    json phase = phases[*i];
    s.patch.remove("/phases/" + std::to_string(*i));
    s.patch.insert("/phases", to, std::move(phase));
}

}  // namespace keha::detail
