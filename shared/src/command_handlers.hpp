#pragma once
// The handlers of the command table (command_table.cpp), by the file that holds them. Each
// reads its arguments, checks everything, then changes the state through step.patch and says
// in step.effects what the server must do about it. Internal to libkeha.
#include "reducer_support.hpp"

namespace keha::detail {

// items.cpp
void item_add(Step& s);
void item_edit(Step& s);
void item_move(Step& s);
void item_delete(Step& s);
void item_vote(Step& s);
void item_reveal(Step& s);
// room_commands.cpp
void phase_goto(Step& s);
void room_update(Step& s);
void room_lock(Step& s);
void room_close(Step& s);
void timer_start(Step& s);
void timer_pause(Step& s);
void timer_resume(Step& s);
void timer_reset(Step& s);
// participants.cpp
void hand_raise(Step& s);
void hand_lower(Step& s);
void participant_rename(Step& s);
void participant_remove(Step& s);
void participant_join(Step& s);
void participant_online(Step& s);
void participant_offline(Step& s);
// settings.cpp
void room_settings(Step& s);
void participant_role(Step& s);
void participant_admit(Step& s);
void consent_record(Step& s);
void item_approve(Step& s);
void item_decline(Step& s);
// phases.cpp
void phase_add(Step& s);
void phase_remove(Step& s);
void phase_move(Step& s);
// turns.cpp
void turns_reflecting_start(Step& s);
void turns_next(Step& s);
void turns_stage(Step& s);
void turns_end(Step& s);
void turns_round_start(Step& s);
void turns_round_pass(Step& s);
void turns_round_done(Step& s);
void turns_queue_start(Step& s);
void turns_floor_give(Step& s);
void turns_pairs_start(Step& s);
// ratings.cpp
void ratings_open(Step& s);
void ratings_close(Step& s);
void rating_submit(Step& s);
void ratings_comment_show(Step& s);
void ratings_stored(Step& s);
// qa.cpp
void qa_open(Step& s);
void qa_ask(Step& s);
void qa_upvote(Step& s);
void qa_answered(Step& s);
void qa_hide(Step& s);
void qa_approve(Step& s);
void qa_close(Step& s);
void qa_publish(Step& s);
// polls.cpp
void poll_open(Step& s);
void poll_answer(Step& s);
void poll_close(Step& s);
void poll_reveal(Step& s);
void poll_remove(Step& s);
void poll_tally(Step& s);
// imports.cpp
void item_import(Step& s);
void item_copy(Step& s);
// merge.cpp
void participant_merge(Step& s);
// groups.cpp
void item_group(Step& s);
void item_ungroup(Step& s);
void group_rename(Step& s);
// Takes the card out of its group (if any); a group left with no card goes.
void leave_group(Step& s, const std::string& board, const std::string& id);
// voting.cpp
void vote_start(Step& s);
void vote_end(Step& s);
void board_sort(Step& s);
// A vote while a voting session runs on `board` goes to the caller's ballot: true when it did.
bool vote_in_session(Step& s, const std::string& board, const std::string& target);
// private_writing.cpp
void board_private(Step& s);
void board_reveal(Step& s);
// Entering a phase that says "private_writing" makes its board private (phase.goto).
void private_phase_entered(Step& s, const json& phase);
// An author's note written privately waits for the facilitator's reveal of the board while it
// is private (item.reveal): refused with one id, skipped when revealing all of one's own.
bool waits_for_board_reveal(const Step& s, std::string_view board, const json& item);
void refuse_author_reveal_while_private(const Step& s, std::string_view board, const json& item);
// spotlight.cpp
void spotlight_set(Step& s);
void spotlight_clear(Step& s);
// A deleted item leaves the spotlight with it (item.delete).
void spotlit_item_gone(Step& s, std::string_view board, std::string_view id);

}  // namespace keha::detail
