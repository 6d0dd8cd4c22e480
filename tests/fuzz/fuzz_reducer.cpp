// libFuzzer target: any command with any arguments, in any role, applied to a room as it
// looks mid-meeting (keha::apply). The input is JSON: one step or an array of steps
// {"as": "f"|"a"|"b"|"s"|"w"|"server"|"x", "cmd": "...", "args": {...}}.
// Invariants (docs/protocol.md §6, §9):
//   - a refused command leaves the state exactly as it was;
//   - an accepted one returns the patch that turns the old state into the new one;
//   - every member's view of the old state, patched with the patch that member receives,
//     is its view of the new state (guarantee 3), except after the two commands that send
//     everyone a fresh welcome (room.settings, participant.role).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "keha/provenance.hpp"
#include "keha/ratings.hpp"
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const fuzz::Realistic_room base;
    json input = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
    if (input.is_discarded()) return 0;
    if (!input.is_array()) input = json::array({input});
    if (input.size() > 16) return 0;

    json state = base.state;
    std::uint64_t seq = base.seq;
    std::int64_t now = base.now_ms;
    for (const json& step : input) {
        if (!step.is_object()) continue;
        const std::string as = step.contains("as") && step["as"].is_string() ? step["as"].get<std::string>() : "a";
        const std::string cmd = step.contains("cmd") && step["cmd"].is_string() ? step["cmd"].get<std::string>() : "";
        json args = step.contains("args") ? step["args"] : json::object();
        if (!args.is_object()) continue;  // the message layer answers bad_request (fuzz_message)
        now += 1500;
        const json input_data = server_input(state, cmd, args);
        Context context{seq + 1, now, input_data.is_null() ? nullptr : &input_data};
        const json before = state;
        const Actor actor = actor_for(as, base.people);
        auto result = apply(state, actor, Command{cmd, args}, context);
        if (std::holds_alternative<Error>(result)) {
            check(state == before, "a refused " + cmd + " changed the state");
            continue;
        }
        ++seq;
        const json& patch = std::get<json>(result);
        check(patch.is_array(), cmd + " returned a patch that is not an array");
        json patched;
        try {
            patched = before.patch(patch);
        } catch (const json::exception& e) {
            keha::fuzz::fail(cmd + " returned a patch that does not apply to the old state: " + e.what() + "\npatch: " + patch.dump());
        }
        check(patched == state, cmd + " returned a patch that does not give the new state\npatch: " + patch.dump());
        if (cmd != "room.settings" && cmd != "participant.role") check_views(before, state, patch, base.people, std::string(actor.pid));
        // The state stays something the server can write and a client can read back.
        check(json::parse(state.dump(-1, ' ', false, json::error_handler_t::strict)) == state, "the state does not survive a dump and parse");
    }
    return 0;
}
