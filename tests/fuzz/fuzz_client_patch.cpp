// libFuzzer target: keha-desk's copy of a room (client/src/document.cpp) fed what a server
// could send. It starts from the welcome of a participant of a room as it looks mid-meeting
// and applies the input: a JSON array of patch messages {"seq","patch"} (or one patch array,
// sent as the next seq), then a welcome with a replay; after each it asks the document
// everything the screens draw from. Invariants: nothing throws or crashes; a patch that
// fails leaves "failed" so the client asks for the full state; an applied one moves the seq.
#include <cstddef>
#include <cstdint>
#include <string>

#include "document.hpp"
#include "fuzz_support.hpp"
#include "keha/view.hpp"

using namespace keha;
using keha::fuzz::check;

namespace {

void read_everything(const desk::Document& d, std::int64_t now)
{
    (void)d.room_code(), (void)d.room_title(), (void)d.locked(), (void)d.closed();
    (void)d.current_phase(), (void)d.current_board();
    for (const auto& board : d.board_names()) {
        for (const json* item : d.board_items(board)) {
            (void)desk::provenance_line(desk::provenance_of(*item));
            (void)d.is_mine(*item), (void)desk::Document::is_redacted(*item);
        }
        (void)d.column_items(board, "event"), (void)d.my_private_items(board), (void)d.votes(board);
    }
    (void)d.timeline(), (void)d.plan_by_status(), (void)d.raised_hands(), (void)d.people(), (void)d.lobby();
    (void)d.turn_people(), (void)d.my_turn(), (void)d.my_round_turn(), (void)d.my_pair_partners();
    (void)d.turns().current_speaker(), (void)d.turns().stage_seconds("reflection");
    (void)d.held_items(), (void)d.my_declined_items(), (void)d.vote_limit(), (void)d.consent_pending();
    (void)d.item_count(), (void)d.i_rated(), (void)d.name_of("p3"), (void)d.my_hand_up();
    (void)desk::ratings_view(d.state());
    if (d.state().is_object() && d.state().contains("timer")) {
        auto left = desk::timer_remaining_ms(d.state()["timer"], now, 0);
        if (left) (void)desk::format_clock(*left), (void)desk::timebox_signal(left);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const fuzz::Realistic_room room;
    static const json welcome = {{"type", "welcome"},  {"you", room.people.aino}, {"role", "participant"},
                                 {"token", "t"},       {"seq", room.seq},
                                 {"state", view_for(room.state, {room.people.aino, Role::participant})}};
    json input = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
    if (input.is_discarded()) return 0;
    desk::Document doc;
    check(doc.apply_welcome(welcome) == desk::Apply_result::applied, "the welcome does not apply");
    if (input.is_array() && (input.empty() || !input[0].is_object())) input = json::array({{{"seq", room.seq + 1}, {"patch", input}}});
    if (!input.is_array()) input = json::array({input});
    const std::int64_t now = room.now_ms;
    for (const json& message : input) {
        if (!message.is_object()) continue;
        const auto seq = doc.seq();
        const auto result = doc.apply_patch_message(message);
        if (result == desk::Apply_result::applied) check(doc.seq() == seq + 1, "an applied patch did not move the seq by one");
        else check(doc.seq() == seq, "a patch that was not applied moved the seq");
        read_everything(doc, now);
        if (result == desk::Apply_result::failed) {  // what the client does: start over from a welcome
            check(doc.apply_welcome(welcome) == desk::Apply_result::applied, "the welcome does not apply again");
        }
    }
    // A resume: the same messages as a replay on top of the last welcome.
    desk::Document resumed;
    resumed.apply_welcome(welcome);
    resumed.apply_welcome({{"type", "welcome"}, {"you", room.people.aino}, {"role", "participant"}, {"seq", room.seq + input.size()}, {"replay", input}});
    read_everything(resumed, now);
    return 0;
}
