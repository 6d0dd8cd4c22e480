#include "notes_json.hpp"

#include "keha/json_access.hpp"
#include "keha/qa.hpp"
#include "keha/text.hpp"
#include "keha/view.hpp"
#include "notes_names.hpp"

namespace keha {
namespace {

// The state the notes JSON carries: no hidden or held items, names as the policy says.
json shareable_state(const json& state, Notes_names names)
{
    json out = state;
    if (out.contains("boards"))
        for (auto& [name, board] : out["boards"].items()) {
            json kept = json::object();
            for (auto& [id, item] : board["items"].items())
                if (!is_held(item)) kept[id] = item;
            board["items"] = std::move(kept);
        }
    // Q&A: no held question, and nobody's list of what they up-voted.
    if (auto qa = out.find("qa"); qa != out.end() && qa->is_object())
        for (auto& [id, one] : qa->items())
            if (one.is_object() && one.contains("questions") && one["questions"].is_object()) {
                json kept = json::object();
                for (auto& [qid, q] : one["questions"].items())
                    if (!is_held_question(q)) kept[qid] = q;
                one["questions"] = std::move(kept);
            }
    if (out.contains("participants"))
        for (auto& [pid, p] : out["participants"].items()) p.erase("qa_upvoted");
    if (out.contains("participants") && names != Notes_names::full)
        for (auto& [pid, p] : out["participants"].items()) {
            std::string shown = shown_name(p, names);
            if (shown.empty()) p.erase("name");
            else p["name"] = shown;
        }
    // Who gave a young person's consent is a name too.
    if (names == Notes_names::initials || names == Notes_names::groups)
        if (auto c = out.find("consent"); c != out.end() && c->is_object() && c->contains("given_by")) {
            if (names == Notes_names::groups) c->erase("given_by");
            else (*c)["given_by"] = initials(string_field(*c, "given_by"));
        }
    return out;
}

}  // namespace

std::string notes_json(const json& state, const Notes_options& options)
{
    const Notes_names names = names_policy(state, options);
    json meeting = json::object();
    const auto& t = options.times;
    meeting["started_at"] = t.started_ms ? json(iso8601_utc(*t.started_ms)) : json(nullptr);
    meeting["ended_at"] = t.ended_ms ? json(iso8601_utc(*t.ended_ms)) : json(nullptr);
    json spent = json::object();
    for (const auto& [phase, ms] : t.phase_ms) spent[phase] = ms / 1000;
    meeting["phase_s"] = spent;
    meeting["as_of_seq"] = options.as_of_seq ? json(*options.as_of_seq) : json(nullptr);
    return json{{"format", "keha-notes"},
                {"version", 2},
                {"names", to_string(names)},
                {"meeting", meeting},
                {"state", shareable_state(state, names)}}
        .dump(2);
}

}  // namespace keha
