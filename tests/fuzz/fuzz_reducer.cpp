// libFuzzer target: any command with any arguments, in any role, applied to a room as it
// looks mid-meeting (keha::apply_command). The input is JSON: one step or an array of steps
// {"as": "f"|"a"|"b"|"s"|"w"|"server"|"x", "cmd": "...", "args": {...}}.
// Invariants (docs/protocol.md §6, §9):
//   - a refused command leaves the state exactly as it was;
//   - an accepted one returns the patch that turns the old state into the new one;
//   - every member's view of the old state, patched with the patch that member receives,
//     is its view of the new state (guarantee 3), except after the commands that send
//     everyone a fresh welcome (Effects::Resync::everyone: room.settings, participant.role,
//     participant.merge);
//   - anonymous answers are held and released in batches through their release command, as
//     the server does (poll.tally with the answers given);
//   - the notes of the final state render in every format, with the Finnish catalog and with
//     none, and the JSON notes read back (check_notes_json); so does a process report of it.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "keha/board_order.hpp"
#include "keha/notes.hpp"
#include "keha/provenance.hpp"
#include "keha/ratings.hpp"
#include "keha/report.hpp"
#include "keha/view.hpp"

using namespace keha;
using keha::fuzz::check;

namespace {

Actor actor_for(const std::string& as, const fuzz::People& p)
{
    if (as == "f") return {p.facilitator, Role::facilitator};
    if (as == "b") return {p.bertil, Role::participant};
    if (as == "s") return {p.screen, Role::screen};
    if (as == "w") return {p.waiting, Role::participant};
    if (as == "server") return {"", Role::server};
    if (as == "x") return {"p999", Role::participant};  // someone the room does not know
    return {p.aino, Role::participant};
}

// What the server supplies to the two commands that need data the room does not hold
// (server/command_inputs.cpp): the items of an earlier meeting, and the questionnaire's results.
json server_input(const json& state, const std::string& cmd, const json& args)
{
    if (cmd == "item.import") {
        std::vector<std::string> boards{"timeline", "plan"};
        if (auto b = args.find("boards"); b != args.end() && b->is_array()) {
            boards.clear();
            for (const auto& name : *b)
                if (name.is_string()) boards.push_back(name.get<std::string>());
        }
        return import_args(state, boards);
    }
    if (cmd == "ratings.close" && state["ratings"].value("open", false)) {
        const json& r = state["ratings"];
        std::vector<Rating_score> scores;
        for (const auto& q : r["questions"]) scores.push_back({q.value("id", ""), 7});
        return rating_results(r["questions"], r.value("answered", 0u), scores, {"Hyvä kokous"});
    }
    return json();
}

void check_views(const json& before, const json& after, const json& patch, const fuzz::People& p, const std::string& actor)
{
    const Patch_views views = split_patch(patch, after, actor);
    for (const Viewer& v : {Viewer{p.facilitator, Role::facilitator}, Viewer{p.aino, Role::participant},
                            Viewer{p.bertil, Role::participant}, Viewer{p.screen, Role::screen}}) {
        const json& own = views.for_viewer(v);
        json patched;
        try {
            patched = view_for(before, v).patch(own);
        } catch (const json::exception& e) {
            keha::fuzz::fail("the patch for " + v.pid + " does not apply to its view: " + e.what() + "\npatch: " + own.dump());
        }
        check(patched == view_for(after, v), "the patch for " + v.pid + " does not give its view of the new state\npatch: " + own.dump());
    }
}

// Whether a document shows its text as written: no C0 control other than tab and newlines, no
// bidirectional embedding, override or isolate (keha/text.hpp neutralize_controls).
bool displays_as_written(const std::string& doc)
{
    for (std::size_t i = 0; i < doc.size(); ++i) {
        const auto c = static_cast<unsigned char>(doc[i]);
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
        if (c == 0xE2 && i + 2 < doc.size()) {
            const auto b = static_cast<unsigned char>(doc[i + 1]), d = static_cast<unsigned char>(doc[i + 2]);
            if ((b == 0x80 && d >= 0xAA && d <= 0xAE) || (b == 0x81 && d >= 0xA6 && d <= 0xA9)) return false;
        }
    }
    return true;
}

// The notes and the process report of `state`, in every format, as GET /export and the
// process report render them; the exceptions a malformed state may throw are findings too.
void check_notes(const json& state)
{
    static const json empty = json::object();
    for (const json* catalog : {&fuzz::catalog("fi"), &empty}) {
        for (const Notes_format format : {Notes_format::md, Notes_format::html}) {
            const std::string notes = render_notes(state, format, *catalog);
            check(!notes.empty() && displays_as_written(notes), "notes with a control character:\n" + notes);
        }
        Notes_options by_groups;
        by_groups.names = Notes_names::groups;
        const json notes = json::parse(render_notes(state, Notes_format::json, *catalog, by_groups));
        const auto problem = check_notes_json(notes);
        check(!problem, "the JSON notes do not read back: " + problem.value_or(""));
    }
    const json process = {{"id", "pr1"}, {"title", "Monnin prosessi"}, {"teams", json::array()}, {"created_at", "2026-11-01T09:00:00Z"}};
    const std::vector<Report_meeting> meetings{{state, {}}, {state, {}}};
    for (const Notes_format format : {Notes_format::md, Notes_format::html}) {
        const std::string report = render_process_report(process, meetings, format, fuzz::catalog("fi"));
        check(!report.empty() && displays_as_written(report), "a process report with a control character:\n" + report);
    }
}

// The room as the fuzz input drives it, and what the server does around the reducer: the
// anonymous answers it holds and releases in batches through the release command (as
// server/room.cpp release_answers does), so that tallies carry answers as people gave them.
struct Room_run {
    explicit Room_run(const fuzz::Realistic_room& room) : base(room) {}

