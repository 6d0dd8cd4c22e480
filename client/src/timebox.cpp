#include "timebox.hpp"

#include <algorithm>
#include <cmath>

namespace keha::desk {
namespace {

int whole_seconds(const json& object, const char* key)
{
    if (!object.is_object()) return 0;
    auto it = object.find(key);
    return it != object.end() && it->is_number() ? static_cast<int>(it->get<double>()) : 0;
}

// Seconds the running turn gives this moment; 0 when it gives none.
int turn_seconds(const Turns& t)
{
    if (t.mode == "reflecting_team") return t.stage_seconds(t.stage);
    if (t.mode == "round" && !t.finished) return t.per_speaker_s;
    if (t.mode == "pairs") return t.half_s;
    return 0;
}

}  // namespace

std::string timebox_moment(const Document& doc)
{
    const json* phase = doc.current_phase();
    std::string moment = phase && phase->contains("id") && (*phase)["id"].is_string() ? (*phase)["id"].get<std::string>() : "";
    const Turns& t = doc.turns();
    if (!t.running()) return moment;
    moment += "|" + t.mode;
    if (t.mode == "reflecting_team") moment += "|" + std::to_string(t.cycle) + "|" + t.stage;
    else if (t.mode == "round") moment += "|" + std::to_string(t.current) + (t.finished ? "|finished" : "");
    else if (t.mode == "pairs") moment += "|" + std::to_string(t.half);
    return moment;
}

int timebox_minutes(const Document& doc)
{
    int seconds = turn_seconds(doc.turns());
    if (seconds <= 0)
        if (const json* phase = doc.current_phase()) seconds = whole_seconds(*phase, "timebox_s");
    if (seconds <= 0) return 10;
    // As the browser rounds it: 90 s is 2 minutes, 20 s is 1.
    return std::clamp(static_cast<int>(std::lround(seconds / 60.0)), 1, 240);
}

std::optional<int> Timebox_follow::update(const Document& doc)
{
    if (!doc.has_state()) return std::nullopt;
    std::string now = timebox_moment(doc);
    if (moment_ == now) return std::nullopt;
    moment_ = std::move(now);
    return timebox_minutes(doc);
}

}  // namespace keha::desk
