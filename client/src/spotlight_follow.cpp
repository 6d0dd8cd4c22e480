#include "spotlight_follow.hpp"

#include "keha/spotlight.hpp"

namespace keha::desk {

std::optional<std::string> Spotlight_follow::observe(const json& state, const std::string& shown)
{
    auto spot = keha::spotlight_of(state);
    if (spot && !(state.contains("boards") && state["boards"].is_object() && state["boards"].contains(spot->board))) spot.reset();
    if (spot) {
        const json at = state["spotlight"].value("at", json());
        const std::int64_t when = at.is_number_integer() ? at.get<std::int64_t>() : 0;
        if (at_ && *at_ == when) return std::nullopt;
        if (!at_) saved_ = shown;
        at_ = when;
        scroll_ = true;
        return spot->board;
    }
    if (!at_) return std::nullopt;
    at_.reset();
    scroll_ = false;
    std::string back = std::move(saved_);
    saved_.clear();
    if (back.empty()) return std::nullopt;
    return back;
}

bool Spotlight_follow::take_scroll()
{
    const bool was = scroll_;
    scroll_ = false;
    return was;
}

}  // namespace keha::desk