    const fuzz::Realistic_room& base;
    json state = base.state;
    std::uint64_t seq = base.seq;
    std::int64_t now = base.now_ms;
    struct Held {
        std::string release;
        std::vector<json> answers;
    };
    std::map<std::string, Held> held;
    Column_ends ends;  // as the server's room keeps them

    void step(const Actor& actor, const std::string& cmd, const json& args)
    {
        now += 1500;
        const json input_data = server_input(state, cmd, args);
        Context context{seq + 1, now, input_data.is_null() ? nullptr : &input_data, &ends};
        const json before = state;
        auto result = apply_command(state, actor, Command{cmd, args}, context);
        // KEHA_FUZZ_TRACE=1: what each step of an input did, to check a new seed reaches its command.
        static const bool trace = std::getenv("KEHA_FUZZ_TRACE") != nullptr;
        if (trace)
            std::fprintf(stderr, "%s %s: %s\n", std::string(actor.pid).c_str(), cmd.c_str(),
                         std::holds_alternative<Error>(result) ? std::get<Error>(result).message.c_str() : "ok");
        if (std::holds_alternative<Error>(result)) {
            check(state == before, "a refused " + cmd + " changed the state");
            return;
        }
        ++seq;
        const Applied applied = std::get<Applied>(std::move(result));
        const json& patch = applied.patch;
        check(patch.is_array(), cmd + " returned a patch that is not an array");
        json patched;
        try {
            patched = before.patch(patch);
        } catch (const json::exception& e) {
            keha::fuzz::fail(cmd + " returned a patch that does not apply to the old state: " + e.what() + "\npatch: " + patch.dump());
        }
        check(patched == state, cmd + " returned a patch that does not give the new state\npatch: " + patch.dump());
        // Members get a fresh welcome instead of their patches after these (docs/protocol.md §4).
        if (applied.effects.resync != Effects::Resync::everyone) check_views(before, state, patch, base.people, std::string(actor.pid));
        // The state stays something the server can write and a client can read back.
        check(json::parse(state.dump(-1, ' ', false, json::error_handler_t::strict)) == state, "the state does not survive a dump and parse");
        check_column_ends();
        hold_and_release(applied.effects);
    }

    // Where the server's room says each column ends is where reading the board says.
    void check_column_ends()
    {
        for (const auto& [board, b] : state.at("boards").items())
            for (const auto& [id, item] : b.at("items").items()) {
                const json* column = item.is_object() && item.contains("column") ? &item["column"] : nullptr;
                if (!column || !column->is_string()) continue;
                check(ends.after_last(state, board, *column) == order_after_last(b.at("items"), *column),
                      "the column ends kept beside the state are not the board's: " + board + " " + column->get<std::string>());
            }
    }

    void hold_and_release(const Effects& effects)
    {
        if (const auto& a = effects.anonymous_answer; a && !a->release.empty()) {
            Held& h = held[a->topic];
            h.release = a->release;
            h.answers.push_back(a->answer);
            if (h.answers.size() >= a->batch) release(a->topic);
        }
        if (effects.release_held) release(*effects.release_held);
        if (effects.drop_held) held.erase(*effects.drop_held);
    }

    void release(const std::string& topic)
    {
        auto h = held.find(topic);
        if (h == held.end() || h->second.answers.empty()) return;
        const std::string cmd = h->second.release;
        const json args = {{"topic", topic}, {"answers", std::move(h->second.answers)}};
        h->second.answers.clear();
        step({"", Role::server}, cmd, args);
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const fuzz::Realistic_room base;
    json input = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
    if (input.is_discarded()) return 0;
    if (!input.is_array()) input = json::array({input});
    if (input.size() > 16) return 0;

    Room_run run{base};
    for (const json& step : input) {
        if (!step.is_object()) continue;
        const std::string as = step.contains("as") && step["as"].is_string() ? step["as"].get<std::string>() : "a";
        const std::string cmd = step.contains("cmd") && step["cmd"].is_string() ? step["cmd"].get<std::string>() : "";
        json args = step.contains("args") ? step["args"] : json::object();
        if (!args.is_object()) continue;  // the message layer answers bad_request (fuzz_message)
        run.step(actor_for(as, base.people), cmd, args);
    }
    check_notes(run.state);
    return 0;
}
