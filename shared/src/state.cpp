#include "keha/state.hpp"

#include <array>

#include "keha/private_writing.hpp"
#include "keha/polls.hpp"
#include "keha/ratings.hpp"

namespace keha {
namespace {

constexpr std::array<std::string_view, 1> timeline_columns{"event"};
constexpr std::array<std::string_view, 3> vision_columns{"vision", "hinders", "enables"};
constexpr std::array<std::string_view, 1> plan_columns{"action"};
constexpr std::array<std::string_view, 1> reflection_columns{"reflection"};
// Systemic team processing: many possible explanations, none marked true; votes say which resonate.
constexpr std::array<std::string_view, 1> hypothesis_columns{"hypothesis"};
// A person's or an organisation's commitment, e.g. to apply the systemic approach (Sytys).
constexpr std::array<std::string_view, 1> commitment_columns{"commitment"};
constexpr std::array<std::string_view, 2> timeline_fields{"when", "sector"};
// "addresses": the id of the vision item (a hinderer or an enabler) the action answers.
constexpr std::array<std::string_view, 5> plan_fields{"who", "with", "due", "status", "addresses"};
constexpr std::array<std::string_view, 1> reflection_fields{"turn"};
constexpr std::array<std::string_view, 2> commitment_fields{"who", "organisation"};

}  // namespace

std::span<const std::string_view> board_columns(std::string_view board)
{
    if (board == "timeline") return timeline_columns;
    if (board == "vision") return vision_columns;
    if (board == "plan") return plan_columns;
    if (board == "reflections") return reflection_columns;
    if (board == "hypotheses") return hypothesis_columns;
    if (board == "commitments") return commitment_columns;
    return {};
}

std::span<const std::string_view> board_fields(std::string_view board)
{
    if (board == "timeline") return timeline_fields;
    if (board == "plan") return plan_fields;
    if (board == "reflections") return reflection_fields;
    if (board == "commitments") return commitment_fields;
    return {};
}

bool is_board(std::string_view board) { return !board_columns(board).empty(); }

json make_state(const Room_meta& meta, const json& room_template)
{
    json phases = json::array();
    // Template texts stay in every language ({"fi","sv","en"}): each person reads their own.
    for (const auto& p : room_template.at("phases")) {
        phases.push_back({
            {"id", p.at("id")},
            {"kind", p.value("kind", "custom")},
            {"title", p.at("title")},
            {"question", p.value("question", json(""))},
            {"board", p.value("board", json(nullptr))},
            {"timebox_s", p.value("timebox_s", 0)},
            {"turn_mode", p.value("turn_mode", "none")},
            // Everyone writes privately until the facilitator reveals the board (§8).
            {"private_writing", p.value("private_writing", false)},
        });
        // A card everyone sees during the phase, e.g. Erätauko's ground rules.
        if (p.contains("card") && p["card"].is_object())
            phases.back()["card"] = {{"title", p["card"].value("title", json(""))},
                                     {"lines", p["card"].value("lines", json::array())}};
    }
    json boards = json::object();
    for (const char* b : board_names) boards[b] = {{"items", json::object()}, {"private", false}};
    json state = {
        {"room",
         {{"code", meta.code},
          {"title", meta.title},
          {"language", meta.language},
          {"template", meta.template_id},
          {"process", meta.process ? json(*meta.process) : json(nullptr)},
          {"status", "open"},
          {"locked", false},
          {"created_at", meta.created_at},
          {"settings",
           {{"hide_names", false},
            {"admit_joiners", false},
            {"moderated", false},
            {"votes_visible", true},
            {"vote_limit", 0},
            {"consent_required", false}}}}},
        {"consent", nullptr},
        {"phases", phases},
        {"phase", phases.empty() ? json(nullptr) : phases[0]["id"]},
        {"participants", json::object()},
        {"boards", boards},
        {"turns", {{"mode", "none"}}},
        {"timer", {{"state", "idle"}}},
        {"ratings", initial_ratings(room_template)},
        // The timed voting session (keha/voting.hpp): none until a facilitator starts one.
        {"voting", nullptr},
        {"qa", json::object()},
        {"spotlight", nullptr},
        {"polls", initial_polls(room_template)},
    };
    if (meta.process && meta.team) state["room"]["team"] = *meta.team;
    start_private_writing(state);
    return state;
}

}  // namespace keha
