#pragma once
// The wall's sound when a time box ends: the browser projector's two-note chime (wall.js),
// played through ALSA. Off unless the projector was started with --chime.
#include <cstdint>
#include <optional>
#include <vector>

namespace keha::desk {

inline constexpr int chime_rate = 48000;  // samples per second, mono, signed 16-bit

// Two soft sine notes, 660 Hz then 880 Hz 0.45 s later, each rising in 40 ms and fading
// over 0.6 s; starts and ends silent.
std::vector<std::int16_t> chime_samples();

// Whether to chime at this timer reading: once when a running time box goes over zero,
// never for a box that was already over at the first reading (joining late stays quiet).
class Chime_trigger {
public:
    bool update(bool running, std::optional<std::int64_t> remaining_ms);

private:
    std::optional<bool> was_over_;
};

// Plays the chime on its own thread through ALSA's "default" device; returns at once.
// Without a sound device it says so once on stderr and stays silent.
void play_chime();

}  // namespace keha::desk
