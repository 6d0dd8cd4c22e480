// libFuzzer target: the JSON bodies of the two HTTP requests that create something.
//   POST /api/rooms with "import" (the JSON notes of an earlier meeting): the strict parse,
//     check_notes_json, state_from_notes, then the new room's notes in every format and name
//     policy, a command on the imported state, and the notes JSON it gives read back in.
//   POST /api/processes: read_process_body (server/process_body.cpp).
// The first byte picks the request. Invariants: nothing throws or crashes; notes that pass
// the check make a room that works, whose own JSON notes pass the check again.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "keha/notes.hpp"
#include "keha/provenance.hpp"
#include "message.hpp"
#include "process_body.hpp"

using namespace keha;
using namespace keha::server;
using keha::fuzz::check;

namespace {

void room_with_import(const json& body)
{
    if (!body.is_object() || !body.contains("import")) return;
    const json& notes = body["import"];
    if (check_notes_json(notes)) return;  // refused with a message: 400 invalid
    json state = state_from_notes(notes, fuzz::meta("NEW234"), fuzz::default_template());
    const json before = state;
    const json& catalog = fuzz::catalog(state["room"].value("language", "fi"));
    for (auto names : {Notes_names::automatic, Notes_names::full, Notes_names::initials, Notes_names::groups}) {
        Notes_options options;
        options.names = names;
        for (auto format : {Notes_format::md, Notes_format::html}) render_notes(state, format, catalog, options);
        const json again = json::parse(render_notes(state, Notes_format::json, catalog, options));
        if (auto problem = check_notes_json(again)) fuzz::fail("the imported room's own notes do not import: " + *problem);
    }
    check(state == before, "rendering the notes changed the state");
    // The imported room runs: a facilitator joins and adds an item on every board.
    Context context{1, 1'795'000'000'000};
    auto joined = apply(state, {"", Role::server}, Command{"participant.join", {{"name", "F"}, {"group", "other"}, {"role", "facilitator"}}}, context);
    check(std::holds_alternative<json>(joined), "a facilitator cannot join the imported room");
    const std::string pid = participant_id_for(1);
    std::uint64_t seq = 1;
    for (const auto& [board, value] : state["boards"].items()) {
        if (board_columns(board).empty()) continue;
        json args = {{"board", board}, {"column", board_columns(board)[0]}, {"text", "uusi"}};
        const json was = state;
        auto r = apply(state, {pid, Role::facilitator}, Command{"item.add", args}, Context{seq + 1, 1'795'000'001'000});
        if (std::holds_alternative<Error>(r)) {
            check(state == was, "a refused item.add changed the imported state");
            continue;
        }
        ++seq;
        check(was.patch(std::get<json>(r)) == state, "item.add on the imported state: the patch does not give the new state");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] % 2 == 0) {
        auto body = parse_strict(text);
        if (body) room_with_import(*body);
    } else {
        auto read = read_process_body(text);
        if (auto* p = std::get_if<Process_body>(&read))
            check(p->teams.is_array() && p->teams.size() <= 20, "a process body passed with bad teams");
    }
    return 0;
}
