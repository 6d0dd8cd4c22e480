// participant.merge: two participants that are one person become one (docs/protocol.md §8).
#include <algorithm>
#include <cstdint>

#include "command_handlers.hpp"

namespace keha::detail {
namespace {

// `value` with every string `from` (and every object key `from`) read as `into`; an array
// that then names someone twice keeps the first.
json renamed(const json& value, const std::string& from, const std::string& into)
{
    if (value.is_string()) return value.get_ref<const std::string&>() == from ? json(into) : value;
    if (value.is_array()) {
        json out = json::array();
        for (const auto& v : value) {
            json r = renamed(v, from, into);
            if (r.is_string() && std::find(out.begin(), out.end(), r) != out.end()) continue;
            out.push_back(std::move(r));
        }
        return out;
    }
    if (value.is_object()) {
        json out = json::object();
        for (const auto& [k, v] : value.items()) {
            const std::string key = k == from ? into : k;
            if (!out.contains(key)) out[key] = renamed(v, from, into);
        }
        return out;
    }
    return value;
}

// Up-votes on Q&A questions follow the person; a question both up-voted counts them once.
// Question ids are unique in the room (q<seq>_<n>), so the lists name them alone.
void carry_upvotes(Step& s, const std::string& from, const std::string& into, const json& a, const json& b)
{
    const json theirs = a.value("qa_upvoted", json::array());
    if (!theirs.is_array() || theirs.empty()) return;
    json kept = b.value("qa_upvoted", json::array());
    if (!kept.is_array()) kept = json::array();
    for (const auto& qid : theirs) {
        if (std::find(kept.begin(), kept.end(), qid) == kept.end()) {
            kept.push_back(qid);
            continue;
        }
        if (!qid.is_string() || !s.state.contains("qa") || !s.state["qa"].is_object()) continue;
        for (auto& [qa, one] : s.state["qa"].items()) {
            if (!one.is_object() || !one.contains("questions") || !one["questions"].contains(qid.get<std::string>()))
                continue;
            const json& question = one["questions"][qid.get<std::string>()];
            const auto upvotes = question.value("upvotes", std::int64_t{0});
            s.patch.set("/qa/" + qa + "/questions/" + qid.get<std::string>() + "/upvotes",
                        std::max<std::int64_t>(0, upvotes - 1));
        }
    }
    s.patch.set(participant_path(into) + "/qa_upvoted", std::move(kept));
    s.patch.remove(participant_path(from) + "/qa_upvoted");
}

}  // namespace

void participant_merge(Step& s)
{
    s.args.allow({"from", "into"});
    auto from = s.args.text("from", true, 1, 40);
    auto into = s.args.text("into", true, 1, 40);
    if (*from == *into) refuse(Error_code::invalid, "A participant cannot be merged with itself.");
    json& people = s.state["participants"];
    for (const auto* pid : {&*from, &*into})
        if (!people.contains(*pid)) refuse(Error_code::not_found, "There is no participant " + *pid + " in this room.");
    const json a = people[*from];
    const json b = people[*into];
    if (a.value("role", "") == "screen" || b.value("role", "") == "screen")
        refuse(Error_code::invalid, "A projector screen is not a person and cannot be merged.");
    if (a.value("removed", false) || b.value("removed", false))
        refuse(Error_code::conflict, "A removed or already merged participant cannot be merged.");
    if (a.value("role", "") == "facilitator" && b.value("role", "") != "facilitator")
        refuse(Error_code::forbidden, "A facilitator can only be merged into another facilitator.");

    // What the person wrote and voted for follows them; a vote both gave counts once.
    for (auto& [board, content] : s.state["boards"].items()) {
        if (!content.contains("items")) continue;
        for (auto& [id, item] : content["items"].items()) {
            const std::string path = item_path(board, id);
            if (item.value("author", "") == *from) s.patch.set(path + "/author", *into);
            if (!item.contains("voters") || !item["voters"].is_array()) continue;
            json voters = renamed(item["voters"], *from, *into);
            if (voters == item["voters"]) continue;
            s.patch.set(path + "/voters", voters);
            s.patch.set(path + "/votes", voters.size());
        }
    }
    // The raised hand that came first keeps its place in the queue.
    if (a.value("hand", false)) {
        const json a_at = a.value("hand_at", json()), b_at = b.value("hand_at", json());
        const bool earlier = !b.value("hand", false) || (a_at.is_number() && b_at.is_number() && a_at < b_at);
        if (earlier) {
            s.patch.set(participant_path(*into) + "/hand", true);
            s.patch.set(participant_path(*into) + "/hand_at", a_at);
        }
    }
    carry_upvotes(s, *from, *into, a, b);
    if (a.value("online", false)) s.patch.set(participant_path(*into) + "/online", true);
    if (a.value("admitted", true) && !b.value("admitted", true)) s.patch.set(participant_path(*into) + "/admitted", true);
    if (a.value("rated", false)) {
        s.patch.set(participant_path(*into) + "/rated", true);
        // Both answered: the answers are anonymous and both stay, but one person stands
        // behind two of them, so the results need one more answer to be shown (ratings.close).
        if (b.value("rated", false) && s.state.contains("ratings") && s.state["ratings"].is_object())
            s.patch.set("/ratings/repeated", s.state["ratings"].value("repeated", std::int64_t{0}) + 1);
    }
    if (s.state.contains("turns")) {
        json turns = renamed(s.state["turns"], *from, *into);
        if (turns != s.state["turns"]) s.patch.put("/turns", std::move(turns));
    }
    if (s.state.contains("consent") && s.state["consent"].is_object() &&
        s.state["consent"].value("recorded_by", "") == *from)
        s.patch.set("/consent/recorded_by", *into);

    const std::string path = participant_path(*from);
    s.patch.set(path + "/removed", true);
    s.patch.set(path + "/online", false);
    s.patch.set(path + "/hand", false);
    s.patch.set(path + "/hand_at", nullptr);
    s.patch.set(path + "/merged_into", *into);
    // The merged-away person's connections go on as the kept one; everyone's view of whose
    // items are whose changed, so everyone starts over from a fresh welcome.
    s.effects.merged = std::pair{*from, *into};
    s.effects.resync = Effects::Resync::everyone;
}

}  // namespace keha::detail
