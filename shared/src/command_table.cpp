// The command table (keha/commands.hpp): docs/protocol.md §6 says who may send what.
#include <array>

#include "command_handlers.hpp"
#include "keha/commands.hpp"

namespace keha {
namespace {

using namespace detail;

constexpr Roles people{.facilitator = true, .participant = true};
constexpr Roles facilitators{.facilitator = true};
constexpr Roles server_only{.server = true};
constexpr Roles facilitators_and_server{.facilitator = true, .server = true};

constexpr std::array table{
    Command_spec{"item.add", people, Server_input::none, true, item_add},
    Command_spec{"item.edit", people, Server_input::none, false, item_edit},
    Command_spec{"item.move", people, Server_input::none, false, item_move},
    Command_spec{"item.delete", people, Server_input::none, false, item_delete},
    Command_spec{"item.vote", people, Server_input::none, false, item_vote},
    Command_spec{"item.reveal", people, Server_input::none, false, item_reveal},
    Command_spec{"phase.goto", facilitators, Server_input::none, false, phase_goto},
    Command_spec{"room.update", facilitators, Server_input::none, false, room_update},
    Command_spec{"room.lock", facilitators, Server_input::none, false, room_lock},
    Command_spec{"room.close", facilitators, Server_input::none, false, room_close},
    Command_spec{"timer.start", facilitators, Server_input::none, false, timer_start},
    Command_spec{"timer.pause", facilitators, Server_input::none, false, timer_pause},
    Command_spec{"timer.resume", facilitators, Server_input::none, false, timer_resume},
    Command_spec{"timer.reset", facilitators, Server_input::none, false, timer_reset},
    Command_spec{"hand.raise", people, Server_input::none, false, hand_raise},
    Command_spec{"hand.lower", people, Server_input::none, false, hand_lower},
    Command_spec{"participant.rename", people, Server_input::none, false, participant_rename},
    Command_spec{"participant.remove", facilitators_and_server, Server_input::none, false, participant_remove},
    Command_spec{"participant.join", server_only, Server_input::none, false, participant_join},
    Command_spec{"participant.role", facilitators, Server_input::none, false, participant_role},
    Command_spec{"participant.merge", facilitators, Server_input::none, false, participant_merge},
    Command_spec{"participant.admit", facilitators, Server_input::none, false, participant_admit},
    Command_spec{"room.settings", facilitators, Server_input::none, false, room_settings},
    Command_spec{"consent.record", facilitators, Server_input::none, false, consent_record},
    Command_spec{"item.approve", facilitators, Server_input::none, false, item_approve},
    Command_spec{"item.decline", facilitators, Server_input::none, false, item_decline},
    Command_spec{"phase.add", facilitators, Server_input::none, false, phase_add},
    Command_spec{"phase.remove", facilitators, Server_input::none, false, phase_remove},
    Command_spec{"phase.move", facilitators, Server_input::none, false, phase_move},
    Command_spec{"turns.reflecting.start", facilitators, Server_input::none, false, turns_reflecting_start},
    Command_spec{"turns.next", facilitators, Server_input::none, false, turns_next},
    Command_spec{"turns.stage", facilitators, Server_input::none, false, turns_stage},
    Command_spec{"turns.end", facilitators, Server_input::none, false, turns_end},
    Command_spec{"turns.round.start", facilitators, Server_input::none, false, turns_round_start},
    Command_spec{"turns.round.pass", people, Server_input::none, false, turns_round_pass},
    Command_spec{"turns.round.done", people, Server_input::none, false, turns_round_done},
    Command_spec{"turns.queue.start", facilitators, Server_input::none, false, turns_queue_start},
    Command_spec{"turns.floor.give", facilitators, Server_input::none, false, turns_floor_give},
    Command_spec{"turns.pairs.start", facilitators, Server_input::none, false, turns_pairs_start},
    // The closing questionnaire: the facilitator opens and closes it; anyone in the room answers once.
    Command_spec{"ratings.open", facilitators, Server_input::none, false, ratings_open},
    Command_spec{"ratings.close", facilitators, Server_input::rating_results, false, ratings_close},
    Command_spec{"rating.submit", people, Server_input::none, false, rating_submit},
    // Which of the closed questionnaire's comments the wall and the participants see.
    Command_spec{"ratings.comment.show", facilitators, Server_input::none, false, ratings_comment_show},
    // The server says how many held answers it wrote (docs/privacy.md, "Anonymous ratings").
    Command_spec{"ratings.stored", server_only, Server_input::none, false, ratings_stored},
    // Items from an earlier meeting of the process (the server supplies them with their
    // provenance), and an editable copy of a read-only imported item.
    Command_spec{"item.import", facilitators, Server_input::earlier_meeting, false, item_import},
    Command_spec{"item.copy", facilitators, Server_input::none, false, item_copy},
    Command_spec{"participant.online", server_only, Server_input::none, false, participant_online},
    Command_spec{"participant.offline", server_only, Server_input::none, false, participant_offline},
    // Grouping cards and the timed voting session, then sorting a board by votes (docs/protocol.md §8).
    Command_spec{"item.group", people, Server_input::none, false, item_group},
    Command_spec{"item.ungroup", people, Server_input::none, false, item_ungroup},
    Command_spec{"group.rename", people, Server_input::none, false, group_rename},
    Command_spec{"vote.start", facilitators, Server_input::none, false, vote_start},
    Command_spec{"vote.end", facilitators_and_server, Server_input::none, false, vote_end},
    Command_spec{"board.sort", facilitators, Server_input::none, false, board_sort},
    // Questions and answers (keha/qa.hpp): questions are held by the server and published in batches.
    Command_spec{"qa.open", facilitators, Server_input::none, false, qa_open},
    Command_spec{"qa.ask", people, Server_input::none, false, qa_ask},
    Command_spec{"qa.upvote", people, Server_input::none, false, qa_upvote},
    Command_spec{"qa.answered", facilitators, Server_input::none, false, qa_answered},
    Command_spec{"qa.hide", facilitators, Server_input::none, false, qa_hide},
    Command_spec{"qa.approve", facilitators, Server_input::none, false, qa_approve},
    Command_spec{"qa.close", facilitators, Server_input::none, false, qa_close},
    Command_spec{"qa.publish", server_only, Server_input::none, false, qa_publish},
    // Private writing for a phase: every new item on a private board is held until one reveal.
    Command_spec{"board.private", facilitators, Server_input::none, false, board_private},
    Command_spec{"board.reveal", facilitators, Server_input::none, false, board_reveal},
    // Spotlight: every screen and the wall go to one board, column or item until released.
    Command_spec{"spotlight.set", facilitators, Server_input::none, false, spotlight_set},
    Command_spec{"spotlight.clear", facilitators, Server_input::none, false, spotlight_clear},
    // Quick polls: the facilitator launches, closes, reveals and removes them; anyone in the room
    // answers once; the server adds the held answers to the results in batches (keha/polls.hpp).
    Command_spec{"poll.open", facilitators, Server_input::none, false, poll_open},
    Command_spec{"poll.answer", people, Server_input::none, false, poll_answer},
    Command_spec{"poll.close", facilitators, Server_input::none, false, poll_close},
    Command_spec{"poll.reveal", facilitators, Server_input::none, false, poll_reveal},
    Command_spec{"poll.remove", facilitators, Server_input::none, false, poll_remove},
    Command_spec{"poll.tally", server_only, Server_input::none, false, poll_tally},
};

}  // namespace

std::span<const Command_spec> command_table() { return table; }

const Command_spec* find_command(std::string_view name)
{
    for (const auto& spec : table)
        if (spec.name == name) return &spec;
    return nullptr;
}

}  // namespace keha
